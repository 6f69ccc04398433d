package clock

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
)

// The schedule is the case as the domain folds it (procurement.Decider.Evolve
// over the case's own events), plus the few facts the fold does not keep.
// Reading the watches from the folded case rather than from a second, private
// interpretation of the events means the clock and the decider never disagree
// about what is open: which round is current, which questions are answered,
// whose vote is missing, whether the case has ended.

// caseClock is what the clock knows of one case.
type caseClock struct {
	state    procurement.State
	loc      *time.Location    // the case's legal time zone: reminders are per local day
	docsAt   time.Time         // when the current documents version was submitted
	causes   map[string]string // watch → the event that set it, carried as causation ID
	reminded map[string]bool   // reminders the log already holds (kind, subject, day)
	done     bool              // cancelled or terminal: nothing more to watch

	// What this process dispatched and the log does not show yet: a command
	// that was accepted (or was a no-op) is not sent again while it stays due.
	// Pruned to what is still due at every tick.
	sent map[string]bool
	// The last refusal logged per command ID, so a refusal that repeats at
	// every tick is logged once at its level and then at debug.
	refused map[string]string
	// Commands refused, with the case's version they were decided on: the
	// tick after a message of another case does not send them again (only
	// the interval's tick, or a new event of this case, does), so a busy log
	// cannot make the clock hammer a case that is waiting for an answer.
	held    map[string]int
	version int // events applied
}

// Watches and their causes.
const (
	watchClose      = "close"
	watchStandstill = "standstill"
	watchDocs       = "docs"
)

func watchQuestion(id string) string { return "q/" + id }

func newCaseClock() *caseClock {
	return &caseClock{state: procurement.Decider.Initial(), loc: time.UTC, causes: map[string]string{},
		reminded: map[string]bool{}, sent: map[string]bool{}, refused: map[string]string{}, held: map[string]int{}}
}

// apply folds one of the case's events.
func (c *caseClock) apply(rec eventstore.Record, ev procurement.Event) {
	if c.done {
		return
	}
	c.state = procurement.Decider.Evolve(c.state, ev)
	c.version++
	switch e := ev.(type) {
	case procurement.CaseCreated:
		c.loc = location(e.Jurisdiction)
	// Every event that opens a tender round or moves its deadline: the close
	// names it as its cause.
	case procurement.ContractNoticePublished, procurement.TenderDeadlineExtended, procurement.FinalTendersCalled:
		c.causes[watchClose] = rec.ID
	case procurement.CandidatesInvited:
		if e.Next == procurement.PhaseTendering { // restricted: straight to tender
			c.causes[watchClose] = rec.ID
		}
	case procurement.StandstillStarted:
		c.causes[watchStandstill] = rec.ID
	case procurement.QuestionReceived:
		c.causes[watchQuestion(e.QuestionID)] = rec.ID
	case procurement.AnswerPublished:
		delete(c.causes, watchQuestion(e.QuestionID))
	case procurement.TenderDocumentsSubmitted:
		c.docsAt = e.SubmittedAt
		if c.docsAt.IsZero() {
			c.docsAt = rec.Metadata.OccurredAt
		}
		c.causes[watchDocs] = rec.ID
	case procurement.ReminderSent:
		c.reminded[reminderKey(e.Kind, e.Subject, e.Day)] = true
	}
	if c.state.Phase.Terminal() { // PhaseCancelled is terminal too
		*c = caseClock{done: true}
	}
}

// location is the jurisdiction's legal time zone, as the decider reads the
// local day of a reminder; UTC when it has none.
func location(j procurement.Jurisdiction) *time.Location {
	if loc, err := timelimits.Jurisdiction(j).Location(); err == nil {
		return loc
	}
	return time.UTC
}

// command is which of the clock's commands an action sends.
type command int

const (
	closeReceipt  command = iota // CloseReceipt at the receipt deadline
	endStandstill                // EndStandstill after the standstill's end
	sendReminder                 // SendReminder(kind, subject)
)

