package procurement

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// Award criteria (DOMAIN.md §4.2): the weights of one lot's criteria add up to
// exactly 100 %, each weight above 0 and at most 100, with at most two
// decimals; they are summed in basis points so "33.33 + 33.33 + 33.34" is
// exact. Competitive dialogue and innovation partnership award on the best
// price-quality ratio only: at least one quality criterion, so price and cost
// weigh less than 100.

var weightPattern = regexp.MustCompile(`^(\d{1,3})(?:\.(\d{1,2}))?$`)

// ParseWeight turns "12.5" into 1250 basis points.
func ParseWeight(s string) (int, error) {
	m := weightPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, ErrInvalidWeight.With("%q", s)
	}
	whole, _ := strconv.Atoi(m[1])
	frac := 0
	if m[2] != "" {
		frac, _ = strconv.Atoi((m[2] + "0")[:2])
	}
	bp := whole*100 + frac
	if bp <= 0 || bp > 10000 {
		return 0, ErrInvalidWeight.With("%q", s)
	}
	return bp, nil
}

// FormatWeight writes basis points as a percentage without trailing zeros.
func FormatWeight(bp int) string {
	s := strconv.Itoa(bp/100) + "." + strconv.Itoa(100 + bp%100)[1:]
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

const maxScale = 1000

func checkCriteria(in []AwardCriterion) ([]AwardCriterion, error) {
	if len(in) == 0 || len(in) > 50 {
		return nil, ErrInvalidCriteria
	}
	out := make([]AwardCriterion, len(in))
	seen := map[string]bool{}
	sum := 0
	for i, c := range in {
		c.Name, c.ScoringMethod, c.PriceFormula = strings.TrimSpace(c.Name), strings.TrimSpace(c.ScoringMethod), strings.TrimSpace(c.PriceFormula)
		if c.ScaleMin == 0 && c.ScaleMax == 0 {
			c.ScaleMax = 10 // the usual 0–10 scale
		}
		economic := c.Type == CriterionPrice || c.Type == CriterionCost
		switch {
		case !idPattern.MatchString(c.ID) || seen[c.ID] || !textOK(c.Name, maxTitle):
			return nil, ErrInvalidCriteria.With("criterion %d", i+1)
		case !economic && c.Type != CriterionQuality:
			return nil, ErrInvalidCriteria.With("criterion %s: type %q", c.ID, c.Type)
		case c.ScaleMin < 0 || c.ScaleMax <= c.ScaleMin || c.ScaleMax > maxScale:
			return nil, ErrInvalidCriteria.With("criterion %s: the scale runs from a minimum of 0 or more to a higher maximum of at most %d", c.ID, maxScale)
		case !textOK(c.ScoringMethod, maxReason):
			return nil, ErrInvalidCriteria.With("criterion %s: scoring method", c.ID)
		case economic && !textOK(c.PriceFormula, maxReason):
			return nil, ErrInvalidCriteria.With("criterion %s: a price or cost criterion needs its price formula", c.ID)
		case !economic && c.PriceFormula != "":
			return nil, ErrInvalidCriteria.With("criterion %s: only price and cost criteria have a price formula", c.ID)
		}
		bp, err := ParseWeight(c.Weight)
		if err != nil {
			return nil, ErrInvalidWeight.With("criterion %s: %q", c.ID, c.Weight)
		}
		c.WeightBP, c.Weight = bp, FormatWeight(bp)
		sum += bp
		seen[c.ID] = true
		out[i] = c
	}
	if sum != 10000 {
		return nil, ErrWeightsNotHundred.With("they add up to %s", FormatWeight(sum))
	}
	return out, nil
}

// qualityRule checks the best price-quality rule for the procedure.
func qualityRule(s State, criteria []AwardCriterion) error {
	if !bestPriceQualityOnly(s.procedure()) {
		return nil
	}
	economic := 0
	for _, c := range criteria {
		if c.Type != CriterionQuality {
			economic += c.WeightBP
		}
	}
	if economic >= 10000 {
		return ErrQualityCriterionRequired.With("price and cost weigh %s", FormatWeight(economic))
	}
	return nil
}

func defineAwardCriteria(s State, c DefineAwardCriteria) ([]Event, error) {
	if c.Lot != "" && !idPattern.MatchString(c.Lot) {
		return nil, ErrInvalidLot.With("%q", c.Lot)
	}
	criteria, err := checkCriteria(c.Criteria)
	if err != nil {
		return nil, err
	}
	tie := c.TieRule
	if tie == "" {
		tie = TieHighestQuality
	}
	if !tie.valid() {
		return nil, ErrInvalidTieRule.With("%q", c.TieRule)
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	if c.Lot != "" && !s.lotExists(c.Lot) {
		return nil, ErrUnknownLot.With("%q", c.Lot)
	}
	if err := qualityRule(s, criteria); err != nil {
		return nil, err
	}
	prev, ok := s.Design.AwardCriteria[c.Lot]
	prevTie := prev.TieRule
	if prevTie == "" {
		prevTie = TieHighestQuality // events before tie rules were declared
	}
	if ok && reflect.DeepEqual(prev.Criteria, criteria) && prevTie == tie {
		return nil, nil
	}
	return []Event{AwardCriteriaDefined{Lot: c.Lot, Version: prev.Version + 1, Criteria: criteria, TieRule: tie}}, nil
}

// criteriaFor returns the award criteria that apply to a lot.
func (s State) criteriaFor(lot string) (AwardCriteriaDefined, bool) {
	if set, ok := s.Design.AwardCriteria[lot]; ok {
		return set, true
	}
	set, ok := s.Design.AwardCriteria[""]
	return set, ok
}
