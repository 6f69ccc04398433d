package app

import (
	"context"
	"time"

	"github.com/felles/felles/domain/procurement"
)

// The commands of qualification and negotiation, evaluation, award and
// standstill, review, contracting, follow-up and the cross-cutting endings
// (DOMAIN.md §1 P6–P11, §2 transitions 11–24). As in tendering.go each passes
// the domain's own input through and the decider judges it; commands with
// many fields take the domain command itself, whose actor and time are always
// set here. Commands checked against the legal time limits get the table in
// force. EndStandstill is the workflow clock's (reactors/clock) and has no
// method here.

// --- qualification and negotiation ---

// AssessQualification records the lead's decision on one request to participate.
func (s *Procurements) AssessQualification(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.AssessQualification) (Result, error) {
	return s.run(ctx, p, meta, "AssessQualification", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// InviteCandidates shortlists and invites; the restricted procedure's tender
// deadline is checked against the legal minimum from the invitation.
func (s *Procurements) InviteCandidates(ctx context.Context, p Principal, meta CommandMeta, caseID string, invited []string, notInvited []procurement.NotInvited, tenderDeadline time.Time) (Result, error) {
	return s.run(ctx, p, meta, "InviteCandidates", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.InviteCandidates{Invited: invited, NotInvited: notInvited, TenderDeadline: tenderDeadline, Limits: s.limits, By: p, At: at}, nil
	})
}

// HoldNegotiationRound records one negotiation meeting with a participant.
func (s *Procurements) HoldNegotiationRound(ctx context.Context, p Principal, meta CommandMeta, caseID string, round int, supplier, minutesHash string, requirementsChanged []string) (Result, error) {
	return s.run(ctx, p, meta, "HoldNegotiationRound", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.HoldNegotiationRound{Round: round, Supplier: supplier, MinutesHash: minutesHash, RequirementsChanged: requirementsChanged, By: p, At: at}, nil
	})
}

// EliminateParticipant removes a participant from the negotiation.
func (s *Procurements) EliminateParticipant(ctx context.Context, p Principal, meta CommandMeta, caseID, supplier, reason string) (Result, error) {
	return s.run(ctx, p, meta, "EliminateParticipant", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.EliminateParticipant{Supplier: supplier, Reason: reason, By: p, At: at}, nil
	})
}

// CallForFinalTenders ends the negotiation with one deadline for all,
// checked against the legal minimum.
func (s *Procurements) CallForFinalTenders(ctx context.Context, p Principal, meta CommandMeta, caseID string, deadline time.Time) (Result, error) {
	return s.run(ctx, p, meta, "CallForFinalTenders", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CallForFinalTenders{Deadline: deadline, Limits: s.limits, By: p, At: at}, nil
	})
}

// --- evaluation ---

// DeclareConflictOfInterest records the acting evaluator's declaration.
func (s *Procurements) DeclareConflictOfInterest(ctx context.Context, p Principal, meta CommandMeta, caseID string, hasConflict bool, relations []string) (Result, error) {
	return s.run(ctx, p, meta, "DeclareConflictOfInterest", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DeclareConflictOfInterest{HasConflict: hasConflict, Relations: relations, By: p, At: at}, nil
	})
}

