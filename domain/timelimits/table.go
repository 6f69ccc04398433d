package timelimits

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// defaultLimits is the table this release ships: the values of DOMAIN.md §4.1.
//
//go:embed limits.json
var defaultLimits []byte

// Table holds the rules of every jurisdiction and regime. It does not change
// after Load, so one table may serve every case at once.
type Table struct {
	version string
	rules   map[ruleKey]Rule
}

type ruleKey struct {
	j Jurisdiction
	r Regime
	p Procedure
	k Kind
}

func (k ruleKey) String() string { return fmt.Sprintf("%s/%s/%s/%s", k.j, k.r, k.p, k.k) }

// The file format: one table per jurisdiction and regime, one line per rule.
type fileFormat struct {
	Version string      `json:"version"`
	Tables  []fileTable `json:"tables"`
}

type fileTable struct {
	Jurisdiction Jurisdiction `json:"jurisdiction"`
	Regime       Regime       `json:"regime"`
	Name         string       `json:"name"` // "EU", "EEA": how messages name the regime
	Rules        []fileRule   `json:"rules"`
}

type fileRule struct {
	Procedure   Procedure   `json:"procedure"`
	Kind        Kind        `json:"kind"`
	Name        string      `json:"name"`
	Days        *int        `json:"days"` // absent: no fixed number of days
	Reductions  []Reduction `json:"reductions"`
	RollForward bool        `json:"rollForward"`
	Sources     []string    `json:"sources"`
	Unverified  bool        `json:"unverified"`
	Optional    bool        `json:"optional"`
	Note        string      `json:"note"`
}

// Default returns the embedded table. It fails only if the embedded file is
// broken, which the package's tests rule out.
func Default() (*Table, error) { return Load(bytes.NewReader(defaultLimits)) }

