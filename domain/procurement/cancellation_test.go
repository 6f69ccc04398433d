package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// Cancellation and unsuccessful procedures (DOMAIN.md §2 transitions 22–23):
// the hub or the lead cancels with a reason; before the agreement is
// concluded at once, afterwards the members vote by the agreement's
// procedure rule (the proposer's approval counts at once) and the
// cancellation takes effect when the vote carries; never while an opening is
// half done. Every registered supplier and tenderer is notified. The lead
// declares the procedure unsuccessful when no tender arrived or every opened
// tender is rejected.

func awCancel(a actor.Actor, reason string) procurement.CancelProcurement {
	return procurement.CancelProcurement{Reason: reason, By: a, At: day(30)}
}

func awProposed(version int, by string, rule procurement.DecisionRule) procurement.CancellationProposed {
	return procurement.CancellationProposed{Version: version, Reason: awReason, ProposedBy: by, Rule: rule, ProposedAt: day(30)}
}

func awApprove(org string, version int) procurement.ApproveCancellation {
	return procurement.ApproveCancellation{Version: version, Comment: " agreed ", By: by(org), At: day(31)}
}

func awReject(org string, version int) procurement.RejectCancellation {
	return procurement.RejectCancellation{Version: version, Comment: " we still need it ", By: by(org), At: day(31)}
}

// awThree is a case in NEEDS with oslo leading bergen and tromso, cancelled by
// the majority.
func awThree() []procurement.Event {
	return awWithTerms(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"), awProcedureRule(procurement.RuleMajority))
}

func TestCancelProcurementByVote(t *testing.T) {
	needs := ndInNeeds() // the procedure rule is UNANIMOUS

	t.Run("before_the_agreement_is_concluded_the_hub_cancels_at_once", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(awCancel(awHubBy(), awReason)).
			Then(procurement.ProcurementCancelled{Reason: awReason, PreviousPhase: procurement.PhaseAgreement})
	})
	t.Run("before_the_agreement_is_concluded_the_designated_lead_cancels_at_once", func(t *testing.T) {
		h := given(inAgreement, []procurement.Event{leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadDesignated("oslo", "bergen", "oslo")})
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(by("oslo"), awReason)).
			Then(procurement.ProcurementCancelled{Reason: awReason, PreviousPhase: procurement.PhaseAgreement})
	})
	t.Run("after_the_agreement_the_lead_proposes_and_its_approval_counts", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(needs...).When(awCancel(by("oslo"), awReason)).
			Then(awProposed(1, "oslo", procurement.RuleUnanimous), procurement.CancellationApproved{Org: "oslo", Version: 1})
	})
	t.Run("a_proposal_leaves_the_case_where_it_is", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(needs...).When(awCancel(by("oslo"), awReason)).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseNeeds)(t, s)
			if len(s.Cancellations) != 1 || s.Cancellations[0].Approvals[0] != "oslo" {
				t.Fatalf("cancellations %+v", s.Cancellations)
			}
		})
	})
	t.Run("the_hub_proposes_without_a_vote_of_its_own", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(needs...).When(awCancel(awHubBy(), awReason)).Then(awProposed(1, hub, procurement.RuleUnanimous))
	})
	t.Run("when_the_lead_decides_its_proposal_cancels_at_once", func(t *testing.T) {
		h := awWithTerms(needs, awProcedureRule(procurement.RuleLeadDecides))
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(by("oslo"), awReason)).
			Then(awProposed(1, "oslo", procurement.RuleLeadDecides), procurement.CancellationApproved{Org: "oslo", Version: 1},
				procurement.ProcurementCancelled{Reason: awReason, PreviousPhase: procurement.PhaseNeeds, Proposal: 1})
	})
	t.Run("every_registered_supplier_and_tenderer_is_counted_as_notified", func(t *testing.T) {
		h := awClosed(awTendering(awProcedureRule(procurement.RuleLeadDecides)))
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(awLeadBy(), awReason)).
			Then(awProposed(1, tdLead, procurement.RuleLeadDecides), procurement.CancellationApproved{Org: tdLead, Version: 1},
				procurement.ProcurementCancelled{Reason: awReason, PreviousPhase: procurement.PhaseReceiptClosed, SuppliersNotified: 2, Proposal: 1})
	})
	t.Run("proposing_the_same_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, needs, awCancel(by("oslo"), awReason))
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(awHubBy(), awReason)).ThenNothing()
	})
	t.Run("another_proposal_while_one_is_voted_on_is_refused", func(t *testing.T) {
		h := awRun(t, needs, awCancel(by("oslo"), awReason))
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(by("oslo"), "another reason")).ThenError(procurement.ErrCancellationPending)
	})
	t.Run("after_a_declined_proposal_a_new_one_gets_the_next_number", func(t *testing.T) {
		h := awRun(t, needs, awCancel(by("oslo"), awReason), awReject("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(by("oslo"), awReason)).
			Then(awProposed(2, "oslo", procurement.RuleUnanimous), procurement.CancellationApproved{Org: "oslo", Version: 2})
	})
	t.Run("cancel_while_a_four_eyes_opening_is_half_done_is_refused", func(t *testing.T) {
		h := tdThen(tdClosed(tdFourEyes()), procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: awLeadBy().User})
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(awLeadBy(), awReason)).ThenError(procurement.ErrOpeningInProgress)
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(awHubBy(), awReason)).ThenError(procurement.ErrOpeningInProgress)
	})
	t.Run("once_the_opening_is_complete_the_case_can_be_cancelled_again", func(t *testing.T) {
		h := awRun(t, tdClosed(tdFourEyes()), procurement.OpenBids{By: tdLeadBy(), At: tdAt(90, 11)},
			procurement.OpenBids{Verified: map[string]string{"b1": tdHashOf("b1")}, By: tdSecondBy(), At: tdAt(90, 11)})
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(awLeadBy(), awReason)).
			Then(awProposed(1, tdLead, procurement.RuleUnanimous), procurement.CancellationApproved{Org: tdLead, Version: 1})
	})
	t.Run("a_member_cannot_propose_a_cancellation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(needs...).When(awCancel(by("bergen"), awReason)).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(needs...).When(awCancel(awStrangerBy(), awReason)).ThenError(procurement.ErrNotFound)
	})
	t.Run("an_unsuccessful_procedure_cannot_be_cancelled", func(t *testing.T) {
		h := tdThen(needs, procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulNoBids, Explanation: "none", PreviousPhase: procurement.PhaseReceiptClosed})
		estest.For(t, procurement.Decider).Given(h...).When(awCancel(awHubBy(), awReason)).ThenError(procurement.ErrTerminal)
	})
	t.Run("a_case_under_contract_is_cancelled_by_vote_too", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awCancel(awHubBy(), awReason)).
			Then(awProposed(1, hub, procurement.RuleUnanimous))
	})
}

