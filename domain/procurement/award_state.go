package procurement

import (
	"slices"
	"time"
)

// Qualification is the first stage of a two-stage procedure after the
// requests are opened, and the negotiation that may follow.
type Qualification struct {
	Assessments map[string]QualificationAssessed // by request (submission ID)
	Invitation  *CandidatesInvited
	Rounds      []NegotiationRoundHeld
	Eliminated  map[string]ParticipantEliminated // by supplier
	FinalCall   *FinalTendersCalled
}

// Evaluation is the evaluation of the opened tenders.
type Evaluation struct {
	Declarations   map[string]ConflictOfInterestDeclared // by evaluator (person)
	Recused        map[string]EvaluatorRecused
	Scores         map[string]BidScored // by scoreKey(evaluator, bid, criterion)
	Locked         map[string]EvaluatorScoresLocked
	Consensus      map[string]ConsensusScoreRecorded // by scoreKey("", bid, criterion)
	Clarifications map[string]Clarification
	Rejected       map[string]BidRejected // by bid
	Report         *EvaluationReportFinalized
	Reports        int // report versions ever finalised
}

// Clarification is a question to a tenderer and its answer.
type Clarification struct {
	ClarificationRequested
	Answer *ClarificationReceived
}

// Awards are the award decisions, the notification, the standstill and the
// complaints.
type Awards struct {
	Decisions    map[string]AwardDecided // by award ID, revoked ones included
	Revoked      map[string]AwardRevoked
	Notification *AwardNotificationSent
	Standstill   *StandstillStarted
	Ended        *StandstillEnded
	Complaints   map[string]Complaint
	// SuspendedFrom is the phase a suspension interrupted.
	SuspendedFrom Phase
	Unsuccessful  *ProcurementUnsuccessful
}

// Complaint is a complaint and what became of it.
type Complaint struct {
	ComplaintReceived
	Suspension *ContractingSuspended
	Resolution *ReviewResolved
}

// Contracting holds the contracts and everything that follows them.
type Contracting struct {
	Contracts   map[string]Contract
	AwardNotice *AwardNoticePublished
	CallOffs    map[string]CallOffPlaced
	Milestones  map[string]MilestoneRecorded
	Deviations  map[string]ContractDeviationRecorded
	Gates       map[string]PartnershipPhaseCompleted // by partnership phase
	Terminated  *PartnershipTerminated
	Payments    map[string]PaymentRecorded
	Effects     map[string]EffectMeasured
	Closed      *CaseClosed
}

// Contract is one contract as its signatures build it.
type Contract struct {
	ID, AwardID, Lot, Supplier string
	Terms                      ContractTerms
	Buyers                     []string                             // the members it binds
	Signatures                 map[string]ContractSignatureRecorded // by buyer covered
	Signed                     *ContractSigned
	Closed                     *ContractClosed
}

// CancellationVote is a proposed cancellation and the members' votes on it.
type CancellationVote struct {
	CancellationProposed
	Approvals, Rejections []string
	Declined              bool
}

func (v CancellationVote) versionNumber() int { return v.Version }

// WithdrawalRequest is a member's request to leave after the notice.
type WithdrawalRequest struct {
	WithdrawalRequested
	ApprovedBy []string
}

func scoreKey(evaluator, bid, criterion string) string {
	return evaluator + "\x00" + bid + "\x00" + criterion
}

// ActiveAwards are the award decisions not revoked or voided, by award ID order.
func (s State) ActiveAwards() []AwardDecided {
	var out []AwardDecided
	for _, id := range slices.Sorted(mapKeys(s.Award.Decisions)) {
		if _, revoked := s.Award.Revoked[id]; !revoked {
			out = append(out, s.Award.Decisions[id])
		}
	}
	return out
}

