package procurement_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// Complaints and review (DOMAIN.md §1 P8, §2 transitions 17–18, §4.4): the hub
// or the lead records a complaint; a suspensive one, or an interim measure,
// suspends contracting from the award decision until a contract is signed.
// The review's outcome lets the interrupted phase go on (CONTINUE), voids the
// award decisions (RE_DECIDE) or reopens the evaluation (RE_EVALUATE).

func awReceived(id string, suspensive bool) procurement.ComplaintReceived {
	return procurement.ComplaintReceived{ComplaintID: id, Complainant: "nordic", Forum: procurement.ForumKOFA,
		Grounds: "the price was scored wrongly", Suspensive: suspensive, ReceivedAt: tdAt(98, 9)}
}

func TestRegisterComplaint(t *testing.T) {
	standstill := awStandstill(t)
	lead := awLeadBy()

	t.Run("the_lead_records_a_complaint_without_suspensive_effect", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awComplaint("k-1", false)).Then(awReceived("k-1", false))
	})
	t.Run("a_complaint_without_suspensive_effect_leaves_the_standstill_running", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awComplaint("k-1", false)).ThenState(phaseIs(procurement.PhaseStandstill))
	})
	t.Run("a_suspensive_complaint_suspends_contracting", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awComplaint("k-1", true)).
			Then(awReceived("k-1", true), procurement.ContractingSuspended{ComplaintID: "k-1", Ruling: "the complaint has suspensive effect",
				Previous: procurement.PhaseStandstill, SuspendedAt: tdAt(98, 9)})
	})
	t.Run("the_case_is_suspended_and_remembers_the_interrupted_phase", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awComplaint("k-1", true)).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseSuspended)(t, s)
			if s.Award.SuspendedFrom != procurement.PhaseStandstill {
				t.Fatalf("suspended from %s", s.Award.SuspendedFrom)
			}
		})
	})
	t.Run("the_hub_records_a_complaint_too", func(t *testing.T) {
		c := awComplaint("k-1", false)
		c.By = awHubBy()
		estest.For(t, procurement.Decider).Given(standstill...).When(c).Then(awReceived("k-1", false))
	})
	t.Run("a_complaint_against_the_tender_documents_is_recorded_during_tendering", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awTendering()...).When(awComplaint("k-1", false)).Then(awReceived("k-1", false))
	})
	t.Run("contracting_is_suspended_from_the_award_decision", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awDecided(t)...).When(awComplaint("k-1", true)).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseSuspended)(t, s)
			if s.Award.SuspendedFrom != procurement.PhaseAwardDecided {
				t.Fatalf("suspended from %s", s.Award.SuspendedFrom)
			}
		})
	})
	t.Run("contracting_is_suspended_after_the_standstill_until_a_contract_is_signed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awContracting(t)...).When(awComplaint("k-1", true)).ThenState(phaseIs(procurement.PhaseSuspended))
	})
	t.Run("a_second_suspension_keeps_the_phase_first_interrupted", func(t *testing.T) {
		h := awRun(t, standstill, awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awComplaint("k-2", true)).
			Then(awReceived("k-2", true), procurement.ContractingSuspended{ComplaintID: "k-2", Ruling: "the complaint has suspensive effect",
				Previous: procurement.PhaseStandstill, SuspendedAt: tdAt(98, 9)})
	})
	t.Run("a_suspensive_complaint_before_the_award_has_nothing_to_suspend", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awEvaluated(t)...).When(awComplaint("k-1", true)).ThenError(procurement.ErrNothingToSuspend)
	})
	t.Run("a_suspensive_complaint_after_the_contract_has_nothing_to_suspend", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awComplaint("k-1", true)).ThenError(procurement.ErrNothingToSuspend)
	})
	t.Run("recording_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, standstill, awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awComplaint("k-1", true)).ThenNothing()
	})
	t.Run("another_complaint_under_the_same_id_is_refused", func(t *testing.T) {
		h := awRun(t, standstill, awComplaint("k-1", false))
		estest.For(t, procurement.Decider).Given(h...).When(awComplaint("k-1", true)).ThenError(procurement.ErrComplaintIDTaken)
	})
	t.Run("a_complaint_before_the_notice_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(awComplaint("k-1", false)).ThenError(procurement.ErrComplaintBeforeNotice)
	})
	t.Run("rejects_an_invalid_complaint_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awComplaint("k 1", false)).ThenError(procurement.ErrInvalidComplaintID)
	})
	t.Run("rejects_a_complaint_without_a_complainant", func(t *testing.T) {
		for _, who := range []string{" ", strings.Repeat("x", 201)} {
			c := awComplaint("k-1", false)
			c.Complainant = who
			estest.For(t, procurement.Decider).Given(standstill...).When(c).ThenError(procurement.ErrComplainantRequired)
		}
	})
	t.Run("rejects_an_unknown_forum", func(t *testing.T) {
		c := awComplaint("k-1", false)
		c.Forum = "EU_COMMISSION"
		estest.For(t, procurement.Decider).Given(standstill...).When(c).ThenError(procurement.ErrInvalidForum)
	})
	t.Run("accepts_every_forum", func(t *testing.T) {
		for _, f := range []procurement.Forum{procurement.ForumInternal, procurement.ForumKOFA, procurement.ForumForvaltningsratt,
			procurement.ForumMarkkinaoikeus, procurement.ForumCourt} {
			c := awComplaint("k-1", false)
			c.Forum = f
			want := awReceived("k-1", false)
			want.Forum = f
			estest.For(t, procurement.Decider).Given(standstill...).When(c).Then(want)
		}
	})
	t.Run("rejects_a_complaint_without_grounds", func(t *testing.T) {
		c := awComplaint("k-1", false)
		c.Grounds = ""
		estest.For(t, procurement.Decider).Given(standstill...).When(c).ThenError(procurement.ErrGroundsRequired)
	})
	t.Run("a_member_cannot_record_a_complaint", func(t *testing.T) {
		c := awComplaint("k-1", false)
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(standstill...).When(c).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awComplaint("k-1", false)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(standstill...).When(c).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_recorded_in_a_cancelled_case", func(t *testing.T) {
		c := awComplaint("k-1", false)
		c.By = lead
		estest.For(t, procurement.Decider).Given(tdThen(standstill, cancelled())...).When(c).ThenError(procurement.ErrCancelled)
	})
}

