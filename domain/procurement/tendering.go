package procurement

import (
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Publication and tendering (DOMAIN.md §1 P5, §2 transitions 8, 9 and 13): the
// lead publishes the notice under the members' mandates to publish, which fixes
// the buyers; amendments reach every supplier, and a material one extends the
// deadline and asks existing submissions to be confirmed; at the deadline the
// workflow clock closes receipt.

func publishContractNotice(s State, c PublishContractNotice) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.DocumentHash))
	ext := strings.TrimSpace(c.ExternalNoticeID)
	switch {
	case !c.Channel.valid():
		return nil, ErrInvalidChannel.With("%q", c.Channel)
	case !noticeIDFormat.MatchString(ext):
		return nil, ErrExternalNoticeIDRequired
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if n := s.Tendering.Notice; n != nil {
		if n.DocumentHash == hash && n.ExternalNoticeID == ext && n.Channel == c.Channel {
			return nil, nil
		}
		return nil, ErrNotTendering.With("the notice is already published")
	}
	cur, ok := s.CurrentDocuments()
	switch {
	case s.Phase != PhaseApproval || !ok || cur.Outcome != NeedsApproved:
		return nil, ErrDocumentsNotApproved.With("the case is in %s", s.Phase)
	case cur.DocumentHash != hash:
		return nil, ErrDocumentsHashMismatch.With("the members approved version %d", cur.Version)
	case c.Limits == nil:
		return nil, ErrTimeLimitsUnavailable
	}
	if missing := s.membersWithout(s.hasCommitment); len(missing) > 0 {
		return nil, ErrVolumesMissing.With("no volumes from %s", strings.Join(missing, ", "))
	}
	mandates, err := s.mandatesFor(ScopePublish, c.At)
	if err != nil {
		return nil, err
	}
	plan := s.Design.Timetable.Timetable
	minima, err := s.checkPlan(c.Limits, plan, c.At)
	if err != nil {
		return nil, err
	}
	deadline, _, round := firstDeadline(s.procedure(), plan)
	return []Event{ContractNoticePublished{Channel: c.Channel, ExternalNoticeID: ext, DocumentsVersion: cur.Version,
		DocumentHash: hash, Buyers: s.joinedMembers(), MandateIDs: mandates, PublishedAt: c.At.UTC(), Round: round,
		Deadline: deadline, Minima: minima}}, nil
}

// openRound checks the case is tendering in a round whose receipt is open.
func (s State) openRound() error {
	if s.Phase != PhaseTendering {
		return ErrNotTendering.With("the case is in %s", s.Phase)
	}
	return nil
}

func amendTender(s State, c AmendTender) ([]Event, error) {
	rationale := strings.TrimSpace(c.Rationale)
	hash := strings.ToLower(strings.TrimSpace(c.DocumentHash))
	changes := make([]string, len(c.Changes))
	for i, x := range c.Changes {
		if changes[i] = strings.TrimSpace(x); !textOK(changes[i], maxQuestion) {
			return nil, ErrChangesRequired
		}
	}
	switch {
	case len(changes) == 0 || len(changes) > 50 || !textOK(rationale, maxQuestion):
		return nil, ErrChangesRequired
	case hash != "" && !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash
	case c.Material && c.NewDeadline.IsZero():
		return nil, ErrNewDeadlineRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if err := s.openRound(); err != nil {
		return nil, err
	}
	newDeadline := c.NewDeadline.UTC()
	if n := len(s.Tendering.Amendments); n > 0 {
		last := s.Tendering.Amendments[n-1]
		if slices.Equal(last.Changes, changes) && last.Rationale == rationale && last.Material == c.Material &&
			last.DocumentHash == hash && (c.NewDeadline.IsZero() || s.Tendering.Deadline.Equal(newDeadline)) {
			return nil, nil // this amendment is already in
		}
	}
	if _, err := s.mandatesFor(ScopePublish, c.At); err != nil {
		return nil, err
	}
	if c.Limits == nil {
		return nil, ErrTimeLimitsUnavailable
	}
	deadline := s.Tendering.Deadline
	extend := !c.NewDeadline.IsZero() && !newDeadline.Equal(deadline)
	switch {
	case !c.NewDeadline.IsZero() && newDeadline.Before(deadline):
		return nil, ErrDeadlineShortened
	case c.Material && !extend:
		return nil, ErrNewDeadlineRequired
	case !c.At.Before(deadline) && !(c.Material && extend):
		return nil, ErrAmendmentAfterDeadline
	}
	end := deadline
	if extend {
		end = newDeadline
	}
	// A material change needs the late-change period before the deadline; any
	// other information the additional-information period.
	kind := timelimits.AdditionalInfoBeforeDeadline
	if c.Material {
		kind = timelimits.LateChangeExtension
	}
	comp, err := s.checkPeriod(c.Limits, kind, c.At, end)
	if err != nil {
		return nil, err
	}
	number := len(s.Tendering.Amendments) + 1
	events := []Event{TenderAmended{Number: number, Changes: changes, Rationale: rationale, Material: c.Material,
		DocumentHash: hash, RecipientCount: len(s.supplierRecipients()), AmendedAt: c.At.UTC()}}
	if extend {
		events = append(events, TenderDeadlineExtended{Round: s.Tendering.Round, From: deadline, To: end, Computation: comp})
	}
	if c.Material {
		if ids := s.sealedInRound(s.Tendering.Round); len(ids) > 0 {
			events = append(events, BidsRequireConfirmation{Amendment: number, BidIDs: ids})
		}
	}
	return events, nil
}

// sealedInRound lists the submissions of a round that are not withdrawn, in
// the order received.
func (s State) sealedInRound(r Round) []string {
	var out []string
	for _, id := range s.Tendering.BidsByOrder {
		if b := s.Tendering.Bids[id]; b.Round == r && !b.Withdrawn {
			out = append(out, id)
		}
	}
	return out
}

func closeReceipt(s State, c CloseReceipt) ([]Event, error) {
	if !c.By.IsPlatform() {
		return nil, ErrSystemOnly
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	round := s.Tendering.Round
	if _, closed := s.Tendering.Closed[round]; closed || s.Phase != PhaseTendering {
		return nil, nil // closed already, or nothing to close: the clock may tick twice
	}
	if c.At.Before(s.Tendering.Deadline) {
		return nil, ErrDeadlineNotReached.With("the deadline is %s", s.Tendering.Deadline.Format(time.RFC3339))
	}
	if open := s.unansweredQuestions(StageTender); len(open) > 0 {
		return nil, ErrUnansweredQuestions.With("receipt cannot close with unanswered questions: %s", strings.Join(open, ", "))
	}
	ids := s.sealedInRound(round)
	perLot := map[string]int{}
	for _, id := range ids {
		for _, lot := range s.Tendering.Bids[id].Lots {
			perLot[lot]++
		}
	}
	return []Event{TenderingClosed{Round: round, Deadline: s.Tendering.Deadline, ClosedAt: c.At.UTC(), Submissions: ids, PerLot: perLot}}, nil
}
