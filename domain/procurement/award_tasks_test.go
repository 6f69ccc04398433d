package procurement_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Tests of the tasks of qualification, evaluation, award, contracting,
// follow-up and the early endings. Given a case, when an organisation asks
// what waits for it, then these tasks, in this order. The case is the
// tendering fixtures' (oslo leads, bergen is the other member); acme and
// nordic tender for lot-1; eva@bergen evaluates every criterion, eve@oslo only
// quality. Every helper here is prefixed tk.

// tkTask is a task as these tests name it: its kind, version and person.
type tkTask struct {
	kind    procurement.TaskKind
	version int
	person  string
}

func (k tkTask) String() string { return fmt.Sprintf("%s/%d/%s", k.kind, k.version, k.person) }

func tkT(kind procurement.TaskKind) tkTask { return tkTask{kind: kind} }

func tkV(kind procurement.TaskKind, version int) tkTask { return tkTask{kind: kind, version: version} }

func tkFor(kind procurement.TaskKind, person string) tkTask {
	return tkTask{kind: kind, person: person}
}

// tkTasksAre checks org's task list in the case told by history at `at`.
func tkTasksAre(t *testing.T, history []procurement.Event, org string, at time.Time, want ...tkTask) {
	t.Helper()
	// Both members recorded their anchoring, so only the tasks under test remain.
	h := tdThen(history, ndAnchored(tdLead), ndAnchored(tdMember))
	tasks := procurement.Decider.Fold(h).Tasks(org, at)
	got := make([]tkTask, len(tasks))
	for i, task := range tasks {
		got[i] = tkTask{task.Kind, task.Version, task.Person}
		if strings.TrimSpace(task.Text) == "" {
			t.Errorf("task %s of %s has no text", got[i], org)
		}
		if task.Person != "" && !strings.Contains(task.Text, task.Person) {
			t.Errorf("task %s of %s does not name its person: %q", got[i], org, task.Text)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tasks of %s: %v, want %v", org, got, want)
	}
}

const (
	tkEva = "eva@bergen"
	tkEve = "eve@oslo"
)

// tkOpened: acme's b1 and nordic's b2 opened on day 90; eve@oslo appointed for quality.
func tkOpened() []procurement.Event {
	plan := tdPlan()
	return tdThen(tdTendering(plan), procurement.EvaluatorAppointed{Person: tkEve, Org: tdLead, Criteria: []string{"quality"}},
		tdBid("b1", tdSupplier), tdBid("b2", tdOther),
		procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
			Submissions: []string{"b1", "b2"}, PerLot: map[string]int{"lot-1": 2}},
		tgProtocol(plan.OpeningAt, []string{"officer@oslo"}, tgLine("b1", tdSupplier, true), tgLine("b2", tdOther, true)))
}

func tkDeclared(person, org string, conflict bool) procurement.Event {
	e := procurement.ConflictOfInterestDeclared{Evaluator: person, Org: org, HasConflict: conflict, BiddersSeen: []string{tdSupplier, tdOther},
		DeclaredAt: tdAt(91, 9)}
	if conflict {
		e.Relations = []string{"family at acme"}
	}
	return e
}

func tkScored(person, bid, criterion string, score int) procurement.Event {
	return procurement.BidScored{Evaluator: person, BidID: bid, Criterion: criterion, Score: score, Justification: "as the tender shows", ScoredAt: tdAt(92, 9)}
}

func tkLocked(person string) procurement.Event {
	return procurement.EvaluatorScoresLocked{Evaluator: person, ScoreSetHash: tdHashOf(person), Scores: 1, LockedAt: tdAt(93, 9)}
}

func tkConsensus(bid, criterion string, score int) procurement.Event {
	return procurement.ConsensusScoreRecorded{BidID: bid, Criterion: criterion, Score: score, Rationale: "the panel agreed",
		Individual: []procurement.IndividualScore{{Evaluator: tkEva, Score: score}}}
}

// tkEvaScored: eva declared no conflict and scored both tenders on both criteria.
func tkEvaScored() []procurement.Event {
	return tdThen(tkOpened(), tkDeclared(tkEva, tdMember, false),
		tkScored(tkEva, "b1", "price", 8), tkScored(tkEva, "b1", "quality", 7), tkScored(tkEva, "b2", "price", 6), tkScored(tkEva, "b2", "quality", 5))
}

