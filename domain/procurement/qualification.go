package procurement

import (
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Qualification and negotiation (DOMAIN.md §1 P6, §2 transitions 11–12): once
// the requests to participate are opened, the lead assesses every request
// against the selection criteria, then invites at least the minimum number of
// qualified candidates (all of them when fewer qualify). The restricted
// procedure goes straight to tender; CPN, CD and IP negotiate first, with every
// change of requirements sent in writing to every remaining participant, and
// end with one call for final tenders with one deadline for all.

// minCandidates is the least number to invite (Art 65 ⚠): the procedure's own
// number if the design set one, else 5 for restricted and 3 for the others.
func (s State) minCandidates() int {
	if p := s.Design.Procedure; p != nil && p.MinCandidates > 0 {
		return p.MinCandidates
	}
	if s.procedure() == timelimits.Restricted {
		return 5
	}
	return 3
}

// negotiates says whether the procedure negotiates before final tenders.
func negotiates(p timelimits.Procedure) bool {
	return p == timelimits.CompetitiveNegotiation || p == timelimits.CompetitiveDialogue || p == timelimits.InnovationPartnership
}

func qualificationPhase(s State) error {
	if s.Phase != PhaseQualification {
		return ErrNotQualificationPhase.With("the case is in %s", s.Phase)
	}
	if _, opened := s.Tendering.Openings[RoundRequests]; !opened {
		return ErrRequestsNotOpened
	}
	return nil
}

// openedRequests are the requests to participate in the opening protocol.
func (s State) openedRequests() []OpenedBid {
	return s.Tendering.Openings[RoundRequests].Bids
}

func assessQualification(s State, c AssessQualification) ([]Event, error) {
	grounds, legal := strings.TrimSpace(c.Grounds), strings.TrimSpace(c.LegalBasis)
	switch {
	case tooLong(grounds, maxText) || tooLong(legal, maxTitle):
		return nil, ErrGroundsRequired
	case !c.Qualified && grounds == "":
		return nil, ErrGroundsRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if prev, ok := s.Qualification.Assessments[c.SubmissionID]; ok && prev.Qualified == c.Qualified && prev.Grounds == grounds && prev.LegalBasis == legal {
		if results, err := s.checkResults(c.Results, c.Qualified); err == nil && slices.Equal(prev.Results, results) {
			return nil, nil
		}
	}
	if err := qualificationPhase(s); err != nil {
		return nil, err
	}
	var sub *OpenedBid
	for _, b := range s.openedRequests() {
		if b.BidID == c.SubmissionID {
			sub = &b
		}
	}
	if sub == nil {
		return nil, ErrBidNotFound.With("no opened request %q", c.SubmissionID)
	}
	results, err := s.checkResults(c.Results, c.Qualified)
	if err != nil {
		return nil, err
	}
	e := QualificationAssessed{SubmissionID: sub.BidID, Supplier: sub.Supplier, Qualified: c.Qualified, Results: results,
		Grounds: grounds, LegalBasis: legal, AssessedAt: c.At.UTC()}
	if prev, ok := s.Qualification.Assessments[sub.BidID]; ok && prev.Qualified == e.Qualified && prev.Grounds == grounds &&
		prev.LegalBasis == legal && slices.Equal(prev.Results, results) {
		return nil, nil
	}
	return []Event{e}, nil
}

// checkResults wants one result per selection criterion, sorted by criterion,
// and no unmet criterion for a qualified candidate.
func (s State) checkResults(in []CriterionResult, qualified bool) ([]CriterionResult, error) {
	defined := map[string]bool{}
	for _, sc := range s.Design.Qualification.SelectionCriteria {
		defined[sc.ID] = true
	}
	seen := map[string]bool{}
	out := make([]CriterionResult, 0, len(in))
	for _, r := range in {
		r.Note = strings.TrimSpace(r.Note)
		switch {
		case !defined[r.Criterion]:
			return nil, ErrUnknownCriterion.With("no selection criterion %q", r.Criterion)
		case seen[r.Criterion]:
			return nil, ErrUnknownCriterion.With("selection criterion %q given twice", r.Criterion)
		case tooLong(r.Note, maxQuestion):
			return nil, ErrGroundsRequired
		case qualified && !r.Met:
			return nil, ErrQualifiedWithUnmet.With("criterion %q", r.Criterion)
		}
		seen[r.Criterion] = true
		out = append(out, r)
	}
	if len(seen) != len(defined) {
		var missing []string
		for id := range defined {
			if !seen[id] {
				missing = append(missing, id)
			}
		}
		slices.Sort(missing)
		return nil, ErrResultsIncomplete.With("no result for %s", strings.Join(missing, ", "))
	}
	slices.SortFunc(out, func(a, b CriterionResult) int { return strings.Compare(a.Criterion, b.Criterion) })
	return out, nil
}

func inviteCandidates(s State, c InviteCandidates) ([]Event, error) {
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if inv := s.Qualification.Invitation; inv != nil {
		if slices.Equal(inv.Invited, slices.Compact(slices.Sorted(slices.Values(c.Invited)))) {
			return nil, nil
		}
		return nil, ErrAlreadyInvited
	}
	if err := qualificationPhase(s); err != nil {
		return nil, err
	}
	qualified := map[string]bool{}
	var unassessed []string
	for _, b := range s.openedRequests() {
		a, ok := s.Qualification.Assessments[b.BidID]
		switch {
		case !ok:
			unassessed = append(unassessed, b.BidID)
		case a.Qualified:
			qualified[a.Supplier] = true
		}
	}
	if len(unassessed) > 0 {
		return nil, ErrQualificationIncomplete.With("not assessed: %s", strings.Join(unassessed, ", "))
	}
	invited := slices.Compact(slices.Sorted(slices.Values(c.Invited)))
	for _, sup := range invited {
		if !qualified[sup] {
			return nil, ErrNotQualified.With("%q is not a qualified candidate", sup)
		}
	}
	left := map[string]string{}
	for _, n := range c.NotInvited {
		if r := strings.TrimSpace(n.Reason); r != "" && !tooLong(r, maxQuestion) {
			left[n.Supplier] = r
		}
	}
	var notInvited []NotInvited
	for _, sup := range slices.Sorted(mapKeys(qualified)) {
		if slices.Contains(invited, sup) {
			continue
		}
		r, ok := left[sup]
		if !ok {
			return nil, ErrNotInvitedReason.With("give the reason %q is not invited", sup)
		}
		notInvited = append(notInvited, NotInvited{Supplier: sup, Reason: r})
	}
	min := s.minCandidates()
	switch {
	case len(invited) == 0:
		return nil, ErrNoCandidates
	case len(invited) < min && len(invited) < len(qualified):
		return nil, ErrTooFewCandidates.With("invite at least %d, or every qualified candidate (%d)", min, len(qualified))
	case s.Design.Procedure.MaxCandidates > 0 && len(invited) > s.Design.Procedure.MaxCandidates:
		return nil, ErrTooManyCandidates.With("at most %d", s.Design.Procedure.MaxCandidates)
	}
	e := CandidatesInvited{Invited: invited, NotInvited: notInvited, MinCandidates: min, Next: PhaseNegotiation, InvitedAt: c.At.UTC()}
	if !negotiates(s.procedure()) {
		deadline := c.TenderDeadline
		if deadline.IsZero() {
			deadline = s.Design.Timetable.Timetable.TenderDeadline
		}
		comp, err := s.checkTenderDeadline(c.Limits, c.At, deadline)
		if err != nil {
			return nil, err
		}
		e.Next, e.TenderDeadline, e.Minimum = PhaseTendering, deadline.UTC(), comp
	}
	return []Event{e}, nil
}

// checkTenderDeadline checks a deadline for tenders after an invitation sent
// at `at`: in the future, not before the published timetable's tender
// deadline, and not under the legal minimum from the invitation.
func (s State) checkTenderDeadline(t *timelimits.Table, at, deadline time.Time) (*timelimits.Computation, error) {
	if t == nil {
		return nil, ErrTimeLimitsUnavailable
	}
	switch {
	case !deadline.After(at):
		return nil, ErrInvalidTimetable.With("the tender deadline must be after now")
	case deadline.Before(s.Design.Timetable.Timetable.TenderDeadline):
		return nil, ErrInvalidTimetable.With("the tender deadline cannot be earlier than the published %s",
			s.Design.Timetable.Timetable.TenderDeadline.Format(time.RFC3339))
	}
	comp, err := s.checkPeriod(t, timelimits.TendersAfterInvitation, at, deadline)
	if err != nil {
		return nil, err
	}
	return &comp, nil
}

// participants are the invited candidates not eliminated, sorted.
func (s State) participants() []string {
	if s.Qualification.Invitation == nil {
		return nil
	}
	var out []string
	for _, sup := range s.Qualification.Invitation.Invited {
		if _, gone := s.Qualification.Eliminated[sup]; !gone {
			out = append(out, sup)
		}
	}
	return out
}

func negotiationPhase(s State) error {
	if s.Phase != PhaseNegotiation {
		return ErrNotNegotiationPhase.With("the case is in %s", s.Phase)
	}
	return nil
}

func holdNegotiationRound(s State, c HoldNegotiationRound) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.MinutesHash))
	var changes []string // nil when none, as it decodes from the log
	for _, x := range c.RequirementsChanged {
		x = strings.TrimSpace(x)
		if !textOK(x, maxQuestion) {
			return nil, ErrChangesRequired
		}
		changes = append(changes, x)
	}
	switch {
	case c.Round < 1:
		return nil, ErrInvalidRound
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the minutes")
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	for _, r := range s.Qualification.Rounds {
		if r.Round == c.Round && r.Supplier == c.Supplier {
			if r.MinutesHash == hash && slices.Equal(r.RequirementsChanged, changes) {
				return nil, nil
			}
			return nil, ErrRoundRecorded
		}
	}
	if err := negotiationPhase(s); err != nil {
		return nil, err
	}
	remaining := s.participants()
	if !slices.Contains(remaining, c.Supplier) {
		return nil, ErrNotParticipant.With("%q", c.Supplier)
	}
	e := NegotiationRoundHeld{Round: c.Round, Supplier: c.Supplier, MinutesHash: hash, RequirementsChanged: changes, HeldAt: c.At.UTC()}
	if len(changes) > 0 {
		e.SentTo = remaining // in writing to every remaining participant (§4.4)
	}
	return []Event{e}, nil
}

