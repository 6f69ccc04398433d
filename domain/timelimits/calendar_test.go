package timelimits_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

func TestEaster(t *testing.T) {
	for _, tc := range []struct {
		year  int
		month time.Month
		day   int
	}{
		{2025, time.April, 20}, {2026, time.April, 5}, {2027, time.March, 28},
		{2008, time.March, 23}, {2011, time.April, 24}, {2019, time.April, 21}, {2024, time.March, 31},
		{2038, time.April, 25}, {2076, time.April, 19}, // latest possible; the year the old NO statute's wording would have got wrong
		{1818, time.March, 22}, {2285, time.March, 22}, // earliest possible
		{1943, time.April, 25},
	} {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			m, d := timelimits.Easter(tc.year)
			if m != tc.month || d != tc.day {
				t.Fatalf("Easter %d = %s %d, want %s %d", tc.year, m, d, tc.month, tc.day)
			}
		})
	}
	t.Run("always_a_sunday_between_22_march_and_25_april", func(t *testing.T) {
		for y := 1583; y <= 4099; y++ {
			m, d := timelimits.Easter(y)
			e := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			if e.Weekday() != time.Sunday || e.Before(time.Date(y, 3, 22, 0, 0, 0, 0, time.UTC)) || e.After(time.Date(y, 4, 25, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("Easter %d = %s", y, e.Format("2006-01-02 Monday"))
			}
		}
	})
}

func dates(hs []timelimits.Holiday) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%02d-%02d", int(h.Month), h.Day)
	}
	return out
}

func TestHolidays2026(t *testing.T) {
	for _, tc := range []struct {
		j    timelimits.Jurisdiction
		want []string
	}{
		{timelimits.NO, []string{"01-01", "04-02", "04-03", "04-05", "04-06", "05-01", "05-14", "05-17", "05-24", "05-25", "12-25", "12-26"}},
		{timelimits.SE, []string{"01-01", "01-06", "04-03", "04-05", "04-06", "05-01", "05-14", "05-24", "06-06", "06-19", "06-20", "10-31", "12-24", "12-25", "12-26", "12-31"}},
		{timelimits.FI, []string{"01-01", "01-06", "04-03", "04-05", "04-06", "05-01", "05-14", "05-24", "06-19", "06-20", "10-31", "12-06", "12-24", "12-25", "12-26"}},
	} {
		t.Run(string(tc.j), func(t *testing.T) {
			if got := dates(timelimits.Holidays(tc.j, 2026)); !slices.Equal(got, tc.want) {
				t.Fatalf("holidays 2026\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func holiday(t *testing.T, j timelimits.Jurisdiction, year int, name string) string {
	t.Helper()
	for _, h := range timelimits.Holidays(j, year) {
		if h.Name == name {
			return fmt.Sprintf("%d-%02d-%02d", year, int(h.Month), h.Day)
		}
	}
	t.Fatalf("%s has no %q in %d", j, name, year)
	return ""
}

func TestMovableHolidays(t *testing.T) {
	for _, tc := range []struct {
		j    timelimits.Jurisdiction
		year int
		name string
		want string
	}{
		{timelimits.NO, 2025, "Maundy Thursday (skjærtorsdag)", "2025-04-17"},
		{timelimits.NO, 2027, "Maundy Thursday (skjærtorsdag)", "2027-03-25"},
		{timelimits.NO, 2026, "Ascension Day (Kristi himmelfartsdag)", "2026-05-14"},
		{timelimits.NO, 2026, "Whit Monday (andre pinsedag)", "2026-05-25"},
		{timelimits.SE, 2025, "Good Friday (långfredagen)", "2025-04-18"},
		{timelimits.SE, 2027, "Easter Monday (annandag påsk)", "2027-03-29"},
		{timelimits.SE, 2026, "Midsummer Eve (midsommarafton)", "2026-06-19"},
		{timelimits.SE, 2026, "Midsummer Day (midsommardagen)", "2026-06-20"},
		{timelimits.SE, 2027, "Midsummer Eve (midsommarafton)", "2027-06-25"}, // 19 June 2027 is a Saturday: the last Friday of the window
		{timelimits.SE, 2027, "Midsummer Day (midsommardagen)", "2027-06-26"},
		{timelimits.SE, 2026, "All Saints' Day (alla helgons dag)", "2026-10-31"},
		{timelimits.FI, 2026, "All Saints' Day (pyhäinpäivä)", "2026-10-31"},
		{timelimits.FI, 2027, "All Saints' Day (pyhäinpäivä)", "2027-11-06"}, // 31 October 2027 is a Sunday: the last Saturday of the window
		{timelimits.FI, 2026, "Midsummer Eve (juhannusaatto)", "2026-06-19"},
		{timelimits.FI, 2025, "Ascension Day (helatorstai)", "2025-05-29"},
	} {
		t.Run(fmt.Sprintf("%s_%d_%s", tc.j, tc.year, tc.name), func(t *testing.T) {
			if got := holiday(t, tc.j, tc.year, tc.name); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestIsWorkingDay(t *testing.T) {
	for _, tc := range []struct {
		j       timelimits.Jurisdiction
		date    string
		working bool
	}{
		{timelimits.NO, "2026-04-02", false}, // Maundy Thursday
		{timelimits.SE, "2026-04-02", true},  // not a holiday in Sweden
		{timelimits.FI, "2026-04-02", true},
		{timelimits.NO, "2026-05-18", true},  // 17 May 2026 is a Sunday; Monday is an ordinary day
		{timelimits.SE, "2026-05-18", true},  //
		{timelimits.NO, "2026-12-24", true},  // Christmas Eve works in Norway
		{timelimits.SE, "2026-12-24", false}, // julafton [lag 1930:173]
		{timelimits.FI, "2026-12-24", false}, // jouluaatto [laki 150/1930]
		{timelimits.SE, "2026-12-31", false}, // nyårsafton
		{timelimits.FI, "2026-12-31", true},
		{timelimits.NO, "2026-12-31", true},
		{timelimits.FI, "2026-12-07", true},  // the Monday after Independence Day
		{timelimits.FI, "2027-12-06", false}, // Independence Day on a Monday
		{timelimits.SE, "2027-06-07", true},  // National Day 2027 is a Sunday; no substitute day
		{timelimits.SE, "2026-06-19", false}, // Midsummer Eve
		{timelimits.NO, "2026-06-19", true},  // Norway has no Midsummer holiday
		{timelimits.NO, "2026-01-24", false}, // Saturday
		{timelimits.NO, "2026-01-25", false}, // Sunday
		{timelimits.NO, "2026-01-26", true},
	} {
		t.Run(fmt.Sprintf("%s_%s", tc.j, tc.date), func(t *testing.T) {
			d, err := time.Parse("2006-01-02", tc.date)
			if err != nil {
				t.Fatal(err)
			}
			if got := timelimits.IsWorkingDay(tc.j, d.Year(), d.Month(), d.Day()); got != tc.working {
				t.Fatalf("IsWorkingDay = %v, want %v", got, tc.working)
			}
		})
	}
	t.Run("an_unknown_jurisdiction_has_weekends_only", func(t *testing.T) {
		if timelimits.Holidays("DK", 2026) != nil || !timelimits.IsWorkingDay("DK", 2026, time.December, 25) {
			t.Fatal("an unknown jurisdiction has no holidays")
		}
	})
}