// tkBothLocked: eva and eve (quality only) scored and locked.
func tkBothLocked() []procurement.Event {
	return tdThen(tkEvaScored(), tkLocked(tkEva), tkDeclared(tkEve, tdLead, false),
		tkScored(tkEve, "b1", "quality", 7), tkScored(tkEve, "b2", "quality", 5), tkLocked(tkEve))
}

// tkConsented: every consensus score is recorded.
func tkConsented() []procurement.Event {
	return tdThen(tkBothLocked(), tkConsensus("b1", "price", 8), tkConsensus("b1", "quality", 7), tkConsensus("b2", "price", 6),
		tkConsensus("b2", "quality", 5))
}

// tkReport is version 1 of the report: b1 ranks first in lot-1.
func tkReport() procurement.Event {
	return procurement.EvaluationReportFinalized{Version: 1, Lots: []procurement.LotRanking{{Lot: "lot-1", TieRule: procurement.TieHighestQuality,
		Ranking: []procurement.RankedBid{{Rank: 1, BidID: "b1", Supplier: tdSupplier, Total: "74.0000", Quality: "42.0000", Price: "32.0000"},
			{Rank: 2, BidID: "b2", Supplier: tdOther, Total: "54.0000", Quality: "30.0000", Price: "24.0000"}}}},
		ReportHash: tdHashOf("report"), SignedBy: []string{"officer@oslo"}, FinalizedAt: tdAt(94, 9)}
}

func tkReported() []procurement.Event { return tdThen(tkConsented(), tkReport()) }

func tkMandate(id, from string, scope procurement.Scope) procurement.Event {
	return procurement.MandateGranted{MandateID: id, From: from, To: tdLead, Scope: []procurement.Scope{scope}, ValidUntil: "2027-12-31"}
}

// tkWithRules is h with the agreement's award rule and signing model replaced.
func tkWithRules(h []procurement.Event, award procurement.DecisionRule, signing procurement.SigningModel) []procurement.Event {
	return tgReplace(h, func(e procurement.Event) procurement.Event {
		if d, ok := e.(procurement.CooperationAgreementDrafted); ok {
			d.Terms.DecisionRules.Award, d.Terms.SigningModel = award, signing
			return d
		}
		return e
	})
}

// tkAward is the joint award of lot-1 to b1 for both members.
func tkAward(id string, decidedBy string, buyers ...string) procurement.Event {
	mode := procurement.AwardJoint
	if len(buyers) == 1 && buyers[0] == decidedBy {
		mode = procurement.AwardPerMember
	}
	return procurement.AwardDecided{AwardID: id, Lot: "lot-1", BidID: "b1", Supplier: tdSupplier, Value: "1000000.00", Mode: mode,
		DecidedBy: decidedBy, For: buyers, DecisionDocHash: tdHashOf("decision " + id), DecidedAt: tdAt(95, 9)}
}

// tkContracting: the joint award notified, the standstill over.
func tkContracting(h []procurement.Event, awards ...procurement.Event) []procurement.Event {
	h = tdThen(h, awards...)
	return tdThen(h, procurement.AwardNotificationSent{Recipients: []string{tdSupplier, tdOther}, Awards: []string{"a1"},
		ReasonsHash: tdHashOf("reasons"), Channel: procurement.NotificationElectronic, SentAt: tdAt(96, 9), StandstillEnd: tdAt(106, 22)},
		procurement.StandstillStarted{EndsAt: tdAt(106, 22)}, procurement.StandstillEnded{EndedAt: tdAt(107, 9)})
}

var tkTerms = procurement.ContractTerms{Value: "1000000.00", StartDate: "2025-07-01", EndDate: "2026-06-30", Framework: true}

func tkSignature(org string, covers ...string) procurement.Event {
	return procurement.ContractSignatureRecorded{ContractID: "k-1", AwardID: "a1", Terms: tkTerms, Org: org, For: covers,
		Signatory: "admin@" + org, SignatureRef: "bankid-" + org, SignedAt: tdAt(108, 9)}
}

func tkSigned() procurement.Event {
	return procurement.ContractSigned{ContractID: "k-1", AwardID: "a1", Lot: "lot-1", Supplier: tdSupplier, Buyers: []string{tdMember, tdLead},
		Signatories: []string{"admin@bergen", "admin@oslo"}, Terms: tkTerms, SignedAt: tdAt(108, 9)}
}

