package procurement_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Tests of the award criteria (DOMAIN.md §4.2): the weights of one lot's
// criteria add up to exactly 100, each above 0 and at most 100 with at most
// two decimals; competitive dialogue and innovation partnership need a
// quality criterion.

// dzQuality is a quality criterion of the given weight as the lead enters it.
func dzQuality(id, weight string) procurement.AwardCriterion {
	return procurement.AwardCriterion{ID: id, Name: "Quality " + id, Type: procurement.CriterionQuality, Weight: weight, ScoringMethod: "panel consensus"}
}

// dzPrice is a price criterion of the given weight as the lead enters it.
func dzPrice(id, weight string) procurement.AwardCriterion {
	return procurement.AwardCriterion{ID: id, Name: "Price", Type: procurement.CriterionPrice, Weight: weight, ScoringMethod: "linear",
		PriceFormula: "lowest/offered*10"}
}

// dzStored is a criterion as the event stores it: the weight normalised and in
// basis points, the default 0–10 scale.
func dzStored(c procurement.AwardCriterion, weight string, bp int) procurement.AwardCriterion {
	c.Weight, c.WeightBP = weight, bp
	if c.ScaleMin == 0 && c.ScaleMax == 0 {
		c.ScaleMax = 10
	}
	return c
}

func dzDefineCriteria(lot string, criteria ...procurement.AwardCriterion) procurement.DefineAwardCriteria {
	return procurement.DefineAwardCriteria{Lot: lot, Criteria: criteria, By: tdLeadBy(), At: dzNow()}
}

