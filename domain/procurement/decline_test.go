package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestDeclineInvitation(t *testing.T) {
	t.Run("an_invited_municipality_declines_with_a_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline("bergen", "  no budget this year\n")).
			Then(declined("bergen"))
	})

	t.Run("an_invited_municipality_declines_without_a_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline("bergen", "   ")).
			Then(procurement.InvitationDeclined{Org: "bergen"})
	})

	t.Run("a_municipality_that_declined_is_out_of_the_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline("bergen", "")).
			ThenState(memberIs("bergen", procurement.MemberDeclined))
	})

	t.Run("accepts_a_reason_of_exactly_2000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline("bergen", runes(2000))).
			Then(procurement.InvitationDeclined{Org: "bergen", Reason: runes(2000)})
	})

	t.Run("declining_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen")).
			When(decline("bergen", "still no budget")).
			ThenNothing()
	})

	t.Run("rejects_a_reason_over_2000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline("bergen", runes(2001))).
			ThenError(procurement.ErrReasonTooLong)
	})

	t.Run("a_municipality_can_only_decline_its_own_invitation", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline("oslo", "")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("the_hub_has_no_invitation_to_decline", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(decline(hub, "")).
			ThenError(procurement.ErrNotMember)
	})

	t.Run("a_member_that_joined_must_withdraw_instead", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(decline("bergen", "")).
			ThenError(procurement.ErrAlreadyJoined)
	})

	t.Run("a_municipality_that_withdrew_has_nothing_to_decline", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), withdrew("bergen")).
			When(decline("bergen", "")).
			ThenError(procurement.ErrAlreadyWithdrawn)
	})

	t.Run("nobody_declines_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), cancelled()).
			When(decline("bergen", "")).
			ThenError(procurement.ErrCancelled)
	})

	t.Run("rejects_declining_in_a_case_that_does_not_exist", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(decline("bergen", "")).
			ThenError(procurement.ErrNotFound)
	})
}