// tkActive: the joint contract k-1 signed by the lead for both.
func tkActive() []procurement.Event {
	return tdThen(tkContracting(tkReported(), tkAward("a1", tdLead, tdMember, tdLead)), tkSignature(tdLead, tdMember, tdLead), tkSigned())
}

func tkEffect(org string) procurement.Event {
	return procurement.EffectMeasured{MeasurementID: "e-" + org, Org: org, KPI: "road closures", Unit: "hours", Baseline: "120", Value: "80",
		PeriodFrom: "2025-11-01", PeriodTo: "2026-04-30", Method: "the road office's log"}
}

func tkClosedContract() procurement.Event {
	return procurement.ContractClosed{ContractID: "k-1", FinalStatus: procurement.FinalComplete, ClosedAt: tdAt(500, 9)}
}

func tkNotice() procurement.Event {
	return procurement.AwardNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-9", Contracts: []string{"k-1"}, PublishedAt: tdAt(110, 9)}
}

// tkPartnership is h as an innovation partnership with two phases, due on
// 2025-12-31 and 2026-06-30.
func tkPartnership(h []procurement.Event) []procurement.Event {
	return tdThen(tgAs(h, timelimits.InnovationPartnership), procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{
		{ID: "p1", Goal: "prototype", IntermediateTargets: []string{"works at -30 °C"}, MaxCost: "100000.00", Due: "2025-12-31"},
		{ID: "p2", Goal: "pilot", IntermediateTargets: []string{"one winter"}, MaxCost: "200000.00", Due: "2026-06-30"}},
		PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "detects 95 %", MaxCost: "500000.00"}})
}

func tkGate(id string, decision procurement.GateDecision) procurement.Event {
	return procurement.PartnershipPhaseCompleted{PhaseID: id, TargetsMet: []string{"x"}, AssessmentHash: tdHashOf("gate " + id), Decision: decision,
		DecidedAt: tdAt(400, 9)}
}

// tkQualifying: restricted procedure, requests r1 (acme) and r2 (nordic) opened on day 85.
func tkQualifying() []procurement.Event {
	plan := tgTwoStagePlan()
	req := func(id, org string) procurement.Event {
		return procurement.RequestToParticipateReceived{SealedSubmission: tdBid(id, org).(procurement.BidSubmitted).SealedSubmission}
	}
	opened := procurement.BidsOpened{Round: procurement.RoundRequests, OpenedAt: tdAt(85, 11), OpenedBy: []string{"officer@oslo"},
		Bids: []procurement.OpenedBid{tgLine("r1", tdSupplier, true), tgLine("r2", tdOther, true)}, HashesVerified: true}
	opened.ProtocolHash = procurement.ProtocolHash(opened)
	return tdThen(tgTwoStageTendering(), req("r1", tdSupplier), req("r2", tdOther),
		procurement.TenderingClosed{Round: procurement.RoundRequests, Deadline: plan.RequestDeadline, ClosedAt: plan.RequestDeadline,
			Submissions: []string{"r1", "r2"}, PerLot: map[string]int{"lot-1": 2}},
		opened)
}

func tkAssessed(id, org string, qualified bool) procurement.Event {
	return procurement.QualificationAssessed{SubmissionID: id, Supplier: org, Qualified: qualified, Grounds: "turnover", AssessedAt: tdAt(86, 9)}
}