func TestDefineAwardCriteria(t *testing.T) {
	t.Run("the_lead_defines_the_award_criteria_for_every_lot", func(t *testing.T) {
		in := tdCriteria()
		for i := range in {
			in[i].WeightBP, in[i].ScaleMax = 0, 0 // the lead enters neither: the weight is read, the scale defaults to 0–10
		}
		in[0].Name, in[1].Weight = "  Price ", " 60.00 "
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", in...)).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: tdCriteria()})
	})
	t.Run("thirds_with_two_decimals_add_up_to_exactly_100", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(dzDefineCriteria("", dzQuality("a", "33.33"), dzQuality("b", "33.33"), dzQuality("c", "33.34"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{
				dzStored(dzQuality("a", ""), "33.33", 3333), dzStored(dzQuality("b", ""), "33.33", 3333), dzStored(dzQuality("c", ""), "33.34", 3334)}})
	})
	t.Run("one_criterion_may_weigh_100", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", dzQuality("q", "100"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{dzStored(dzQuality("q", ""), "100", 10000)}})
	})
	t.Run("weights_are_stored_without_trailing_zeros", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(dzDefineCriteria("", dzQuality("a", "12.50"), dzQuality("b", "0.5"), dzQuality("c", "087"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{
				dzStored(dzQuality("a", ""), "12.5", 1250), dzStored(dzQuality("b", ""), "0.5", 50), dzStored(dzQuality("c", ""), "87", 8700)}})
	})
	t.Run("a_scale_of_its_own_is_kept", func(t *testing.T) {
		q := dzQuality("q", "100")
		q.ScaleMin, q.ScaleMax = 1, 1000
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", q)).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{dzStored(q, "100", 10000)}})
	})
	t.Run("a_cost_criterion_with_its_formula_is_economic", func(t *testing.T) {
		cost := dzPrice("lcc", "30")
		cost.Type, cost.Name = procurement.CriterionCost, "Life-cycle cost"
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", cost, dzQuality("q", "70"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{dzStored(cost, "30", 3000), dzStored(dzQuality("q", ""), "70", 7000)}})
	})
	t.Run("the_open_procedure_may_award_on_price_alone", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(timelimits.Open))...).When(dzDefineCriteria("", dzPrice("price", "100"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{dzStored(dzPrice("price", ""), "100", 10000)}})
	})
	t.Run("a_lot_may_have_criteria_of_its_own", func(t *testing.T) {
		h := dzDesignWith(tdLots(), procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()})
		estest.For(t, procurement.Decider).Given(h...).When(dzDefineCriteria("lot-1", dzQuality("q", "100"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Lot: "lot-1", Version: 1, Criteria: []procurement.AwardCriterion{dzStored(dzQuality("q", ""), "100", 10000)}})
	})
	t.Run("new_criteria_are_the_next_version_of_their_lot", func(t *testing.T) {
		h := dzDesignWith(procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()})
		estest.For(t, procurement.Decider).Given(h...).When(dzDefineCriteria("", dzQuality("q", "100"))).
			Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 2, Criteria: []procurement.AwardCriterion{dzStored(dzQuality("q", ""), "100", 10000)}})
	})
	t.Run("the_same_criteria_again_are_a_no_op", func(t *testing.T) {
		h := dzDesignWith(procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria(), TieRule: procurement.TieHighestQuality})
		in := tdCriteria()
		in[0].Weight, in[0].WeightBP = "40.0", 0
		estest.For(t, procurement.Decider).Given(h...).When(dzDefineCriteria("", in...)).ThenNothing()
	})
	t.Run("criteria_stored_before_tie_rules_read_as_highest_quality_so_defining_them_again_is_a_no_op", func(t *testing.T) {
		h := dzDesignWith(procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()})
		estest.For(t, procurement.Decider).Given(h...).When(dzDefineCriteria("", tdCriteria()...)).ThenNothing()
	})
	for _, rule := range []procurement.TieRule{procurement.TieHighestQuality, procurement.TieBestPrice, procurement.TieEarliestReceipt} {
		t.Run("the_tie_rule_"+strings.ToLower(string(rule))+"_is_declared_with_the_criteria", func(t *testing.T) {
			c := dzDefineCriteria("", tdCriteria()...)
			c.TieRule = rule
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).
				Then(procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria(), TieRule: rule})
		})
	}
	t.Run("another_tie_rule_for_the_same_criteria_is_the_next_version", func(t *testing.T) {
		h := dzDesignWith(procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria(), TieRule: procurement.TieHighestQuality})
		c := dzDefineCriteria("", tdCriteria()...)
		c.TieRule = procurement.TieEarliestReceipt
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.AwardCriteriaDefined{Version: 2, Criteria: tdCriteria(), TieRule: procurement.TieEarliestReceipt})
	})
	t.Run("the_same_tie_rule_again_is_a_no_op", func(t *testing.T) {
		h := dzDesignWith(procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria(), TieRule: procurement.TieBestPrice})
		c := dzDefineCriteria("", tdCriteria()...)
		c.TieRule = procurement.TieBestPrice
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenNothing()
	})
	for _, rule := range []procurement.TieRule{"LOTTERY", "highest_quality", " BEST_PRICE", "EARLIEST"} {
		t.Run(fmt.Sprintf("the_tie_rule_%q_is_refused", rule), func(t *testing.T) {
			c := dzDefineCriteria("", tdCriteria()...)
			c.TieRule = rule
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrInvalidTieRule)
			if es.CodeOf(procurement.ErrInvalidTieRule) != "procurement.invalid_tie_rule" {
				t.Fatalf("the code is %q", es.CodeOf(procurement.ErrInvalidTieRule))
			}
		})
	}
	t.Run("an_invalid_tie_rule_is_refused_before_the_phase_is_checked", func(t *testing.T) {
		c := dzDefineCriteria("", tdCriteria()...)
		c.TieRule = "COIN_TOSS"
		estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).When(c).ThenError(procurement.ErrInvalidTieRule)
	})
	t.Run("weights_adding_up_to_90_are_refused_with_the_sum", func(t *testing.T) {
		c := dzDefineCriteria("", dzPrice("price", "40"), dzQuality("q", "50"))
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrWeightsNotHundred)
		if msg := dzErrorMessage(t, tdDesign(), c, procurement.ErrWeightsNotHundred); !strings.HasSuffix(msg, "they add up to 90") {
			t.Fatalf("the message does not say the sum: %q", msg)
		}
	})
	t.Run("weights_adding_up_to_more_than_100_are_refused_with_the_sum", func(t *testing.T) {
		c := dzDefineCriteria("", dzPrice("price", "60.5"), dzQuality("q", "50"))
		if msg := dzErrorMessage(t, tdDesign(), c, procurement.ErrWeightsNotHundred); !strings.HasSuffix(msg, "they add up to 110.5") {
			t.Fatalf("the message does not say the sum: %q", msg)
		}
	})
	t.Run("thirds_rounded_down_are_a_hundredth_short", func(t *testing.T) {
		c := dzDefineCriteria("", dzQuality("a", "33.33"), dzQuality("b", "33.33"), dzQuality("c", "33.33"))
		if msg := dzErrorMessage(t, tdDesign(), c, procurement.ErrWeightsNotHundred); !strings.HasSuffix(msg, "they add up to 99.99") {
			t.Fatalf("the message does not say the sum: %q", msg)
		}
	})
	for _, w := range []string{"0", "0.00", "100.001", "100.01", "101", "1000", "-5", "abc", "", " ", "12.345", ".5", "5.", "1e2", "50%", "4O", "+5", "1,5"} {
		t.Run(fmt.Sprintf("the_weight_%q_is_refused", w), func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesign()...).
				When(dzDefineCriteria("", dzQuality("a", w), dzQuality("b", "50"))).ThenError(procurement.ErrInvalidWeight)
		})
	}
	t.Run("an_invalid_weight_names_its_criterion", func(t *testing.T) {
		msg := dzErrorMessage(t, tdDesign(), dzDefineCriteria("", dzQuality("a", "50"), dzQuality("b", "-5")), procurement.ErrInvalidWeight)
		if !strings.Contains(msg, `criterion b: "-5"`) {
			t.Fatalf("the message does not name criterion b: %q", msg)
		}
	})
	t.Run("a_price_criterion_needs_its_formula", func(t *testing.T) {
		p := dzPrice("price", "40")
		p.PriceFormula = "  "
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", p, dzQuality("q", "60"))).ThenError(procurement.ErrInvalidCriteria)
	})
	t.Run("a_cost_criterion_needs_its_formula", func(t *testing.T) {
		p := dzPrice("lcc", "40")
		p.Type, p.PriceFormula = procurement.CriterionCost, ""
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", p, dzQuality("q", "60"))).ThenError(procurement.ErrInvalidCriteria)
	})
	t.Run("a_quality_criterion_has_no_price_formula", func(t *testing.T) {
		q := dzQuality("q", "60")
		q.PriceFormula = "lowest/offered*10"
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", dzPrice("price", "40"), q)).ThenError(procurement.ErrInvalidCriteria)
	})
	fifty := make([]procurement.AwardCriterion, 51)
	for i := range fifty {
		fifty[i] = dzQuality(fmt.Sprintf("q%d", i), "1")
	}
	for name, c := range map[string][]procurement.AwardCriterion{
		"no_criteria":                nil,
		"fifty_one_criteria":         fifty,
		"a_criterion_without_an_id":  {dzQuality("", "100")},
		"an_id_with_spaces":          {dzQuality("q 1", "100")},
		"the_same_id_twice":          {dzQuality("q", "50"), dzQuality("q", "50")},
		"a_criterion_without_a_name": {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.Name = " "; return q }()},
		"a_name_over_200_letters":    {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.Name = runes(201); return q }()},
		"an_unknown_type":            {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.Type = "BEAUTY"; return q }()},
		"no_type":                    {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.Type = ""; return q }()},
		"a_negative_scale_minimum": {func() procurement.AwardCriterion {
			q := dzQuality("q", "100")
			q.ScaleMin, q.ScaleMax = -1, 10
			return q
		}()},
		"a_scale_maximum_at_its_min": {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.ScaleMin, q.ScaleMax = 5, 5; return q }()},
		"a_scale_running_backwards": {func() procurement.AwardCriterion {
			q := dzQuality("q", "100")
			q.ScaleMin, q.ScaleMax = 10, 0
			return q
		}()},
		"a_scale_maximum_over_1000":   {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.ScaleMax = 1001; return q }()},
		"no_scoring_method":           {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.ScoringMethod = ""; return q }()},
		"a_scoring_method_over_2000":  {func() procurement.AwardCriterion { q := dzQuality("q", "100"); q.ScoringMethod = runes(2001); return q }()},
		"a_price_formula_over_2000":   {func() procurement.AwardCriterion { p := dzPrice("p", "100"); p.PriceFormula = runes(2001); return p }()},
		"an_invalid_criterion_second": {dzQuality("a", "50"), dzQuality("", "50")},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("", c...)).ThenError(procurement.ErrInvalidCriteria)
		})
	}
	t.Run("criteria_for_an_unknown_lot_are_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdLots())...).When(dzDefineCriteria("lot-9", dzQuality("q", "100"))).
			ThenError(procurement.ErrUnknownLot)
	})
	t.Run("criteria_for_a_lot_before_the_lots_are_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzDefineCriteria("lot-1", dzQuality("q", "100"))).
			ThenError(procurement.ErrUnknownLot)
	})
	t.Run("a_lot_id_that_is_no_id_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdLots())...).When(dzDefineCriteria("lot 1", dzQuality("q", "100"))).
			ThenError(procurement.ErrInvalidLot)
	})
	for _, p := range []timelimits.Procedure{timelimits.CompetitiveDialogue, timelimits.InnovationPartnership} {
		name := strings.ToLower(string(p))
		t.Run(name+"_refuses_price_alone", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(p))...).When(dzDefineCriteria("", dzPrice("price", "100"))).
				ThenError(procurement.ErrQualityCriterionRequired)
		})
		t.Run(name+"_refuses_price_and_cost_without_quality", func(t *testing.T) {
			cost := dzPrice("lcc", "40")
			cost.Type = procurement.CriterionCost
			msg := dzErrorMessage(t, dzDesignWith(tdProcedure(p)), dzDefineCriteria("", dzPrice("price", "60"), cost), procurement.ErrQualityCriterionRequired)
			if !strings.HasSuffix(msg, "price and cost weigh 100") {
				t.Fatalf("the message does not say what price and cost weigh: %q", msg)
			}
		})
		t.Run(name+"_accepts_the_smallest_quality_weight", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(p))...).
				When(dzDefineCriteria("", dzPrice("price", "99.99"), dzQuality("q", "0.01"))).
				Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{
					dzStored(dzPrice("price", ""), "99.99", 9999), dzStored(dzQuality("q", ""), "0.01", 1)}})
		})
		t.Run(name+"_accepts_quality_alone", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(p))...).When(dzDefineCriteria("", dzQuality("q", "100"))).
				Then(procurement.AwardCriteriaDefined{TieRule: procurement.TieHighestQuality, Version: 1, Criteria: []procurement.AwardCriterion{dzStored(dzQuality("q", ""), "100", 10000)}})
		})
	}
	t.Run("a_dialogue_may_be_selected_after_price_alone_was_defined", func(t *testing.T) {
		// The quality rule is checked again when the documents are submitted
		// (TestSubmitTenderDocuments).
		h := dzDesignWith(procurement.AwardCriteriaDefined{Version: 1, Criteria: []procurement.AwardCriterion{dzStored(dzPrice("price", ""), "100", 10000)}})
		estest.For(t, procurement.Decider).Given(h...).When(dzSelect(timelimits.CompetitiveDialogue)).Then(tdProcedure(timelimits.CompetitiveDialogue))
	})
}