// RecuseEvaluator removes an evaluator, optionally naming a replacement.
func (s *Procurements) RecuseEvaluator(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RecuseEvaluator) (Result, error) {
	return s.run(ctx, p, meta, "RecuseEvaluator", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// ScoreBid records the acting evaluator's score of one criterion of one tender.
func (s *Procurements) ScoreBid(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.ScoreBid) (Result, error) {
	return s.run(ctx, p, meta, "ScoreBid", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// LockScores locks the acting evaluator's scores.
func (s *Procurements) LockScores(ctx context.Context, p Principal, meta CommandMeta, caseID string) (Result, error) {
	return s.run(ctx, p, meta, "LockScores", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.LockScores{By: p, At: at}, nil
	})
}

// RecordConsensus records the panel's consensus score.
func (s *Procurements) RecordConsensus(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RecordConsensus) (Result, error) {
	return s.run(ctx, p, meta, "RecordConsensus", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// RequestClarification asks a tenderer to clarify its tender.
func (s *Procurements) RequestClarification(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RequestClarification) (Result, error) {
	return s.run(ctx, p, meta, "RequestClarification", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// AnswerClarification records the acting tenderer's answer.
func (s *Procurements) AnswerClarification(ctx context.Context, p Principal, meta CommandMeta, caseID, clarificationID, answer string) (Result, error) {
	return s.run(ctx, p, meta, "AnswerClarification", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.AnswerClarification{ClarificationID: clarificationID, Answer: answer, By: p, At: at}, nil
	})
}

// RejectBid rejects a tender with grounds and legal basis.
func (s *Procurements) RejectBid(ctx context.Context, p Principal, meta CommandMeta, caseID, bidID, grounds, legalBasis string) (Result, error) {
	return s.run(ctx, p, meta, "RejectBid", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RejectBid{BidID: bidID, Grounds: grounds, LegalBasis: legalBasis, By: p, At: at}, nil
	})
}

// FinalizeEvaluation finalises the evaluation report; the decider ranks.
func (s *Procurements) FinalizeEvaluation(ctx context.Context, p Principal, meta CommandMeta, caseID, reportHash string, signedBy []string) (Result, error) {
	return s.run(ctx, p, meta, "FinalizeEvaluation", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.FinalizeEvaluation{ReportHash: reportHash, SignedBy: signedBy, By: p, At: at}, nil
	})
}

// --- award, standstill and review ---

// DecideAward decides a lot's award: the lead for all (JOINT) or the acting
// member for itself (PER_MEMBER).
func (s *Procurements) DecideAward(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.DecideAward) (Result, error) {
	return s.run(ctx, p, meta, "DecideAward", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// SendAwardNotification notifies every tenderer concerned; the standstill
// end is computed from the time-limit table in force.
func (s *Procurements) SendAwardNotification(ctx context.Context, p Principal, meta CommandMeta, caseID string, channel procurement.NotificationChannel, reasonsHash string) (Result, error) {
	return s.run(ctx, p, meta, "SendAwardNotification", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SendAwardNotification{Channel: channel, ReasonsHash: reasonsHash, Limits: s.limits, By: p, At: at}, nil
	})
}

// RegisterComplaint records a complaint; a suspensive one suspends contracting.
func (s *Procurements) RegisterComplaint(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RegisterComplaint) (Result, error) {
	return s.run(ctx, p, meta, "RegisterComplaint", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// RegisterInterimMeasure records a review body's interim measure.
func (s *Procurements) RegisterInterimMeasure(ctx context.Context, p Principal, meta CommandMeta, caseID, complaintID, ruling, docHash string) (Result, error) {
	return s.run(ctx, p, meta, "RegisterInterimMeasure", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RegisterInterimMeasure{ComplaintID: complaintID, Ruling: ruling, DocHash: docHash, By: p, At: at}, nil
	})
}

// ResolveReview records a complaint's outcome.
func (s *Procurements) ResolveReview(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.ResolveReview) (Result, error) {
	return s.run(ctx, p, meta, "ResolveReview", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// RevokeAward withdraws an award decision before a contract is signed.
func (s *Procurements) RevokeAward(ctx context.Context, p Principal, meta CommandMeta, caseID, awardID, reason string) (Result, error) {
	return s.run(ctx, p, meta, "RevokeAward", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RevokeAward{AwardID: awardID, Reason: reason, By: p, At: at}, nil
	})
}

// --- contracting ---

// SignContract records the acting organisation's signature of a contract.
func (s *Procurements) SignContract(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.SignContract) (Result, error) {
	return s.run(ctx, p, meta, "SignContract", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// PublishAwardNotice publishes the contract award notice; the publication
// limit is computed from the time-limit table in force.
func (s *Procurements) PublishAwardNotice(ctx context.Context, p Principal, meta CommandMeta, caseID string, channel procurement.NoticeChannel, externalID string) (Result, error) {
	return s.run(ctx, p, meta, "PublishAwardNotice", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.PublishAwardNotice{Channel: channel, ExternalNoticeID: externalID, Limits: s.limits, By: p, At: at}, nil
	})
}

// PlaceCallOff records the acting member's call-off under a framework.
func (s *Procurements) PlaceCallOff(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.PlaceCallOff) (Result, error) {
	return s.run(ctx, p, meta, "PlaceCallOff", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// --- follow-up ---

// RecordMilestone records how a contract milestone went.
func (s *Procurements) RecordMilestone(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RecordMilestone) (Result, error) {
	return s.run(ctx, p, meta, "RecordMilestone", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// RecordDeviation records a deviation from a contract.
func (s *Procurements) RecordDeviation(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RecordDeviation) (Result, error) {
	return s.run(ctx, p, meta, "RecordDeviation", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// CompletePhase takes an innovation partnership's phase-gate decision.
func (s *Procurements) CompletePhase(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.CompletePhase) (Result, error) {
	return s.run(ctx, p, meta, "CompletePhase", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// RecordPayment records the acting member's payment under a contract.
func (s *Procurements) RecordPayment(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RecordPayment) (Result, error) {
	return s.run(ctx, p, meta, "RecordPayment", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// RecordEffect records a KPI the acting member measured.
func (s *Procurements) RecordEffect(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.RecordEffect) (Result, error) {
	return s.run(ctx, p, meta, "RecordEffect", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// CloseContract ends a contract.
func (s *Procurements) CloseContract(ctx context.Context, p Principal, meta CommandMeta, caseID, contractID string, final procurement.FinalStatus, lessonsHash string) (Result, error) {
	return s.run(ctx, p, meta, "CloseContract", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CloseContract{ContractID: contractID, FinalStatus: final, LessonsHash: lessonsHash, By: p, At: at}, nil
	})
}

// CloseCase closes the case.
func (s *Procurements) CloseCase(ctx context.Context, p Principal, meta CommandMeta, caseID, lessonsHash string) (Result, error) {
	return s.run(ctx, p, meta, "CloseCase", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CloseCase{LessonsHash: lessonsHash, By: p, At: at}, nil
	})
}

// --- endings ---

// ApproveCancellation votes for a proposed cancellation for the acting member.
func (s *Procurements) ApproveCancellation(ctx context.Context, p Principal, meta CommandMeta, caseID string, version int, comment string) (Result, error) {
	return s.run(ctx, p, meta, "ApproveCancellation", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ApproveCancellation{Version: version, Comment: comment, By: p, At: at}, nil
	})
}

// RejectCancellation votes against a proposed cancellation for the acting member.
func (s *Procurements) RejectCancellation(ctx context.Context, p Principal, meta CommandMeta, caseID string, version int, comment string) (Result, error) {
	return s.run(ctx, p, meta, "RejectCancellation", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RejectCancellation{Version: version, Comment: comment, By: p, At: at}, nil
	})
}

// DeclareUnsuccessful ends the procedure without award.
func (s *Procurements) DeclareUnsuccessful(ctx context.Context, p Principal, meta CommandMeta, caseID string, reason procurement.UnsuccessfulReason, explanation, successorCaseID string) (Result, error) {
	return s.run(ctx, p, meta, "DeclareUnsuccessful", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DeclareUnsuccessful{Reason: reason, Explanation: explanation, SuccessorCaseID: successorCaseID, By: p, At: at}, nil
	})
}

// ApproveWithdrawal approves, for the lead or the hub, a member's withdrawal
// after the notice.
func (s *Procurements) ApproveWithdrawal(ctx context.Context, p Principal, meta CommandMeta, caseID, org string) (Result, error) {
	return s.run(ctx, p, meta, "ApproveWithdrawal", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ApproveWithdrawal{Org: org, By: p, At: at}, nil
	})
}

// Withdraw takes the acting organisation out of the case; after the contract
// notice it needs the SHA-256 of the member's material-change assessment and
// then waits for the lead's and the hub's approval.
func (s *Procurements) Withdraw(ctx context.Context, p Principal, meta CommandMeta, caseID, reason, assessmentHash string) (Result, error) {
	return s.run(ctx, p, meta, "WithdrawMunicipality", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.WithdrawMunicipality{Reason: reason, AssessmentHash: assessmentHash, By: p, At: at}, nil
	})
}

// DefineAwardCriteria replaces one lot's award criteria ("" = default) with
// the rule that breaks a tie of totals ("" = HIGHEST_QUALITY).
func (s *Procurements) DefineAwardCriteria(ctx context.Context, p Principal, meta CommandMeta, caseID, lot string, criteria []procurement.AwardCriterion, tie procurement.TieRule) (Result, error) {
	return s.run(ctx, p, meta, "DefineAwardCriteria", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DefineAwardCriteria{Lot: lot, Criteria: criteria, TieRule: tie, By: p, At: at}, nil
	})
}
