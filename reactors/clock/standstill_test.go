package clock_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/reactors/clock"
)

// The standstill of the fixture's case: acme's tender is the only one, ranked
// first and awarded jointly by oslo for both members; the lead notifies it
// electronically on Tuesday 10 June 2025 at 14:00 in Oslo (day 100, 12:00
// UTC). The Norwegian standstill is 10 days counted from the day after, so
// day 10 is Friday 20 June, a working day: it ends at the last instant of 20
// June in Oslo (CEST, UTC+2), and the clock may end it from 00:00 on 21 June.

var standstillEnd = time.Date(2025, 6, 20, 21, 59, 59, 999_999_999, time.UTC)

func standstillsEnded(t *testing.T, f *fixture) []stored {
	return events[procurement.StandstillEnded](t, f)
}

// awardDecided takes the tendering case to one award decided.
func (f *fixture) awardDecided(t *testing.T) {
	t.Helper()
	f.tendering(t)
	bid := procurement.SealedSubmission{BidID: "bid-1", Supplier: "acme", Lots: []string{"lot-1"}, ReceivedAt: day(80, 9),
		SHA256: sha("acme's tender"), CiphertextRef: "vault/bid-1", SizeBytes: 1024}
	f.given(t,
		procurement.BidSubmitted{SealedSubmission: bid},
		procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: f.plan.TenderDeadline, ClosedAt: f.plan.TenderDeadline,
			Submissions: []string{"bid-1"}, PerLot: map[string]int{"lot-1": 1}},
		procurement.BidsOpened{Round: procurement.RoundTenders, OpenedAt: f.plan.OpeningAt, OpenedBy: []string{"officer@oslo"},
			Bids: []procurement.OpenedBid{{BidID: "bid-1", Supplier: "acme", Lots: []string{"lot-1"}, ReceivedAt: bid.ReceivedAt,
				SHA256: bid.SHA256, HashVerified: true}}, HashesVerified: true, ProtocolHash: sha("opening protocol")},
		procurement.EvaluationReportFinalized{Version: 1, Lots: []procurement.LotRanking{{Lot: "lot-1", TieRule: procurement.TieHighestQuality,
			Ranking: []procurement.RankedBid{{Rank: 1, BidID: "bid-1", Supplier: "acme", Total: "8.0000", Quality: "8.0000", Price: "8.0000"}}}},
			ReportHash: sha("evaluation report"), SignedBy: []string{"eva@bergen"}, FinalizedAt: day(95, 9)},
		procurement.AwardDecided{AwardID: "award-1", Lot: "lot-1", BidID: "bid-1", Supplier: "acme", Value: "750000.00",
			Mode: procurement.AwardJoint, DecidedBy: "oslo", For: []string{"bergen", "oslo"}, Mandates: []string{"m-bergen"},
			DecisionDocHash: sha("award decision"), DecidedAt: day(96, 9)})
	if st := f.state(t); st.Phase != procurement.PhaseAwardDecided {
		t.Fatalf("the prepared case is in %s, not AWARD_DECIDED", st.Phase)
	}
}

// inStandstill has the lead notify the award electronically on day 100 at
// 12:00 UTC, the standstill computed by the domain from the default table.
func (f *fixture) inStandstill(t *testing.T) {
	t.Helper()
	f.awardDecided(t)
	f.clock.set(day(100, 12))
	f.decide(t, procurement.SendAwardNotification{Channel: procurement.NotificationElectronic, ReasonsHash: sha("reasons"),
		Limits: f.cases.TimeLimits(), By: leadOfficer, At: f.clock.now()})
	st := f.state(t)
	if st.Phase != procurement.PhaseStandstill || !st.Award.Standstill.EndsAt.Equal(standstillEnd) {
		t.Fatalf("the notification left the case in %s with the standstill ending %v, want %v", st.Phase, st.Award.Standstill, standstillEnd)
	}
}

// suspend registers a complaint with suspensive effect.
func (f *fixture) suspend(t *testing.T) {
	t.Helper()
	f.decide(t, procurement.RegisterComplaint{ComplaintID: "k1", Complainant: "Beta Sensor AS", Forum: procurement.ForumKOFA,
		Grounds: "The quality scores are not explained.", Suspensive: true, By: leadOfficer, At: f.clock.now()})
	if st := f.state(t); st.Phase != procurement.PhaseSuspended {
		t.Fatalf("the complaint left the case in %s", st.Phase)
	}
}

// resume resolves the review so the standstill goes on.
func (f *fixture) resume(t *testing.T) {
	t.Helper()
	f.decide(t, procurement.ResolveReview{ComplaintID: "k1", Outcome: procurement.ReviewContinue,
		Ruling: "KOFA finds the reasons sufficient.", By: leadOfficer, At: f.clock.now()})
	if st := f.state(t); st.Phase != procurement.PhaseStandstill {
		t.Fatalf("the review left the case in %s", st.Phase)
	}
}

func standstillCommandID() string {
	return "clock/standstill/" + caseID + "/" + strconv.FormatInt(standstillEnd.Unix(), 10)
}

