package timelimits_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// TestEveryRuleAtRandomTimes: for random sending moments (any instant from 2000
// to 2100, so every DST change, leap day and holiday shape turns up) and every
// rule of the default table with random facts of the case, the computed end
// is the boundary Check enforces, to the minute.
func TestEveryRuleAtRandomTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(20260405, 1))
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	to := time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC).UnixNano()
	conds := []timelimits.Condition{timelimits.ESubmission, timelimits.QualifyingPIN, timelimits.Urgency, timelimits.ElectronicNotice}
	rules := table(t).Rules()

	runs := 2000
	if testing.Short() {
		runs = 200
	}
	for range runs {
		sent := time.Unix(0, from+rng.Int64N(to-from))
		var facts []timelimits.Condition
		for _, c := range conds {
			if rng.IntN(2) == 0 {
				facts = append(facts, c)
			}
		}
		for _, base := range rules {
			r := base.With(facts...)
			end, c := earliestEnd(t, r, sent)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("%s sent %s with %v: "+format, append([]any{r.Key, sent.UTC().Format(time.RFC3339Nano), facts}, args...)...)
			}
			if err := timelimits.Check(r, sent, end); err != nil {
				fail("Check(EarliestEnd) = %v", err)
			}
			if err := timelimits.Check(r, sent, sent.Add(-time.Nanosecond)); !errors.Is(err, timelimits.ErrEndBeforeStart) {
				fail("an end before the start: %v", err)
			}
			if !r.HasLimit {
				if !end.Equal(sent) {
					fail("a rule without a limit ends at the sending, got %s", end)
				}
				continue
			}
			if !end.After(sent) {
				fail("end %s is not after the sending", end)
			}
			if h, m, s := end.Clock(); h != 23 || m != 59 || s != 59 || end.Nanosecond() != 999_999_999 || end.Location().String() != r.Jurisdiction.TimeZone() {
				fail("end %s is not the last instant of a local day", end)
			}
			// The end is exactly Days local calendar days after the sending
			// day, or later only over non-working days when the rule rolls.
			sentDay := civilDate(sent.In(end.Location()))
			endDay := civilDate(end)
			gap := int(endDay.Sub(sentDay).Hours() / 24)
			switch {
			case !r.RollForward && gap != r.Days:
				fail("end is %d days after the sending day, want %d", gap, r.Days)
			case r.RollForward && gap < r.Days:
				fail("end is %d days after the sending day, want at least %d", gap, r.Days)
			case r.RollForward && !timelimits.IsWorkingDay(r.Jurisdiction, endDay.Year(), endDay.Month(), endDay.Day()):
				fail("a rolled end falls on a non-working day %s", endDay.Format("2006-01-02 Monday"))
			case r.RollForward && gap > r.Days && len(c.Skipped) != gap-r.Days:
				fail("rolled %d days but recorded %d", gap-r.Days, len(c.Skipped))
			}

			if r.Bound() == timelimits.AtLeast {
				for _, short := range []time.Duration{time.Minute, 24 * time.Hour} {
					err := timelimits.Check(r, sent, end.Add(-short))
					if end.Add(-short).Before(sent) {
						continue // 0 days from just before midnight: a minute earlier is before the start
					}
					if !errors.Is(err, timelimits.ErrTooShort) || !strings.Contains(err.Error(), r.Name) ||
						!strings.Contains(err.Error(), end.Add(time.Nanosecond).Format("2006-01-02 15:04")) {
						fail("Check(end - %s) = %v", short, err)
					}
				}
				if err := timelimits.Check(r, sent, end.Add(time.Nanosecond)); err != nil {
					fail("the next instant is allowed: %v", err)
				}
			} else {
				err := timelimits.Check(r, sent, end.Add(time.Minute))
				if !errors.Is(err, timelimits.ErrTooLate) || !strings.Contains(err.Error(), end.Format("2006-01-02 15:04")) {
					fail("Check(end + 1 min) = %v", err)
				}
			}

			// A later sending never gives an earlier end.
			later := sent.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
			if end2, _ := earliestEnd(t, r, later); end2.Before(end) {
				fail("sent later at %s, ends earlier at %s", later, end2)
			}
		}
	}
}

func civilDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
