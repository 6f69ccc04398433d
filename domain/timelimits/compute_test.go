package timelimits_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

type E = timelimits.Condition

var (
	eSub = timelimits.ESubmission
	pin  = timelimits.QualifyingPIN
	urg  = timelimits.Urgency
	elec = timelimits.ElectronicNotice
)

func TestEarliestEnd(t *testing.T) {
	for _, tc := range []struct {
		name    string
		j       timelimits.Jurisdiction
		regime  timelimits.Regime
		proc    timelimits.Procedure
		kind    timelimits.Kind
		conds   []E
		sent    string // local
		want    string // local end date; the end is its last instant
		days    int
		skipped []string
	}{
		// NO: an open procedure's 35 days end on Easter Monday 2026 and stay there: DOMAIN.md
		// asks for roll-forward only for the standstill.
		{"no_open_tenders", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt, nil, "2026-03-02 10:00", "2026-04-06", 35, nil},
		{"no_open_tenders_e_submission", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt, []E{eSub}, "2026-03-02 10:00", "2026-04-01", 30, nil},
		{"no_open_tenders_pin_does_not_stack_with_e_submission", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt, []E{eSub, pin}, "2026-03-02 10:00", "2026-03-17", 15, nil},
		{"no_open_tenders_urgency", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt, []E{urg}, "2026-03-02 10:00", "2026-03-17", 15, nil},
		{"no_restricted_requests", timelimits.NO, timelimits.EUAbove, timelimits.Restricted, timelimits.RequestReceipt, nil, "2026-01-15 09:00", "2026-02-14", 30, nil},
		{"no_standstill_over_easter_2027", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, nil, "2027-03-15 14:00", "2027-03-30", 10,
			[]string{"2027-03-25", "2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"}},
		{"no_standstill_on_17_may", timelimits.NO, timelimits.EUAbove, timelimits.InnovationPartnership, timelimits.Standstill, nil, "2027-05-07 08:00", "2027-05-18", 10, []string{"2027-05-17"}},
		{"se_restricted_tenders", timelimits.SE, timelimits.EUAbove, timelimits.Restricted, timelimits.TendersAfterInvitation, nil, "2026-06-01 12:00", "2026-07-01", 30, nil},
		{"se_restricted_tenders_pin", timelimits.SE, timelimits.EUAbove, timelimits.Restricted, timelimits.TendersAfterInvitation, []E{pin, eSub}, "2026-06-01 12:00", "2026-06-11", 10, nil},
		{"se_innovation_partnership_requests", timelimits.SE, timelimits.EUAbove, timelimits.InnovationPartnership, timelimits.RequestReceipt, nil, "2026-09-01 12:00", "2026-10-01", 30, nil},
		{"se_standstill_saturday_to_monday", timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, []E{elec}, "2026-01-14 15:00", "2026-01-26", 10,
			[]string{"2026-01-24", "2026-01-25"}},
		{"se_standstill_over_midsummer_2026", timelimits.SE, timelimits.EUAbove, timelimits.Restricted, timelimits.Standstill, []E{elec}, "2026-06-09 15:00", "2026-06-22", 10,
			[]string{"2026-06-19", "2026-06-20", "2026-06-21"}},
		{"se_standstill_on_paper", timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, nil, "2026-01-14 15:00", "2026-01-29", 15, nil},
		{"se_standstill_over_new_year", timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, []E{elec}, "2026-12-21 10:00", "2027-01-04", 10,
			[]string{"2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"}},
		{"fi_competitive_dialogue_requests", timelimits.FI, timelimits.EUAbove, timelimits.CompetitiveDialogue, timelimits.RequestReceipt, nil, "2026-02-02 10:00", "2026-03-04", 30, nil},
		{"fi_negotiation_initial_tenders", timelimits.FI, timelimits.EUAbove, timelimits.CompetitiveNegotiation, timelimits.TendersAfterInvitation, nil, "2026-02-02 10:00", "2026-03-04", 30, nil},
		{"fi_standstill_over_all_saints_2026", timelimits.FI, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, nil, "2026-10-17 11:00", "2026-11-02", 14,
			[]string{"2026-10-31", "2026-11-01"}},
		{"fi_standstill_over_christmas_2026", timelimits.FI, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, nil, "2026-12-10 11:00", "2026-12-28", 14,
			[]string{"2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27"}},
		{"fi_additional_information", timelimits.FI, timelimits.EUAbove, timelimits.Open, timelimits.AdditionalInfoBeforeDeadline, nil, "2026-05-04 16:00", "2026-05-10", 6, nil},
		{"fi_additional_information_accelerated", timelimits.FI, timelimits.EUAbove, timelimits.Open, timelimits.AdditionalInfoBeforeDeadline, []E{urg}, "2026-05-04 16:00", "2026-05-08", 4, nil},
		{"se_late_change", timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.LateChangeExtension, nil, "2026-05-04 16:00", "2026-05-11", 7, nil},
		{"no_award_notice_within_30_days", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.AwardNoticePublication, nil, "2026-08-03 10:00", "2026-09-02", 30, nil},
		// Leap years: February has 29 days in 2028, 28 in 2027 and in 2100.
		{"leap_year_2028", timelimits.SE, timelimits.EUAbove, timelimits.Restricted, timelimits.RequestReceipt, nil, "2028-02-10 10:00", "2028-03-11", 30, nil},
		{"common_year_2027", timelimits.SE, timelimits.EUAbove, timelimits.Restricted, timelimits.RequestReceipt, nil, "2027-02-10 10:00", "2027-03-12", 30, nil},
		{"from_29_february", timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.LateChangeExtension, nil, "2028-02-29 10:00", "2028-03-07", 7, nil},
		{"not_a_leap_year_2100", timelimits.FI, timelimits.EUAbove, timelimits.Restricted, timelimits.RequestReceipt, nil, "2100-02-10 10:00", "2100-03-12", 30, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rule(t, tc.j, tc.regime, tc.proc, tc.kind, tc.conds...)
			sent := at(t, tc.j, tc.sent)
			end, c := earliestEnd(t, r, sent)
			if want := endOf(t, tc.j, tc.want); !end.Equal(want) {
				t.Fatalf("end = %s, want %s", end, want)
			}
			if c.EndDate != tc.want || c.Days != tc.days || !c.End.Equal(end) {
				t.Fatalf("computation says %s after %d days, want %s after %d", c.EndDate, c.Days, tc.want, tc.days)
			}
			var skipped []string
			for _, s := range c.Skipped {
				skipped = append(skipped, s.Date)
			}
			if !slices.Equal(skipped, tc.skipped) {
				t.Fatalf("skipped %v, want %v", skipped, tc.skipped)
			}
			if c.Rule != r.Key || c.TimeZone != tc.j.TimeZone() || c.Table == "" || len(c.Sources) == 0 {
				t.Fatalf("computation does not say where it came from: %+v", c)
			}
		})
	}
}

