package procurement

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Tasks of qualification, evaluation, award, contracting and follow-up, and of
// the early endings (issue 6), derived like every task. A task is addressed to
// an organisation; the evaluator's tasks are their own person's, so they carry
// Task.Person and appear in the list of the organisation the evaluator acts for.
const (
	TaskAssessQualification TaskKind = "ASSESS_QUALIFICATION"
	TaskInviteCandidates    TaskKind = "INVITE_CANDIDATES"
	TaskDeclareConflicts    TaskKind = "DECLARE_CONFLICT_OF_INTEREST"
	TaskScoreBids           TaskKind = "SCORE_BIDS"
	TaskLockScores          TaskKind = "LOCK_SCORES"
	TaskRecordConsensus     TaskKind = "RECORD_CONSENSUS"
	TaskFinalizeReport      TaskKind = "FINALIZE_EVALUATION_REPORT"
	TaskDecideAward         TaskKind = "DECIDE_AWARD"
	TaskSendNotification    TaskKind = "SEND_AWARD_NOTIFICATION"
	TaskSignContract        TaskKind = "SIGN_CONTRACT"
	TaskPublishAwardNotice  TaskKind = "PUBLISH_AWARD_NOTICE"
	TaskDecidePhaseGate     TaskKind = "DECIDE_PHASE_GATE"
	TaskCloseContract       TaskKind = "CLOSE_CONTRACT"
	TaskCloseCase           TaskKind = "CLOSE_CASE"
	TaskReportEffects       TaskKind = "REPORT_EFFECTS"
	TaskVoteOnCancellation  TaskKind = "VOTE_ON_CANCELLATION"
	TaskApproveWithdrawal   TaskKind = "APPROVE_WITHDRAWAL"
)

// awardTasks lists what issue 6 leaves waiting for org on day `at`.
func (s State) awardTasks(org string, at time.Time) []Task {
	if org == "" {
		return nil
	}
	var out []Task
	add := func(person string, k TaskKind, v int, format string, args ...any) {
		out = append(out, Task{Kind: k, Version: v, Person: person, Text: fmt.Sprintf(format, args...)})
	}
	lead := org == s.Lead
	switch s.Phase {
	case PhaseQualification:
		if lead {
			s.qualificationTasks(add)
		}
	case PhaseEvaluation:
		s.evaluatorTasks(org, add)
		if lead {
			s.panelTasks(add)
		}
		s.awardDecisionTasks(org, at, add)
	case PhaseAwardDecided:
		if lead {
			add("", TaskSendNotification, 0, "every award is decided: notify every tenderer at once, with the reasons and the standstill end")
		}
	case PhaseContracting:
		s.signingTasks(org, at, add)
	}
	s.followUpTasks(org, at, add)
	s.cancellationTasks(org, add)
	return out
}

type addPersonTask func(person string, k TaskKind, v int, format string, args ...any)

func (s State) qualificationTasks(add addPersonTask) {
	if _, opened := s.Tendering.Openings[RoundRequests]; !opened || s.Qualification.Invitation != nil {
		return
	}
	open, qualified := 0, 0
	for _, r := range s.openedRequests() {
		a, ok := s.Qualification.Assessments[r.BidID]
		switch {
		case !ok:
			open++
			add("", TaskAssessQualification, 0, "assess request %s from %s against the selection criteria", r.BidID, r.Supplier)
		case a.Qualified:
			qualified++
		}
	}
	if open == 0 && qualified > 0 {
		add("", TaskInviteCandidates, 0, "every request is assessed and %d qualified: invite the candidates", qualified)
	}
}

// evaluatorTasks are the tasks of each evaluator acting for org: declare,
// score, lock.
func (s State) evaluatorTasks(org string, add addPersonTask) {
	for _, ev := range s.activeEvaluators() {
		if ev.Org != org {
			continue
		}
		d, declared := s.Evaluation.Declarations[ev.Person]
		if !declared {
			add(ev.Person, TaskDeclareConflicts, 0, "%s: declare any conflict of interest with the tenderers (%s) before reading the tenders",
				ev.Person, strings.Join(s.concernedTenderers(), ", "))
			continue
		}
		if _, locked := s.Evaluation.Locked[ev.Person]; locked || d.HasConflict {
			continue
		}
		pairs := s.toScore(ev)
		open := 0
		for _, p := range pairs {
			if _, ok := s.Evaluation.Scores[scoreKey(ev.Person, p.Bid, p.Criterion)]; !ok {
				open++
			}
		}
		switch {
		case open > 0:
			add(ev.Person, TaskScoreBids, 0, "%s: score the tenders: %d of %d (tender, criterion) scores to give", ev.Person, open, len(pairs))
		case len(pairs) > 0:
			add(ev.Person, TaskLockScores, 0, "%s: every tender in your scope is scored: lock your scores", ev.Person)
		}
	}
}

