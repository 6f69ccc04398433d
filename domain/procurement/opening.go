package procurement

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Opening (DOMAIN.md §2 transition 14, §4.4): only after receipt closed at the
// deadline, and not before the timetable's opening time; only the lead (the
// policies say which of its roles); under four-eyes a first person starts the
// opening and a second, different person completes it. Every submission's
// content hash, computed by the application from the sealed store, is compared
// with the hash received; the opening protocol is the BidsOpened event, bound
// by its own hash.

// roundToOpen is the closed round whose submissions are still sealed.
func (s State) roundToOpen() (Round, bool) {
	for _, r := range []Round{RoundRequests, RoundTenders} {
		_, closed := s.Tendering.Closed[r]
		_, opened := s.Tendering.Openings[r]
		if closed && !opened {
			return r, true
		}
	}
	return "", false
}

func openBids(s State, c OpenBids) ([]Event, error) {
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	round, ok := s.roundToOpen()
	if !ok {
		if s.Phase == PhaseTendering {
			return nil, ErrOpeningBeforeClose.With("the deadline is %s", s.Tendering.Deadline.Format(time.RFC3339))
		}
		if len(s.Tendering.Openings) > 0 {
			return nil, nil // opened already
		}
		return nil, ErrOpeningBeforeClose.With("the case is in %s", s.Phase)
	}
	plan := s.Design.Timetable.Timetable
	if round == RoundTenders && c.At.Before(plan.OpeningAt) {
		return nil, ErrOpeningBeforeTime.With("the opening is set for %s", plan.OpeningAt.Format(time.RFC3339))
	}
	ids := s.Tendering.Closed[round].Submissions
	if len(ids) == 0 {
		return nil, ErrNoBids
	}
	openers := []string{c.By.User}
	if plan.FourEyesOpening {
		first, started := s.Tendering.OpeningBy[round]
		switch {
		case !started:
			return []Event{BidOpeningStarted{Round: round, By: c.By.User}}, nil
		case first == c.By.User:
			return nil, ErrSecondOpenerRequired.With("%s started the opening", first)
		}
		openers = []string{first, c.By.User}
	}
	p := BidsOpened{Round: round, OpenedAt: c.At.UTC(), OpenedBy: openers, HashesVerified: true}
	for _, id := range ids {
		b := s.Tendering.Bids[id]
		got, checked := c.Verified[id]
		if !checked && !c.Probe {
			return nil, ErrOpeningUnverified.With("no hash for submission %s", id)
		}
		verified := strings.EqualFold(got, b.SHA256)
		p.HashesVerified = p.HashesVerified && verified
		p.Bids = append(p.Bids, OpenedBid{BidID: id, Supplier: b.Supplier, Lots: slices.Clone(b.Lots), ReceivedAt: b.ReceivedAt,
			SHA256: b.SHA256, HashVerified: verified, NeedsConfirmation: b.NeedsConfirmation})
	}
	p.ProtocolHash = ProtocolHash(p)
	return []Event{p}, nil
}

// ProtocolHash is the SHA-256 of the opening protocol (the event without its
// hash) as JSON, so an auditor can check the protocol was not altered.
func ProtocolHash(p BidsOpened) string {
	p.ProtocolHash = ""
	body, _ := json.Marshal(p) // a struct of strings, times and bools always marshals
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Reminders (the workflow clock, DOMAIN.md §2 "SYS"): at most one per subject
// and local day, and only while the thing reminded of is still outstanding.
func sendReminder(s State, c SendReminder) ([]Event, error) {
	if !c.By.IsPlatform() {
		return nil, ErrSystemOnly
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	var to []string
	switch c.Kind {
	case ReminderUnansweredQuestion:
		q, ok := s.Dialogue.Questions[c.Subject]
		if !ok {
			return nil, ErrInvalidReminder.With("no question %q", c.Subject)
		}
		if q.Answer != nil || s.Lead == "" {
			return nil, nil
		}
		to = []string{s.Lead}
	case ReminderMissingApproval:
		cur, ok := s.CurrentDocuments()
		if !ok || c.Subject != DocsSubject(cur.Version) {
			return nil, ErrInvalidReminder.With("no documents version %q", c.Subject)
		}
		if to = s.votesMissing(); len(to) == 0 {
			return nil, nil
		}
	default:
		return nil, ErrInvalidReminder.With("%q", c.Kind)
	}
	day := s.localDay(c.At)
	if s.Tendering.Reminders[reminderKey(c.Kind, c.Subject, day)] {
		return nil, nil
	}
	return []Event{ReminderSent{Kind: c.Kind, Subject: c.Subject, Recipients: to, Day: day}}, nil
}

// DocsSubject names a documents version as a reminder's subject.
func DocsSubject(version int) string { return "documents-v" + strconv.Itoa(version) }
