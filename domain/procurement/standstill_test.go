package procurement_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// The standstill as the award notification starts it (DOMAIN.md §2 transitions
// 16 and 19, §4.1, §4.6): worked examples for each jurisdiction in the EU_ABOVE
// regime and each notification channel, through SendAwardNotification on the
// folded case, into StandstillStarted and back out of the stored event, and
// EndStandstill refused at the end's last instant and accepted right after it.
// Each row was counted by hand on a printed calendar (Easter 2026 5 April,
// 2027 28 March; summer time 29 March to 25 October 2026, from 28 March 2027),
// not copied from the code's output. domain/timelimits/standstill_test.go
// holds another set of examples against the table alone.

type spRow struct {
	name    string
	sent    string   // the notification, local time with the zone's offset then
	utcDay  string   // the sending's UTC date, where it is another day than the local one
	lastDay string   // day N, before any roll-forward
	skipped []string // "date reason"
	end     string   // the exact end instant, local time with the zone's offset then
	endUTC  string   // the same instant in UTC, for a period across a change of offset
}

type spTable struct {
	j        procurement.Jurisdiction
	channels []procurement.NotificationChannel
	days     int
	rows     []spRow
}

var (
	spBoth       = []procurement.NotificationChannel{procurement.NotificationElectronic, procurement.NotificationOther}
	spElectronic = []procurement.NotificationChannel{procurement.NotificationElectronic}
	spOther      = []procurement.NotificationChannel{procurement.NotificationOther}
)

