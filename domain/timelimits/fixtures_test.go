package timelimits_test

import (
	"testing"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// table is the embedded default; the tests prove it loads.
func table(t *testing.T) *timelimits.Table {
	t.Helper()
	tbl, err := timelimits.Default()
	if err != nil {
		t.Fatalf("default table: %v", err)
	}
	return tbl
}

// rule looks a rule up in the default table and applies the conditions.
func rule(t *testing.T, j timelimits.Jurisdiction, r timelimits.Regime, p timelimits.Procedure, k timelimits.Kind, conds ...timelimits.Condition) timelimits.Rule {
	t.Helper()
	got, err := table(t).Rule(j, r, p, k)
	if err != nil {
		t.Fatalf("rule %s/%s/%s/%s: %v", j, r, p, k, err)
	}
	return got.With(conds...)
}

// at is a local wall-clock time in the jurisdiction's legal time zone.
func at(t *testing.T, j timelimits.Jurisdiction, clock string) time.Time {
	t.Helper()
	loc, err := j.Location()
	if err != nil {
		t.Fatalf("location of %s: %v", j, err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", clock, loc)
	if err != nil {
		t.Fatalf("parse %q: %v", clock, err)
	}
	return v
}

// endOf is the last instant of a local date in the jurisdiction.
func endOf(t *testing.T, j timelimits.Jurisdiction, date string) time.Time {
	t.Helper()
	return at(t, j, date+" 23:59").Add(59*time.Second + 999_999_999*time.Nanosecond)
}

func utc(t *testing.T, rfc3339 string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, rfc3339)
	if err != nil {
		t.Fatalf("parse %q: %v", rfc3339, err)
	}
	return v
}

// earliestEnd is EarliestEnd for rules from a table, which cannot fail.
func earliestEnd(t *testing.T, r timelimits.Rule, sentAt time.Time) (time.Time, timelimits.Computation) {
	t.Helper()
	end, c, err := timelimits.EarliestEnd(r, sentAt)
	if err != nil {
		t.Fatalf("EarliestEnd(%s): %v", r.Key, err)
	}
	return end, c
}