// checkEnded wants exactly one StandstillEnded, sent by the platform under the
// standstill's command ID, caused by StandstillStarted, at endedAt.
func checkEnded(t *testing.T, f *fixture, endedAt time.Time) {
	t.Helper()
	got := standstillsEnded(t, f)
	if len(got) != 1 {
		t.Fatalf("want one StandstillEnded, got %d", len(got))
	}
	if e := got[0].Event.(procurement.StandstillEnded); !e.EndedAt.Equal(endedAt) {
		t.Fatalf("ended at %s, want %s", e.EndedAt, endedAt)
	}
	md := got[0].Metadata
	if md.User != app.System.User || md.Org != actor.Platform || md.CommandID != standstillCommandID() {
		t.Fatalf("the end was not the platform's deterministic command: %+v", md)
	}
	if md.CausationID != events[procurement.StandstillStarted](t, f)[0].ID {
		t.Fatalf("the end's cause is not the standstill: %q", md.CausationID)
	}
	if st := f.state(t); st.Phase != procurement.PhaseContracting {
		t.Fatalf("the case is in %s", st.Phase)
	}
}

func TestTheStandstillEndsOnceAfterItsEnd(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.inStandstill(t)
	logs := &logBuffer{}
	r := f.startClock(t, clock.Config{Log: slog.New(slog.NewTextHandler(logs, nil))})

	t.Run("nothing_is_sent_before_the_end_nor_at_its_last_instant", func(t *testing.T) {
		sent := f.sending(func() {
			for _, now := range []time.Time{day(101, 9), standstillEnd.Add(-time.Hour), standstillEnd} {
				f.clock.set(now)
				f.tick(t, r)
			}
		})
		if n := len(standstillsEnded(t, f)); sent != 0 || n != 0 {
			t.Fatalf("the clock sent %d commands and ended the standstill %d times before it was over", sent, n)
		}
	})

	t.Run("the_first_tick_after_the_end_ends_it", func(t *testing.T) {
		f.clock.set(standstillEnd.Add(time.Nanosecond)) // 00:00 on 21 June in Oslo
		f.tick(t, r)
		checkEnded(t, f, standstillEnd.Add(time.Nanosecond))
		if !strings.Contains(logs.String(), "level=INFO msg=\"standstill ended\"") {
			t.Fatalf("the end is not logged:\n%s", logs)
		}
	})

	t.Run("ticking_again_sends_nothing", func(t *testing.T) {
		sent := f.sending(func() {
			f.clock.set(standstillEnd.Add(time.Hour))
			f.tick(t, r)
			f.tickAfterMessage(t, r)
			f.clock.set(standstillEnd.Add(72 * time.Hour))
			f.tick(t, r)
		})
		if n := len(standstillsEnded(t, f)); sent != 0 || n != 1 {
			t.Fatalf("later ticks sent %d commands; %d StandstillEnded", sent, n)
		}
	})

	t.Run("a_repeated_end_under_the_same_id_appends_nothing", func(t *testing.T) {
		before := len(f.records(t))
		res, err := f.commands.EndStandstill(ctx, app.System, app.CommandMeta{CommandID: standstillCommandID()}, caseID)
		if err != nil || !res.Duplicate {
			t.Fatalf("the repeated end was not recognised: %+v %v", res, err)
		}
		if n := len(f.records(t)); n != before {
			t.Fatalf("the repeated end appended %d events", n-before)
		}
	})
}

func TestASuspendedStandstillWaitsForTheReview(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.inStandstill(t)
	f.clock.set(day(104, 9))
	f.suspend(t)
	logs := &logBuffer{}
	r := f.startClock(t, clock.Config{Log: slog.New(slog.NewTextHandler(logs, nil))})

	t.Run("nothing_is_sent_while_suspended_even_long_after_the_end", func(t *testing.T) {
		sent := f.sending(func() {
			for _, now := range []time.Time{standstillEnd.Add(time.Nanosecond), standstillEnd.Add(time.Hour), standstillEnd.Add(30 * 24 * time.Hour)} {
				f.clock.set(now)
				f.tick(t, r)
				f.tickAfterMessage(t, r)
			}
		})
		if n := len(standstillsEnded(t, f)); sent != 0 || n != 0 {
			t.Fatalf("the clock sent %d commands to a suspended case; %d StandstillEnded", sent, n)
		}
	})

	t.Run("the_tick_after_the_review_ends_a_standstill_already_over", func(t *testing.T) {
		f.resume(t)
		f.tickAfterMessage(t, r)
		checkEnded(t, f, standstillEnd.Add(30*24*time.Hour))
		if strings.Contains(logs.String(), "level=ERROR") {
			t.Fatalf("the suspension was logged as a failure:\n%s", logs)
		}
	})
}

