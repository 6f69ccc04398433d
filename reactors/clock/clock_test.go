package clock_test

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/reactors/clock"
)

func closes(t *testing.T, f *fixture) []stored {
	return events[procurement.TenderingClosed](t, f)
}

func reminders(t *testing.T, f *fixture) []stored {
	return events[procurement.ReminderSent](t, f)
}

func TestReceiptClosesAtTheDeadline(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	r := f.startClock(t, clock.Config{})

	t.Run("nothing_happens_before_the_deadline", func(t *testing.T) {
		before := len(f.records(t))
		f.clock.set(f.plan.TenderDeadline.Add(-time.Second))
		f.tick(t, r)
		f.tick(t, r)
		if n := len(f.records(t)); n != before {
			t.Fatalf("the clock appended %d events before the deadline", n-before)
		}
	})

	t.Run("past_the_deadline_exactly_one_tendering_closed_is_appended", func(t *testing.T) {
		f.clock.set(f.plan.TenderDeadline.Add(time.Minute))
		f.tick(t, r)
		got := closes(t, f)
		if len(got) != 1 {
			t.Fatalf("want one TenderingClosed, got %d", len(got))
		}
		c := got[0].Event.(procurement.TenderingClosed)
		if c.Round != procurement.RoundTenders || !c.Deadline.Equal(f.plan.TenderDeadline) || !c.ClosedAt.Equal(f.plan.TenderDeadline.Add(time.Minute)) {
			t.Fatalf("closed %+v", c)
		}
		md := got[0].Metadata
		wantID := "clock/close/" + caseID + "/TENDERS/" + strconv.FormatInt(f.plan.TenderDeadline.Unix(), 10)
		if md.User != app.System.User || md.Org != actor.Platform || md.CommandID != wantID {
			t.Fatalf("the close was not the platform's deterministic command: %+v", md)
		}
		if md.CausationID != events[procurement.ContractNoticePublished](t, f)[0].ID {
			t.Fatalf("the close's cause is not the contract notice: %q", md.CausationID)
		}
		if st := f.state(t); st.Phase != procurement.PhaseReceiptClosed {
			t.Fatalf("the case is in %s", st.Phase)
		}
	})

	t.Run("ticking_again_appends_nothing", func(t *testing.T) {
		before := len(f.records(t))
		sent := f.sending(func() {
			f.clock.set(f.plan.TenderDeadline.Add(time.Hour))
			f.tick(t, r)
			f.clock.set(f.plan.TenderDeadline.Add(50 * time.Hour))
			f.tick(t, r)
		})
		if n := len(f.records(t)); n != before || sent != 0 {
			t.Fatalf("a second tick sent %d commands and appended %d events", sent, n-before)
		}
	})

	t.Run("a_second_clock_over_the_same_log_appends_nothing", func(t *testing.T) {
		before := len(f.records(t))
		sent := f.sending(func() {
			second := f.startClock(t, clock.Config{})
			f.tick(t, second)
			f.tick(t, r)
		})
		if n := len(f.records(t)); n != before || sent != 0 {
			t.Fatalf("a restarted clock sent %d commands and appended %d events", sent, n-before)
		}
	})

	t.Run("a_second_clock_that_has_not_seen_the_close_appends_nothing", func(t *testing.T) {
		// Its command carries the same ID: the dispatcher answers with the
		// first result.
		before := len(f.records(t))
		res, err := f.cases.CloseReceipt(ctx, app.System, app.CommandMeta{CommandID: closes(t, f)[0].Metadata.CommandID}, caseID)
		if err != nil || !res.Duplicate {
			t.Fatalf("the repeated close was not recognised: %+v %v", res, err)
		}
		if n := len(f.records(t)); n != before {
			t.Fatalf("the repeated close appended %d events", n-before)
		}
	})
}

