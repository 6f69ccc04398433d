package procurement

import (
	"slices"
	"strings"
)

// The ways a case ends early or loses a member (DOMAIN.md §2 transitions 22–23
// and the member sub-machine).
//
// Cancellation: the hub or the lead, with an objective reason, in any phase
// that has not ended, never while an opening is half done. Before the
// agreement is concluded there is no decision rule yet and the proposal takes
// effect at once; afterwards the members decide by the agreement's procedure
// rule, and the cancellation takes effect when the vote carries. Every
// registered supplier and tenderer is notified (counted in the event).
//
// Unsuccessful: the lead declares it when no tender (or request) arrived, or
// every one was rejected with grounds.
//
// Withdrawal: free until the contract notice; after it only with a recorded
// material-change assessment approved by both the lead and the hub; after the
// award a member simply places no call-offs.

// cancellationRule is the rule the members cancel by, "" when no vote is needed.
func (s State) cancellationRule() DecisionRule {
	switch s.Phase {
	case PhaseDraft, PhaseRecruiting, PhaseAgreement:
		return ""
	}
	return s.Agreement.Terms.DecisionRules.Procedure
}

// openCancellation is the proposal still being voted on.
func (s State) openCancellation() (CancellationVote, bool) {
	if n := len(s.Cancellations); n > 0 && !s.Cancellations[n-1].Declined && !s.Phase.Terminal() {
		return s.Cancellations[n-1], true
	}
	return CancellationVote{}, false
}

// suppliersToNotify counts every registered supplier and every tenderer.
func (s State) suppliersToNotify() int {
	seen := map[string]bool{}
	for sup := range s.Dialogue.Suppliers {
		seen[sup] = true
	}
	for _, b := range s.Tendering.Bids {
		seen[b.Supplier] = true
	}
	return len(seen)
}

func cancel(s State, c CancelProcurement) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	if !coordinates(s, c) && !leads(s, c) {
		if _, err := memberStatus(s, c.By.Org); err != nil {
			return nil, err
		}
		return nil, ErrHubOrLeadOnly
	}
	switch {
	case s.Phase == PhaseCancelled:
		return nil, nil
	case s.Phase.Terminal():
		return nil, ErrTerminal
	}
	if round, ok := s.roundToOpen(); ok && s.Tendering.OpeningBy[round] != "" {
		return nil, ErrOpeningInProgress
	}
	if v, open := s.openCancellation(); open {
		if v.Reason == reason {
			return nil, nil
		}
		return nil, ErrCancellationPending.With("proposal %d is being voted on", v.Version)
	}
	rule := s.cancellationRule()
	if rule == "" {
		return []Event{ProcurementCancelled{Reason: reason, PreviousPhase: s.Phase, SuppliersNotified: s.suppliersToNotify()}}, nil
	}
	version := len(s.Cancellations) + 1
	out := []Event{CancellationProposed{Version: version, Reason: reason, ProposedBy: c.By.Org, Rule: rule, ProposedAt: c.At.UTC()}}
	if s.Members[c.By.Org] == MemberJoined {
		out = append(out, CancellationApproved{Org: c.By.Org, Version: version}) // the proposer is for it
	}
	return out, nil
}

func voteOnCancellation(s State, org string, version int, comment string, approve bool) ([]Event, error) {
	comment, err := optionalReason(comment)
	if err != nil {
		return nil, err
	}
	if version >= 1 && version <= len(s.Cancellations) {
		v := s.Cancellations[version-1]
		if (slices.Contains(v.Approvals, org) && approve) || (slices.Contains(v.Rejections, org) && !approve) {
			return nil, nil // the same vote again, even after the vote decided
		}
	}
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	if st != MemberJoined {
		return nil, ErrNotMember
	}
	if version < 1 || version > len(s.Cancellations) {
		return nil, ErrCancellationNotFound
	}
	v := s.Cancellations[version-1]
	switch {
	case slices.Contains(v.Approvals, org) && approve, slices.Contains(v.Rejections, org) && !approve:
		return nil, nil
	case slices.Contains(v.Approvals, org) || slices.Contains(v.Rejections, org):
		return nil, ErrAlreadyVoted
	}
	if cur, open := s.openCancellation(); !open || cur.Version != version {
		return nil, ErrCancellationNotFound.With("proposal %d is decided", version)
	}
	if approve {
		return []Event{CancellationApproved{Org: org, Version: version, Comment: comment}}, nil
	}
	return []Event{CancellationRejected{Org: org, Version: version, Comment: comment}}, nil
}

// decideCancellationVote returns the result of the open proposal once the
// votes decide it.
func decideCancellationVote(s State) []Event {
	v, open := s.openCancellation()
	if !open || s.Phase.Terminal() {
		return nil
	}
	switch voteOutcome(v.Rule, s.joinedMembers(), s.Lead, v.Approvals, v.Rejections) {
	case NeedsApproved:
		return []Event{ProcurementCancelled{Reason: v.Reason, PreviousPhase: s.Phase, SuppliersNotified: s.suppliersToNotify(), Proposal: v.Version}}
	case NeedsRejected:
		return []Event{CancellationDeclined{Version: v.Version}}
	}
	return nil
}