var spTables = []spTable{
	{procurement.JurisdictionNO, spBoth, 10, []spRow{
		{name: "plain", sent: "2026-09-15T13:00+02:00", lastDay: "2026-09-25", end: "2026-09-25T23:59:59.999999999+02:00"},
		{name: "day_10_on_a_saturday", sent: "2026-09-16T13:00+02:00", lastDay: "2026-09-26",
			skipped: []string{"2026-09-26 Saturday", "2026-09-27 Sunday"}, end: "2026-09-28T23:59:59.999999999+02:00"},
		{name: "day_10_on_ascension_day", sent: "2026-05-04T10:00+02:00", lastDay: "2026-05-14",
			skipped: []string{"2026-05-14 Ascension Day (Kristi himmelfartsdag)"}, end: "2026-05-15T23:59:59.999999999+02:00"},
		{name: "across_the_end_of_summer_time", sent: "2026-10-19T10:00+02:00", lastDay: "2026-10-29",
			end: "2026-10-29T23:59:59.999999999+01:00", endUTC: "2026-10-29T22:59:59.999999999Z"},
		{name: "sent_late_in_the_evening", sent: "2026-06-01T23:45+02:00", lastDay: "2026-06-11", end: "2026-06-11T23:59:59.999999999+02:00"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2026-06-02T00:15+02:00", utcDay: "2026-06-01", lastDay: "2026-06-12",
			end: "2026-06-12T23:59:59.999999999+02:00"},
	}},
	{procurement.JurisdictionSE, spElectronic, 10, []spRow{
		{name: "plain", sent: "2026-09-15T13:00+02:00", lastDay: "2026-09-25", end: "2026-09-25T23:59:59.999999999+02:00"},
		{name: "day_10_on_a_saturday", sent: "2026-09-16T13:00+02:00", lastDay: "2026-09-26",
			skipped: []string{"2026-09-26 Saturday", "2026-09-27 Sunday"}, end: "2026-09-28T23:59:59.999999999+02:00"},
		{name: "day_10_on_epiphany", sent: "2026-12-27T11:00+01:00", lastDay: "2027-01-06",
			skipped: []string{"2027-01-06 Epiphany (trettondedag jul)"}, end: "2027-01-07T23:59:59.999999999+01:00"},
		{name: "day_10_on_easter_monday_across_summer_time", sent: "2027-03-19T10:00+01:00", lastDay: "2027-03-29",
			skipped: []string{"2027-03-29 Easter Monday (annandag påsk)"},
			end:     "2027-03-30T23:59:59.999999999+02:00", endUTC: "2027-03-30T21:59:59.999999999Z"},
		{name: "across_the_start_of_summer_time", sent: "2026-03-20T10:00+01:00", lastDay: "2026-03-30",
			end: "2026-03-30T23:59:59.999999999+02:00", endUTC: "2026-03-30T21:59:59.999999999Z"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2026-11-20T00:10+01:00", utcDay: "2026-11-19", lastDay: "2026-11-30",
			end: "2026-11-30T23:59:59.999999999+01:00"},
	}},
	{procurement.JurisdictionSE, spOther, 15, []spRow{
		{name: "plain", sent: "2026-09-15T13:00+02:00", lastDay: "2026-09-30", end: "2026-09-30T23:59:59.999999999+02:00"},
		{name: "day_15_on_a_saturday", sent: "2026-09-11T13:00+02:00", lastDay: "2026-09-26",
			skipped: []string{"2026-09-26 Saturday", "2026-09-27 Sunday"}, end: "2026-09-28T23:59:59.999999999+02:00"},
		{name: "day_15_on_all_saints_day_across_the_end_of_summer_time", sent: "2026-10-16T10:00+02:00", lastDay: "2026-10-31",
			skipped: []string{"2026-10-31 All Saints' Day (alla helgons dag)", "2026-11-01 Sunday"},
			end:     "2026-11-02T23:59:59.999999999+01:00", endUTC: "2026-11-02T22:59:59.999999999Z"},
		{name: "day_15_on_nyarsafton", sent: "2026-12-16T10:00+01:00", lastDay: "2026-12-31",
			skipped: []string{"2026-12-31 New Year's Eve (nyårsafton)", "2027-01-01 New Year's Day (nyårsdagen)", "2027-01-02 Saturday", "2027-01-03 Sunday"},
			end:     "2027-01-04T23:59:59.999999999+01:00"},
		{name: "across_the_start_of_summer_time", sent: "2026-03-16T10:00+01:00", lastDay: "2026-03-31",
			end: "2026-03-31T23:59:59.999999999+02:00", endUTC: "2026-03-31T21:59:59.999999999Z"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2026-11-19T00:10+01:00", utcDay: "2026-11-18", lastDay: "2026-12-04",
			end: "2026-12-04T23:59:59.999999999+01:00"},
	}},
	{procurement.JurisdictionFI, spBoth, 14, []spRow{
		{name: "plain", sent: "2026-09-15T13:00+03:00", lastDay: "2026-09-29", end: "2026-09-29T23:59:59.999999999+03:00"},
		{name: "day_14_on_a_saturday", sent: "2026-09-12T10:00+03:00", lastDay: "2026-09-26",
			skipped: []string{"2026-09-26 Saturday", "2026-09-27 Sunday"}, end: "2026-09-28T23:59:59.999999999+03:00"},
		{name: "day_14_on_itsenaisyyspaiva", sent: "2028-11-22T10:00+02:00", lastDay: "2028-12-06",
			skipped: []string{"2028-12-06 Independence Day (itsenäisyyspäivä)"}, end: "2028-12-07T23:59:59.999999999+02:00"},
		{name: "day_14_on_good_friday_across_summer_time", sent: "2027-03-12T10:00+02:00", lastDay: "2027-03-26",
			skipped: []string{"2027-03-26 Good Friday (pitkäperjantai)", "2027-03-27 Saturday", "2027-03-28 Easter Sunday (pääsiäispäivä)",
				"2027-03-29 Easter Monday (toinen pääsiäispäivä)"},
			end: "2027-03-30T23:59:59.999999999+03:00", endUTC: "2027-03-30T20:59:59.999999999Z"},
		{name: "across_the_end_of_summer_time", sent: "2026-10-19T10:00+03:00", lastDay: "2026-11-02",
			end: "2026-11-02T23:59:59.999999999+02:00", endUTC: "2026-11-02T21:59:59.999999999Z"},
		{name: "sent_late_in_the_evening", sent: "2026-11-18T23:30+02:00", lastDay: "2026-12-02", end: "2026-12-02T23:59:59.999999999+02:00"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2026-11-19T01:30+02:00", utcDay: "2026-11-18", lastDay: "2026-12-03",
			end: "2026-12-03T23:59:59.999999999+02:00"},
	}},
}

// spAwarded is the tender fixture's case (acme's tender b1 received and
// receipt closed) in jurisdiction j, the tender opened, ranked first in the
// finalised report and awarded jointly by oslo for both members.
func spAwarded(t *testing.T, j procurement.Jurisdiction) []procurement.Event {
	t.Helper()
	var h []procurement.Event
	for _, ev := range tdClosed(tdPlan()) {
		if c, ok := ev.(procurement.CaseCreated); ok {
			c.Jurisdiction = j
			ev = c
		}
		h = append(h, ev)
	}
	h = append(h,
		procurement.BidsOpened{Round: procurement.RoundTenders, OpenedAt: tdAt(90, 11), OpenedBy: []string{"officer@oslo"},
			Bids: []procurement.OpenedBid{{BidID: "b1", Supplier: tdSupplier, Lots: []string{"lot-1"}, ReceivedAt: tdAt(60, 9),
				SHA256: tdHashOf("b1"), HashVerified: true}}, HashesVerified: true, ProtocolHash: tdHashOf("opening protocol")},
		procurement.EvaluationReportFinalized{Version: 1, Lots: []procurement.LotRanking{{Lot: "lot-1", TieRule: procurement.TieHighestQuality,
			Ranking: []procurement.RankedBid{{Rank: 1, BidID: "b1", Supplier: tdSupplier, Total: "8.0000", Quality: "8.0000", Price: "8.0000"}}}},
			ReportHash: tdHashOf("evaluation report"), SignedBy: []string{"eva@bergen"}, FinalizedAt: tdAt(95, 9)},
		procurement.AwardDecided{AwardID: "award-1", Lot: "lot-1", BidID: "b1", Supplier: tdSupplier, Value: "750000.00",
			Mode: procurement.AwardJoint, DecidedBy: tdLead, For: []string{tdMember, tdLead}, DecisionDocHash: tdHashOf("award decision"),
			DecidedAt: tdAt(96, 9)})
	if s := spFold(h); s.Phase != procurement.PhaseAwardDecided || string(s.Jurisdiction) != string(j) {
		t.Fatalf("the prepared case is in %s, jurisdiction %s", s.Phase, s.Jurisdiction)
	}
	return h
}