func TestTwoClocksTickingAtOnceCloseReceiptOnce(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	a, b := f.startClock(t, clock.Config{}), f.startClock(t, clock.Config{})
	f.tick(t, a)
	f.tick(t, b)
	f.clock.set(f.plan.TenderDeadline)
	var wg sync.WaitGroup
	for _, r := range []*clock.Reactor{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.Tick(ctx); err != nil {
				t.Errorf("tick: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := len(closes(t, f)); n != 1 {
		t.Fatalf("want one TenderingClosed from two clocks, got %d", n)
	}
}

func TestAnUnansweredTenderQuestionHoldsReceiptOpen(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	logs := &logBuffer{}
	r := f.startClock(t, clock.Config{Log: slog.New(slog.NewTextHandler(logs, nil))})
	if _, err := f.cases.AskQuestion(ctx, acmeSales, app.CommandMeta{}, caseID, "q1", "Is -40 °C also required?", ""); err != nil {
		t.Fatal(err)
	}
	if q := f.state(t).Dialogue.Questions["q1"]; q.Stage != procurement.StageTender {
		t.Fatalf("the question is of stage %s", q.Stage)
	}

	t.Run("no_reminder_while_the_question_is_younger_than_the_age", func(t *testing.T) {
		f.clock.set(day(62, 8))
		f.tick(t, r)
		if n := len(reminders(t, f)); n != 0 {
			t.Fatalf("reminded %d times of a question under two days old", n)
		}
	})

	t.Run("the_close_is_refused_and_the_lead_reminded_once_a_day", func(t *testing.T) {
		f.clock.set(f.plan.TenderDeadline) // day 90, 12:00 in Oslo
		sent := f.sending(func() {
			for range 3 {
				f.tick(t, r)
				f.clock.set(f.clock.now().Add(time.Hour))
			}
		})
		if sent != 4 {
			t.Fatalf("want the close tried once per tick and one reminder (4 commands), got %d", sent)
		}
		if n := len(closes(t, f)); n != 0 {
			t.Fatalf("receipt closed with a question unanswered")
		}
		got := reminders(t, f)
		if len(got) != 1 {
			t.Fatalf("want one reminder on the deadline's day, got %d", len(got))
		}
		rem := got[0].Event.(procurement.ReminderSent)
		if rem.Kind != procurement.ReminderUnansweredQuestion || rem.Subject != "q1" || rem.Day != "2025-05-31" ||
			!slices.Equal(rem.Recipients, []string{"oslo"}) {
			t.Fatalf("reminder %+v", rem)
		}
		if got[0].Metadata.CommandID != "clock/remind/UNANSWERED_QUESTION/"+caseID+"/q1/2025-05-31" {
			t.Fatalf("command ID %q", got[0].Metadata.CommandID)
		}
		out := logs.String()
		if n := strings.Count(out, "receipt not closed"); n != 1 || !strings.Contains(out, "level=INFO msg=\"receipt not closed") ||
			strings.Contains(out, "level=ERROR") {
			t.Fatalf("want the refusal logged once at info and no error, got:\n%s", out)
		}
	})

	t.Run("a_day_later_a_second_reminder", func(t *testing.T) {
		f.clock.set(day(91, 10)) // 1 June in Oslo
		f.tick(t, r)
		f.tick(t, r)
		got := reminders(t, f)
		if len(got) != 2 || got[1].Event.(procurement.ReminderSent).Day != "2025-06-01" {
			t.Fatalf("want a second reminder on 1 June, got %d", len(got))
		}
		if n := len(closes(t, f)); n != 0 {
			t.Fatalf("receipt closed with a question unanswered")
		}
	})

	t.Run("events_of_other_cases_do_not_make_the_clock_try_again", func(t *testing.T) {
		other := procurement.StreamID("0193a5f0-7c1e-7000-8000-00000000beef")
		sent := f.sending(func() {
			for i := range 3 {
				name, version, body, _ := procurement.Events().Encode(procurement.MunicipalityInvited{Org: "org" + strconv.Itoa(i)})
				if _, err := f.store.Append(ctx, other, eventstore.Any, []eventstore.EventData{{ID: app.EventID("other", other, i),
					Type: name, SchemaVersion: version, Data: body, Metadata: eventstore.Metadata{OccurredAt: f.clock.now()}}}); err != nil {
					t.Fatal(err)
				}
				f.tickAfterMessage(t, r)
			}
		})
		if sent != 0 {
			t.Fatalf("the ticks after other cases' events sent %d commands", sent)
		}
	})

	t.Run("once_answered_the_tick_after_the_answer_closes_receipt", func(t *testing.T) {
		if _, err := f.cases.AnswerQuestion(ctx, leadOfficer, app.CommandMeta{}, caseID, "q1",
			"Must the sensors work at -40 °C?", "No: -30 °C as the requirement says."); err != nil {
			t.Fatal(err)
		}
		f.tickAfterMessage(t, r)
		got := closes(t, f)
		if len(got) != 1 {
			t.Fatalf("want one TenderingClosed after the answer, got %d", len(got))
		}
		if c := got[0].Event.(procurement.TenderingClosed); !c.Deadline.Equal(f.plan.TenderDeadline) || !c.ClosedAt.Equal(day(91, 10)) {
			t.Fatalf("closed %+v", c)
		}
		f.clock.set(day(93, 10))
		f.tick(t, r)
		if n := len(reminders(t, f)); n != 2 {
			t.Fatalf("an answered question was reminded of again: %d reminders", n)
		}
	})
}

func TestADeadlineExtensionMovesTheClose(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	r := f.startClock(t, clock.Config{})
	newDeadline := day(104, 10)
	f.clock.set(day(80, 9))
	if _, err := f.cases.AmendTender(ctx, leadOfficer, app.CommandMeta{}, caseID, app.AmendInput{
		Changes: []string{"Sensors must also report snow depth"}, Rationale: "Asked for by both members' road services",
		Material: true, NewDeadline: newDeadline}); err != nil {
		t.Fatal(err)
	}
	ext := events[procurement.TenderDeadlineExtended](t, f)
	if len(ext) != 1 || !ext[0].Event.(procurement.TenderDeadlineExtended).To.Equal(newDeadline) {
		t.Fatalf("the amendment did not extend the deadline: %d", len(ext))
	}

	f.clock.set(f.plan.TenderDeadline.Add(time.Hour))
	f.tick(t, r)
	if n := len(closes(t, f)); n != 0 {
		t.Fatalf("receipt closed at the old deadline")
	}
	f.clock.set(newDeadline.Add(-time.Second))
	f.tick(t, r)
	if n := len(closes(t, f)); n != 0 {
		t.Fatalf("receipt closed before the new deadline")
	}
	f.clock.set(newDeadline)
	f.tick(t, r)
	got := closes(t, f)
	if len(got) != 1 || !got[0].Event.(procurement.TenderingClosed).Deadline.Equal(newDeadline) {
		t.Fatalf("want one close at the new deadline, got %d", len(got))
	}
	if !strings.HasSuffix(got[0].Metadata.CommandID, "/"+strconv.FormatInt(newDeadline.Unix(), 10)) || got[0].Metadata.CausationID != ext[0].ID {
		t.Fatalf("the close does not name the extended deadline: %+v", got[0].Metadata)
	}
}

func TestAMissingApprovalRemindsTheMembersWhoHaveNotVoted(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(45, 9))
	f.given(t, f.documentsSubmitted()...)
	f.given(t, procurement.TenderDocumentsApproved{Org: "oslo", Version: 1, DocumentHash: f.docs})
	r := f.startClock(t, clock.Config{})

	f.clock.set(day(48, 8)) // 71 hours after the documents went out
	f.tick(t, r)
	if n := len(reminders(t, f)); n != 0 {
		t.Fatalf("reminded %d times before three days", n)
	}
	f.clock.set(day(48, 9))
	f.tick(t, r)
	f.clock.set(day(48, 20))
	f.tick(t, r)
	got := reminders(t, f)
	if len(got) != 1 {
		t.Fatalf("want one reminder on the third day, got %d", len(got))
	}
	rem := got[0].Event.(procurement.ReminderSent)
	if rem.Kind != procurement.ReminderMissingApproval || rem.Subject != procurement.DocsSubject(1) ||
		!slices.Equal(rem.Recipients, []string{"bergen"}) || rem.Day != "2025-04-19" {
		t.Fatalf("reminder %+v", rem)
	}
	f.clock.set(day(49, 9))
	f.tick(t, r)
	if got := reminders(t, f); len(got) != 2 || got[1].Event.(procurement.ReminderSent).Day != "2025-04-20" {
		t.Fatalf("want a second reminder the next day, got %d", len(got))
	}

	if _, err := f.cases.ApproveTenderDocuments(ctx, bergenAdmin, app.CommandMeta{}, caseID, 1, f.docs, ""); err != nil {
		t.Fatal(err)
	}
	if cur, _ := f.state(t).CurrentDocuments(); cur.Outcome != procurement.NeedsApproved {
		t.Fatalf("the vote did not settle: %q", cur.Outcome)
	}
	sent := f.sending(func() {
		f.clock.set(day(50, 9))
		f.tick(t, r)
	})
	if n := len(reminders(t, f)); n != 2 || sent != 0 {
		t.Fatalf("reminded of a decided vote: %d commands, %d reminders", sent, n)
	}
}

func TestACancelledCaseDropsOut(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	if _, err := f.cases.AskQuestion(ctx, acmeSales, app.CommandMeta{}, caseID, "q1", "Is -40 °C also required?", ""); err != nil {
		t.Fatal(err)
	}
	f.given(t, procurement.ProcurementCancelled{Reason: "the budget was withdrawn", PreviousPhase: procurement.PhaseTendering})
	r := f.startClock(t, clock.Config{})
	before := len(f.records(t))
	sent := f.sending(func() {
		f.clock.set(day(95, 9))
		f.tick(t, r)
	})
	if n := len(f.records(t)); n != before || sent != 0 {
		t.Fatalf("the clock sent %d commands and appended %d events to a cancelled case", sent, n-before)
	}
}

func TestRunTicksRightAfterAMessage(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(45, 9))
	f.given(t, f.documentsSubmitted()...)
	f.given(t,
		procurement.TenderDocumentsApproved{Org: "oslo", Version: 1, DocumentHash: f.docs},
		procurement.TenderDocumentsApproved{Org: "bergen", Version: 1, DocumentHash: f.docs},
		procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous})
	r := f.startClock(t, clock.Config{Interval: time.Hour}) // the ticker never fires in this test
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- r.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	// The notice arrives when its deadline has already passed on the clock:
	// only the tick after the message can close receipt.
	f.clock.set(f.plan.TenderDeadline.Add(time.Minute))
	f.given(t, f.notice())
	eventually(t, "the close after the notice", func() bool { return len(closes(t, f)) == 1 })
}

