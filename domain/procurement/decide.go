package procurement

import (
	"time"

	"github.com/felles/felles/domain/es"
)

// Decider is the procurement case aggregate.
var Decider = es.Decider[State, Command, Event]{Initial: initial, Decide: decide, Evolve: evolve}

func decide(s State, c Command) ([]Event, error) {
	events, err := decideCommand(s, c)
	if err != nil || len(events) == 0 {
		return events, err
	}
	return append(events, settle(s, events, c.When())...), nil
}

// settle returns the events that follow by rule from a command's events: the
// agreement concluding, a needs vote reaching its result, the cost shares
// changing with the members or their volumes.
func settle(s State, events []Event, at time.Time) []Event {
	next := s
	reason := ""
	for _, e := range events {
		next = evolve(next, e)
		switch e.(type) {
		case MunicipalityWithdrawn:
			reason = ReasonMemberWithdrew
		case VolumeCommitted, VolumeCommitmentChanged:
			if reason == "" {
				reason = ReasonVolumesChanged
			}
		}
	}
	var out []Event
	follow := func(es []Event) {
		for _, e := range es {
			next = evolve(next, e)
			out = append(out, e)
		}
	}
	if reason != "" {
		follow(recalculateShares(next, at, reason))
	}
	follow(decideNeedsVote(next))
	follow(decideDocumentsVote(next))
	follow(concludeAgreement(next, at))
	follow(decideCancellationVote(next))
	return out
}

func decideCommand(s State, c Command) ([]Event, error) {
	if create, ok := c.(CreateCase); ok {
		return createCase(s, create)
	}
	if !s.Created {
		return nil, ErrNotFound
	}
	switch c := c.(type) {
	case InviteMunicipality:
		return invite(s, c)
	case AcceptInvitation:
		return accept(s, c)
	case DeclineInvitation:
		return decline(s, c)
	case WithdrawMunicipality:
		return withdraw(s, c)
	case CancelProcurement:
		return cancel(s, c)
	case OpenRecruitment:
		return openRecruitment(s, c)
	case CloseRecruitment:
		return closeRecruitment(s, c)
	case RecordAnchoringDecision:
		return recordAnchoring(s, c)
	case GrantMandate:
		return grantMandate(s, c)
	case RevokeMandate:
		return revokeMandate(s, c)
	case DraftCooperationAgreement:
		return draftAgreement(s, c)
	case AmendCooperationAgreement:
		return amendAgreement(s, c)
	case SignCooperationAgreement:
		return signAgreement(s, c)
	case ConsentToLead:
		return consentToLead(s, c)
	case DesignateLeadAuthority:
		return designateLead(s, c)
	case SetCostSharingKey:
		return setCostKey(s, c)
	case SaveNeedsDraft:
		return saveNeedsDraft(s, c)
	case SubmitNeeds:
		return submitNeeds(s, c)
	case ConsolidateNeeds:
		return consolidateNeeds(s, c)
	case ApproveConsolidatedNeeds:
		return voteOnNeeds(s, c.By.Org, c.Version, c.Comment, true)
	case RejectConsolidatedNeeds:
		return voteOnNeeds(s, c.By.Org, c.Version, c.Comment, false)
	case CommitVolume:
		return commitVolume(s, c)
	}
	return decideTenderCommand(s, c)
}