func spFold(h []procurement.Event) procurement.State {
	s := procurement.Decider.Initial()
	for _, ev := range h {
		s = procurement.Decider.Evolve(s, ev)
	}
	return s
}

// spNotify has the lead notify the award at `at` and returns the standstill
// it started, after a round trip through the event registry as the log
// stores it, and the history with the notification's events.
func spNotify(t *testing.T, h []procurement.Event, ch procurement.NotificationChannel, at time.Time) (procurement.StandstillStarted, []procurement.Event) {
	t.Helper()
	events, err := procurement.Decider.Decide(spFold(h), procurement.SendAwardNotification{Channel: ch, ReasonsHash: tdHashOf("reasons"),
		Limits: tdLimits(t), By: tdLeadBy(), At: at})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("want the notification and the standstill, got %d events", len(events))
	}
	n, ok1 := events[0].(procurement.AwardNotificationSent)
	started, ok2 := events[1].(procurement.StandstillStarted)
	if !ok1 || !ok2 {
		t.Fatalf("events %T, %T", events[0], events[1])
	}
	if n.Channel != ch || !n.SentAt.Equal(at) || !n.StandstillEnd.Equal(started.EndsAt) || !slices.Equal(n.Recipients, []string{tdSupplier}) {
		t.Fatalf("notification %+v", n)
	}
	reg := procurement.Events()
	name, version, body, err := reg.Encode(started)
	if err != nil {
		t.Fatal(err)
	}
	decoded, _, err := reg.Decode(name, version, body)
	if err != nil {
		t.Fatal(err)
	}
	stored := decoded.(procurement.StandstillStarted)
	if !stored.EndsAt.Equal(started.EndsAt) || stored.Computation.EndDate != started.Computation.EndDate ||
		!slices.Equal(stored.Computation.Skipped, started.Computation.Skipped) || stored.Why() != started.Why() {
		t.Fatalf("the stored standstill differs from the decided one: %+v", stored)
	}
	return stored, append(slices.Clip(h), events...)
}

const spMinute = "2006-01-02T15:04Z07:00"