func TestRunTicksOnTheInterval(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	r := f.startClock(t, clock.Config{Interval: 10 * time.Millisecond})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- r.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	eventually(t, "the clock to read the log", func() bool { return !r.Position().Less(f.head(t)) })
	if n := len(closes(t, f)); n != 0 {
		t.Fatalf("receipt closed before the deadline")
	}
	f.clock.set(f.plan.TenderDeadline) // no message: only the ticker can notice
	eventually(t, "the close on the interval", func() bool { return len(closes(t, f)) == 1 })
}

func TestNewRefusesWhatItCannotRunWith(t *testing.T) {
	f := newFixture(t)
	quiet := slog.New(slog.DiscardHandler)
	for name, cfg := range map[string]clock.Config{
		"no_clock":          {Log: quiet},
		"no_logger":         {Now: time.Now},
		"negative_age":      {Now: time.Now, Log: quiet, QuestionAge: -time.Hour},
		"negative_interval": {Now: time.Now, Log: quiet, Interval: -time.Second},
	} {
		if _, err := clock.New(f.commands, f.store, cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := clock.New(nil, f.store, clock.Config{Now: time.Now, Log: quiet}); err == nil {
		t.Error("accepted no case commands")
	}
	r, err := clock.New(f.commands, f.store, clock.Config{Now: time.Now, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Config(); c.Interval != 30*time.Second || c.QuestionAge != 48*time.Hour || c.ApprovalAge != 72*time.Hour {
		t.Fatalf("defaults %+v", c)
	}
}

// headAhead tells of a log longer than the one delivered so far, as at a
// start when the replay has not caught up yet.
type headAhead struct{ f *fixture }

func (h headAhead) Head(context.Context) (eventstore.Position, error) {
	return eventstore.Seq(1_000_000), nil
}

func TestTheClockDoesNotActBeforeItHasReadTheLog(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.tendering(t)
	r := f.startClockWith(t, clock.Config{}, headAhead{f})
	f.clock.set(f.plan.TenderDeadline.Add(time.Hour))
	if sent := f.sending(func() { f.tick(t, r) }); sent != 0 || len(closes(t, f)) != 0 {
		t.Fatalf("a clock still replaying the log sent %d commands", sent)
	}
}