func TestParseWeight(t *testing.T) {
	for in, want := range map[string]int{
		"100": 10000, "40": 4000, "12.5": 1250, "12.50": 1250, "0.01": 1, "0.1": 10, "33.33": 3333, " 7 ": 700, "007": 700, "99.99": 9999,
	} {
		t.Run(fmt.Sprintf("%q_is_%d_basis_points", in, want), func(t *testing.T) {
			got, err := procurement.ParseWeight(in)
			if err != nil || got != want {
				t.Fatalf("ParseWeight(%q) = %d, %v; want %d", in, got, err, want)
			}
		})
	}
	for _, in := range []string{"0", "0.0", "00.00", "100.01", "100.001", "-5", "abc", "", "1000", "12.345", ".5", "5.", "1e2", "∞"} {
		t.Run(fmt.Sprintf("%q_is_no_weight", in), func(t *testing.T) {
			if got, err := procurement.ParseWeight(in); err == nil || !errors.Is(err, procurement.ErrInvalidWeight) {
				t.Fatalf("ParseWeight(%q) = %d, %v; want ErrInvalidWeight", in, got, err)
			}
		})
	}
}

func TestFormatWeight(t *testing.T) {
	for bp, want := range map[int]string{10000: "100", 4000: "40", 1250: "12.5", 1: "0.01", 10: "0.1", 3334: "33.34", 9000: "90", 11050: "110.5", 0: "0"} {
		t.Run(fmt.Sprintf("%d_basis_points_read_%s", bp, want), func(t *testing.T) {
			if got := procurement.FormatWeight(bp); got != want {
				t.Fatalf("FormatWeight(%d) = %q, want %q", bp, got, want)
			}
		})
	}
	t.Run("every_weight_reads_back_as_itself", func(t *testing.T) {
		for bp := 1; bp <= 10000; bp++ {
			s := procurement.FormatWeight(bp)
			if got, err := procurement.ParseWeight(s); err != nil || got != bp {
				t.Fatalf("ParseWeight(FormatWeight(%d) = %q) = %d, %v", bp, s, got, err)
			}
		}
	})
}