func TestTheAwardNotificationStartsTheStandstillOfTheWorkedExamples(t *testing.T) {
	for _, tab := range spTables {
		h := spAwarded(t, tab.j)
		loc, err := timelimits.Jurisdiction(tab.j).Location()
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range tab.channels {
			for _, row := range tab.rows {
				t.Run(string(tab.j)+"/"+string(ch)+"/"+row.name, func(t *testing.T) {
					sent, err := time.Parse(spMinute, row.sent)
					if err != nil {
						t.Fatal(err)
					}
					if got := sent.In(loc).Format(spMinute); got != row.sent {
						t.Fatalf("the row's offset is wrong: %s is %s in %s", row.sent, got, loc)
					}
					want, err := time.Parse(time.RFC3339Nano, row.end)
					if err != nil {
						t.Fatal(err)
					}
					if d, _ := time.Parse(time.DateOnly, row.sent[:10]); d.AddDate(0, 0, tab.days).Format(time.DateOnly) != row.lastDay {
						t.Fatalf("the row is miscounted: day %d after %s is not %s", tab.days, row.sent[:10], row.lastDay)
					}

					started, after := spNotify(t, h, ch, sent)
					c := started.Computation
					if !started.EndsAt.Equal(want) || started.EndsAt.Location() != time.UTC || started.EndsAt.In(loc).Format(time.RFC3339Nano) != row.end {
						t.Fatalf("ends %s, want %s", started.EndsAt.In(loc).Format(time.RFC3339Nano), row.end)
					}
					if c.Days != tab.days || c.SentDate != row.sent[:10] || c.LastDay != row.lastDay || c.EndDate != row.end[:10] ||
						c.TimeZone != loc.String() || !c.End.Equal(want) || !c.RollForward {
						t.Fatalf("computation: %d days from %s, day %s, ends %s %s (%s); want %d days from %s, day %s, ends %s",
							c.Days, c.SentDate, c.LastDay, c.EndDate, c.TimeZone, c.End, tab.days, row.sent[:10], row.lastDay, row.end[:10])
					}
					if !strings.HasPrefix(c.Rule, string(tab.j)+"/EU_ABOVE/") || !strings.HasSuffix(c.Rule, "/STANDSTILL") {
						t.Fatalf("rule %s", c.Rule)
					}
					var skipped []string
					for _, sk := range c.Skipped {
						skipped = append(skipped, sk.Date+" "+sk.Reason)
					}
					if !slices.Equal(skipped, row.skipped) {
						t.Fatalf("skipped %q, want %q", skipped, row.skipped)
					}
					if row.utcDay != "" {
						if got := sent.UTC().Format(time.DateOnly); got != row.utcDay || got == c.SentDate {
							t.Fatalf("the notification is %s in UTC; the count starts from the local date %s", got, c.SentDate)
						}
					}
					if row.endUTC != "" {
						_, sentOffset := sent.In(loc).Zone()
						_, endOffset := started.EndsAt.In(loc).Zone()
						if got := started.EndsAt.Format(time.RFC3339Nano); got != row.endUTC || (endOffset-sentOffset != 3600 && sentOffset-endOffset != 3600) {
							t.Fatalf("end in UTC %s (offsets %d s to %d s), want %s across a change of offset", got, sentOffset, endOffset, row.endUTC)
						}
					}

					s := spFold(after)
					if s.Phase != procurement.PhaseStandstill || !s.Award.Standstill.EndsAt.Equal(want) {
						t.Fatalf("the case is in %s", s.Phase)
					}
					if _, err := procurement.Decider.Decide(s, procurement.EndStandstill{By: tdSystem(), At: want}); !errors.Is(err, procurement.ErrStandstillRunning) {
						t.Fatalf("ended at its last instant: %v", err)
					}
					ended, err := procurement.Decider.Decide(s, procurement.EndStandstill{By: tdSystem(), At: want.Add(time.Nanosecond)})
					if err != nil || len(ended) != 1 || !ended[0].(procurement.StandstillEnded).EndedAt.Equal(want.Add(time.Nanosecond)) {
						t.Fatalf("not ended right after its end: %v %v", ended, err)
					}
				})
			}
		}
	}
}

// The explanation of a standstill rolled over a holiday, written out by hand.
func TestTheStandstillExplainsARolledForwardEnd(t *testing.T) {
	sent, _ := time.Parse(spMinute, "2026-05-04T10:00+02:00")
	started, _ := spNotify(t, spAwarded(t, procurement.JurisdictionNO), procurement.NotificationElectronic, sent)
	want := "EEA standstill (karensperiode): 10 calendar days counted from the day after the notification was sent on 2026-05-04; " +
		"day 10 is 2026-05-14; 2026-05-14 is not a working day (Ascension Day (Kristi himmelfartsdag)), " +
		"so it ends on the next working day 2026-05-15; " +
		"the standstill ends at midnight at the end of 2026-05-15 Europe/Oslo, and the contract may be signed from then"
	if got := started.Why(); got != want {
		t.Fatalf("Why() =\n%s\nwant\n%s", got, want)
	}

	// Sweden, electronically, over midsummer: three days rolled over, the
	// period shortened from 15 days.
	sent, _ = time.Parse(spMinute, "2026-06-09T10:00+02:00")
	started, _ = spNotify(t, spAwarded(t, procurement.JurisdictionSE), procurement.NotificationElectronic, sent)
	got := started.Why()
	for _, part := range []string{
		"EU standstill (avtalsspärr): 10 calendar days counted from the day after the notification was sent on 2026-06-09",
		"day 10 is 2026-06-19",
		"2026-06-19 is not a working day (Midsummer Eve (midsommarafton)); 2026-06-20 is not a working day (Midsummer Day (midsommardagen)); " +
			"2026-06-21 is not a working day (Sunday), so it ends on the next working day 2026-06-22",
		"the standstill ends at midnight at the end of 2026-06-22 Europe/Stockholm",
	} {
		if !strings.Contains(got, part) {
			t.Fatalf("Why() =\n%s\nsays nothing like\n%s", got, part)
		}
	}
	t.Run("the_shortening_is_said_in_words", func(t *testing.T) {
		if strings.Contains(got, "[") || !strings.Contains(got, "electronic notice") {
			t.Fatalf("the shortening in words: %s", got)
		}
	})
}