func TestAwardTasks(t *testing.T) {
	declare, score, lock := procurement.TaskDeclareConflicts, procurement.TaskScoreBids, procurement.TaskLockScores
	consensus, finalize, decide := procurement.TaskRecordConsensus, procurement.TaskFinalizeReport, procurement.TaskDecideAward
	sign, notice, effects := procurement.TaskSignContract, procurement.TaskPublishAwardNotice, procurement.TaskReportEffects
	closeContract, closeCase, gate := procurement.TaskCloseContract, procurement.TaskCloseCase, procurement.TaskDecidePhaseGate
	mandate := procurement.TaskGrantMandate

	perMember := tkWithRules(tkReported(), procurement.RuleEachMember, procurement.SigningLeadSignsAll)
	eachSigns := tkWithRules(tkContracting(tkReported(), tkAward("a1", tdLead, tdMember, tdLead)), procurement.RuleUnanimous, procurement.SigningEachSigns)
	contracting := tkContracting(tkReported(), tkAward("a1", tdLead, tdMember, tdLead))
	signMandate := tkMandate("m-bergen-sign", tdMember, procurement.ScopeSignContract)
	followUp := tdThen(tkActive(), tkNotice(), tkClosedContract())
	partnership := tkPartnership(tdThen(tkActive(), tkNotice()))
	afterContract := tdAt(520, 9) // 2026-08-03, after the contract's end date

	for _, c := range []struct {
		name    string
		history []procurement.Event
		org     string
		at      time.Time
		want    []tkTask
	}{
		// Qualification (two-stage procedures).
		{"the_lead_assesses_every_opened_request", tkQualifying(), tdLead, tdAt(86, 9),
			[]tkTask{tkT(procurement.TaskAssessQualification), tkT(procurement.TaskAssessQualification)}},
		{"the_lead_assesses_what_is_left", tdThen(tkQualifying(), tkAssessed("r1", tdSupplier, true)), tdLead, tdAt(86, 9),
			[]tkTask{tkT(procurement.TaskAssessQualification)}},
		{"once_every_request_is_assessed_the_lead_invites", tdThen(tkQualifying(), tkAssessed("r1", tdSupplier, true), tkAssessed("r2", tdOther, false)),
			tdLead, tdAt(86, 9), []tkTask{tkT(procurement.TaskInviteCandidates)}},
		{"with_nobody_qualified_there_is_nobody_to_invite", tdThen(tkQualifying(), tkAssessed("r1", tdSupplier, false), tkAssessed("r2", tdOther, false)),
			tdLead, tdAt(86, 9), nil},
		{"a_member_does_not_assess", tkQualifying(), tdMember, tdAt(86, 9), nil},
		{"the_hub_does_not_assess", tkQualifying(), hub, tdAt(86, 9), nil},

		// Evaluation: per evaluator, in the list of the organisation it acts for.
		{"an_evaluator_declares_first", tkOpened(), tdMember, tdAt(91, 9), []tkTask{tkFor(declare, tkEva)}},
		{"each_evaluator_of_the_lead_declares_too", tkOpened(), tdLead, tdAt(91, 9), []tkTask{tkFor(declare, tkEve)}},
		{"the_hub_has_no_evaluator", tkOpened(), hub, tdAt(91, 9), nil},
		{"a_tenderer_has_no_evaluation_tasks", tkOpened(), tdSupplier, tdAt(91, 9), nil},
		{"an_evaluator_without_conflict_scores", tdThen(tkOpened(), tkDeclared(tkEva, tdMember, false)), tdMember, tdAt(91, 9), []tkTask{tkFor(score, tkEva)}},
		{"an_evaluator_scores_until_every_pair_is_scored", tdThen(tkOpened(), tkDeclared(tkEva, tdMember, false), tkScored(tkEva, "b1", "price", 3)),
			tdMember, tdAt(91, 9), []tkTask{tkFor(score, tkEva)}},
		{"an_evaluator_that_scored_everything_locks", tkEvaScored(), tdMember, tdAt(92, 9), []tkTask{tkFor(lock, tkEva)}},
		{"an_evaluator_that_locked_is_done", tdThen(tkEvaScored(), tkLocked(tkEva)), tdMember, tdAt(93, 9), nil},
		{"an_evaluator_with_a_conflict_is_recused_and_has_nothing_to_do",
			tdThen(tkOpened(), tkDeclared(tkEva, tdMember, true), procurement.EvaluatorRecused{Evaluator: tkEva, Reason: "declared a conflict of interest"}),
			tdMember, tdAt(91, 9), nil},
		{"a_recused_evaluator_never_declares", tdThen(tkOpened(), procurement.EvaluatorRecused{Evaluator: tkEva, Reason: "a friend bids"}),
			tdMember, tdAt(91, 9), nil},
		{"a_replacement_declares_in_its_organisations_list",
			tdThen(tkOpened(), procurement.EvaluatorRecused{Evaluator: tkEva, Reason: "a friend bids", Replacement: "rex", ReplacementOrg: hub}),
			hub, tdAt(91, 9), []tkTask{tkFor(declare, "rex")}},
		{"the_lead_records_the_consensus_where_every_evaluator_responsible_locked",
			tdThen(tkEvaScored(), tkLocked(tkEva)), tdLead, tdAt(93, 9), []tkTask{tkFor(declare, tkEve), tkT(consensus)}},
		{"the_lead_records_the_rest_once_everyone_locked", tkBothLocked(), tdLead, tdAt(93, 9), []tkTask{tkT(consensus)}},
		{"the_lead_finalises_version_1_once_every_consensus_is_recorded", tkConsented(), tdLead, tdAt(94, 9), []tkTask{tkV(finalize, 1)}},
		{"a_member_does_not_finalise", tkConsented(), tdMember, tdAt(94, 9), nil},
		{"a_rejection_after_the_report_asks_for_version_2",
			tdThen(tkReported(), procurement.BidRejected{BidID: "b2", Supplier: tdOther, Grounds: "late", LegalBasis: "FOA", RejectedAt: tdAt(95, 9)}),
			tdLead, tdAt(95, 9), []tkTask{tkV(finalize, 2)}},

		// Award.
		{"under_a_joint_award_the_lead_decides_on_the_report", tkReported(), tdLead, tdAt(95, 9), []tkTask{tkV(decide, 1)}},
		{"under_a_joint_award_a_member_grants_the_decide_award_mandate", tkReported(), tdMember, tdAt(95, 9), []tkTask{tkT(mandate)}},
		{"a_member_that_granted_it_waits", tdThen(tkReported(), tkMandate("m-bergen-award", tdMember, procurement.ScopeDecideAward)),
			tdMember, tdAt(95, 9), nil},
		{"the_hub_does_not_decide", tkReported(), hub, tdAt(95, 9), nil},
		{"per_member_each_buyer_decides_for_itself", perMember, tdMember, tdAt(95, 9), []tkTask{tkV(decide, 1)}},
		{"per_member_the_lead_decides_for_itself_too", perMember, tdLead, tdAt(95, 9), []tkTask{tkV(decide, 1)}},
		{"per_member_a_buyer_that_decided_waits", tdThen(perMember, tkAward("a-bergen", tdMember, tdMember)), tdMember, tdAt(95, 9), nil},
		{"per_member_the_others_still_decide", tdThen(perMember, tkAward("a-bergen", tdMember, tdMember)), tdLead, tdAt(95, 9), []tkTask{tkV(decide, 1)}},
		{"once_every_award_is_decided_the_lead_notifies", tdThen(tkReported(), tkAward("a1", tdLead, tdMember, tdLead)), tdLead, tdAt(95, 9),
			[]tkTask{tkT(procurement.TaskSendNotification)}},
		{"nobody_has_anything_to_do_during_the_standstill",
			tdThen(tkReported(), tkAward("a1", tdLead, tdMember, tdLead), procurement.StandstillStarted{EndsAt: tdAt(106, 22)}), tdLead, tdAt(97, 9), nil},

		// Contracts, by the signing model.
		{"lead_signs_all_the_lead_signs_for_those_whose_mandate_it_holds", tdThen(contracting, signMandate), tdLead, tdAt(107, 9), []tkTask{tkT(sign)}},
		{"lead_signs_all_a_member_with_a_mandate_does_not_sign", tdThen(contracting, signMandate), tdMember, tdAt(107, 9), nil},
		{"lead_signs_all_a_member_without_a_mandate_signs_itself", contracting, tdMember, tdAt(107, 9), []tkTask{tkT(sign)}},
		{"lead_signs_all_the_lead_still_signs_for_itself", contracting, tdLead, tdAt(107, 9), []tkTask{tkT(sign)}},
		{"a_signature_given_is_not_asked_again", tdThen(contracting, tkSignature(tdLead, tdLead)), tdLead, tdAt(108, 9), nil},
		{"the_signature_still_missing_is_asked_for", tdThen(contracting, tkSignature(tdLead, tdLead)), tdMember, tdAt(108, 9), []tkTask{tkT(sign)}},
		{"each_signs_every_buyer_signs_its_own", eachSigns, tdMember, tdAt(107, 9), []tkTask{tkT(sign)}},
		{"each_signs_the_lead_signs_its_own", tdThen(eachSigns, signMandate), tdLead, tdAt(107, 9), []tkTask{tkT(sign)}},
		{"each_signs_a_mandate_does_not_let_the_lead_sign_for_another", tdThen(eachSigns, signMandate), tdMember, tdAt(107, 9), []tkTask{tkT(sign)}},
		{"the_hub_signs_nothing", contracting, hub, tdAt(107, 9), nil},

		// Follow-up.
		{"once_signed_the_lead_publishes_the_award_notice_and_reports_its_effects", tkActive(), tdLead, tdAt(110, 9), []tkTask{tkT(notice), tkT(effects)}},
		{"a_buyer_reports_its_effects", tkActive(), tdMember, tdAt(110, 9), []tkTask{tkT(effects)}},
		{"a_buyer_that_reported_is_done", tdThen(tkActive(), tkEffect(tdMember)), tdMember, tdAt(110, 9), nil},
		{"the_lead_closes_a_contract_past_its_end", tdThen(tkActive(), tkNotice(), tkEffect(tdLead)), tdLead, afterContract, []tkTask{tkT(closeContract)}},
		{"a_contract_still_running_is_not_closed", tdThen(tkActive(), tkNotice(), tkEffect(tdLead)), tdLead, tdAt(300, 9), nil},
		{"in_follow_up_the_lead_closes_the_case_once_everyone_reported", tdThen(followUp, tkEffect(tdLead), tkEffect(tdMember)), tdLead, afterContract,
			[]tkTask{tkT(closeCase)}},
		{"the_hub_may_close_the_case_too", tdThen(followUp, tkEffect(tdLead), tkEffect(tdMember)), hub, afterContract, []tkTask{tkT(closeCase)}},
		{"the_case_does_not_close_while_a_buyer_has_not_reported", tdThen(followUp, tkEffect(tdLead)), hub, afterContract, nil},
		{"the_buyer_that_has_not_reported_is_told", tdThen(followUp, tkEffect(tdLead)), tdMember, afterContract, []tkTask{tkT(effects)}},
		{"a_closed_case_has_no_tasks", tdThen(followUp, tkEffect(tdLead), tkEffect(tdMember), procurement.CaseClosed{ClosedAt: tdAt(521, 9)}),
			tdLead, afterContract, nil},

		// Innovation partnership phase gates.
		{"no_gate_is_due_before_the_phase_ends", tdThen(partnership, tkEffect(tdLead)), tdLead, tdAt(200, 9), nil},
		{"the_gate_decision_is_due_at_the_phase_end", tdThen(partnership, tkEffect(tdLead)), tdLead, tdAt(320, 9), []tkTask{tkT(gate)}},
		{"a_member_without_a_manage_contract_mandate_grants_it", tdThen(partnership, tkEffect(tdMember)), tdMember, tdAt(320, 9), []tkTask{tkT(mandate)}},
		{"a_member_with_it_waits", tdThen(partnership, tkEffect(tdMember), tkMandate("m-bergen-manage", tdMember, procurement.ScopeManageContract)),
			tdMember, tdAt(320, 9), nil},
		{"the_next_gate_waits_for_its_phase", tdThen(partnership, tkEffect(tdLead), tkGate("p1", procurement.GateContinue)), tdLead, tdAt(320, 9), nil},
		{"a_partnership_contract_closes_once_every_gate_is_decided",
			tdThen(partnership, tkEffect(tdLead), tkGate("p1", procurement.GateContinue), tkGate("p2", procurement.GateContinue)), tdLead, tdAt(320, 9),
			[]tkTask{tkT(closeContract)}},
		{"a_terminated_partnership_closes_at_once",
			tdThen(partnership, tkEffect(tdLead), tkGate("p1", procurement.GateTerminate),
				procurement.PartnershipTerminated{PhaseID: "p1", Reason: "failed", TerminatedAt: tdAt(320, 9)}), tdLead, tdAt(320, 9),
			[]tkTask{tkT(closeContract)}},
	} {
		t.Run(c.name, func(t *testing.T) { tkTasksAre(t, c.history, c.org, c.at, c.want...) })
	}
}