func TestAStandstillResumedBeforeItsEndEndsAfterIt(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.inStandstill(t)
	r := f.startClock(t, clock.Config{})
	f.clock.set(day(104, 9))
	f.suspend(t)
	f.tick(t, r)
	f.clock.set(day(107, 9))
	f.resume(t)
	f.tickAfterMessage(t, r)
	f.clock.set(standstillEnd)
	f.tick(t, r)
	if n := len(standstillsEnded(t, f)); n != 0 {
		t.Fatalf("a standstill resumed before its end ended %d times at its last instant", n)
	}
	f.clock.set(standstillEnd.Add(time.Minute))
	f.tick(t, r)
	checkEnded(t, f, standstillEnd.Add(time.Minute))
}

// racingCases lets something happen to the case just before the clock's
// EndStandstill reaches the dispatcher.
type racingCases struct {
	countingCases
	before func()
}

func (c racingCases) EndStandstill(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string) (app.Result, error) {
	c.before()
	return c.countingCases.EndStandstill(ctx, p, meta, caseID)
}

func TestRefusalsOfTheEndAreNotFailures(t *testing.T) {
	t.Run("a_dispatcher_clock_behind_the_clocks_own_is_standstill_running", func(t *testing.T) {
		f := newFixture(t)
		f.clock.set(day(60, 9))
		f.inStandstill(t)
		logs := &logBuffer{}
		ahead := standstillEnd.Add(time.Second)
		r := f.startClock(t, clock.Config{Now: func() time.Time { return ahead }, Log: slog.New(slog.NewTextHandler(logs, nil))})
		f.clock.set(standstillEnd) // the dispatcher's clock is a second behind
		f.tick(t, r)               // fails the test if Tick returns an error
		f.tick(t, r)
		if n := len(standstillsEnded(t, f)); n != 0 {
			t.Fatalf("ended by a dispatcher that has not reached the end")
		}
		out := logs.String()
		if n := strings.Count(out, "level=INFO msg=\"standstill not ended"); n != 1 || !strings.Contains(out, "code=procurement.standstill_running") ||
			strings.Contains(out, "level=ERROR") {
			t.Fatalf("want the refusal logged once at info and no error, got:\n%s", out)
		}
		f.clock.set(ahead)
		f.tick(t, r)
		checkEnded(t, f, ahead)
	})

	t.Run("a_suspension_the_clock_has_not_read_yet_is_contracting_suspended", func(t *testing.T) {
		f := newFixture(t)
		f.clock.set(day(60, 9))
		f.inStandstill(t)
		logs := &logBuffer{}
		once := sync.Once{}
		cfg := clock.Config{Now: f.clock.now, Log: slog.New(slog.NewTextHandler(logs, nil))}
		r, err := clock.New(racingCases{countingCases{f}, func() { once.Do(func() { f.suspend(t) }) }}, f.store, cfg)
		if err != nil {
			t.Fatal(err)
		}
		f.runClock(t, r)
		f.clock.set(standstillEnd.Add(time.Minute))
		f.tick(t, r)
		if n := len(standstillsEnded(t, f)); n != 0 {
			t.Fatalf("ended a suspended standstill")
		}
		out := logs.String()
		if !strings.Contains(out, "level=INFO msg=\"standstill not ended") || !strings.Contains(out, "code=procurement.contracting_suspended") ||
			strings.Contains(out, "level=ERROR") {
			t.Fatalf("want the refusal logged at info and no error, got:\n%s", out)
		}
		sent := f.sending(func() { f.tick(t, r) }) // the clock has read the suspension now
		if sent != 0 {
			t.Fatalf("the clock sent %d commands to a suspended case", sent)
		}
		f.resume(t)
		f.tickAfterMessage(t, r)
		checkEnded(t, f, standstillEnd.Add(time.Minute))
	})
}

func TestTwoClocksTickingAtOnceEndTheStandstillOnce(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.inStandstill(t)
	a, b := f.startClock(t, clock.Config{}), f.startClock(t, clock.Config{})
	f.tick(t, a)
	f.tick(t, b)
	f.clock.set(standstillEnd.Add(time.Second))
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
	checkEnded(t, f, standstillEnd.Add(time.Second))
}

func TestARestartedClockRebuildsTheStandstillFromTheLog(t *testing.T) {
	f := newFixture(t)
	f.clock.set(day(60, 9))
	f.inStandstill(t)
	f.clock.set(day(104, 9))
	f.suspend(t)
	first := f.startClock(t, clock.Config{})
	f.tick(t, first)

	// The server is down across the end; a new clock reads the whole log.
	f.clock.set(standstillEnd.Add(48 * time.Hour))
	restarted := f.startClock(t, clock.Config{})
	if sent := f.sending(func() { f.tick(t, restarted) }); sent != 0 {
		t.Fatalf("a restarted clock sent %d commands to a suspended case", sent)
	}
	f.resume(t)
	f.tick(t, restarted)
	checkEnded(t, f, standstillEnd.Add(48*time.Hour))

	again := f.startClock(t, clock.Config{})
	sent := f.sending(func() {
		f.tick(t, again)
		f.tick(t, first)
	})
	if n := len(standstillsEnded(t, f)); sent != 0 || n != 1 {
		t.Fatalf("clocks that read the end sent %d commands; %d StandstillEnded", sent, n)
	}
}