func TestEarliestEndRecordsTheComputation(t *testing.T) {
	r := rule(t, timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, elec, pin)
	_, c := earliestEnd(t, r, at(t, timelimits.SE, "2026-06-09 15:00"))
	want := timelimits.Computation{
		Rule: "SE/EU_ABOVE/ANY/STANDSTILL", Name: "EU standstill (avtalsspärr)", Table: table(t).Version(),
		Sources: []string{"REM", "SE-AVS"}, Bound: timelimits.AtLeast, HasLimit: true, BaseDays: 15, Days: 10,
		Reductions: []E{elec}, RollForward: true, TimeZone: "Europe/Stockholm", SentDate: "2026-06-09",
		LastDay: "2026-06-19", EndDate: "2026-06-22",
		Skipped: []timelimits.Skipped{
			{Date: "2026-06-19", Reason: "Midsummer Eve (midsommarafton)"},
			{Date: "2026-06-20", Reason: "Midsummer Day (midsommardagen)"},
			{Date: "2026-06-21", Reason: "Sunday"},
		},
	}
	if !c.SentAt.Equal(at(t, timelimits.SE, "2026-06-09 15:00")) || !c.End.Equal(endOf(t, timelimits.SE, "2026-06-22")) {
		t.Fatalf("times: sent %s end %s", c.SentAt, c.End)
	}
	c.SentAt, c.End = time.Time{}, time.Time{}
	gotJSON, _ := json.Marshal(c)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Fatalf("computation\n got %s\nwant %s", gotJSON, wantJSON)
	}

	t.Run("survives_json_for_the_event", func(t *testing.T) {
		_, c := earliestEnd(t, r, at(t, timelimits.SE, "2026-06-09 15:00"))
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back timelimits.Computation
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if !back.End.Equal(c.End) || back.End.Format(time.RFC3339) != "2026-06-22T23:59:59+02:00" || back.EndDate != c.EndDate {
			t.Fatalf("after JSON: %s (%s)", back.End, back.EndDate)
		}
	})
}