func TestEarlyEndingTasks(t *testing.T) {
	vote, approve := procurement.TaskVoteOnCancellation, procurement.TaskApproveWithdrawal
	tendering := tdTendering(tdPlan())
	proposed := tdThen(tendering, procurement.CancellationProposed{Version: 1, Reason: "the budget was withdrawn", ProposedBy: tdLead,
		Rule: procurement.RuleUnanimous, ProposedAt: tdAt(60, 9)}, procurement.CancellationApproved{Org: tdLead, Version: 1})
	requested := tdThen(tendering, procurement.WithdrawalRequested{Org: tdMember, Reason: "the council cut the budget",
		AssessmentHash: tdHashOf("assessment"), RequestedAt: tdAt(60, 9)})
	now := tdAt(61, 9)
	for _, c := range []struct {
		name    string
		history []procurement.Event
		org     string
		want    []tkTask
	}{
		{"a_member_that_has_not_voted_votes_on_the_cancellation", proposed, tdMember, []tkTask{tkV(vote, 1)}},
		{"the_proposer_has_voted", proposed, tdLead, nil},
		{"the_hub_does_not_vote", proposed, hub, nil},
		{"a_member_that_voted_waits", tdThen(proposed, procurement.CancellationRejected{Org: tdMember, Version: 1}), tdMember, nil},
		{"a_declined_proposal_is_no_longer_voted_on",
			tdThen(proposed, procurement.CancellationRejected{Org: tdMember, Version: 1}, procurement.CancellationDeclined{Version: 1}), tdMember, nil},
		{"a_cancelled_case_has_no_tasks",
			tdThen(proposed, procurement.CancellationApproved{Org: tdMember, Version: 1},
				procurement.ProcurementCancelled{Reason: "the budget was withdrawn", PreviousPhase: procurement.PhaseTendering, Proposal: 1}), tdMember, nil},
		{"the_lead_approves_a_withdrawal_after_the_notice", requested, tdLead, []tkTask{tkT(approve)}},
		{"the_hub_approves_it_too", requested, hub, []tkTask{tkT(approve)}},
		{"the_member_that_asked_has_nothing_to_approve", requested, tdMember, nil},
		{"an_approval_given_is_not_asked_again", tdThen(requested, procurement.WithdrawalApproved{Org: tdMember, By: hub}), hub, nil},
		{"the_other_approval_is_still_asked_for", tdThen(requested, procurement.WithdrawalApproved{Org: tdMember, By: hub}), tdLead, []tkTask{tkT(approve)}},
		{"a_completed_withdrawal_asks_nothing",
			tdThen(requested, procurement.WithdrawalApproved{Org: tdMember, By: hub}, procurement.WithdrawalApproved{Org: tdMember, By: tdLead},
				procurement.MunicipalityWithdrawn{Org: tdMember, Reason: "the council cut the budget", AssessmentHash: tdHashOf("assessment")}), tdLead, nil},
		{"an_unsuccessful_procedure_has_no_tasks",
			tdThen(requested, procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulNoBids, Explanation: "none", PreviousPhase: procurement.PhaseReceiptClosed}),
			tdLead, nil},
	} {
		t.Run(c.name, func(t *testing.T) { tkTasksAre(t, c.history, c.org, now, c.want...) })
	}
}