func declareUnsuccessful(s State, c DeclareUnsuccessful) ([]Event, error) {
	explanation := strings.TrimSpace(c.Explanation)
	switch {
	case c.Reason != UnsuccessfulNoBids && c.Reason != UnsuccessfulAllRejected:
		return nil, ErrInvalidUnsuccessfulReason
	case !textOK(explanation, maxText):
		return nil, ErrReasonRequired
	case c.SuccessorCaseID != "" && !ValidID(c.SuccessorCaseID):
		return nil, ErrInvalidSuccessorCase
	}
	if u := s.Award.Unsuccessful; u != nil && leads(s, c) {
		if u.Reason == c.Reason && u.Explanation == explanation && u.SuccessorCaseID == c.SuccessorCaseID {
			return nil, nil
		}
		return nil, ErrTerminal
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	closed, ok := s.Tendering.Closed[s.Tendering.Round]
	switch c.Reason {
	case UnsuccessfulNoBids:
		if !ok || len(closed.Submissions) > 0 || (s.Phase != PhaseReceiptClosed && s.Phase != PhaseQualification) {
			return nil, ErrBidsReceived.With("the case is in %s", s.Phase)
		}
	case UnsuccessfulAllRejected:
		if !s.allRejected() {
			return nil, ErrNotAllRejected
		}
	}
	return []Event{ProcurementUnsuccessful{Reason: c.Reason, Explanation: explanation, SuccessorCaseID: c.SuccessorCaseID,
		PreviousPhase: s.Phase, SuppliersNotified: s.suppliersToNotify(), DeclaredAt: c.At.UTC()}}, nil
}

// allRejected: in evaluation every opened tender is rejected; in
// qualification every request is assessed and none qualified.
func (s State) allRejected() bool {
	switch s.Phase {
	case PhaseEvaluation:
		return len(s.openedTenders()) > 0 && len(s.validTenders()) == 0
	case PhaseQualification:
		reqs := s.openedRequests()
		if len(reqs) == 0 {
			return false
		}
		for _, r := range reqs {
			if a, ok := s.Qualification.Assessments[r.BidID]; !ok || a.Qualified {
				return false
			}
		}
		return true
	}
	return false
}

func withdraw(s State, c WithdrawMunicipality) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	hash := strings.ToLower(strings.TrimSpace(c.AssessmentHash))
	if hash != "" && !sha256Hex.MatchString(hash) {
		return nil, ErrInvalidDocumentHash.With("the material-change assessment")
	}
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	switch st {
	case MemberWithdrawn:
		return nil, nil
	case MemberJoined:
	default:
		return nil, ErrNotMember
	}
	if org == s.Lead {
		return nil, ErrLeadCannotWithdraw
	}
	if s.Phase.BeforeNotice() {
		return []Event{MunicipalityWithdrawn{Org: org, Reason: reason, AssessmentHash: hash}}, nil
	}
	if s.afterAward() {
		return nil, ErrWithdrawalAfterAward
	}
	if hash == "" {
		return nil, ErrWithdrawalAfterNotice
	}
	if prev, ok := s.Withdrawals[org]; ok {
		if prev.AssessmentHash == hash && prev.Reason == reason {
			return nil, nil
		}
		return nil, ErrWithdrawalPending
	}
	return []Event{WithdrawalRequested{Org: org, Reason: reason, AssessmentHash: hash, RequestedAt: c.At.UTC()}}, nil
}

// afterAward says whether an award decision has been taken.
func (s State) afterAward() bool {
	switch s.Phase {
	case PhaseAwardDecided, PhaseStandstill, PhaseSuspended, PhaseContracting, PhaseContractActive, PhaseFollowUp:
		return true
	}
	return len(s.ActiveAwards()) > 0
}

func approveWithdrawal(s State, c ApproveWithdrawal) ([]Event, error) {
	by := c.By.Org
	if by != s.Hub && by != s.Lead {
		if _, err := memberStatus(s, by); err != nil {
			return nil, err
		}
		return nil, ErrHubOrLeadOnly
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	w, ok := s.Withdrawals[c.Org]
	if !ok {
		return nil, ErrWithdrawalNotFound
	}
	if slices.Contains(w.ApprovedBy, by) || s.Members[c.Org] == MemberWithdrawn {
		return nil, nil
	}
	if s.afterAward() {
		return nil, ErrWithdrawalAfterAward
	}
	out := []Event{WithdrawalApproved{Org: c.Org, By: by}}
	approved := append(slices.Clone(w.ApprovedBy), by)
	if slices.Contains(approved, s.Hub) && slices.Contains(approved, s.Lead) {
		out = append(out, MunicipalityWithdrawn{Org: c.Org, Reason: w.Reason, AssessmentHash: w.AssessmentHash})
	}
	return out, nil
}
