package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestAcceptInvitation(t *testing.T) {
	t.Run("an_invited_municipality_joins", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(accept("bergen")).
			Then(joined("bergen"))
	})

	t.Run("a_municipality_that_joined_is_a_member", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), invited("oslo")).
			When(accept("bergen")).
			ThenState(func(t testing.TB, s procurement.State) {
				memberIs("bergen", procurement.MemberJoined)(t, s)
				memberIs("oslo", procurement.MemberInvited)(t, s)
				if s.Count(procurement.MemberJoined) != 1 || s.Count(procurement.MemberInvited) != 1 {
					t.Fatalf("counts: %v", s.Members)
				}
			})
	})

	t.Run("accepting_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(accept("bergen")).
			ThenNothing()
	})

	t.Run("a_municipality_invited_again_after_declining_can_join", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen"), invited("bergen")).
			When(accept("bergen")).
			Then(joined("bergen"))
	})

	t.Run("a_municipality_invited_again_after_withdrawing_can_join", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), withdrew("bergen"), invited("bergen")).
			When(accept("bergen")).
			Then(joined("bergen"))
	})

	t.Run("a_municipality_can_only_answer_its_own_invitation", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(accept("oslo")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("rejects_joining_a_case_without_invitations", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(accept("bergen")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("the_hub_cannot_join_its_own_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(accept(hub)).
			ThenError(procurement.ErrNotMember)
	})

	t.Run("a_platform_actor_cannot_join_on_behalf_of_a_municipality", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(procurement.AcceptInvitation{By: platform, At: day(5)}).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("a_municipality_that_declined_must_be_invited_again_first", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen")).
			When(accept("bergen")).
			ThenError(procurement.ErrAlreadyDeclined)
	})

	t.Run("a_municipality_that_withdrew_must_be_invited_again_first", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), withdrew("bergen")).
			When(accept("bergen")).
			ThenError(procurement.ErrAlreadyWithdrawn)
	})

	t.Run("nobody_joins_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), cancelled()).
			When(accept("bergen")).
			ThenError(procurement.ErrCancelled)
	})

	t.Run("a_member_repeating_its_acceptance_in_a_cancelled_case_is_told_it_is_cancelled", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), cancelled()).
			When(accept("bergen")).
			ThenError(procurement.ErrCancelled)
	})

	t.Run("rejects_joining_a_case_that_does_not_exist", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(accept("bergen")).
			ThenError(procurement.ErrNotFound)
	})
}