func TestApproveCancellation(t *testing.T) {
	proposed := awRun(t, ndInNeeds(), awCancel(by("oslo"), awReason))
	byHub := awRun(t, ndInNeeds(), awCancel(awHubBy(), awReason))

	t.Run("the_last_approval_cancels_the_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(proposed...).When(awApprove("bergen", 1)).
			Then(procurement.CancellationApproved{Org: "bergen", Version: 1, Comment: "agreed"},
				procurement.ProcurementCancelled{Reason: awReason, PreviousPhase: procurement.PhaseNeeds, Proposal: 1})
	})
	t.Run("after_the_vote_the_case_is_cancelled", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(proposed...).When(awApprove("bergen", 1)).ThenState(phaseIs(procurement.PhaseCancelled))
	})
	t.Run("an_approval_that_does_not_decide_is_recorded_alone", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(byHub...).When(awApprove("bergen", 1)).
			Then(procurement.CancellationApproved{Org: "bergen", Version: 1, Comment: "agreed"})
	})
	t.Run("a_majority_carries_the_cancellation", func(t *testing.T) {
		h := awRun(t, awThree(), awCancel(by("oslo"), awReason))
		estest.For(t, procurement.Decider).Given(h...).When(awApprove("tromso", 1)).
			Then(procurement.CancellationApproved{Org: "tromso", Version: 1, Comment: "agreed"},
				procurement.ProcurementCancelled{Reason: awReason, PreviousPhase: procurement.PhaseNeeds, Proposal: 1})
	})
	t.Run("approving_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, byHub, awApprove("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awApprove("bergen", 1)).ThenNothing()
	})
	t.Run("approving_after_rejecting_is_refused", func(t *testing.T) {
		h := awRun(t, awThree(), awCancel(by("oslo"), awReason), awReject("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awApprove("bergen", 1)).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("a_proposal_that_does_not_exist_is_not_found", func(t *testing.T) {
		for _, v := range []int{0, 2} {
			estest.For(t, procurement.Decider).Given(proposed...).When(awApprove("bergen", v)).ThenError(procurement.ErrCancellationNotFound)
		}
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(awApprove("bergen", 1)).ThenError(procurement.ErrCancellationNotFound)
	})
	t.Run("a_declined_proposal_takes_no_more_votes", func(t *testing.T) {
		h := awRun(t, awThree(), awCancel(awHubBy(), awReason), awReject("bergen", 1), awReject("tromso", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awApprove("oslo", 1)).ThenError(procurement.ErrCancellationNotFound)
	})
	t.Run("rejects_a_comment_over_2000_characters", func(t *testing.T) {
		c := awApprove("bergen", 1)
		c.Comment = runes(2001)
		estest.For(t, procurement.Decider).Given(proposed...).When(c).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("the_hub_does_not_vote", func(t *testing.T) {
		c := awApprove("bergen", 1)
		c.By = awHubBy()
		estest.For(t, procurement.Decider).Given(proposed...).When(c).ThenError(procurement.ErrNotMember)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awApprove("bergen", 1)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(proposed...).When(c).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_cancelled_case_takes_no_votes", func(t *testing.T) {
		h := awRun(t, proposed, awApprove("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awReject("bergen", 1)).ThenError(procurement.ErrCancelled)
	})
}

func TestRejectCancellation(t *testing.T) {
	proposed := awRun(t, ndInNeeds(), awCancel(by("oslo"), awReason))

	t.Run("a_rejection_under_unanimity_declines_the_proposal", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(proposed...).When(awReject("bergen", 1)).
			Then(procurement.CancellationRejected{Org: "bergen", Version: 1, Comment: "we still need it"}, procurement.CancellationDeclined{Version: 1})
	})
	t.Run("a_declined_proposal_leaves_the_case_going_on", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(proposed...).When(awReject("bergen", 1)).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseNeeds)(t, s)
			if !s.Cancellations[0].Declined {
				t.Fatalf("cancellations %+v", s.Cancellations)
			}
		})
	})
	t.Run("under_majority_one_rejection_of_three_does_not_decide", func(t *testing.T) {
		h := awRun(t, awThree(), awCancel(by("oslo"), awReason))
		estest.For(t, procurement.Decider).Given(h...).When(awReject("bergen", 1)).
			Then(procurement.CancellationRejected{Org: "bergen", Version: 1, Comment: "we still need it"})
		h = awRun(t, h, awReject("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awReject("tromso", 1)).
			Then(procurement.CancellationRejected{Org: "tromso", Version: 1, Comment: "we still need it"}, procurement.CancellationDeclined{Version: 1})
	})
	t.Run("rejecting_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, proposed, awReject("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(awReject("bergen", 1)).ThenNothing()
	})
	t.Run("the_proposer_cannot_reject_its_own_proposal", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(proposed...).When(awReject("oslo", 1)).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("a_proposal_that_does_not_exist_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(proposed...).When(awReject("bergen", 3)).ThenError(procurement.ErrCancellationNotFound)
	})
	t.Run("rejects_a_comment_over_2000_characters", func(t *testing.T) {
		c := awReject("bergen", 1)
		c.Comment = runes(2001)
		estest.For(t, procurement.Decider).Given(proposed...).When(c).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("the_hub_does_not_vote", func(t *testing.T) {
		c := awReject("bergen", 1)
		c.By = awHubBy()
		estest.For(t, procurement.Decider).Given(proposed...).When(c).ThenError(procurement.ErrNotMember)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awReject("bergen", 1)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(proposed...).When(c).ThenError(procurement.ErrNotFound)
	})
}

func awUnsuccessful(reason procurement.UnsuccessfulReason) procurement.DeclareUnsuccessful {
	return procurement.DeclareUnsuccessful{Reason: reason, Explanation: " nothing to award ", By: awLeadBy(), At: tdAt(92, 9)}
}

func TestDeclareUnsuccessful(t *testing.T) {
	plan := tdPlan()
	noBids := tdThen(awTendering(), procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
		Submissions: []string{}, PerLot: map[string]int{}})
	allRejected := awRun(t, awOpened(t, awTendering()),
		procurement.RejectBid{BidID: "b1", Grounds: "misses r1", LegalBasis: "FOA § 24-8", By: awLeadBy(), At: tdAt(91, 9)},
		procurement.RejectBid{BidID: "b2", Grounds: "misses r1", LegalBasis: "FOA § 24-8", By: awLeadBy(), At: tdAt(91, 9)})
	const successor = "0193a5f0-7c1e-7000-8000-00000000beef"

	t.Run("no_bids_after_a_close_with_zero_submissions", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(noBids...).When(awUnsuccessful(procurement.UnsuccessfulNoBids)).
			Then(procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulNoBids, Explanation: "nothing to award",
				PreviousPhase: procurement.PhaseReceiptClosed, SuppliersNotified: 1, DeclaredAt: tdAt(92, 9)})
	})
	t.Run("the_case_is_unsuccessful", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(noBids...).When(awUnsuccessful(procurement.UnsuccessfulNoBids)).ThenState(phaseIs(procurement.PhaseUnsuccessful))
	})
	t.Run("all_rejected_when_every_opened_tender_is_rejected", func(t *testing.T) {
		c := awUnsuccessful(procurement.UnsuccessfulAllRejected)
		c.SuccessorCaseID = successor
		estest.For(t, procurement.Decider).Given(allRejected...).When(c).
			Then(procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulAllRejected, Explanation: "nothing to award", SuccessorCaseID: successor,
				PreviousPhase: procurement.PhaseEvaluation, SuppliersNotified: 2, DeclaredAt: tdAt(92, 9)})
	})
	t.Run("no_bids_is_refused_when_bids_arrived", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awClosed(awTendering())...).When(awUnsuccessful(procurement.UnsuccessfulNoBids)).ThenError(procurement.ErrBidsReceived)
	})
	t.Run("no_bids_is_refused_before_receipt_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awTendering()...).When(awUnsuccessful(procurement.UnsuccessfulNoBids)).ThenError(procurement.ErrBidsReceived)
	})
	t.Run("all_rejected_is_refused_while_a_tender_is_valid", func(t *testing.T) {
		h := awRun(t, awOpened(t, awTendering()), procurement.RejectBid{BidID: "b2", Grounds: "misses r1", LegalBasis: "FOA § 24-8", By: awLeadBy(), At: tdAt(91, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(awUnsuccessful(procurement.UnsuccessfulAllRejected)).ThenError(procurement.ErrNotAllRejected)
	})
	t.Run("all_rejected_is_refused_after_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awDecided(t)...).When(awUnsuccessful(procurement.UnsuccessfulAllRejected)).ThenError(procurement.ErrNotAllRejected)
	})
	t.Run("declaring_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, noBids, awUnsuccessful(procurement.UnsuccessfulNoBids))
		estest.For(t, procurement.Decider).Given(h...).When(awUnsuccessful(procurement.UnsuccessfulNoBids)).ThenNothing()
	})
	t.Run("rejects_an_unknown_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(noBids...).When(awUnsuccessful("TOO_EXPENSIVE")).ThenError(procurement.ErrInvalidUnsuccessfulReason)
	})
	t.Run("rejects_a_declaration_without_an_explanation", func(t *testing.T) {
		c := awUnsuccessful(procurement.UnsuccessfulNoBids)
		c.Explanation = " "
		estest.For(t, procurement.Decider).Given(noBids...).When(c).ThenError(procurement.ErrReasonRequired)
	})
	t.Run("rejects_a_successor_case_id_that_is_not_a_uuid", func(t *testing.T) {
		c := awUnsuccessful(procurement.UnsuccessfulNoBids)
		c.SuccessorCaseID = "next-case"
		estest.For(t, procurement.Decider).Given(noBids...).When(c).ThenError(procurement.ErrInvalidSuccessorCase)
	})
	t.Run("a_member_cannot_declare_it", func(t *testing.T) {
		c := awUnsuccessful(procurement.UnsuccessfulNoBids)
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(noBids...).When(c).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awUnsuccessful(procurement.UnsuccessfulNoBids)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(noBids...).When(c).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_cancelled_case_is_not_declared_unsuccessful", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(noBids, cancelled())...).When(awUnsuccessful(procurement.UnsuccessfulNoBids)).ThenError(procurement.ErrCancelled)
	})
}