// panelTasks are the lead's: the consensus where every evaluator responsible
// has locked, then the report.
func (s State) panelTasks(add addPersonTask) {
	if s.Evaluation.Report != nil || len(s.ActiveAwards()) > 0 {
		return
	}
	ready, missing := 0, 0
	for _, b := range s.validTenders() {
		for _, id := range slices.Sorted(mapKeys(s.criteriaOf(b))) {
			if _, ok := s.Evaluation.Consensus[scoreKey("", b.BidID, id)]; ok {
				continue
			}
			missing++
			if s.consensusReady(b, id) {
				ready++
			}
		}
	}
	if ready > 0 {
		add("", TaskRecordConsensus, 0, "the evaluators have locked: record the panel's consensus on %d (tender, criterion) pairs", ready)
	}
	if missing > 0 || len(s.validTenders()) == 0 || len(s.activeEvaluators()) == 0 {
		return
	}
	for _, p := range slices.Sorted(mapKeys(s.Design.Evaluators)) {
		_, recused := s.Evaluation.Recused[p]
		_, declared := s.Evaluation.Declarations[p]
		_, locked := s.Evaluation.Locked[p]
		// An evaluator with nothing in its scope need not lock.
		if !recused && (!declared || !locked && len(s.toScore(s.Design.Evaluators[p])) > 0) {
			return
		}
	}
	add("", TaskFinalizeReport, s.Evaluation.Reports+1, "every consensus score is recorded: finalise and sign version %d of the evaluation report",
		s.Evaluation.Reports+1)
}

// consensusReady says whether every evaluator responsible for criterion cr of
// tender b has locked, and there is at least one.
func (s State) consensusReady(b OpenedBid, cr string) bool {
	n := 0
	for _, ev := range s.activeEvaluators() {
		if !inScope(ev, b, cr) {
			continue
		}
		if _, locked := s.Evaluation.Locked[ev.Person]; !locked {
			return false
		}
		n++
	}
	return n > 0
}

// awardDecisionTasks: once the report is final, the lead decides each lot for
// all (JOINT), or each buyer decides for itself (PER_MEMBER). Under JOINT a
// member whose decideAward mandate the lead lacks is asked to grant it.
func (s State) awardDecisionTasks(org string, at time.Time, add addPersonTask) {
	r := s.Evaluation.Report
	if r == nil {
		return
	}
	active := s.ActiveAwards()
	for _, lot := range r.Lots {
		if len(lot.Ranking) == 0 {
			continue
		}
		best := lot.Ranking[0]
		if s.AwardMode() == AwardJoint {
			if slices.ContainsFunc(active, func(a AwardDecided) bool { return a.Lot == lot.Lot }) {
				continue
			}
			buyers := s.lotBuyers(lot.Lot)
			_, missing := s.mandatesFrom(buyers, ScopeDecideAward, at)
			switch {
			case org == s.Lead:
				add("", TaskDecideAward, r.Version, "decide the award of lot %s to its best-ranked tender %s (%s) for %s",
					lot.Lot, best.BidID, best.Supplier, strings.Join(buyers, ", "))
			case slices.Contains(missing, org):
				add("", TaskGrantMandate, 0, "grant %s a mandate covering %s so it can decide the award of lot %s", s.Lead, ScopeDecideAward, lot.Lot)
			}
			continue
		}
		if !slices.Contains(s.lotBuyers(lot.Lot), org) ||
			slices.ContainsFunc(active, func(a AwardDecided) bool { return a.Lot == lot.Lot && slices.Contains(a.For, org) }) {
			continue
		}
		add("", TaskDecideAward, r.Version, "decide your award of lot %s to its best-ranked tender %s (%s)", lot.Lot, best.BidID, best.Supplier)
	}
}

// signingTasks: who still has to sign which contract, by the signing model.
func (s State) signingTasks(org string, at time.Time, add addPersonTask) {
	model := s.Agreement.Terms.SigningModel
	for _, a := range s.ActiveAwards() {
		var covers []string
		for _, m := range a.For {
			if s.Members[m] != MemberJoined || s.signedFor(a.AwardID, m) {
				continue
			}
			signer := m
			if model == SigningLeadSignsAll && s.Lead != "" {
				if _, ok := s.MandateCovers(m, s.Lead, ScopeSignContract, at); ok || m == s.Lead {
					signer = s.Lead
				}
			}
			if signer == org {
				covers = append(covers, m)
			}
		}
		if len(covers) > 0 {
			add("", TaskSignContract, 0, "sign the contract of award %s (lot %s, %s) for %s", a.AwardID, a.Lot, a.Supplier, strings.Join(covers, ", "))
		}
	}
}

