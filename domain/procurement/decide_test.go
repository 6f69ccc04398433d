package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestDecide(t *testing.T) {
	t.Run("every_command_but_create_needs_an_existing_case", func(t *testing.T) {
		for _, c := range []procurement.Command{
			invite("bergen"), accept("bergen"), decline("bergen", ""),
			withdraw("bergen", "a reason"), cancel(by(hub), cancelReason), cancel(platform, cancelReason),
		} {
			estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrNotFound)
			estest.For(t, procurement.Decider).When(c).ThenKind(es.KindNotFound)
		}
	})

	t.Run("a_case_that_does_not_exist_is_not_found_before_any_input_is_checked", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(withdraw("bergen", "")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("rejects_a_command_it_does_not_know_as_invalid_input", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(nil).
			ThenKind(es.KindInvalid)
	})
}
