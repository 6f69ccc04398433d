package timelimits

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Rule is one time limit as a table holds it, for one jurisdiction, regime,
// procedure and kind of period. With applies the facts of a case.
type Rule struct {
	Key          string // NO/EU_ABOVE/OPEN/TENDER_RECEIPT
	Jurisdiction Jurisdiction
	Regime       Regime
	Procedure    Procedure // Any for a rule that holds whatever the procedure
	Kind         Kind
	Name         string // EU open procedure, receipt of tenders
	// HasLimit is false when the rule fixes no number of days (NO Part II
	// "adequate time", or a value DOMAIN.md does not give); Note says which.
	HasLimit    bool
	BaseDays    int
	Days        int         // BaseDays after the reductions in Applied
	Reductions  []Reduction // what the rule offers
	Applied     []Condition // what With found in the case
	RollForward bool        // an end on a non-working day moves to the next working day
	Sources     []string    // DOMAIN.md source keys
	Unverified  bool        // DOMAIN.md marks the value ⚠
	Optional    bool        // a stricter policy a case may adopt, not law
	Note        string
	Table       string // version of the table the rule came from

	loc *time.Location // the jurisdiction's zone, loaded once by the table
}

// Reduction shortens a rule's period when a condition holds: by Minus days
// from the base, or to To days.
type Reduction struct {
	Condition Condition `json:"condition"`
	Minus     int       `json:"minus,omitempty"`
	To        int       `json:"to,omitempty"`
	Sources   []string  `json:"sources"`
}

func (r Reduction) days(base int) int {
	if r.To > 0 {
		return r.To
	}
	return base - r.Minus
}

// location is the legal time zone: the one the table loaded, or loaded now
// for a rule built by hand.
func (r Rule) location() (*time.Location, error) {
	if r.loc != nil {
		return r.loc, nil
	}
	return r.Jurisdiction.Location()
}

// Bound is whether the rule's days are a minimum or a maximum.
func (r Rule) Bound() Bound { return r.Kind.Bound() }

// With applies the facts of a case: every reduction the rule offers for one
// of the conditions is applied, and the shortest period wins (reductions do
// not add up: e-submission shortens the 35 days of an open procedure, not the
// 15 days after a PIN). Conditions the rule offers nothing for are ignored,
// so a caller can pass every fact of the case to every rule.
func (r Rule) With(conds ...Condition) Rule {
	out := r.clone()
	out.Days, out.Applied = r.BaseDays, nil
	if !r.HasLimit {
		return out
	}
	for _, red := range r.Reductions {
		if !slices.Contains(conds, red.Condition) {
			continue
		}
		out.Applied = append(out.Applied, red.Condition)
		out.Days = min(out.Days, red.days(r.BaseDays))
	}
	return out
}

// Describe says the rule in one line for an error or a view:
// "EU open procedure, receipt of tenders: at least 35 days [EU-27]".
func (r Rule) Describe() string {
	var b strings.Builder
	b.WriteString(r.Name)
	b.WriteString(": ")
	switch {
	case !r.HasLimit && r.Bound() == AtMost:
		b.WriteString("no fixed limit")
	case !r.HasLimit:
		b.WriteString("no fixed minimum")
	case r.Bound() == AtMost:
		fmt.Fprintf(&b, "within %d days", r.Days)
	default:
		fmt.Fprintf(&b, "at least %d days", r.Days)
	}
	if len(r.Applied) > 0 {
		labels := make([]string, len(r.Applied))
		for i, c := range r.Applied {
			labels[i] = c.label()
		}
		fmt.Fprintf(&b, " with %s", strings.Join(labels, " and "))
	}
	if r.HasLimit && r.RollForward {
		b.WriteString(", ending on a working day")
	}
	b.WriteString(" ")
	for _, s := range r.sources() {
		fmt.Fprintf(&b, "[%s]", s)
	}
	if r.Unverified {
		b.WriteString(" (value not confirmed in a source)")
	}
	return b.String()
}

// sources are the rule's own sources followed by those of the reductions
// applied, each once.
func (r Rule) sources() []string {
	out := slices.Clone(r.Sources)
	for _, red := range r.Reductions {
		if !slices.Contains(r.Applied, red.Condition) {
			continue
		}
		for _, s := range red.Sources {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// clone copies the slices so a caller cannot change a table through a rule.
func (r Rule) clone() Rule {
	r.Reductions = slices.Clone(r.Reductions)
	for i := range r.Reductions {
		r.Reductions[i].Sources = slices.Clone(r.Reductions[i].Sources)
	}
	r.Applied = slices.Clone(r.Applied)
	r.Sources = slices.Clone(r.Sources)
	return r
}