func eliminateParticipant(s State, c EliminateParticipant) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if _, gone := s.Qualification.Eliminated[c.Supplier]; gone {
		return nil, nil
	}
	if err := negotiationPhase(s); err != nil {
		return nil, err
	}
	remaining := s.participants()
	switch {
	case !slices.Contains(remaining, c.Supplier):
		return nil, ErrNotParticipant.With("%q", c.Supplier)
	case len(remaining) == 1:
		return nil, ErrLastParticipant
	}
	return []Event{ParticipantEliminated{Supplier: c.Supplier, Reason: reason, EliminatedAt: c.At.UTC()}}, nil
}

func callForFinalTenders(s State, c CallForFinalTenders) ([]Event, error) {
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if f := s.Qualification.FinalCall; f != nil {
		if f.Deadline.Equal(c.Deadline) {
			return nil, nil
		}
		return nil, ErrFinalTendersCalled.With("they were called for %s", f.Deadline.Format(time.RFC3339))
	}
	if err := negotiationPhase(s); err != nil {
		return nil, err
	}
	comp, err := s.checkTenderDeadline(c.Limits, c.At, c.Deadline)
	if err != nil {
		return nil, err
	}
	return []Event{FinalTendersCalled{Deadline: c.Deadline.UTC(), Recipients: s.participants(), Minimum: comp, CalledAt: c.At.UTC()}}, nil
}

// mayTender says whether a supplier may submit in the tender round: in a
// two-stage procedure only the invited candidates still taking part.
func (s State) mayTender(supplier string) bool {
	if s.Tendering.Round != RoundTenders || s.Qualification.Invitation == nil {
		return true
	}
	return slices.Contains(s.participants(), supplier)
}