func evolveAward(s State, ev Event) State {
	switch e := ev.(type) {
	case QualificationAssessed:
		s.Qualification.Assessments = with(s.Qualification.Assessments, e.SubmissionID, e)
	case CandidatesInvited:
		s.Qualification.Invitation, s.Phase = &e, e.Next
		if e.Next == PhaseTendering {
			s.Tendering.Round, s.Tendering.Deadline = RoundTenders, e.TenderDeadline
		}
	case NegotiationRoundHeld:
		s.Qualification.Rounds = append(slices.Clip(s.Qualification.Rounds), e)
	case ParticipantEliminated:
		s.Qualification.Eliminated = with(s.Qualification.Eliminated, e.Supplier, e)
	case FinalTendersCalled:
		s.Qualification.FinalCall, s.Phase = &e, PhaseTendering
		s.Tendering.Round, s.Tendering.Deadline = RoundTenders, e.Deadline
	case ConflictOfInterestDeclared:
		s.Evaluation.Declarations = with(s.Evaluation.Declarations, e.Evaluator, e)
	case EvaluatorRecused:
		s.Evaluation.Recused = with(s.Evaluation.Recused, e.Evaluator, e)
		if e.Replacement != "" {
			old := s.Design.Evaluators[e.Evaluator]
			s.Design.Evaluators = with(s.Design.Evaluators, e.Replacement, EvaluatorAppointed{Person: e.Replacement, Org: e.ReplacementOrg,
				Criteria: slices.Clone(old.Criteria), Lots: slices.Clone(old.Lots)})
		}
	case BidScored:
		s.Evaluation.Scores = with(s.Evaluation.Scores, scoreKey(e.Evaluator, e.BidID, e.Criterion), e)
	case EvaluatorScoresLocked:
		s.Evaluation.Locked = with(s.Evaluation.Locked, e.Evaluator, e)
	case ConsensusScoreRecorded:
		s.Evaluation.Consensus = with(s.Evaluation.Consensus, scoreKey("", e.BidID, e.Criterion), e)
	case ClarificationRequested:
		s.Evaluation.Clarifications = with(s.Evaluation.Clarifications, e.ClarificationID, Clarification{ClarificationRequested: e})
	case ClarificationReceived:
		c := s.Evaluation.Clarifications[e.ClarificationID]
		c.Answer = &e
		s.Evaluation.Clarifications = with(s.Evaluation.Clarifications, e.ClarificationID, c)
	case BidRejected:
		s.Evaluation.Rejected = with(s.Evaluation.Rejected, e.BidID, e)
		s.Evaluation.Report = nil // the ranking changed: the report is finalised again
	case EvaluationReportFinalized:
		s.Evaluation.Report, s.Evaluation.Reports = &e, e.Version
	case AwardDecided:
		s.Award.Decisions = with(s.Award.Decisions, e.AwardID, e)
		switch {
		case e.PhaseAfter != "":
			s.Phase = e.PhaseAfter
		case len(s.awardsOutstanding()) == 0:
			s.Phase = PhaseAwardDecided
		}
	case AwardNotificationSent:
		s.Award.Notification = &e
	case StandstillStarted:
		s.Award.Standstill, s.Award.Ended, s.Phase = &e, nil, PhaseStandstill
		if e.PhaseAfter == PhaseSuspended || (e.PhaseAfter == "" && s.suspensionHeld()) {
			// a suspension from before a new decision still holds (§4.4)
			s.Award.SuspendedFrom, s.Phase = PhaseStandstill, PhaseSuspended
		}
	case StandstillEnded:
		s.Award.Ended, s.Phase = &e, PhaseContracting
	case ComplaintReceived:
		s.Award.Complaints = with(s.Award.Complaints, e.ComplaintID, Complaint{ComplaintReceived: e})
	case ContractingSuspended:
		c := s.Award.Complaints[e.ComplaintID]
		c.Suspension = &e
		s.Award.Complaints = with(s.Award.Complaints, e.ComplaintID, c)
		if s.Phase != PhaseSuspended {
			s.Award.SuspendedFrom = e.Previous
		}
		s.Phase = PhaseSuspended
	case ReviewResolved:
		c := s.Award.Complaints[e.ComplaintID]
		c.Resolution = &e
		s.Award.Complaints = with(s.Award.Complaints, e.ComplaintID, c)
		s.Phase = e.Next
		if e.Outcome != ReviewContinue {
			s = s.voidAwards(e.ResolvedAt)
		}
		if e.Outcome == ReviewReevaluate {
			s.Evaluation.Locked, s.Evaluation.Consensus, s.Evaluation.Report = nil, nil, nil
		}
	case AwardRevoked:
		s.Award.Revoked = with(s.Award.Revoked, e.AwardID, e)
		s.Award.Notification, s.Award.Standstill, s.Award.Ended = nil, nil, nil
		s.Phase = PhaseEvaluation
	case ContractSignatureRecorded:
		c, ok := s.Contracting.Contracts[e.ContractID]
		if !ok {
			a := s.Award.Decisions[e.AwardID]
			c = Contract{ID: e.ContractID, AwardID: e.AwardID, Lot: a.Lot, Supplier: a.Supplier, Terms: e.Terms, Buyers: s.contractBuyers(a, e.Org)}
		}
		sigs := c.Signatures
		for _, org := range e.For {
			sigs = with(sigs, org, e)
		}
		c.Signatures = sigs
		s.Contracting.Contracts = with(s.Contracting.Contracts, e.ContractID, c)
	case ContractSigned:
		c := s.Contracting.Contracts[e.ContractID]
		c.Signed = &e
		s.Contracting.Contracts = with(s.Contracting.Contracts, e.ContractID, c)
		switch {
		case e.PhaseAfter != "":
			s.Phase = e.PhaseAfter
		case len(s.uncontracted()) == 0:
			s.Phase = PhaseContractActive
		}
	case AwardNoticePublished:
		s.Contracting.AwardNotice = &e
	case CallOffPlaced:
		s.Contracting.CallOffs = with(s.Contracting.CallOffs, e.CallOffID, e)
	case MilestoneRecorded:
		s.Contracting.Milestones = with(s.Contracting.Milestones, e.MilestoneID, e)
	case ContractDeviationRecorded:
		s.Contracting.Deviations = with(s.Contracting.Deviations, e.DeviationID, e)
	case PartnershipPhaseCompleted:
		s.Contracting.Gates = with(s.Contracting.Gates, e.PhaseID, e)
	case PartnershipTerminated:
		s.Contracting.Terminated = &e
	case PaymentRecorded:
		s.Contracting.Payments = with(s.Contracting.Payments, e.PaymentID, e)
	case EffectMeasured:
		s.Contracting.Effects = with(s.Contracting.Effects, e.MeasurementID, e)
	case ContractClosed:
		c := s.Contracting.Contracts[e.ContractID]
		c.Closed = &e
		s.Contracting.Contracts = with(s.Contracting.Contracts, e.ContractID, c)
		switch {
		case e.PhaseAfter != "":
			s.Phase = e.PhaseAfter
		case s.allContractsClosed() && len(s.uncontracted()) == 0:
			s.Phase = PhaseFollowUp
		}
	case CaseClosed:
		s.Contracting.Closed, s.Phase = &e, PhaseClosed
	case CancellationProposed:
		s.Cancellations = append(slices.Clip(s.Cancellations), CancellationVote{CancellationProposed: e})
	case CancellationApproved:
		s.Cancellations = withVersion(s.Cancellations, e.Version, func(v *CancellationVote) { v.Approvals = append(slices.Clip(v.Approvals), e.Org) })
	case CancellationRejected:
		s.Cancellations = withVersion(s.Cancellations, e.Version, func(v *CancellationVote) { v.Rejections = append(slices.Clip(v.Rejections), e.Org) })
	case CancellationDeclined:
		s.Cancellations = withVersion(s.Cancellations, e.Version, func(v *CancellationVote) { v.Declined = true })
	case ProcurementUnsuccessful:
		s.Award.Unsuccessful, s.Phase = &e, PhaseUnsuccessful
	case WithdrawalRequested:
		s.Withdrawals = with(s.Withdrawals, e.Org, WithdrawalRequest{WithdrawalRequested: e})
	case WithdrawalApproved:
		w := s.Withdrawals[e.Org]
		w.ApprovedBy = append(slices.Clip(w.ApprovedBy), e.By)
		s.Withdrawals = with(s.Withdrawals, e.Org, w)
	}
	return s
}

// voidAwards revokes every active decision (a review ordered a new decision),
// and the notification and standstill with them.
func (s State) voidAwards(at time.Time) State {
	for _, a := range s.ActiveAwards() {
		s.Award.Revoked = with(s.Award.Revoked, a.AwardID, AwardRevoked{AwardID: a.AwardID, Reason: "voided by review", RevokedAt: at})
	}
	s.Award.Notification, s.Award.Standstill, s.Award.Ended = nil, nil, nil
	return s
}

func (s State) allContractsClosed() bool {
	if len(s.Contracting.Contracts) == 0 {
		return false
	}
	for _, c := range s.Contracting.Contracts {
		if c.Signed != nil && c.Closed == nil {
			return false
		}
	}
	return true
}