// dzSplit splits total basis points into n positive random parts.
func dzSplit(r *rand.Rand, total, n int) []int {
	cuts := map[int]bool{}
	for len(cuts) < n-1 {
		cuts[1+r.IntN(total-1)] = true
	}
	points := []int{0}
	for c := range cuts {
		points = append(points, c)
	}
	points = append(points, total)
	slices.Sort(points)
	parts := make([]int, n)
	for i := range parts {
		parts[i] = points[i+1] - points[i]
	}
	return parts
}

// dzWeight writes basis points the way a user might: always two decimals.
func dzWeight(bp int) string { return fmt.Sprintf("%d.%02d", bp/100, bp%100) }

func TestAwardCriteriaWeightsProperty(t *testing.T) {
	state := procurement.Decider.Fold(tdDesign())
	r := rand.New(rand.NewPCG(2025, 5))
	criteria := func(bps []int) []procurement.AwardCriterion {
		out := make([]procurement.AwardCriterion, len(bps))
		for i, bp := range bps {
			out[i] = dzQuality(fmt.Sprintf("q%d", i), dzWeight(bp))
		}
		return out
	}
	t.Run("any_weights_adding_up_to_10000_basis_points_are_accepted", func(t *testing.T) {
		for range 2000 {
			bps := dzSplit(r, 10000, 1+r.IntN(20))
			got, err := procurement.Decider.Decide(state, dzDefineCriteria("", criteria(bps)...))
			if err != nil || len(got) != 1 {
				t.Fatalf("weights %v: %v %v", bps, got, err)
			}
			sum := 0
			for i, c := range got[0].(procurement.AwardCriteriaDefined).Criteria {
				if c.WeightBP != bps[i] {
					t.Fatalf("weights %v: criterion %d stored %d", bps, i, c.WeightBP)
				}
				sum += c.WeightBP
			}
			if sum != 10000 {
				t.Fatalf("weights %v stored with sum %d", bps, sum)
			}
		}
	})
	t.Run("any_weights_adding_up_to_another_sum_are_refused", func(t *testing.T) {
		for range 2000 {
			total := 10000
			for total == 10000 {
				total = 2 + r.IntN(30000)
			}
			n := 1 + r.IntN(min(20, total))
			bps := dzSplit(r, total, n)
			valid := true
			for _, bp := range bps {
				valid = valid && bp <= 10000
			}
			if !valid {
				continue // a single weight over 100 is refused as an invalid weight instead
			}
			_, err := procurement.Decider.Decide(state, dzDefineCriteria("", criteria(bps)...))
			if !errors.Is(err, procurement.ErrWeightsNotHundred) {
				t.Fatalf("weights %v adding up to %d: got %v", bps, total, err)
			}
			if want := "they add up to " + strings.TrimSuffix(strings.TrimRight(dzWeight(total), "0"), "."); !strings.HasSuffix(err.Error(), want) {
				t.Fatalf("weights %v: message %q, want it to end %q", bps, err.Error(), want)
			}
		}
	})
}
