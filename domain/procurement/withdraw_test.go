package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestWithdrawMunicipality(t *testing.T) {
	t.Run("a_member_withdraws_before_the_notice_with_a_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(withdraw("bergen", "\tthe council cut the budget ")).
			Then(withdrew("bergen"))
	})

	t.Run("a_member_that_withdrew_no_longer_counts_as_joined", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), invited("oslo"), joined("oslo")).
			When(withdraw("bergen", "the council cut the budget")).
			ThenState(func(t testing.TB, s procurement.State) {
				memberIs("bergen", procurement.MemberWithdrawn)(t, s)
				if s.Count(procurement.MemberJoined) != 1 || s.Count(procurement.MemberWithdrawn) != 1 {
					t.Fatalf("counts: %v", s.Members)
				}
			})
	})

	t.Run("accepts_a_reason_of_exactly_2000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(withdraw("bergen", runes(2000))).
			Then(procurement.MunicipalityWithdrawn{Org: "bergen", Reason: runes(2000)})
	})

	t.Run("withdrawing_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), withdrew("bergen")).
			When(withdraw("bergen", "as we said")).
			ThenNothing()
	})

	t.Run("rejects_a_withdrawal_without_a_reason", func(t *testing.T) {
		for _, reason := range []string{"", "  \n"} {
			estest.For(t, procurement.Decider).
				Given(created(), invited("bergen"), joined("bergen")).
				When(withdraw("bergen", reason)).
				ThenError(procurement.ErrReasonRequired)
		}
	})

	t.Run("rejects_a_reason_over_2000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(withdraw("bergen", runes(2001))).
			ThenError(procurement.ErrReasonTooLong)
	})

	t.Run("an_invited_municipality_declines_rather_than_withdraws", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(withdraw("bergen", "changed our mind")).
			ThenError(procurement.ErrNotMember)
	})

	t.Run("a_municipality_that_declined_is_not_a_member", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen")).
			When(withdraw("bergen", "changed our mind")).
			ThenError(procurement.ErrNotMember)
	})

	t.Run("a_municipality_invited_again_after_withdrawing_is_not_a_member_until_it_joins", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), withdrew("bergen"), invited("bergen")).
			When(withdraw("bergen", "changed our mind")).
			ThenError(procurement.ErrNotMember)
	})

	t.Run("a_municipality_never_invited_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(withdraw("oslo", "we are not in it")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("the_hub_is_not_a_member_and_cannot_withdraw", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(withdraw(hub, "we coordinate")).
			ThenError(procurement.ErrNotMember)
	})

	t.Run("nobody_withdraws_from_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), cancelled()).
			When(withdraw("bergen", "the case is over anyway")).
			ThenError(procurement.ErrCancelled)
	})

	t.Run("rejects_a_withdrawal_from_a_case_that_does_not_exist", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(withdraw("bergen", "the council cut the budget")).
			ThenError(procurement.ErrNotFound)
	})
}