func TestEveryTaskKindIsListedOnce(t *testing.T) {
	kinds := procurement.TaskKinds()
	seen := map[procurement.TaskKind]bool{}
	for _, k := range kinds {
		if seen[k] || k == "" || strings.ToUpper(string(k)) != string(k) {
			t.Fatalf("task kind %q is listed twice or badly named", k)
		}
		seen[k] = true
	}
	for _, k := range []procurement.TaskKind{procurement.TaskDeclareConflicts, procurement.TaskSignContract, procurement.TaskApproveWithdrawal,
		procurement.TaskVoteOnCancellation, procurement.TaskCloseCase} {
		if !seen[k] {
			t.Errorf("TaskKinds lacks %s", k)
		}
	}
}

func TestAwardTasksOfAnEvaluatorWithNothingToScore(t *testing.T) {
	// eli@bergen evaluates lot-2 only, which has no tender: it declares, and
	// then has nothing to score or lock, and does not hold up the report.
	eli := procurement.EvaluatorAppointed{Person: "eli@bergen", Org: tdMember, Lots: []string{"lot-2"}}
	h := tgTwoLots(tdThen(tkConsented(), eli))
	tkTasksAre(t, h, tdMember, tdAt(94, 9), tkFor(procurement.TaskDeclareConflicts, "eli@bergen"))
	tkTasksAre(t, h, tdLead, tdAt(94, 9))
	h = tdThen(h, tkDeclared("eli@bergen", tdMember, false))
	tkTasksAre(t, h, tdMember, tdAt(94, 9))
	tkTasksAre(t, h, tdLead, tdAt(94, 9), tkV(procurement.TaskFinalizeReport, 1))
	// And the lead can do it.
	finalize := procurement.FinalizeEvaluation{ReportHash: tdHashOf("report"), SignedBy: []string{"officer@oslo"}, By: tdLeadBy(), At: tdAt(94, 9)}
	if _, err := procurement.Decider.Decide(procurement.Decider.Fold(tdThen(h, ndAnchored(tdLead), ndAnchored(tdMember))), finalize); err != nil {
		t.Fatalf("the lead cannot finalise: %v", err)
	}
}