// signedFor says whether buyer m's signature on award's contract is given: on
// a signed contract, or recorded on one still collecting signatures.
func (s State) signedFor(award, m string) bool {
	for _, k := range s.Contracting.Contracts {
		if k.AwardID != award || !slices.Contains(k.Buyers, m) {
			continue
		}
		if _, ok := k.Signatures[m]; ok || k.Signed != nil {
			return true
		}
	}
	return false
}

func (s State) followUpTasks(org string, at time.Time, add addPersonTask) {
	switch s.Phase {
	case PhaseContracting, PhaseContractActive, PhaseFollowUp:
	default:
		return
	}
	lead := org == s.Lead
	if lead && s.Contracting.AwardNotice == nil && len(s.signedContracts()) > 0 {
		add("", TaskPublishAwardNotice, 0, "a contract is signed: publish the contract award notice")
	}
	partnership := s.procedure() == timelimits.InnovationPartnership && s.Design.Partnership != nil
	gate, gateOpen := s.nextGate()
	if partnership && gateOpen && s.Phase == PhaseContractActive && s.localDay(at) >= gate.Due {
		_, mandated := s.MandateCovers(org, s.Lead, ScopeManageContract, at)
		switch {
		case lead:
			add("", TaskDecidePhaseGate, 0, "partnership phase %s ended on %s: assess its intermediate targets and decide whether to continue", gate.ID, gate.Due)
		case s.Members[org] == MemberJoined && !mandated:
			add("", TaskGrantMandate, 0, "grant %s a mandate covering %s so it can take the gate decision of phase %s", s.Lead, ScopeManageContract, gate.ID)
		}
	}
	if lead {
		for _, id := range slices.Sorted(mapKeys(s.Contracting.Contracts)) {
			k := s.Contracting.Contracts[id]
			if k.Signed == nil || k.Closed != nil {
				continue
			}
			switch {
			case partnership:
				if !gateOpen {
					add("", TaskCloseContract, 0, "every partnership phase of contract %s is decided: close it with its final status", id)
				}
			case s.localDay(at) > k.Terms.EndDate:
				add("", TaskCloseContract, 0, "contract %s ended on %s: close it with its final status", id, k.Terms.EndDate)
			}
		}
	}
	reported := map[string]bool{}
	for _, e := range s.Contracting.Effects {
		reported[e.Org] = true
	}
	buyers := s.buyersUnderContract()
	if s.Phase != PhaseContracting && slices.Contains(buyers, org) && !reported[org] {
		add("", TaskReportEffects, 0, "report the effects you measured (KPI against its baseline) under the contract")
	}
	if s.Phase == PhaseFollowUp && (lead || org == s.Hub) && !slices.ContainsFunc(buyers, func(m string) bool { return !reported[m] }) {
		add("", TaskCloseCase, 0, "every contract is closed and every buyer has reported its effects: close the case")
	}
}

// signedContracts are the IDs of the signed contracts, sorted.
func (s State) signedContracts() []string {
	var out []string
	for _, id := range slices.Sorted(mapKeys(s.Contracting.Contracts)) {
		if s.Contracting.Contracts[id].Signed != nil {
			out = append(out, id)
		}
	}
	return out
}

// cancellationTasks: a member votes on an open cancellation proposal; the
// lead and the hub approve a member's withdrawal after the notice.
func (s State) cancellationTasks(org string, add addPersonTask) {
	if v, open := s.openCancellation(); open && s.Members[org] == MemberJoined &&
		!slices.Contains(v.Approvals, org) && !slices.Contains(v.Rejections, org) {
		add("", TaskVoteOnCancellation, v.Version, "approve or reject proposal %d to cancel the procurement: %s", v.Version, v.Reason)
	}
	if org != s.Lead && org != s.Hub || s.afterAward() {
		return
	}
	for _, m := range slices.Sorted(mapKeys(s.Withdrawals)) {
		w := s.Withdrawals[m]
		if s.Members[m] == MemberJoined && !slices.Contains(w.ApprovedBy, org) {
			add("", TaskApproveWithdrawal, 0, "%s asks to withdraw after the notice (%s): assess the material-change assessment and approve", m, w.Reason)
		}
	}
}
