package timelimits_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/timelimits"
)

func TestCheck(t *testing.T) {
	open := rule(t, timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt)
	sent := at(t, timelimits.NO, "2026-03-02 10:00") // day 35 is 6 April 2026

	t.Run("accepts_the_end_of_the_last_day", func(t *testing.T) {
		if err := timelimits.Check(open, sent, endOf(t, timelimits.NO, "2026-04-06")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accepts_a_deadline_after_the_minimum", func(t *testing.T) {
		if err := timelimits.Check(open, sent, at(t, timelimits.NO, "2026-04-07 12:00")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses_a_deadline_on_the_last_day_naming_the_rule_and_the_earliest_end", func(t *testing.T) {
		err := timelimits.Check(open, sent, at(t, timelimits.NO, "2026-04-06 12:00"))
		if !errors.Is(err, timelimits.ErrTooShort) || es.KindOf(err) != es.KindRule || es.CodeOf(err) != "timelimits.too_short" {
			t.Fatalf("got %v", err)
		}
		want := "the period is shorter than the legal minimum: EEA open procedure, receipt of tenders: at least 35 days [EU-27]; " +
			"the earliest allowed end is 2026-04-07 00:00 Europe/Oslo (midnight at the end of 2026-04-06)"
		if err.Error() != want {
			t.Fatalf("message\n got %s\nwant %s", err, want)
		}
	})
	t.Run("a_minute_short_is_short", func(t *testing.T) {
		if err := timelimits.Check(open, sent, at(t, timelimits.NO, "2026-04-06 23:59")); !errors.Is(err, timelimits.ErrTooShort) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("names_the_reductions_applied", func(t *testing.T) {
		r := open.With(timelimits.ESubmission)
		err := timelimits.Check(r, sent, at(t, timelimits.NO, "2026-03-20 12:00"))
		if err == nil || !strings.Contains(err.Error(), "at least 30 days with electronic submission [EU-27]") ||
			!strings.Contains(err.Error(), "2026-04-02 00:00 Europe/Oslo") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("says_when_the_value_is_unverified", func(t *testing.T) {
		r := rule(t, timelimits.FI, timelimits.EUAbove, timelimits.Open, timelimits.Standstill)
		err := timelimits.Check(r, at(t, timelimits.FI, "2026-10-17 11:00"), at(t, timelimits.FI, "2026-10-31 12:00"))
		want := "the period is shorter than the legal minimum: EU standstill (odotusaika): at least 14 days, ending on a working day " +
			"[HankL 1397/2016 §129][FI-NOT][REM] (value not confirmed in a source); the earliest allowed end is 2026-11-03 00:00 Europe/Helsinki (midnight at the end of 2026-11-02)"
		if err == nil || err.Error() != want {
			t.Fatalf("message\n got %v\nwant %s", err, want)
		}
	})
	t.Run("refuses_an_end_before_the_start", func(t *testing.T) {
		err := timelimits.Check(open, sent, sent.Add(-time.Minute))
		if !errors.Is(err, timelimits.ErrEndBeforeStart) || es.KindOf(err) != es.KindInvalid {
			t.Fatalf("got %v", err)
		}
		none := rule(t, timelimits.NO, timelimits.National, timelimits.Open, timelimits.TenderReceipt)
		if err := timelimits.Check(none, sent, sent.Add(-time.Minute)); !errors.Is(err, timelimits.ErrEndBeforeStart) {
			t.Fatalf("without a minimum: got %v", err)
		}
	})
	t.Run("standstill_signing_on_the_saturday_is_too_early", func(t *testing.T) {
		r := rule(t, timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.Standstill, timelimits.ElectronicNotice)
		sent := at(t, timelimits.SE, "2026-01-14 15:00")
		err := timelimits.Check(r, sent, at(t, timelimits.SE, "2026-01-25 10:00"))
		if !errors.Is(err, timelimits.ErrTooShort) || !strings.Contains(err.Error(), "2026-01-27 00:00 Europe/Stockholm") {
			t.Fatalf("got %v", err)
		}
		if err := timelimits.Check(r, sent, at(t, timelimits.SE, "2026-01-27 00:00")); err != nil {
			t.Fatalf("signing at midnight after the Monday: %v", err)
		}
	})
	t.Run("award_notice_is_a_maximum", func(t *testing.T) {
		r := rule(t, timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.AwardNoticePublication)
		contract := at(t, timelimits.NO, "2026-08-03 10:00")
		if err := timelimits.Check(r, contract, at(t, timelimits.NO, "2026-08-04 09:00")); err != nil {
			t.Fatalf("publishing the next day: %v", err)
		}
		if err := timelimits.Check(r, contract, at(t, timelimits.NO, "2026-09-02 23:59")); err != nil {
			t.Fatalf("publishing on day 30: %v", err)
		}
		err := timelimits.Check(r, contract, at(t, timelimits.NO, "2026-09-03 00:00"))
		want := "the date is later than the legal time limit allows: EEA publication of the award notice: within 30 days [Art 50][REM] " +
			"(value not confirmed in a source); the latest allowed is 2026-09-02 23:59 Europe/Oslo"
		if !errors.Is(err, timelimits.ErrTooLate) || err.Error() != want {
			t.Fatalf("message\n got %v\nwant %s", err, want)
		}
	})
}
