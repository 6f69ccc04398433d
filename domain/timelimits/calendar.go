package timelimits

import (
	"slices"
	"time"
)

// Holiday is a weekday-independent day on which a time limit does not end in
// a jurisdiction: a public holiday, or an eve the jurisdiction's law on
// counting time limits treats as one.
type Holiday struct {
	Month time.Month
	Day   int
	Name  string
}

// Easter returns Easter Sunday of a Gregorian year by the anonymous Gregorian
// algorithm (Meeus/Jones/Butcher), valid for every year from 1583.
func Easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// Holidays lists the jurisdiction's holidays in a year in date order, nil for
// an unknown jurisdiction. Saturdays and Sundays are non-working days besides
// these; holidays that always fall on a Sunday (Easter Sunday, Whit Sunday) or
// a Saturday (SE and FI Midsummer Day and All Saints' Day) are listed anyway,
// because a calendar view shows them.
//
// Sources, read for this package (not cited in DOMAIN.md, so a reviewer should
// confirm them against DOMAIN.md's policy for ⚠ values):
//   - NO ✔ fact of the calendar: lov om helligdager og helligdagsfred (1995) §2
//     and lov om 1. og 17. mai som høgtidsdager. Christmas Eve and New Year's
//     Eve are not holidays in Norway and are working days here.
//   - SE ✔ fact of the calendar: lag (1989:253) om allmänna helgdagar §§1-2.
//     Midsummer Eve, Christmas Eve and New Year's Eve are not public holidays,
//     but lag (1930:173) om beräkning av lagstadgad tid §2 moves a time limit
//     that ends on them to the next weekday, so they count as non-working ✔.
//   - FI ✔ fact of the calendar: the list Finland gives for Regulation 1182/71
//     (e-justice "time limits on procedures"). Christmas Eve is not on that
//     list, but laki säädettyjen määräaikain laskemisesta (150/1930) §5 moves a
//     time limit ending on "joulu- tai juhannusaatto" to the next weekday, so it
//     counts as non-working ✔.
//
// Easter and the feasts counted from it are computed, so they hold for any
// year; the fixed-date and window rules are the statutes' own wording.
func Holidays(j Jurisdiction, year int) []Holiday {
	em, ed := Easter(year)
	easter := civil(year, em, ed)
	fromEaster := func(days int, name string) Holiday {
		d := easter.AddDate(0, 0, days)
		return Holiday{Month: d.Month(), Day: d.Day(), Name: name}
	}
	fixed := func(m time.Month, d int, name string) Holiday { return Holiday{Month: m, Day: d, Name: name} }
	// weekdayIn finds the given weekday in the seven days from (m, first).
	weekdayIn := func(wd time.Weekday, m time.Month, first int, name string) Holiday {
		d := civil(year, m, first)
		d = d.AddDate(0, 0, (int(wd)-int(d.Weekday())+7)%7)
		return Holiday{Month: d.Month(), Day: d.Day(), Name: name}
	}

	var hs []Holiday
	switch j {
	case NO:
		hs = []Holiday{
			fixed(time.January, 1, "New Year's Day (første nyttårsdag)"),
			fromEaster(-3, "Maundy Thursday (skjærtorsdag)"),
			fromEaster(-2, "Good Friday (langfredag)"),
			fromEaster(0, "Easter Sunday (første påskedag)"),
			fromEaster(1, "Easter Monday (andre påskedag)"),
			fixed(time.May, 1, "Labour Day (1. mai)"),
			fixed(time.May, 17, "Constitution Day (17. mai)"),
			fromEaster(39, "Ascension Day (Kristi himmelfartsdag)"),
			fromEaster(49, "Whit Sunday (første pinsedag)"),
			fromEaster(50, "Whit Monday (andre pinsedag)"),
			fixed(time.December, 25, "Christmas Day (første juledag)"),
			fixed(time.December, 26, "Boxing Day (andre juledag)"),
		}
	case SE:
		hs = []Holiday{
			fixed(time.January, 1, "New Year's Day (nyårsdagen)"),
			fixed(time.January, 6, "Epiphany (trettondedag jul)"),
			fromEaster(-2, "Good Friday (långfredagen)"),
			fromEaster(0, "Easter Sunday (påskdagen)"),
			fromEaster(1, "Easter Monday (annandag påsk)"),
			fixed(time.May, 1, "May Day (första maj)"),
			fromEaster(39, "Ascension Day (Kristi himmelsfärdsdag)"),
			fromEaster(49, "Whit Sunday (pingstdagen)"),
			fixed(time.June, 6, "National Day (nationaldagen)"),
			weekdayIn(time.Friday, time.June, 19, "Midsummer Eve (midsommarafton)"),
			weekdayIn(time.Saturday, time.June, 20, "Midsummer Day (midsommardagen)"),
			weekdayIn(time.Saturday, time.October, 31, "All Saints' Day (alla helgons dag)"),
			fixed(time.December, 24, "Christmas Eve (julafton)"),
			fixed(time.December, 25, "Christmas Day (juldagen)"),
			fixed(time.December, 26, "Boxing Day (annandag jul)"),
			fixed(time.December, 31, "New Year's Eve (nyårsafton)"),
		}
	case FI:
		hs = []Holiday{
			fixed(time.January, 1, "New Year's Day (uudenvuodenpäivä)"),
			fixed(time.January, 6, "Epiphany (loppiainen)"),
			fromEaster(-2, "Good Friday (pitkäperjantai)"),
			fromEaster(0, "Easter Sunday (pääsiäispäivä)"),
			fromEaster(1, "Easter Monday (toinen pääsiäispäivä)"),
			fixed(time.May, 1, "May Day (vappu)"),
			fromEaster(39, "Ascension Day (helatorstai)"),
			fromEaster(49, "Whit Sunday (helluntaipäivä)"),
			weekdayIn(time.Friday, time.June, 19, "Midsummer Eve (juhannusaatto)"),
			weekdayIn(time.Saturday, time.June, 20, "Midsummer Day (juhannuspäivä)"),
			weekdayIn(time.Saturday, time.October, 31, "All Saints' Day (pyhäinpäivä)"),
			fixed(time.December, 6, "Independence Day (itsenäisyyspäivä)"),
			fixed(time.December, 24, "Christmas Eve (jouluaatto)"),
			fixed(time.December, 25, "Christmas Day (joulupäivä)"),
			fixed(time.December, 26, "Boxing Day (tapaninpäivä)"),
		}
	default:
		return nil
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int {
		if a.Month != b.Month {
			return int(a.Month) - int(b.Month)
		}
		return a.Day - b.Day
	})
	return hs
}

// IsWorkingDay reports whether a civil date is a working day in the
// jurisdiction: not a Saturday, a Sunday or one of its Holidays. For an
// unknown jurisdiction only weekends are non-working.
func IsWorkingDay(j Jurisdiction, year int, month time.Month, day int) bool {
	_, working := nonWorkingReason(j, civil(year, month, day))
	return working
}

// nonWorkingReason names why a civil date is not a working day, or reports it
// is one.
func nonWorkingReason(j Jurisdiction, d time.Time) (string, bool) {
	for _, h := range Holidays(j, d.Year()) {
		if h.Month == d.Month() && h.Day == d.Day() {
			return h.Name, false
		}
	}
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return d.Weekday().String(), false
	}
	return "", true
}

// civil is a calendar date as midnight UTC: date arithmetic on it never meets
// a DST transition, and it is turned into local time only at the end.
func civil(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}
