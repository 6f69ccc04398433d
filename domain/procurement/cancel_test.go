package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

const cancelReason = "the need is covered by a national agreement"

func TestCancelProcurement(t *testing.T) {
	t.Run("the_hub_cancels_a_draft_case_with_a_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(cancel(by(hub), "  "+cancelReason+"\n")).
			Then(cancelled())
	})

	t.Run("a_cancelled_case_keeps_its_members_for_the_record", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), invited("oslo")).
			When(cancel(by(hub), cancelReason)).
			ThenState(func(t testing.TB, s procurement.State) {
				phaseIs(procurement.PhaseCancelled)(t, s)
				memberIs("bergen", procurement.MemberJoined)(t, s)
				memberIs("oslo", procurement.MemberInvited)(t, s)
			})
	})

	t.Run("a_platform_actor_may_cancel", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(cancel(platform, cancelReason)).
			Then(cancelled())
	})

	t.Run("accepts_a_reason_of_exactly_2000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(cancel(by(hub), runes(2000))).
			Then(procurement.ProcurementCancelled{Reason: runes(2000), PreviousPhase: procurement.PhaseDraft})
	})

	t.Run("cancelling_a_cancelled_case_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), cancelled()).
			When(cancel(by(hub), "once more")).
			ThenNothing()
	})

	t.Run("a_platform_actor_cancelling_a_cancelled_case_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), cancelled()).
			When(cancel(platform, cancelReason)).
			ThenNothing()
	})

	t.Run("rejects_a_cancellation_without_a_reason", func(t *testing.T) {
		for _, reason := range []string{"", " \t "} {
			estest.For(t, procurement.Decider).
				Given(created()).
				When(cancel(by(hub), reason)).
				ThenError(procurement.ErrReasonRequired)
		}
	})

	t.Run("rejects_a_reason_over_2000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(cancel(by(hub), runes(2001))).
			ThenError(procurement.ErrReasonTooLong)
	})

	t.Run("a_member_municipality_cannot_cancel_the_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(cancel(by("bergen"), cancelReason)).
			ThenError(procurement.ErrHubOrLeadOnly)
	})

	t.Run("an_invited_municipality_cannot_cancel_the_case_either", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(cancel(by("bergen"), cancelReason)).
			ThenError(procurement.ErrHubOrLeadOnly)
	})

	t.Run("a_hub_that_does_not_coordinate_the_case_cannot_cancel_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(cancel(by(otherHub), cancelReason)).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("rejects_cancelling_a_case_that_does_not_exist", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(cancel(by(hub), cancelReason)).
			ThenError(procurement.ErrNotFound)
	})
}