func TestRegisterInterimMeasure(t *testing.T) {
	complained := awRun(t, awStandstill(t), awComplaint("k-1", false))
	suspension := procurement.ContractingSuspended{ComplaintID: "k-1", Ruling: "contracting is suspended until the ruling", DocHash: awRulingHash,
		Previous: procurement.PhaseStandstill, SuspendedAt: tdAt(99, 9)}

	t.Run("an_interim_measure_suspends_contracting", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(complained...).When(awInterim("k-1")).Then(suspension)
	})
	t.Run("the_case_is_suspended", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(complained...).When(awInterim("k-1")).ThenState(phaseIs(procurement.PhaseSuspended))
	})
	t.Run("the_ruling_document_is_optional", func(t *testing.T) {
		c := awInterim("k-1")
		c.DocHash = ""
		want := suspension
		want.DocHash = ""
		estest.For(t, procurement.Decider).Given(complained...).When(c).Then(want)
	})
	t.Run("recording_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, complained, awInterim("k-1"))
		estest.For(t, procurement.Decider).Given(h...).When(awInterim("k-1")).ThenNothing()
	})
	t.Run("a_suspensive_complaint_is_already_suspending", func(t *testing.T) {
		h := awRun(t, awStandstill(t), awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awInterim("k-1")).ThenNothing()
	})
	t.Run("a_resolved_complaint_is_refused", func(t *testing.T) {
		h := awRun(t, complained, awResolve("k-1", procurement.ReviewContinue))
		estest.For(t, procurement.Decider).Given(h...).When(awInterim("k-1")).ThenError(procurement.ErrReviewResolved)
	})
	t.Run("an_unknown_complaint_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(complained...).When(awInterim("k-9")).ThenError(procurement.ErrComplaintNotFound)
	})
	t.Run("before_the_award_there_is_nothing_to_suspend", func(t *testing.T) {
		h := awRun(t, awEvaluated(t), awComplaint("k-1", false))
		estest.For(t, procurement.Decider).Given(h...).When(awInterim("k-1")).ThenError(procurement.ErrNothingToSuspend)
	})
	t.Run("rejects_an_interim_measure_without_a_ruling", func(t *testing.T) {
		c := awInterim("k-1")
		c.Ruling = "\n"
		estest.For(t, procurement.Decider).Given(complained...).When(c).ThenError(procurement.ErrRulingRequired)
	})
	t.Run("rejects_a_ruling_hash_that_is_not_sha256", func(t *testing.T) {
		c := awInterim("k-1")
		c.DocHash = "ruling.pdf"
		estest.For(t, procurement.Decider).Given(complained...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("a_member_cannot_record_it", func(t *testing.T) {
		c := awInterim("k-1")
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(complained...).When(c).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awInterim("k-1")
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(complained...).When(c).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_recorded_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(complained, cancelled())...).When(awInterim("k-1")).ThenError(procurement.ErrCancelled)
	})
}

func TestResolveReview(t *testing.T) {
	suspended := awRun(t, awStandstill(t), awComplaint("k-1", true))
	resolved := func(id string, o procurement.ReviewOutcome, next procurement.Phase) procurement.ReviewResolved {
		return procurement.ReviewResolved{ComplaintID: id, Outcome: o, Ruling: "the board ruled", DocHash: awRulingHash, Next: next, ResolvedAt: tdAt(104, 9)}
	}

	t.Run("continue_returns_to_the_interrupted_standstill", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(suspended...).When(awResolve("k-1", procurement.ReviewContinue)).
			Then(resolved("k-1", procurement.ReviewContinue, procurement.PhaseStandstill))
	})
	t.Run("after_continue_the_standstill_ends_as_computed", func(t *testing.T) {
		h := awRun(t, suspended, awResolve("k-1", procurement.ReviewContinue))
		awPhase(t, h, procurement.PhaseStandstill)
		estest.For(t, procurement.Decider).Given(h...).When(awEnd(awAfterStandstill(t))).ThenState(phaseIs(procurement.PhaseContracting))
	})
	t.Run("continue_returns_to_the_award_decided_phase_it_interrupted", func(t *testing.T) {
		h := awRun(t, awDecided(t), awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewContinue)).
			Then(resolved("k-1", procurement.ReviewContinue, procurement.PhaseAwardDecided))
	})
	t.Run("continue_returns_to_contracting_it_interrupted", func(t *testing.T) {
		h := awRun(t, awContracting(t), awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewContinue)).
			Then(resolved("k-1", procurement.ReviewContinue, procurement.PhaseContracting))
	})
	t.Run("continue_stays_suspended_while_another_suspension_holds", func(t *testing.T) {
		h := awRun(t, suspended, awComplaint("k-2", true))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewContinue)).
			Then(resolved("k-1", procurement.ReviewContinue, procurement.PhaseSuspended))
		h = awRun(t, h, awResolve("k-1", procurement.ReviewContinue))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-2", procurement.ReviewContinue)).
			Then(resolved("k-2", procurement.ReviewContinue, procurement.PhaseStandstill))
	})
	t.Run("continue_on_a_complaint_without_suspension_leaves_the_phase", func(t *testing.T) {
		h := awRun(t, awStandstill(t), awComplaint("k-1", false))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewContinue)).
			Then(resolved("k-1", procurement.ReviewContinue, procurement.PhaseStandstill))
	})
	t.Run("continue_on_a_complaint_made_during_tendering", func(t *testing.T) {
		h := awRun(t, awTendering(), awComplaint("k-1", false))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewContinue)).
			Then(resolved("k-1", procurement.ReviewContinue, procurement.PhaseTendering))
	})
	t.Run("re_decide_voids_the_awards_and_returns_to_the_evaluation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(suspended...).When(awResolve("k-1", procurement.ReviewRedecide)).
			Then(resolved("k-1", procurement.ReviewRedecide, procurement.PhaseEvaluation))
	})
	t.Run("re_decide_keeps_the_report_and_lets_the_lead_decide_again", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(suspended...).When(awResolve("k-1", procurement.ReviewRedecide)).
			ThenState(func(t testing.TB, s procurement.State) {
				phaseIs(procurement.PhaseEvaluation)(t, s)
				if len(s.ActiveAwards()) != 0 || s.Award.Notification != nil || s.Award.Standstill != nil {
					t.Fatalf("award %+v", s.Award)
				}
				if s.Evaluation.Report == nil || len(s.Evaluation.Locked) == 0 || len(s.Evaluation.Consensus) == 0 {
					t.Fatalf("evaluation %+v", s.Evaluation)
				}
			})
		h := awRun(t, suspended, awResolve("k-1", procurement.ReviewRedecide))
		estest.For(t, procurement.Decider).Given(h...).When(awDecide(awLeadBy(), "a2", "b1")).ThenState(phaseIs(procurement.PhaseAwardDecided))
	})
	t.Run("re_evaluate_clears_the_locks_the_consensus_and_the_report", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(suspended...).When(awResolve("k-1", procurement.ReviewReevaluate)).
			ThenState(func(t testing.TB, s procurement.State) {
				phaseIs(procurement.PhaseEvaluation)(t, s)
				if len(s.ActiveAwards()) != 0 || s.Award.Notification != nil {
					t.Fatalf("award %+v", s.Award)
				}
				if s.Evaluation.Report != nil || len(s.Evaluation.Locked) != 0 || len(s.Evaluation.Consensus) != 0 {
					t.Fatalf("evaluation %+v", s.Evaluation)
				}
			})
	})
	t.Run("after_re_evaluate_the_award_waits_for_a_new_report", func(t *testing.T) {
		h := awRun(t, suspended, awResolve("k-1", procurement.ReviewReevaluate))
		estest.For(t, procurement.Decider).Given(h...).When(awDecide(awLeadBy(), "a2", "b1")).ThenError(procurement.ErrReportNotFinalized)
		estest.For(t, procurement.Decider).Given(h...).When(procurement.LockScores{By: awEvaluatorBy(), At: tdAt(105, 9)}).
			ThenState(func(t testing.TB, s procurement.State) {
				if _, ok := s.Evaluation.Locked[awEvaluator]; !ok {
					t.Fatal("the evaluator could not lock again")
				}
			})
	})
	t.Run("a_suspension_held_by_another_complaint_survives_a_re_decide", func(t *testing.T) {
		h := awRun(t, suspended, awComplaint("k-2", true), awResolve("k-1", procurement.ReviewRedecide),
			awDecide(awLeadBy(), "a2", "b1"), awNotifyAt(t, procurement.NotificationElectronic, tdAt(105, 9)))
		estest.For(t, procurement.Decider).Given(h...).When(awEnd(tdAt(130, 9))).ThenError(procurement.ErrContractingSuspended)
	})
	t.Run("a_suspension_survives_the_revocation_of_the_award", func(t *testing.T) {
		h := awRun(t, suspended, procurement.RevokeAward{AwardID: "a1", Reason: "a scoring error", By: awLeadBy(), At: tdAt(99, 9)},
			awDecide(awLeadBy(), "a2", "b1"), awNotifyAt(t, procurement.NotificationElectronic, tdAt(105, 9)))
		estest.For(t, procurement.Decider).Given(h...).When(awEnd(tdAt(130, 9))).ThenError(procurement.ErrContractingSuspended)
	})
	t.Run("resolving_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, suspended, awResolve("k-1", procurement.ReviewContinue))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewContinue)).ThenNothing()
	})
	t.Run("a_different_outcome_for_a_resolved_complaint_is_refused", func(t *testing.T) {
		h := awRun(t, suspended, awResolve("k-1", procurement.ReviewContinue))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewRedecide)).ThenError(procurement.ErrReviewResolved)
	})
	t.Run("a_new_decision_is_refused_once_a_contract_is_signed", func(t *testing.T) {
		h := awRun(t, awActive(t), awComplaint("k-1", false))
		for _, o := range []procurement.ReviewOutcome{procurement.ReviewRedecide, procurement.ReviewReevaluate} {
			estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", o)).ThenError(procurement.ErrContractSigned)
		}
	})
	t.Run("a_new_decision_is_refused_when_nothing_is_decided", func(t *testing.T) {
		h := awRun(t, awTendering(), awComplaint("k-1", false))
		estest.For(t, procurement.Decider).Given(h...).When(awResolve("k-1", procurement.ReviewRedecide)).ThenError(procurement.ErrNotAwardPhase)
	})
	t.Run("an_unknown_complaint_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(suspended...).When(awResolve("k-9", procurement.ReviewContinue)).ThenError(procurement.ErrComplaintNotFound)
	})
	t.Run("rejects_an_unknown_outcome", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(suspended...).When(awResolve("k-1", "UPHELD")).ThenError(procurement.ErrInvalidReviewOutcome)
	})
	t.Run("rejects_a_resolution_without_a_ruling", func(t *testing.T) {
		c := awResolve("k-1", procurement.ReviewContinue)
		c.Ruling = ""
		estest.For(t, procurement.Decider).Given(suspended...).When(c).ThenError(procurement.ErrRulingRequired)
	})
	t.Run("rejects_a_ruling_hash_that_is_not_sha256", func(t *testing.T) {
		c := awResolve("k-1", procurement.ReviewContinue)
		c.DocHash = "xyz"
		estest.For(t, procurement.Decider).Given(suspended...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("a_member_cannot_resolve_it", func(t *testing.T) {
		c := awResolve("k-1", procurement.ReviewContinue)
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(suspended...).When(c).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awResolve("k-1", procurement.ReviewContinue)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(suspended...).When(c).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_resolved_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(suspended, cancelled())...).When(awResolve("k-1", procurement.ReviewContinue)).
			ThenError(procurement.ErrCancelled)
	})
}
