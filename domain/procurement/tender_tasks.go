package procurement

import (
	"slices"
	"strings"
	"time"
)

// Tasks of the market dialogue, the design and the tendering: what the hub,
// the lead and the members have to do next, derived like every task.
const (
	TaskPublishDialogueNotice TaskKind = "PUBLISH_DIALOGUE_NOTICE"
	TaskAnswerQuestion        TaskKind = "ANSWER_QUESTION"
	TaskMinuteDialogueEvent   TaskKind = "MINUTE_DIALOGUE_EVENT"
	TaskCloseMarketDialogue   TaskKind = "CLOSE_MARKET_DIALOGUE"
	TaskCompleteDesign        TaskKind = "COMPLETE_DESIGN"
	TaskApproveDocuments      TaskKind = "APPROVE_TENDER_DOCUMENTS"
	TaskPublishContractNotice TaskKind = "PUBLISH_CONTRACT_NOTICE"
	TaskOpenBids              TaskKind = "OPEN_BIDS"
)

// TaskKinds lists every kind of task, so an API that names them as an enum can
// check it names them all.
func TaskKinds() []TaskKind {
	return []TaskKind{
		TaskAnswerInvitation, TaskRecordAnchoring, TaskCloseRecruitment, TaskDraftAgreement, TaskSignAgreement,
		TaskConsentToLead, TaskDesignateLead, TaskGrantMandate, TaskSetCostKey, TaskSubmitNeeds, TaskConsolidateNeeds,
		TaskApproveConsolidated, TaskCommitVolume,
		TaskPublishDialogueNotice, TaskAnswerQuestion, TaskMinuteDialogueEvent, TaskCloseMarketDialogue,
		TaskCompleteDesign, TaskApproveDocuments, TaskPublishContractNotice, TaskOpenBids,
		TaskAssessQualification, TaskInviteCandidates, TaskDeclareConflicts, TaskScoreBids, TaskLockScores, TaskRecordConsensus,
		TaskFinalizeReport, TaskDecideAward, TaskSendNotification, TaskSignContract, TaskPublishAwardNotice, TaskDecidePhaseGate,
		TaskCloseContract, TaskCloseCase, TaskReportEffects, TaskVoteOnCancellation, TaskApproveWithdrawal,
	}
}

func (s State) tenderTasks(org string, at time.Time, add addTask) {
	lead := org != "" && org == s.Lead
	coordinator := org != "" && (org == s.Hub || lead)
	switch s.Phase {
	case PhaseNeeds:
		if coordinator && s.ApprovedNeeds() && len(s.membersWithout(func(o string) bool { _, ok := s.Submissions[o]; return ok })) == 0 {
			add(TaskPublishDialogueNotice, 0, "the consolidated needs are approved: invite the market to the dialogue")
		}
	case PhaseMarketDialogue:
		if lead {
			for _, id := range s.unansweredQuestions("") {
				add(TaskAnswerQuestion, 0, "answer question %s and publish it to every registered supplier", id)
			}
		}
		if coordinator {
			for _, id := range slices.Sorted(mapKeys(s.Dialogue.Events)) {
				e := s.Dialogue.Events[id]
				if !e.Cancelled && e.Minutes == nil && !at.Before(e.StartsAt) {
					add(TaskMinuteDialogueEvent, 0, "record the minutes of %q (public part) or cancel it", e.Title)
				}
			}
		}
		if lead && len(s.unansweredQuestions("")) == 0 {
			add(TaskCloseMarketDialogue, 0, "close the market dialogue with the levelling measures")
		}
	case PhaseDesign:
		if lead {
			if gaps := s.designGaps(); len(gaps) > 0 {
				add(TaskCompleteDesign, 0, "complete the competition design: %s", strings.Join(gaps, "; "))
			}
		}
	case PhaseApproval:
		cur, ok := s.CurrentDocuments()
		if ok && s.Members[org] == MemberJoined && slices.Contains(s.votesMissing(), org) {
			add(TaskApproveDocuments, cur.Version, "approve or reject version %d of the tender documents", cur.Version)
		}
		if lead && ok && cur.Outcome == NeedsApproved {
			add(TaskPublishContractNotice, cur.Version, "the members approved version %d: publish the contract notice", cur.Version)
		}
	case PhaseTendering:
		if lead {
			for _, id := range s.unansweredQuestions(StageTender) {
				add(TaskAnswerQuestion, 0, "answer question %s and publish it to every supplier", id)
			}
		}
	case PhaseReceiptClosed, PhaseQualification:
		if _, open := s.roundToOpen(); lead && open {
			add(TaskOpenBids, 0, "receipt has closed: open the sealed submissions")
		}
	}
}