// Load reads a table in the format of limits.json and refuses it whole,
// naming every problem, if anything in it is unknown or impossible: an unknown
// jurisdiction, regime, procedure, kind or condition, negative days, a
// reduction that does not shorten, a rule without a source, a rule without
// days that does not say why, the same rule twice, or an unknown field.
func Load(r io.Reader) (*Table, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f fileFormat
	if err := dec.Decode(&f); err != nil {
		return nil, ErrInvalidTable.With("%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ErrInvalidTable.With("unexpected data after the table")
	}
	t := &Table{version: strings.TrimSpace(f.Version), rules: map[ruleKey]Rule{}}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, ErrInvalidTable.With(format, args...)) }
	if t.version == "" {
		bad("the table needs a version, recorded with every computation")
	}
	if len(f.Tables) == 0 {
		bad("the table has no rules")
	}
	for _, ft := range f.Tables {
		where := fmt.Sprintf("%s/%s", ft.Jurisdiction, ft.Regime)
		loc, locErr := ft.Jurisdiction.Location()
		switch {
		case ft.Jurisdiction.TimeZone() == "":
			bad("%s: unknown jurisdiction %q (NO, SE or FI)", where, ft.Jurisdiction)
			continue
		case locErr != nil:
			bad("%s: time zone %s: %v", where, ft.Jurisdiction.TimeZone(), locErr)
			continue
		case !ft.Regime.valid():
			bad("%s: unknown regime %q (EU_ABOVE or NATIONAL)", where, ft.Regime)
			continue
		case strings.TrimSpace(ft.Name) == "":
			bad("%s: the table needs a name (how messages name the regime, e.g. EU)", where)
		}
		for i, fr := range ft.Rules {
			rule, problems := ruleFrom(ft, fr, t.version)
			rule.loc = loc
			for _, p := range problems {
				bad("%s rule %d (%s %s): %s", where, i+1, fr.Procedure, fr.Kind, p)
			}
			if len(problems) > 0 {
				continue
			}
			k := ruleKey{ft.Jurisdiction, ft.Regime, fr.Procedure, fr.Kind}
			if _, dup := t.rules[k]; dup {
				bad("%s rule %d: %s is listed twice", where, i+1, k)
				continue
			}
			t.rules[k] = rule
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// ruleFrom checks one line of the file and builds its rule.
func ruleFrom(ft fileTable, fr fileRule, version string) (Rule, []string) {
	var problems []string
	if !fr.Procedure.valid() {
		problems = append(problems, fmt.Sprintf("unknown procedure %q", fr.Procedure))
	}
	if !fr.Kind.valid() {
		problems = append(problems, fmt.Sprintf("unknown kind %q", fr.Kind))
	}
	if len(fr.Sources) == 0 || slices.Contains(fr.Sources, "") {
		problems = append(problems, "every rule needs its source keys")
	}
	switch {
	case fr.Days == nil && strings.TrimSpace(fr.Note) == "":
		problems = append(problems, "a rule without days must say why in its note")
	case fr.Days == nil && len(fr.Reductions) > 0:
		problems = append(problems, "a rule without days has nothing to reduce")
	case fr.Days != nil && *fr.Days < 0:
		problems = append(problems, fmt.Sprintf("days cannot be negative (got %d)", *fr.Days))
	}
	seen := map[Condition]bool{}
	for _, red := range fr.Reductions {
		switch {
		case !red.Condition.valid():
			problems = append(problems, fmt.Sprintf("unknown condition %q", red.Condition))
		case seen[red.Condition]:
			problems = append(problems, fmt.Sprintf("condition %s is listed twice", red.Condition))
		case red.Minus < 0 || red.To < 0:
			problems = append(problems, fmt.Sprintf("reduction %s cannot be negative", red.Condition))
		case (red.Minus == 0) == (red.To == 0):
			problems = append(problems, fmt.Sprintf("reduction %s needs exactly one of minus or to", red.Condition))
		case fr.Days != nil && (red.days(*fr.Days) >= *fr.Days || red.days(*fr.Days) < 0):
			problems = append(problems, fmt.Sprintf("reduction %s must shorten the %d days to between 0 and %d", red.Condition, *fr.Days, *fr.Days-1))
		case len(red.Sources) == 0 || slices.Contains(red.Sources, ""):
			problems = append(problems, fmt.Sprintf("reduction %s needs its source keys", red.Condition))
		}
		seen[red.Condition] = true
	}
	if len(problems) > 0 {
		return Rule{}, problems
	}
	k := ruleKey{ft.Jurisdiction, ft.Regime, fr.Procedure, fr.Kind}
	name := fr.Name
	if name == "" {
		name = ft.Name + " " + fr.Kind.label()
		if p := fr.Procedure.label(); p != "" {
			name = ft.Name + " " + p + ", " + fr.Kind.label()
		}
	}
	rule := Rule{
		Key: k.String(), Jurisdiction: ft.Jurisdiction, Regime: ft.Regime, Procedure: fr.Procedure, Kind: fr.Kind,
		Name: name, HasLimit: fr.Days != nil, Reductions: fr.Reductions, RollForward: fr.RollForward,
		Sources: fr.Sources, Unverified: fr.Unverified, Optional: fr.Optional, Note: strings.TrimSpace(fr.Note),
		Table: version,
	}
	if fr.Days != nil {
		rule.BaseDays, rule.Days = *fr.Days, *fr.Days
	}
	return rule.clone(), nil
}

// Version is the table's version, recorded with every computation.
func (t *Table) Version() string { return t.version }

// Rule finds the rule for a period, falling back to the jurisdiction's rule
// for any procedure. Apply the case's conditions with Rule.With.
func (t *Table) Rule(j Jurisdiction, r Regime, p Procedure, k Kind) (Rule, error) {
	switch {
	case j.TimeZone() == "":
		return Rule{}, ErrUnknownJurisdiction.With("got %q", string(j))
	case !r.valid() || !p.valid() || !k.valid():
		return Rule{}, ErrNoRule.With("%s is not a period the package knows (regime EU_ABOVE or NATIONAL, a procedure, a kind)", ruleKey{j, r, p, k})
	}
	if t != nil {
		for _, key := range []ruleKey{{j, r, p, k}, {j, r, Any, k}} {
			if rule, ok := t.rules[key]; ok {
				return rule.clone(), nil
			}
		}
	}
	proc := p.label()
	if proc == "" {
		proc = "any procedure"
	}
	return Rule{}, ErrNoRule.With("%s: the table has no %s period for the %s", ruleKey{j, r, p, k}, k.label(), proc)
}

// Rules lists every rule, by jurisdiction (NO, SE, FI), regime, procedure and
// kind in the order of their constants, for a view of the table.
func (t *Table) Rules() []Rule {
	if t == nil {
		return nil
	}
	out := make([]Rule, 0, len(t.rules))
	for _, r := range t.rules {
		out = append(out, r.clone())
	}
	slices.SortFunc(out, compareRuleKeys)
	return out
}

func compareRuleKeys(a, b Rule) int {
	js := []Jurisdiction{NO, SE, FI}
	rs := []Regime{EUAbove, National}
	ps := []Procedure{Open, Restricted, CompetitiveNegotiation, CompetitiveDialogue, InnovationPartnership, DPS, Any}
	ks := []Kind{TenderReceipt, RequestReceipt, TendersAfterInvitation, AdditionalInfoBeforeDeadline, LateChangeExtension, Standstill, AwardNoticePublication}
	for _, c := range []int{
		slices.Index(js, a.Jurisdiction) - slices.Index(js, b.Jurisdiction),
		slices.Index(rs, a.Regime) - slices.Index(rs, b.Regime),
		slices.Index(ps, a.Procedure) - slices.Index(ps, b.Procedure),
		slices.Index(ks, a.Kind) - slices.Index(ks, b.Kind),
	} {
		if c != 0 {
			return c
		}
	}
	return 0
}
