package procurement_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/actor"
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

// After the contract notice (DOMAIN.md §2, member sub-machine) a member
// withdraws only with a recorded material-change assessment, approved by the
// lead and by the hub; after the award it simply places no call-offs.

func awWithdraw(org, hash string) procurement.WithdrawMunicipality {
	return procurement.WithdrawMunicipality{Reason: " the council cut the budget ", AssessmentHash: hash, By: by(org), At: tdAt(70, 9)}
}

func awApproveWithdrawal(a actor.Actor, org string) procurement.ApproveWithdrawal {
	return procurement.ApproveWithdrawal{Org: org, By: a, At: tdAt(72, 9)}
}

func awRequested() procurement.WithdrawalRequested {
	return procurement.WithdrawalRequested{Org: tdMember, Reason: "the council cut the budget", AssessmentHash: awMaterialHash, RequestedAt: tdAt(70, 9)}
}

func TestWithdrawAfterTheNotice(t *testing.T) {
	tendering := awTendering()

	t.Run("a_member_asks_to_withdraw_with_a_material_change_assessment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(awWithdraw(tdMember, awMaterialHash)).Then(awRequested())
	})
	t.Run("the_assessment_hash_is_kept_in_lower_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(awWithdraw(tdMember, strings.ToUpper(awMaterialHash))).Then(awRequested())
	})
	t.Run("the_member_stays_joined_until_the_lead_and_the_hub_approve", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(awWithdraw(tdMember, awMaterialHash)).
			ThenState(memberIs(tdMember, procurement.MemberJoined))
	})
	t.Run("without_an_assessment_the_member_cannot_withdraw_after_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(awWithdraw(tdMember, "")).ThenError(procurement.ErrWithdrawalAfterNotice)
	})
	t.Run("asking_again_changes_nothing", func(t *testing.T) {
		h := tdThen(tendering, awRequested())
		estest.For(t, procurement.Decider).Given(h...).When(awWithdraw(tdMember, awMaterialHash)).ThenNothing()
	})
	t.Run("a_different_request_while_one_is_pending_is_refused", func(t *testing.T) {
		h := tdThen(tendering, awRequested())
		estest.For(t, procurement.Decider).Given(h...).When(awWithdraw(tdMember, tdHashOf("another assessment"))).ThenError(procurement.ErrWithdrawalPending)
	})
	t.Run("rejects_an_assessment_hash_that_is_not_sha256", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(awWithdraw(tdMember, "assessment.pdf")).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("after_the_award_a_member_does_not_withdraw", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awDecided(t)...).When(awWithdraw(tdMember, awMaterialHash)).ThenError(procurement.ErrWithdrawalAfterAward)
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awWithdraw(tdMember, awMaterialHash)).ThenError(procurement.ErrWithdrawalAfterAward)
	})
	t.Run("after_one_buyers_own_award_a_member_does_not_withdraw", func(t *testing.T) {
		h := awRun(t, awEvaluatedFrom(t, awTendering(awAward(procurement.RuleEachMember))), awDecide(awLeadBy(), "a-oslo", "b1"))
		estest.For(t, procurement.Decider).Given(h...).When(awWithdraw(tdMember, awMaterialHash)).ThenError(procurement.ErrWithdrawalAfterAward)
	})
	t.Run("the_lead_cannot_withdraw", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(awWithdraw(tdLead, awMaterialHash)).ThenError(procurement.ErrLeadCannotWithdraw)
	})
	t.Run("before_the_notice_the_assessment_is_not_needed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(awWithdraw(tdMember, "")).
			Then(procurement.MunicipalityWithdrawn{Org: tdMember, Reason: "the council cut the budget"},
				procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: tdAt(70, 9), Reason: procurement.ReasonMemberWithdrew,
					Shares: []procurement.MemberShare{{Org: tdLead, BasisPoints: 10000}}})
	})
}

func TestApproveWithdrawal(t *testing.T) {
	requested := tdThen(awTendering(), awRequested())
	leadApproved := tdThen(requested, procurement.WithdrawalApproved{Org: tdMember, By: tdLead})
	withdrawn := procurement.MunicipalityWithdrawn{Org: tdMember, Reason: "the council cut the budget", AssessmentHash: awMaterialHash}
	shares := procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: tdAt(72, 9), Reason: procurement.ReasonMemberWithdrew,
		Shares: []procurement.MemberShare{{Org: tdLead, BasisPoints: 10000}}}

	t.Run("the_lead_approves_first", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(requested...).When(awApproveWithdrawal(awLeadBy(), tdMember)).
			Then(procurement.WithdrawalApproved{Org: tdMember, By: tdLead})
	})
	t.Run("with_one_approval_the_member_is_still_joined", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(requested...).When(awApproveWithdrawal(awLeadBy(), tdMember)).
			ThenState(memberIs(tdMember, procurement.MemberJoined))
	})
	t.Run("the_hubs_approval_after_the_leads_withdraws_the_member_with_the_assessment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(leadApproved...).When(awApproveWithdrawal(awHubBy(), tdMember)).
			Then(procurement.WithdrawalApproved{Org: tdMember, By: hub}, withdrawn, shares)
	})
	t.Run("the_hub_may_approve_first_and_the_lead_second", func(t *testing.T) {
		h := tdThen(requested, procurement.WithdrawalApproved{Org: tdMember, By: hub})
		estest.For(t, procurement.Decider).Given(h...).When(awApproveWithdrawal(awLeadBy(), tdMember)).
			Then(procurement.WithdrawalApproved{Org: tdMember, By: tdLead}, withdrawn, shares)
	})
	t.Run("once_both_approved_the_member_has_withdrawn", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(leadApproved...).When(awApproveWithdrawal(awHubBy(), tdMember)).
			ThenState(memberIs(tdMember, procurement.MemberWithdrawn))
	})
	t.Run("approving_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(leadApproved...).When(awApproveWithdrawal(awLeadBy(), tdMember)).ThenNothing()
		h := awRun(t, leadApproved, awApproveWithdrawal(awHubBy(), tdMember))
		estest.For(t, procurement.Decider).Given(h...).When(awApproveWithdrawal(awHubBy(), tdMember)).ThenNothing()
	})
	t.Run("a_member_that_did_not_ask_has_nothing_to_approve", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awTendering()...).When(awApproveWithdrawal(awLeadBy(), tdMember)).ThenError(procurement.ErrWithdrawalNotFound)
	})
	t.Run("after_the_award_a_pending_withdrawal_is_not_approved", func(t *testing.T) {
		h := awRun(t, awEvaluatedFrom(t, tdThen(awTendering(), awMandate(awAllScopes...), awRequested())), awDecide(awLeadBy(), "a1", "b1"))
		estest.For(t, procurement.Decider).Given(h...).When(awApproveWithdrawal(awHubBy(), tdMember)).ThenError(procurement.ErrWithdrawalAfterAward)
	})
	t.Run("a_member_cannot_approve", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(requested...).When(awApproveWithdrawal(awMemberBy(), tdMember)).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(requested...).When(awApproveWithdrawal(awStrangerBy(), tdMember)).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_cancelled_case_approves_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(requested, cancelled())...).When(awApproveWithdrawal(awLeadBy(), tdMember)).ThenError(procurement.ErrCancelled)
	})
}