// decideTenderCommand runs the commands of the market dialogue, the design and
// the tendering (issue 5).
func decideTenderCommand(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case PublishDialogueNotice:
		return publishDialogueNotice(s, c)
	case RegisterSupplier:
		return registerSupplier(s, c)
	case ScheduleDialogueEvent:
		return scheduleDialogueEvent(s, c)
	case CancelDialogueEvent:
		return cancelDialogueEvent(s, c)
	case RecordMeetingNotes:
		return recordMeetingNotes(s, c)
	case AskQuestion:
		return askQuestion(s, c)
	case AnswerQuestion:
		return answerQuestion(s, c)
	case CloseMarketDialogue:
		return closeMarketDialogue(s, c)
	case SelectProcedure:
		return selectProcedure(s, c)
	case DefineLots:
		return defineLots(s, c)
	case DefineRequirements:
		return defineRequirements(s, c)
	case DefineQualificationCriteria:
		return defineQualification(s, c)
	case DefineAwardCriteria:
		return defineAwardCriteria(s, c)
	case DefinePartnershipPhases:
		return definePartnershipPhases(s, c)
	case AppointEvaluator:
		return appointEvaluator(s, c)
	case SetTimetable:
		return setTimetable(s, c)
	case SubmitTenderDocuments:
		return submitTenderDocuments(s, c)
	case ApproveTenderDocuments:
		return voteOnDocuments(s, c.By.Org, c.Version, c.DocumentHash, c.Comment, true)
	case RejectTenderDocuments:
		return voteOnDocuments(s, c.By.Org, c.Version, "", c.Comment, false)
	case PublishContractNotice:
		return publishContractNotice(s, c)
	case AmendTender:
		return amendTender(s, c)
	case SubmitBid:
		return submitBid(s, c)
	case ReplaceBid:
		return replaceBid(s, c)
	case WithdrawBid:
		return withdrawBid(s, c)
	case ConfirmBid:
		return confirmBid(s, c)
	case CloseReceipt:
		return closeReceipt(s, c)
	case OpenBids:
		return openBids(s, c)
	case SendReminder:
		return sendReminder(s, c)
	}
	return decideAwardCommand(s, c)
}

// decideAwardCommand runs the commands of qualification, evaluation, award,
// contracting, follow-up and the early endings (issue 6).
func decideAwardCommand(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case AssessQualification:
		return assessQualification(s, c)
	case InviteCandidates:
		return inviteCandidates(s, c)
	case HoldNegotiationRound:
		return holdNegotiationRound(s, c)
	case EliminateParticipant:
		return eliminateParticipant(s, c)
	case CallForFinalTenders:
		return callForFinalTenders(s, c)
	case DeclareConflictOfInterest:
		return declareConflictOfInterest(s, c)
	case RecuseEvaluator:
		return recuseEvaluator(s, c)
	case ScoreBid:
		return scoreBid(s, c)
	case LockScores:
		return lockScores(s, c)
	case RecordConsensus:
		return recordConsensus(s, c)
	case RequestClarification:
		return requestClarification(s, c)
	case AnswerClarification:
		return answerClarification(s, c)
	case RejectBid:
		return rejectBid(s, c)
	case FinalizeEvaluation:
		return finalizeEvaluation(s, c)
	case DecideAward:
		return decideAward(s, c)
	case SendAwardNotification:
		return sendAwardNotification(s, c)
	case EndStandstill:
		return endStandstill(s, c)
	case RegisterComplaint:
		return registerComplaint(s, c)
	case RegisterInterimMeasure:
		return registerInterimMeasure(s, c)
	case ResolveReview:
		return resolveReview(s, c)
	case RevokeAward:
		return revokeAward(s, c)
	case SignContract:
		return signContract(s, c)
	case PublishAwardNotice:
		return publishAwardNotice(s, c)
	case PlaceCallOff:
		return placeCallOff(s, c)
	case RecordMilestone:
		return recordMilestone(s, c)
	case RecordDeviation:
		return recordDeviation(s, c)
	case CompletePhase:
		return completePhase(s, c)
	case RecordPayment:
		return recordPayment(s, c)
	case RecordEffect:
		return recordEffect(s, c)
	case CloseContract:
		return closeContract(s, c)
	case CloseCase:
		return closeCase(s, c)
	case ApproveCancellation:
		return voteOnCancellation(s, c.By.Org, c.Version, c.Comment, true)
	case RejectCancellation:
		return voteOnCancellation(s, c.By.Org, c.Version, c.Comment, false)
	case DeclareUnsuccessful:
		return declareUnsuccessful(s, c)
	case ApproveWithdrawal:
		return approveWithdrawal(s, c)
	}
	return nil, es.Invalid("procurement.unknown_command", "unknown procurement command")
}

// ensureOpen rejects every command in a case that has ended.
func ensureOpen(s State) error {
	switch {
	case s.Phase == PhaseCancelled:
		return ErrCancelled
	case s.Phase.Terminal():
		return ErrTerminal
	}
	return nil
}