func TestEarliestEndAcrossDST(t *testing.T) {
	// A period counts local calendar days, so it ends at local midnight whether
	// it spans the change to summer time (last Sunday of March: 29 March 2026)
	// or back (last Sunday of October: 25 October 2026), and 24-hour arithmetic
	// would be an hour off.
	for _, tc := range []struct {
		name    string
		j       timelimits.Jurisdiction
		kind    timelimits.Kind
		sent    time.Time
		wantUTC string
	}{
		{"oslo_spring", timelimits.NO, timelimits.TenderReceipt, utc(t, "2026-03-20T09:00:00Z"), "2026-04-24T21:59:59.999999999Z"},       // CET → CEST
		{"stockholm_autumn", timelimits.SE, timelimits.RequestReceipt, utc(t, "2026-10-10T09:00:00Z"), "2026-11-09T22:59:59.999999999Z"}, // CEST → CET
		{"helsinki_spring", timelimits.FI, timelimits.RequestReceipt, utc(t, "2026-03-16T10:00:00Z"), "2026-04-15T20:59:59.999999999Z"},  // EET → EEST
		{"helsinki_autumn", timelimits.FI, timelimits.Standstill, utc(t, "2026-10-20T09:00:00Z"), "2026-11-03T21:59:59.999999999Z"},      // EEST → EET, 14 days
		// Sent at 00:30 local on the day clocks go forward: that day is day 0,
		// although it is still the previous day in UTC.
		{"sent_just_after_local_midnight", timelimits.NO, timelimits.RequestReceipt, utc(t, "2026-03-28T23:30:00Z"), "2026-04-28T21:59:59.999999999Z"},
		// Sent at 23:30 UTC on 24 October = 01:30 CEST on 25 October in Oslo.
		{"sent_in_the_night_clocks_go_back", timelimits.NO, timelimits.RequestReceipt, utc(t, "2026-10-24T23:30:00Z"), "2026-11-24T22:59:59.999999999Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proc := timelimits.Restricted
			if tc.kind == timelimits.TenderReceipt {
				proc = timelimits.Open
			}
			end, _ := earliestEnd(t, rule(t, tc.j, timelimits.EUAbove, proc, tc.kind), tc.sent)
			if got := end.UTC().Format(time.RFC3339Nano); got != tc.wantUTC {
				t.Fatalf("end = %s (%s local), want %s", got, end, tc.wantUTC)
			}
			if h, m, s := end.Clock(); h != 23 || m != 59 || s != 59 {
				t.Fatalf("local end %s is not the last instant of a day", end)
			}
			if end.Location().String() != tc.j.TimeZone() {
				t.Fatalf("end in %s, want %s", end.Location(), tc.j.TimeZone())
			}
		})
	}
}

func TestEarliestEndWithoutAFixedMinimum(t *testing.T) {
	// NO Part II asks for "adequate time" [NO-VEI]: nothing to compute, and
	// nothing shorter to refuse.
	r := rule(t, timelimits.NO, timelimits.National, timelimits.Open, timelimits.TenderReceipt, eSub)
	sent := at(t, timelimits.NO, "2026-03-02 10:00")
	end, c := earliestEnd(t, r, sent)
	if !end.Equal(sent) || c.HasLimit || c.Days != 0 || c.EndDate != "2026-03-02" || len(c.Reductions) != 0 {
		t.Fatalf("end %s, computation %+v", end, c)
	}
	if err := timelimits.Check(r, sent, sent.Add(time.Hour)); err != nil {
		t.Fatalf("any end after the start is allowed: %v", err)
	}
	if r.Note == "" || r.Unverified {
		t.Fatalf("the rule must say why it has no minimum and that DOMAIN.md confirms it: %+v", r)
	}
}

func TestEarliestEndRefusesARuleFromNowhere(t *testing.T) {
	if _, _, err := timelimits.EarliestEnd(timelimits.Rule{Jurisdiction: "DK", HasLimit: true, Days: 10}, time.Now()); err == nil {
		t.Fatal("a rule in an unknown jurisdiction has no time zone to count in")
	}
}
