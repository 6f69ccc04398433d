package procurement

import (
	"strings"
	"time"
)

// Complaints and review (DOMAIN.md §2 transitions 17–18): the hub or the lead
// records a complaint and the forum it went to. One with suspensive effect,
// or an interim measure of the review body, suspends contracting from the
// award decision until a contract is signed; the review's outcome lets the
// standstill go on, voids the award decisions for a new one, or reopens the
// evaluation.

// suspendable says whether contracting can be suspended in the current phase.
func (s State) suspendable() bool {
	switch s.Phase {
	case PhaseAwardDecided, PhaseStandstill, PhaseContracting, PhaseSuspended:
		return true
	}
	return false
}

func (s State) suspend(id, ruling, hash string, at time.Time) ContractingSuspended {
	prev := s.Phase
	if prev == PhaseSuspended {
		prev = s.Award.SuspendedFrom
	}
	return ContractingSuspended{ComplaintID: id, Ruling: ruling, DocHash: hash, Previous: prev, SuspendedAt: at.UTC()}
}

func registerComplaint(s State, c RegisterComplaint) ([]Event, error) {
	complainant, grounds := strings.TrimSpace(c.Complainant), strings.TrimSpace(c.Grounds)
	switch {
	case !idPattern.MatchString(c.ComplaintID):
		return nil, ErrInvalidComplaintID
	case !textOK(complainant, maxTitle):
		return nil, ErrComplainantRequired
	case !c.Forum.valid():
		return nil, ErrInvalidForum
	case !textOK(grounds, maxText):
		return nil, ErrGroundsRequired
	}
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	if prev, ok := s.Award.Complaints[c.ComplaintID]; ok {
		if prev.Complainant == complainant && prev.Forum == c.Forum && prev.Grounds == grounds && prev.Suspensive == c.Suspensive {
			return nil, nil
		}
		return nil, ErrComplaintIDTaken
	}
	if s.Phase.BeforeNotice() {
		return nil, ErrComplaintBeforeNotice
	}
	e := ComplaintReceived{ComplaintID: c.ComplaintID, Complainant: complainant, Forum: c.Forum, Grounds: grounds, Suspensive: c.Suspensive, ReceivedAt: c.At.UTC()}
	if !c.Suspensive {
		return []Event{e}, nil
	}
	if !s.suspendable() {
		return nil, ErrNothingToSuspend.With("the case is in %s", s.Phase)
	}
	return []Event{e, s.suspend(c.ComplaintID, "the complaint has suspensive effect", "", c.At)}, nil
}

func registerInterimMeasure(s State, c RegisterInterimMeasure) ([]Event, error) {
	ruling, hash := strings.TrimSpace(c.Ruling), strings.ToLower(strings.TrimSpace(c.DocHash))
	switch {
	case !textOK(ruling, maxText):
		return nil, ErrRulingRequired
	case hash != "" && !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the ruling")
	}
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	k, ok := s.Award.Complaints[c.ComplaintID]
	switch {
	case !ok:
		return nil, ErrComplaintNotFound
	case k.Suspension != nil && k.Resolution == nil:
		return nil, nil
	case k.Resolution != nil:
		return nil, ErrReviewResolved
	case !s.suspendable():
		return nil, ErrNothingToSuspend.With("the case is in %s", s.Phase)
	}
	return []Event{s.suspend(c.ComplaintID, ruling, hash, c.At)}, nil
}

func resolveReview(s State, c ResolveReview) ([]Event, error) {
	ruling, hash := strings.TrimSpace(c.Ruling), strings.ToLower(strings.TrimSpace(c.DocHash))
	switch {
	case !c.Outcome.valid():
		return nil, ErrInvalidReviewOutcome
	case !textOK(ruling, maxText):
		return nil, ErrRulingRequired
	case hash != "" && !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the ruling")
	}
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	k, ok := s.Award.Complaints[c.ComplaintID]
	if !ok {
		return nil, ErrComplaintNotFound
	}
	if r := k.Resolution; r != nil {
		if r.Outcome == c.Outcome && r.Ruling == ruling && r.DocHash == hash {
			return nil, nil
		}
		return nil, ErrReviewResolved
	}
	next := s.Phase
	switch c.Outcome {
	case ReviewContinue:
		if s.Phase == PhaseSuspended && !s.otherSuspensions(c.ComplaintID) {
			next = s.Award.SuspendedFrom
		}
	default:
		for _, a := range s.ActiveAwards() {
			if s.contractFor(a.AwardID) {
				return nil, ErrContractSigned.With("award %s", a.AwardID)
			}
		}
		if s.Evaluation.Report == nil && len(s.ActiveAwards()) == 0 {
			return nil, ErrNotAwardPhase.With("nothing is decided yet: resolve it with CONTINUE")
		}
		next = PhaseEvaluation
	}
	return []Event{ReviewResolved{ComplaintID: c.ComplaintID, Outcome: c.Outcome, Ruling: ruling, DocHash: hash, Next: next, ResolvedAt: c.At.UTC()}}, nil
}

// suspensionHeld says whether any complaint still holds a suspension.
func (s State) suspensionHeld() bool { return s.otherSuspensions("") }

// otherSuspensions says whether a complaint other than id still holds a suspension.
func (s State) otherSuspensions(id string) bool {
	for kid, k := range s.Award.Complaints {
		if kid != id && k.Suspension != nil && k.Resolution == nil {
			return true
		}
	}
	return false
}
