package timelimits

import (
	"slices"
	"time"
)

// dateLayout is how a Computation writes local calendar dates.
const dateLayout = "2006-01-02"

// Computation is everything that went into a time limit and what came out. The
// caller stores it in the event that sets the date, so a replay reads the date
// instead of recomputing it with a newer table or holiday calendar.
type Computation struct {
	Rule        string      `json:"rule"` // NO/EU_ABOVE/OPEN/TENDER_RECEIPT
	Name        string      `json:"name"`
	Table       string      `json:"table"` // version of the table
	Sources     []string    `json:"sources"`
	Unverified  bool        `json:"unverified,omitempty"`
	Bound       Bound       `json:"bound"`
	HasLimit    bool        `json:"hasLimit"`
	BaseDays    int         `json:"baseDays"`
	Days        int         `json:"days"`
	Reductions  []Condition `json:"reductions,omitempty"`
	RollForward bool        `json:"rollForward,omitempty"`
	TimeZone    string      `json:"timeZone"`
	SentAt      time.Time   `json:"sentAt"`
	SentDate    string      `json:"sentDate"`          // local date of the sending: day 0
	LastDay     string      `json:"lastDay,omitempty"` // local date of the last counted day, before any roll-forward
	Skipped     []Skipped   `json:"skipped,omitempty"` // non-working days the end rolled over
	EndDate     string      `json:"endDate"`           // local date the period ends on
	End         time.Time   `json:"end"`               // the last instant of EndDate, local time
}

// Skipped is a non-working day the end of a period rolled forward over.
type Skipped struct {
	Date   string `json:"date"`
	Reason string `json:"reason"` // Saturday, or the holiday's name
}

// EarliestEnd computes where the rule's period ends when what starts it was
// sent at sentAt: calendar days counted from the day after the sending in the
// jurisdiction's time zone, ending at 23:59:59.999999999 local time of the
// last day ("midnight of the 10th day after", [REM]), rolled forward to the
// end of the next working day when the rule says so. The count is by local
// calendar date, so a period spanning a DST change still ends at local
// midnight.
//
// For a minimum (Bound AtLeast) the end is the earliest allowed end; for the
// one maximum (award notice publication) it is the latest allowed. A rule with
// no fixed number of days ends at sentAt. The error is only for a rule that
// did not come from a Table (an unknown jurisdiction).
func EarliestEnd(rule Rule, sentAt time.Time) (time.Time, Computation, error) {
	loc, err := rule.location()
	if err != nil {
		return time.Time{}, Computation{}, err
	}
	local := sentAt.In(loc)
	sent := civil(local.Year(), local.Month(), local.Day())
	c := Computation{
		Rule: rule.Key, Name: rule.Name, Table: rule.Table, Sources: rule.sources(), Unverified: rule.Unverified,
		Bound: rule.Bound(), HasLimit: rule.HasLimit, BaseDays: rule.BaseDays, Days: rule.Days,
		Reductions: slices.Clone(rule.Applied), RollForward: rule.RollForward && rule.HasLimit,
		TimeZone: loc.String(), SentAt: sentAt, SentDate: sent.Format(dateLayout),
	}
	if !rule.HasLimit {
		c.EndDate, c.End = c.SentDate, local
		return local, c, nil
	}
	last := sent.AddDate(0, 0, rule.Days)
	c.LastDay = last.Format(dateLayout)
	if c.RollForward {
		for {
			reason, working := nonWorkingReason(rule.Jurisdiction, last)
			if working {
				break
			}
			c.Skipped = append(c.Skipped, Skipped{Date: last.Format(dateLayout), Reason: reason})
			last = last.AddDate(0, 0, 1)
		}
	}
	end := time.Date(last.Year(), last.Month(), last.Day(), 23, 59, 59, 999_999_999, loc)
	c.EndDate, c.End = last.Format(dateLayout), end
	return end, c, nil
}

// Check refuses a proposed end that breaks the rule: before the start
// (ErrEndBeforeStart), before the earliest allowed end of a minimum
// (ErrTooShort), or after the latest allowed end of a maximum (ErrTooLate).
// The message names the rule and the allowed moment in the local time zone to
// the minute.
//
// To the minute: a minimum's period ends at the last instant of its last day,
// so the first acceptable minute is 00:00 of the next day and the message
// says so (a deadline at 23:59 of the last day is a minute short). A maximum
// ends at 23:59 of its last day, which is still allowed.
func Check(rule Rule, sentAt, proposedEnd time.Time) error {
	limit, c, err := EarliestEnd(rule, sentAt)
	if err != nil {
		return err
	}
	loc := limit.Location()
	if proposedEnd.Before(sentAt) {
		return ErrEndBeforeStart.With("%s: the proposed end %s is before the start %s %s",
			rule.Name, minute(proposedEnd.In(loc)), minute(sentAt.In(loc)), c.TimeZone)
	}
	switch {
	case rule.Bound() == AtLeast && proposedEnd.Before(limit):
		first := limit.Add(time.Nanosecond) // the first instant after the period, 00:00 of the next day
		return ErrTooShort.With("%s; the earliest allowed end is %s %s (midnight at the end of %s)",
			rule.Describe(), minute(first), c.TimeZone, c.EndDate)
	case rule.Bound() == AtMost && proposedEnd.After(limit):
		return ErrTooLate.With("%s; the latest allowed is %s %s", rule.Describe(), minute(limit), c.TimeZone)
	}
	return nil
}

func minute(t time.Time) string { return t.Format("2006-01-02 15:04") }
