package timelimits_test

import (
	"slices"
	"testing"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Worked examples of the standstill end (DOMAIN.md §4.1 and §4.6) in the
// EU_ABOVE regime of each jurisdiction, per notification channel, from the
// default table's STANDSTILL rules: NO 10 days whatever the channel, SE 10
// days electronic and 15 otherwise, FI 14 days whatever the channel; every
// one counts calendar days from the day after the sending in the legal time
// zone and rolls an end on a weekend or holiday forward to the next working
// day. Each row was counted by hand on a printed calendar (Easter 2025 20
// April, 2026 5 April; summer time from the last Sunday of March to the last
// Sunday of October: 30 March and 26 October 2025, 29 March and 25 October
// 2026), not copied from the code's output.

// ssRow is one worked example.
type ssRow struct {
	name    string
	sent    string // the sending, local time with the zone's offset then
	utcDay  string // the sending's UTC date, where it is another day than the local one
	lastDay string // day N counted from the day after the sending, before any roll-forward
	skipped []timelimits.Skipped
	end     string // the exact End instant, local time with the zone's offset then
	endUTC  string // the same instant in UTC, for a period across a change of offset
}

// ssTable is the worked examples of one jurisdiction and period length, and
// the channels they hold for.
type ssTable struct {
	j        timelimits.Jurisdiction
	channels []ssChannel
	days     int
	rows     []ssRow
}

// ssChannel is a notification channel as the case passes it to the rule.
type ssChannel struct {
	name  string
	conds []timelimits.Condition
}

var (
	ssElectronic = ssChannel{"electronic", []timelimits.Condition{timelimits.ElectronicNotice}}
	ssOther      = ssChannel{"other", nil}
)

func ssSkip(date, reason string) timelimits.Skipped {
	return timelimits.Skipped{Date: date, Reason: reason}
}

var ssTables = []ssTable{
	{timelimits.NO, []ssChannel{ssElectronic, ssOther}, 10, []ssRow{
		{name: "plain", sent: "2025-06-10T14:00+02:00", lastDay: "2025-06-20", end: "2025-06-20T23:59:59.999999999+02:00"},
		{name: "day_10_on_a_saturday", sent: "2025-01-15T10:00+01:00", lastDay: "2025-01-25",
			skipped: []timelimits.Skipped{ssSkip("2025-01-25", "Saturday"), ssSkip("2025-01-26", "Sunday")},
			end:     "2025-01-27T23:59:59.999999999+01:00"},
		{name: "day_10_on_a_sunday", sent: "2025-01-16T10:00+01:00", lastDay: "2025-01-26",
			skipped: []timelimits.Skipped{ssSkip("2025-01-26", "Sunday")}, end: "2025-01-27T23:59:59.999999999+01:00"},
		{name: "day_10_on_17_may", sent: "2028-05-07T20:00+02:00", lastDay: "2028-05-17",
			skipped: []timelimits.Skipped{ssSkip("2028-05-17", "Constitution Day (17. mai)")}, end: "2028-05-18T23:59:59.999999999+02:00"},
		{name: "day_10_on_christmas_day", sent: "2025-12-15T12:00+01:00", lastDay: "2025-12-25",
			skipped: []timelimits.Skipped{ssSkip("2025-12-25", "Christmas Day (første juledag)"), ssSkip("2025-12-26", "Boxing Day (andre juledag)"),
				ssSkip("2025-12-27", "Saturday"), ssSkip("2025-12-28", "Sunday")},
			end: "2025-12-29T23:59:59.999999999+01:00"},
		{name: "day_10_on_easter_monday_across_summer_time", sent: "2026-03-27T12:00+01:00", lastDay: "2026-04-06",
			skipped: []timelimits.Skipped{ssSkip("2026-04-06", "Easter Monday (andre påskedag)")},
			end:     "2026-04-07T23:59:59.999999999+02:00", endUTC: "2026-04-07T21:59:59.999999999Z"},
		{name: "across_the_start_of_summer_time", sent: "2025-03-21T09:00+01:00", lastDay: "2025-03-31",
			end: "2025-03-31T23:59:59.999999999+02:00", endUTC: "2025-03-31T21:59:59.999999999Z"},
		{name: "across_the_end_of_summer_time", sent: "2025-10-20T09:00+02:00", lastDay: "2025-10-30",
			end: "2025-10-30T23:59:59.999999999+01:00", endUTC: "2025-10-30T22:59:59.999999999Z"},
		{name: "sent_late_in_the_evening", sent: "2025-11-14T23:59+01:00", lastDay: "2025-11-24", end: "2025-11-24T23:59:59.999999999+01:00"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2025-11-15T00:30+01:00", utcDay: "2025-11-14", lastDay: "2025-11-25",
			end: "2025-11-25T23:59:59.999999999+01:00"},
	}},
	{timelimits.SE, []ssChannel{ssElectronic}, 10, []ssRow{
		{name: "plain", sent: "2025-09-08T10:00+02:00", lastDay: "2025-09-18", end: "2025-09-18T23:59:59.999999999+02:00"},
		{name: "day_10_on_a_saturday", sent: "2025-09-10T10:00+02:00", lastDay: "2025-09-20",
			skipped: []timelimits.Skipped{ssSkip("2025-09-20", "Saturday"), ssSkip("2025-09-21", "Sunday")},
			end:     "2025-09-22T23:59:59.999999999+02:00"},
		{name: "day_10_on_a_sunday", sent: "2025-09-11T10:00+02:00", lastDay: "2025-09-21",
			skipped: []timelimits.Skipped{ssSkip("2025-09-21", "Sunday")}, end: "2025-09-22T23:59:59.999999999+02:00"},
		{name: "day_10_on_midsommarafton", sent: "2025-06-10T14:00+02:00", lastDay: "2025-06-20",
			skipped: []timelimits.Skipped{ssSkip("2025-06-20", "Midsummer Eve (midsommarafton)"), ssSkip("2025-06-21", "Midsummer Day (midsommardagen)"),
				ssSkip("2025-06-22", "Sunday")},
			end: "2025-06-23T23:59:59.999999999+02:00"},
		// The national day is a Friday in 2025, and Whit Sunday follows the Saturday.
		{name: "day_10_on_the_national_day", sent: "2025-05-27T10:00+02:00", lastDay: "2025-06-06",
			skipped: []timelimits.Skipped{ssSkip("2025-06-06", "National Day (nationaldagen)"), ssSkip("2025-06-07", "Saturday"),
				ssSkip("2025-06-08", "Whit Sunday (pingstdagen)")},
			end: "2025-06-09T23:59:59.999999999+02:00"},
		{name: "day_10_on_julafton", sent: "2025-12-14T10:00+01:00", lastDay: "2025-12-24",
			skipped: []timelimits.Skipped{ssSkip("2025-12-24", "Christmas Eve (julafton)"), ssSkip("2025-12-25", "Christmas Day (juldagen)"),
				ssSkip("2025-12-26", "Boxing Day (annandag jul)"), ssSkip("2025-12-27", "Saturday"), ssSkip("2025-12-28", "Sunday")},
			end: "2025-12-29T23:59:59.999999999+01:00"},
		{name: "day_10_on_easter_monday_across_summer_time", sent: "2026-03-27T12:00+01:00", lastDay: "2026-04-06",
			skipped: []timelimits.Skipped{ssSkip("2026-04-06", "Easter Monday (annandag påsk)")},
			end:     "2026-04-07T23:59:59.999999999+02:00", endUTC: "2026-04-07T21:59:59.999999999Z"},
		{name: "across_the_start_of_summer_time", sent: "2025-03-21T09:00+01:00", lastDay: "2025-03-31",
			end: "2025-03-31T23:59:59.999999999+02:00", endUTC: "2025-03-31T21:59:59.999999999Z"},
		{name: "across_the_end_of_summer_time", sent: "2025-10-20T09:00+02:00", lastDay: "2025-10-30",
			end: "2025-10-30T23:59:59.999999999+01:00", endUTC: "2025-10-30T22:59:59.999999999Z"},
		{name: "sent_late_in_the_evening", sent: "2025-11-14T23:59+01:00", lastDay: "2025-11-24", end: "2025-11-24T23:59:59.999999999+01:00"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2025-11-15T00:30+01:00", utcDay: "2025-11-14", lastDay: "2025-11-25",
			end: "2025-11-25T23:59:59.999999999+01:00"},
	}},
	{timelimits.SE, []ssChannel{ssOther}, 15, []ssRow{
		{name: "plain", sent: "2025-09-08T10:00+02:00", lastDay: "2025-09-23", end: "2025-09-23T23:59:59.999999999+02:00"},
		{name: "day_15_on_a_saturday", sent: "2025-09-05T10:00+02:00", lastDay: "2025-09-20",
			skipped: []timelimits.Skipped{ssSkip("2025-09-20", "Saturday"), ssSkip("2025-09-21", "Sunday")},
			end:     "2025-09-22T23:59:59.999999999+02:00"},
		{name: "day_15_on_midsommarafton", sent: "2025-06-05T10:00+02:00", lastDay: "2025-06-20",
			skipped: []timelimits.Skipped{ssSkip("2025-06-20", "Midsummer Eve (midsommarafton)"), ssSkip("2025-06-21", "Midsummer Day (midsommardagen)"),
				ssSkip("2025-06-22", "Sunday")},
			end: "2025-06-23T23:59:59.999999999+02:00"},
		{name: "day_15_on_julafton", sent: "2025-12-09T10:00+01:00", lastDay: "2025-12-24",
			skipped: []timelimits.Skipped{ssSkip("2025-12-24", "Christmas Eve (julafton)"), ssSkip("2025-12-25", "Christmas Day (juldagen)"),
				ssSkip("2025-12-26", "Boxing Day (annandag jul)"), ssSkip("2025-12-27", "Saturday"), ssSkip("2025-12-28", "Sunday")},
			end: "2025-12-29T23:59:59.999999999+01:00"},
		{name: "day_15_on_good_friday_across_summer_time", sent: "2026-03-19T10:00+01:00", lastDay: "2026-04-03",
			skipped: []timelimits.Skipped{ssSkip("2026-04-03", "Good Friday (långfredagen)"), ssSkip("2026-04-04", "Saturday"),
				ssSkip("2026-04-05", "Easter Sunday (påskdagen)"), ssSkip("2026-04-06", "Easter Monday (annandag påsk)")},
			end: "2026-04-07T23:59:59.999999999+02:00", endUTC: "2026-04-07T21:59:59.999999999Z"},
		{name: "across_the_start_of_summer_time", sent: "2025-03-17T09:00+01:00", lastDay: "2025-04-01",
			end: "2025-04-01T23:59:59.999999999+02:00", endUTC: "2025-04-01T21:59:59.999999999Z"},
		{name: "across_the_end_of_summer_time", sent: "2025-10-13T09:00+02:00", lastDay: "2025-10-28",
			end: "2025-10-28T23:59:59.999999999+01:00", endUTC: "2025-10-28T22:59:59.999999999Z"},
		{name: "sent_late_in_the_evening", sent: "2025-11-12T23:59+01:00", lastDay: "2025-11-27", end: "2025-11-27T23:59:59.999999999+01:00"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2025-11-13T00:30+01:00", utcDay: "2025-11-12", lastDay: "2025-11-28",
			end: "2025-11-28T23:59:59.999999999+01:00"},
	}},
	{timelimits.FI, []ssChannel{ssElectronic, ssOther}, 14, []ssRow{
		{name: "plain", sent: "2025-09-09T10:00+03:00", lastDay: "2025-09-23", end: "2025-09-23T23:59:59.999999999+03:00"},
		{name: "day_14_on_a_saturday", sent: "2025-09-06T10:00+03:00", lastDay: "2025-09-20",
			skipped: []timelimits.Skipped{ssSkip("2025-09-20", "Saturday"), ssSkip("2025-09-21", "Sunday")},
			end:     "2025-09-22T23:59:59.999999999+03:00"},
		{name: "day_14_on_a_sunday", sent: "2025-09-07T10:00+03:00", lastDay: "2025-09-21",
			skipped: []timelimits.Skipped{ssSkip("2025-09-21", "Sunday")}, end: "2025-09-22T23:59:59.999999999+03:00"},
		{name: "day_14_on_itsenaisyyspaiva", sent: "2027-11-22T10:00+02:00", lastDay: "2027-12-06",
			skipped: []timelimits.Skipped{ssSkip("2027-12-06", "Independence Day (itsenäisyyspäivä)")}, end: "2027-12-07T23:59:59.999999999+02:00"},
		{name: "day_14_on_juhannusaatto", sent: "2025-06-06T10:00+03:00", lastDay: "2025-06-20",
			skipped: []timelimits.Skipped{ssSkip("2025-06-20", "Midsummer Eve (juhannusaatto)"), ssSkip("2025-06-21", "Midsummer Day (juhannuspäivä)"),
				ssSkip("2025-06-22", "Sunday")},
			end: "2025-06-23T23:59:59.999999999+03:00"},
		{name: "day_14_on_jouluaatto", sent: "2025-12-10T10:00+02:00", lastDay: "2025-12-24",
			skipped: []timelimits.Skipped{ssSkip("2025-12-24", "Christmas Eve (jouluaatto)"), ssSkip("2025-12-25", "Christmas Day (joulupäivä)"),
				ssSkip("2025-12-26", "Boxing Day (tapaninpäivä)"), ssSkip("2025-12-27", "Saturday"), ssSkip("2025-12-28", "Sunday")},
			end: "2025-12-29T23:59:59.999999999+02:00"},
		{name: "day_14_on_easter_monday_across_summer_time", sent: "2026-03-23T10:00+02:00", lastDay: "2026-04-06",
			skipped: []timelimits.Skipped{ssSkip("2026-04-06", "Easter Monday (toinen pääsiäispäivä)")},
			end:     "2026-04-07T23:59:59.999999999+03:00", endUTC: "2026-04-07T20:59:59.999999999Z"},
		{name: "across_the_start_of_summer_time", sent: "2025-03-17T09:00+02:00", lastDay: "2025-03-31",
			end: "2025-03-31T23:59:59.999999999+03:00", endUTC: "2025-03-31T20:59:59.999999999Z"},
		{name: "across_the_end_of_summer_time", sent: "2025-10-20T09:00+03:00", lastDay: "2025-11-03",
			end: "2025-11-03T23:59:59.999999999+02:00", endUTC: "2025-11-03T21:59:59.999999999Z"},
		{name: "sent_late_in_the_evening", sent: "2025-11-12T23:59+02:00", lastDay: "2025-11-26", end: "2025-11-26T23:59:59.999999999+02:00"},
		{name: "sent_after_midnight_still_the_day_before_in_utc", sent: "2025-11-13T00:30+02:00", utcDay: "2025-11-12", lastDay: "2025-11-27",
			end: "2025-11-27T23:59:59.999999999+02:00"},
	}},
}

// ssMinute is how the rows write the sending.
const ssMinute = "2006-01-02T15:04Z07:00"

func TestStandstillEndsOfTheWorkedExamples(t *testing.T) {
	for _, tab := range ssTables {
		loc, err := tab.j.Location()
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range tab.channels {
			r := rule(t, tab.j, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, ch.conds...)
			for _, row := range tab.rows {
				t.Run(string(tab.j)+"/"+ch.name+"/"+row.name, func(t *testing.T) {
					sent, err := time.Parse(ssMinute, row.sent)
					if err != nil {
						t.Fatal(err)
					}
					if got := sent.In(loc).Format(ssMinute); got != row.sent {
						t.Fatalf("the row's offset is wrong: %s is %s in %s", row.sent, got, loc)
					}
					wantEnd, err := time.Parse(time.RFC3339Nano, row.end)
					if err != nil {
						t.Fatal(err)
					}
					sentDate, endDate := row.sent[:10], row.end[:10]
					// The row's own arithmetic: day N is N calendar days after the local date of the sending.
					if d, _ := time.Parse(time.DateOnly, sentDate); d.AddDate(0, 0, tab.days).Format(time.DateOnly) != row.lastDay {
						t.Fatalf("the row is miscounted: day %d after %s is not %s", tab.days, sentDate, row.lastDay)
					}

					end, c := earliestEnd(t, r, sent)
					if !end.Equal(wantEnd) || end.In(loc).Format(time.RFC3339Nano) != row.end || !c.End.Equal(end) {
						t.Fatalf("end %s (computation %s), want %s", end.In(loc).Format(time.RFC3339Nano), c.End.Format(time.RFC3339Nano), row.end)
					}
					if c.Days != tab.days || !c.HasLimit || !c.RollForward || c.TimeZone != loc.String() {
						t.Fatalf("computation: %d days, limit %v, roll-forward %v, zone %s", c.Days, c.HasLimit, c.RollForward, c.TimeZone)
					}
					if c.SentDate != sentDate || c.LastDay != row.lastDay || c.EndDate != endDate || !c.SentAt.Equal(sent) {
						t.Fatalf("computation: sent %s (%s), day %d %s, ends %s; want sent %s, day %d %s, ends %s",
							c.SentDate, c.SentAt, c.Days, c.LastDay, c.EndDate, sentDate, tab.days, row.lastDay, endDate)
					}
					if !slices.Equal(c.Skipped, row.skipped) {
						t.Fatalf("skipped %v, want %v", c.Skipped, row.skipped)
					}
					if (len(row.skipped) == 0) != (row.lastDay == endDate) {
						t.Fatalf("the row's skipped days do not match its end")
					}
					if row.utcDay != "" {
						if got := sent.UTC().Format(time.DateOnly); got != row.utcDay || got == c.SentDate {
							t.Fatalf("the sending is %s in UTC; the count starts from the local date %s", got, c.SentDate)
						}
					}
					if row.endUTC != "" {
						if got := end.UTC().Format(time.RFC3339Nano); got != row.endUTC {
							t.Fatalf("end in UTC %s, want %s", got, row.endUTC)
						}
						_, sentOffset := sent.In(loc).Zone()
						_, endOffset := end.In(loc).Zone()
						if d := endOffset - sentOffset; d != 3600 && d != -3600 {
							t.Fatalf("the period does not cross a change of offset (%d s to %d s)", sentOffset, endOffset)
						}
					}
				})
			}
		}
	}
}

// The channel decides the days only in Sweden; the table records the
// reduction it applied.
func TestStandstillDaysPerChannel(t *testing.T) {
	for _, tc := range []struct {
		j                 timelimits.Jurisdiction
		electronic, other int
		reduced           bool
	}{
		{timelimits.NO, 10, 10, false},
		{timelimits.SE, 10, 15, true},
		{timelimits.FI, 14, 14, false},
	} {
		t.Run(string(tc.j), func(t *testing.T) {
			e := rule(t, tc.j, timelimits.EUAbove, timelimits.Restricted, timelimits.Standstill, timelimits.ElectronicNotice)
			o := rule(t, tc.j, timelimits.EUAbove, timelimits.Restricted, timelimits.Standstill)
			if e.Days != tc.electronic || o.Days != tc.other || o.BaseDays != tc.other || !e.RollForward || !o.RollForward {
				t.Fatalf("electronic %d, other %d (base %d), roll-forward %v/%v", e.Days, o.Days, o.BaseDays, e.RollForward, o.RollForward)
			}
			if got := slices.Equal(e.Applied, []timelimits.Condition{timelimits.ElectronicNotice}); got != tc.reduced || len(o.Applied) != 0 {
				t.Fatalf("applied %v / %v", e.Applied, o.Applied)
			}
		})
	}
}
