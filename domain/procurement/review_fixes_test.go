package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestCancelChecksTheActorBeforeTheRepeat(t *testing.T) {
	t.Run("another_organisation_cancelling_a_cancelled_case_is_refused_not_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), procurement.ProcurementCancelled{Reason: "covered", PreviousPhase: procurement.PhaseDraft}).
			When(procurement.CancelProcurement{Reason: "again", By: by("bergen"), At: day(3)}).
			ThenError(procurement.ErrNotFound)
	})
}

func TestCPVCodesWithAndWithoutCheckDigitAreOneCode(t *testing.T) {
	t.Run("the_first_form_given_is_kept", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(procurement.CreateCase{ID: caseID, Title: "T", Jurisdiction: procurement.JurisdictionSE,
				CPV: []string{"48000000", "48000000-8", "38000000-5"}, HubKind: registered[hub], By: by(hub), At: day(1)}).
			Then(procurement.CaseCreated{ID: caseID, Title: "T", Jurisdiction: procurement.JurisdictionSE,
				CPV: []string{"48000000", "38000000-5"}, Hub: hub})
	})
}