// action is one command the clock owes a case.
type action struct {
	caseID    string
	commandID string
	cause     string // the event that made it due
	command   command
	kind      procurement.ReminderKind // of a reminder
	subject   string                   // of a reminder
	deadline  time.Time                // of a close, or the standstill's end
	version   int                      // of the case when the action fell due
}

// due lists what the case is owed at now, oldest watch first: the close of
// receipt, the end of the standstill, then the reminders.
func (c *caseClock) due(now time.Time, cfg Config) []action {
	s := c.state
	if c.done || !s.Created {
		return nil
	}
	var out []action
	defer func() {
		for i := range out {
			out[i].version = c.version
		}
	}()
	t := s.Tendering
	if _, closed := t.Closed[t.Round]; s.Phase == procurement.PhaseTendering && t.Notice != nil && !closed && !now.Before(t.Deadline) {
		out = append(out, action{caseID: s.ID, commandID: closeCommandID(s.ID, t.Round, t.Deadline), cause: c.causes[watchClose],
			command: closeReceipt, deadline: t.Deadline})
	}
	// The standstill ends after its last instant, never at it; while a
	// suspension holds it the clock waits, and the review that lets it go on
	// brings the case back to STANDSTILL with the same end.
	if st := s.Award.Standstill; st != nil && s.Phase == procurement.PhaseStandstill && now.After(st.EndsAt) {
		out = append(out, action{caseID: s.ID, commandID: standstillCommandID(s.ID, st.EndsAt), cause: c.causes[watchStandstill],
			command: endStandstill, deadline: st.EndsAt})
	}
	day := now.In(c.loc).Format(time.DateOnly)
	remind := func(kind procurement.ReminderKind, subject, cause string) {
		if !c.reminded[reminderKey(kind, subject, day)] {
			out = append(out, action{caseID: s.ID, commandID: remindCommandID(kind, s.ID, subject, day), cause: cause,
				command: sendReminder, kind: kind, subject: subject})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Dialogue.Questions)) {
		if q := s.Dialogue.Questions[id]; q.Answer == nil && !now.Before(q.ReceivedAt.Add(cfg.QuestionAge)) {
			remind(procurement.ReminderUnansweredQuestion, id, c.causes[watchQuestion(id)])
		}
	}
	// A version without an outcome is still missing votes: the vote settles
	// (TenderDocumentsDecided) in the append of the vote that completes it.
	if cur, ok := s.CurrentDocuments(); ok && cur.Outcome == "" && !c.docsAt.IsZero() && !now.Before(c.docsAt.Add(cfg.ApprovalAge)) {
		remind(procurement.ReminderMissingApproval, procurement.DocsSubject(cur.Version), c.causes[watchDocs])
	}
	return out
}

func reminderKey(kind procurement.ReminderKind, subject, day string) string {
	return string(kind) + "\x00" + subject + "\x00" + day
}

// maxCommandID is the longest command ID the dispatcher stores.
const maxCommandID = 128

// closeCommandID names the close of one round at one deadline: a clock that
// ticks twice, or a second clock, sends the same ID and the dispatcher answers
// with the first result; an extended deadline is a new ID.
func closeCommandID(caseID string, round procurement.Round, deadline time.Time) string {
	return "clock/close/" + caseID + "/" + string(round) + "/" + strconv.FormatInt(deadline.Unix(), 10)
}

// standstillCommandID names the end of one standstill. An ended standstill
// lies wholly before any notification that follows a revoked award, so the
// new standstill ends later and its end gets another ID.
func standstillCommandID(caseID string, end time.Time) string {
	return "clock/standstill/" + caseID + "/" + strconv.FormatInt(end.Unix(), 10)
}

// remindCommandID names one reminder per subject and local day. A question ID
// may be 64 characters; when the ID would be longer than the dispatcher
// accepts, the subject is replaced by a hash of it.
func remindCommandID(kind procurement.ReminderKind, caseID, subject, day string) string {
	id := "clock/remind/" + string(kind) + "/" + caseID + "/" + subject + "/" + day
	if len(id) <= maxCommandID {
		return id
	}
	sum := sha256.Sum256([]byte(subject))
	return "clock/remind/" + string(kind) + "/" + caseID + "/#" + hex.EncodeToString(sum[:12]) + "/" + day
}
