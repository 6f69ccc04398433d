package procurement

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Commitments (DOMAIN.md §1 P2, §4.3): a member's budget holder commits
// volumes per lot, binding, indicative or as an option. Binding commitments
// cannot be reduced once the contract notice is out (the suppliers priced
// them). The joint estimated value for the threshold test is the sum over all
// members, options included.

// CommitmentType is how firmly a member commits.
type CommitmentType string

const (
	CommitmentBinding    CommitmentType = "BINDING"
	CommitmentIndicative CommitmentType = "INDICATIVE"
	CommitmentOption     CommitmentType = "OPTION"
)

// Commitment is one member's volume for one lot and type.
type Commitment struct {
	Org            string         `json:"org"`
	Lot            string         `json:"lot"`
	Type           CommitmentType `json:"type"`
	Quantity       string         `json:"quantity"` // a decimal with at most 3 decimals, e.g. "120" or "2.5"
	Unit           string         `json:"unit"`
	EstimatedValue int64          `json:"estimatedValue"` // minor units (øre, öre, cent)
	Currency       string         `json:"currency"`
	BudgetYears    []int          `json:"budgetYears"`
}

func (c Commitment) key() string { return c.Org + "\x00" + c.Lot + "\x00" + string(c.Type) }

func (c Commitment) same(o Commitment) bool {
	return c.Quantity == o.Quantity && c.Unit == o.Unit && c.EstimatedValue == o.EstimatedValue &&
		c.Currency == o.Currency && slices.Equal(c.BudgetYears, o.BudgetYears)
}

// CurrencyOf is the currency commitments in a case of jurisdiction j use, so
// that they add up to one joint value.
func CurrencyOf(j Jurisdiction) string {
	switch j {
	case JurisdictionSE:
		return "SEK"
	case JurisdictionFI:
		return "EUR"
	}
	return "NOK"
}

// JointValue is the joint estimated value of a case in minor units.
type JointValue struct {
	Currency                    string
	Binding, Indicative, Option int64
	PerMember                   map[string]int64
}

// Total is the value for the threshold test: everything, options included.
func (v JointValue) Total() int64 { return v.Binding + v.Indicative + v.Option }

// JointEstimatedValue sums the joined members' commitments.
func (s State) JointEstimatedValue() JointValue {
	v := JointValue{Currency: CurrencyOf(s.Jurisdiction), PerMember: map[string]int64{}}
	for _, c := range s.Commitments {
		if s.Members[c.Org] != MemberJoined {
			continue
		}
		switch c.Type {
		case CommitmentBinding:
			v.Binding += c.EstimatedValue
		case CommitmentIndicative:
			v.Indicative += c.EstimatedValue
		case CommitmentOption:
			v.Option += c.EstimatedValue
		}
		v.PerMember[c.Org] += c.EstimatedValue
	}
	return v
}

var (
	lotPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	decimalPattern = regexp.MustCompile(`^(0|[1-9][0-9]{0,14})(\.[0-9]{1,3})?$`)
	// At most 11 whole digits (under 100 billion) per commitment and
	// maxCommitmentsPerMember commitments keep every sum of a case far inside
	// int64 minor units, even with thousands of members.
	moneyPattern    = regexp.MustCompile(`^(0|[1-9][0-9]{0,10})(\.[0-9]{1,2})?$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

const (
	minBudgetYear = 2000
	maxBudgetYear = 2100
)

// ParseQuantity reads a non-negative decimal with at most three decimals and
// returns it normalised ("2.50" → "2.5") with its value in thousandths.
func ParseQuantity(s string) (string, int64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return "", 0, ErrNegativeVolume
	}
	if !decimalPattern.MatchString(s) {
		return "", 0, ErrInvalidQuantity.With("%q", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "000")[:3], 10, 64)
	norm := whole
	if frac != "" {
		norm += "." + frac
	}
	return norm, w*1000 + f, nil
}

// ParseMoney reads a non-negative amount with at most two decimals into minor units.
func ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return 0, ErrNegativeValue
	}
	if !moneyPattern.MatchString(s) {
		return 0, ErrInvalidValue.With("%q", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	return w*100 + f, nil
}

// FormatMoney writes minor units as a decimal with two places.
func FormatMoney(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return sign + strconv.FormatInt(minor/100, 10) + "." + strconv.FormatInt(100+minor%100, 10)[1:]
}

func commitVolume(s State, c CommitVolume) ([]Event, error) {
	qty, milli, err := ParseQuantity(c.Quantity)
	if err != nil {
		return nil, err
	}
	value, err := ParseMoney(c.EstimatedValue)
	if err != nil {
		return nil, err
	}
	unit := strings.TrimSpace(c.Unit)
	years := slices.Clone(c.BudgetYears)
	slices.Sort(years)
	years = slices.Compact(years)
	switch {
	case !lotPattern.MatchString(c.Lot):
		return nil, ErrInvalidLot.With("%q", c.Lot)
	case c.Type != CommitmentBinding && c.Type != CommitmentIndicative && c.Type != CommitmentOption:
		return nil, ErrInvalidCommitmentType.With("%q", c.Type)
	case unit == "" || tooLong(unit, 50):
		return nil, ErrUnitRequired
	case !currencyPattern.MatchString(c.Currency):
		return nil, ErrInvalidCurrency.With("%q", c.Currency)
	case len(years) == 0 || years[0] < minBudgetYear || years[len(years)-1] > maxBudgetYear:
		return nil, ErrInvalidBudgetYears
	}
	org := c.By.Org
	if err := needsMember(s, org); err != nil {
		return nil, err
	}
	switch {
	case s.Phase == PhaseDraft || s.Phase == PhaseRecruiting || s.Phase == PhaseAgreement:
		return nil, ErrCommitmentBeforeNeeds
	case c.Currency != CurrencyOf(s.Jurisdiction):
		return nil, ErrCurrencyMismatch.With("this case counts in %s", CurrencyOf(s.Jurisdiction))
	}
	next := Commitment{Org: org, Lot: c.Lot, Type: c.Type, Quantity: qty, Unit: unit, EstimatedValue: value, Currency: c.Currency, BudgetYears: years}
	prev, exists := s.Commitments[next.key()]
	if !exists {
		if milli == 0 {
			return nil, ErrZeroCommitment
		}
		if s.commitmentsOf(org) >= maxCommitmentsPerMember {
			return nil, ErrTooManyCommitments
		}
		return []Event{VolumeCommitted{Commitment: next}}, nil
	}
	if prev.same(next) {
		return nil, nil
	}
	if prev.Type == CommitmentBinding && !s.Phase.BeforeNotice() {
		_, prevMilli, _ := ParseQuantity(prev.Quantity)
		if milli < prevMilli || value < prev.EstimatedValue || unit != prev.Unit {
			return nil, ErrBindingReduction
		}
	}
	return []Event{VolumeCommitmentChanged{Commitment: next, PreviousQuantity: prev.Quantity, PreviousValue: prev.EstimatedValue}}, nil
}

// maxCommitmentsPerMember bounds a member's lots × types.
const maxCommitmentsPerMember = 300

func (s State) commitmentsOf(org string) int {
	n := 0
	for _, c := range s.Commitments {
		if c.Org == org {
			n++
		}
	}
	return n
}
