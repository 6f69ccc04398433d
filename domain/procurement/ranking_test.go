package procurement_test

import (
	"reflect"
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// The ranking (DOMAIN.md §4.2): a tender's total is Σ wᵢ · (sᵢ − minᵢ) /
// (maxᵢ − minᵢ) over its lot's criteria, wᵢ in percent and sᵢ the consensus
// score, so a perfect tender has 100 points; totals are exact and written with
// four decimals, rounded half away from zero. Ties are broken by the lot's
// declared rule, then by the earlier receipt, then by the tender's ID. Every
// expected figure below is worked out by hand in the comment beside it.

// evRanked finalises the report of the case c with these tenders and
// consensus scores and returns its rankings.
func evRanked(t testing.TB, c evCase, scores evScores, tenders ...procurement.SubmitBid) []procurement.LotRanking {
	t.Helper()
	return evReport(t, evEvaluated(t, c.opened(t, tenders...), scores)).Lots
}

// evOneLot is a case whose one lot is scored on these criteria with this tie rule.
func evOneLot(tie procurement.TieRule, criteria ...procurement.AwardCriterion) evCase {
	return evCase{Criteria: []procurement.AwardCriteriaDefined{{Version: 1, Criteria: criteria, TieRule: tie}}}
}

// evPriceQuality is price 40 % and quality 60 %, both scored 0–10.
func evPriceQuality(tie procurement.TieRule) evCase {
	return evOneLot(tie, evCriterion("price", procurement.CriterionPrice, 4000, 0, 10),
		evCriterion("quality", procurement.CriterionQuality, 6000, 0, 10))
}

func evSameRanking(t testing.TB, got []procurement.LotRanking, want ...procurement.LotRanking) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ranking\n got: %+v\nwant: %+v", got, want)
	}
}

func TestRanking(t *testing.T) {
	t.Run("price_40_and_quality_60_on_a_scale_of_0_to_10", func(t *testing.T) {
		// b1: 40·10/10 + 60·8/10  = 40 + 48 = 88
		// b2: 40·6/10  + 60·9/10  = 24 + 54 = 78 (more quality, fewer points)
		// b3: 40·3/10  + 60·10/10 = 12 + 60 = 72
		got := evRanked(t, evPriceQuality(""),
			evScores{"b1": {"price": 10, "quality": 8}, "b2": {"price": 6, "quality": 9}, "b3": {"price": 3, "quality": 10}},
			evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)), evSubmit("b3", evPolar, tdAt(62, 9)))
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b1", evAcme, "88.0000", "48.0000", "40.0000"),
			evRow(2, "b2", evNordic, "78.0000", "54.0000", "24.0000"),
			evRow(3, "b3", evPolar, "72.0000", "60.0000", "12.0000"),
		}})
	})
	t.Run("a_perfect_tender_has_100_points_and_the_worst_0", func(t *testing.T) {
		got := evRanked(t, evPriceQuality(""),
			evScores{"b1": {"price": 0, "quality": 0}, "b2": {"price": 10, "quality": 10}},
			evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)))
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b2", evNordic, "100.0000", "60.0000", "40.0000"),
			evRow(2, "b1", evAcme, "0.0000", "0.0000", "0.0000"),
		}})
	})
	t.Run("fractions_are_exact_and_written_with_four_decimals", func(t *testing.T) {
		// price 40 % on 0–3, quality 60 % on 0–7:
		// b1: 40·2/3 = 26.666…  + 60·5/7 = 42.857142… = 69.523809… → 69.5238
		got := evRanked(t, evOneLot("", evCriterion("price", procurement.CriterionPrice, 4000, 0, 3),
			evCriterion("quality", procurement.CriterionQuality, 6000, 0, 7)),
			evScores{"b1": {"price": 2, "quality": 5}}, evSubmit("b1", evAcme, tdAt(60, 9)))
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b1", evAcme, "69.5238", "42.8571", "26.6667"),
		}})
	})
	t.Run("a_fifth_decimal_of_5_rounds_away_from_zero", func(t *testing.T) {
		// price 33.33 % and quality 66.67 %, both on 0–8:
		// b1: 33.33·1/8 = 4.16625 → 4.1663; 66.67·8/8 = 66.67;         total 70.83625 → 70.8363
		// b2: 33.33·8/8 = 33.33;            66.67·5/8 = 41.66875 → 41.6688; total 74.99875 → 74.9988
		got := evRanked(t, evOneLot("", evCriterion("price", procurement.CriterionPrice, 3333, 0, 8),
			evCriterion("quality", procurement.CriterionQuality, 6667, 0, 8)),
			evScores{"b1": {"price": 1, "quality": 8}, "b2": {"price": 8, "quality": 5}},
			evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)))
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b2", evNordic, "74.9988", "41.6688", "33.3300"),
			evRow(2, "b1", evAcme, "70.8363", "66.6700", "4.1663"),
		}})
	})
	t.Run("a_scale_not_starting_at_zero_counts_from_its_minimum", func(t *testing.T) {
		// price 40 % on 0–10, quality 60 % on 1–5:
		// b1: 40·10/10 + 60·(1−1)/4 = 40 + 0  = 40
		// b2: 40·0/10  + 60·(5−1)/4 = 0  + 60 = 60
		// b3: 40·5/10  + 60·(3−1)/4 = 20 + 30 = 50
		got := evRanked(t, evOneLot("", evCriterion("price", procurement.CriterionPrice, 4000, 0, 10),
			evCriterion("quality", procurement.CriterionQuality, 6000, 1, 5)),
			evScores{"b1": {"price": 10, "quality": 1}, "b2": {"price": 0, "quality": 5}, "b3": {"price": 5, "quality": 3}},
			evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)), evSubmit("b3", evPolar, tdAt(62, 9)))
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b2", evNordic, "60.0000", "60.0000", "0.0000"),
			evRow(2, "b3", evPolar, "50.0000", "30.0000", "20.0000"),
			evRow(3, "b1", evAcme, "40.0000", "0.0000", "40.0000"),
		}})
	})
	t.Run("cost_counts_with_price", func(t *testing.T) {
		// price 20 %, cost 20 %, quality 60 %, all 0–10: b1 = 20·5/10 + 20·10/10 + 60·5/10 = 10 + 20 + 30 = 60
		got := evRanked(t, evOneLot("", evCriterion("price", procurement.CriterionPrice, 2000, 0, 10),
			evCriterion("lcc", procurement.CriterionCost, 2000, 0, 10), evCriterion("quality", procurement.CriterionQuality, 6000, 0, 10)),
			evScores{"b1": {"price": 5, "lcc": 10, "quality": 5}}, evSubmit("b1", evAcme, tdAt(60, 9)))
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b1", evAcme, "60.0000", "30.0000", "30.0000"),
		}})
	})

	// Three tenders with 70 points each, price 40 % and quality 60 % on 0–10:
	// b1 (acme, day 61):   40·10/10 + 60·5/10 = 40 + 30
	// b2 (nordic, day 60): 40·4/10  + 60·9/10 = 16 + 54
	// b3 (polar, day 59):  40·10/10 + 60·5/10 = 40 + 30, as b1
	tied := evScores{"b1": {"price": 10, "quality": 5}, "b2": {"price": 4, "quality": 9}, "b3": {"price": 10, "quality": 5}}
	tiedTenders := []procurement.SubmitBid{evSubmit("b1", evAcme, tdAt(61, 9)), evSubmit("b2", evNordic, tdAt(60, 9)), evSubmit("b3", evPolar, tdAt(59, 9))}
	b1 := evRow(0, "b1", evAcme, "70.0000", "30.0000", "40.0000")
	b2 := evRow(0, "b2", evNordic, "70.0000", "54.0000", "16.0000")
	b3 := evRow(0, "b3", evPolar, "70.0000", "30.0000", "40.0000")
	ranked := func(rows ...procurement.RankedBid) []procurement.RankedBid {
		for i := range rows {
			rows[i].Rank = i + 1
		}
		return rows
	}
	for _, c := range []struct {
		name string
		rule procurement.TieRule
		want []procurement.RankedBid
	}{
		// b2 has the most quality; b1 and b3 tie on quality too: b3 came first.
		{"HIGHEST_QUALITY_puts_the_higher_quality_first_then_the_earlier_receipt", procurement.TieHighestQuality, ranked(b2, b3, b1)},
		// b1 and b3 have the best price and tie on it: b3 came first; then b2.
		{"BEST_PRICE_puts_the_better_price_first_then_the_earlier_receipt", procurement.TieBestPrice, ranked(b3, b1, b2)},
		{"EARLIEST_RECEIPT_puts_the_tender_received_first", procurement.TieEarliestReceipt, ranked(b3, b2, b1)},
		{"no_rule_declared_means_HIGHEST_QUALITY", "", ranked(b2, b3, b1)},
	} {
		t.Run("a_tie_under_"+c.name, func(t *testing.T) {
			got := evRanked(t, evPriceQuality(c.rule), tied, tiedTenders...)
			rule := c.rule
			if rule == "" {
				rule = procurement.TieHighestQuality
			}
			evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: rule, Ranking: c.want})
		})
	}
	t.Run("a_tie_left_by_everything_else_goes_to_the_lower_tender_id", func(t *testing.T) {
		// Same scores, same instant: b10 < b9 as text, whichever came first in the protocol.
		for _, rule := range []procurement.TieRule{procurement.TieHighestQuality, procurement.TieBestPrice, procurement.TieEarliestReceipt} {
			got := evRanked(t, evPriceQuality(rule),
				evScores{"b9": {"price": 5, "quality": 5}, "b10": {"price": 5, "quality": 5}},
				evSubmit("b9", evNordic, tdAt(60, 9)), evSubmit("b10", evAcme, tdAt(60, 9)))
			evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: rule, Ranking: []procurement.RankedBid{
				evRow(1, "b10", evAcme, "50.0000", "30.0000", "20.0000"),
				evRow(2, "b9", evNordic, "50.0000", "30.0000", "20.0000"),
			}})
		}
	})
	t.Run("the_total_decides_before_any_tie_rule", func(t *testing.T) {
		// b1: 40·10/10 + 60·5/10 = 70; b2: 40·0/10 + 60·10/10 = 60, though b2 has more quality and came first.
		got := evRanked(t, evPriceQuality(procurement.TieHighestQuality),
			evScores{"b1": {"price": 10, "quality": 5}, "b2": {"price": 0, "quality": 10}},
			evSubmit("b1", evAcme, tdAt(61, 9)), evSubmit("b2", evNordic, tdAt(60, 9)))
		if got[0].Ranking[0].BidID != "b1" {
			t.Fatalf("ranking %+v", got[0].Ranking)
		}
	})
	t.Run("rejected_tenders_are_left_out", func(t *testing.T) {
		// As the first example without b1: b2 78, b3 72.
		h := evRun(t, evPriceQuality("").opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)),
			evSubmit("b3", evPolar, tdAt(62, 9))), evReject("b1"))
		got := evReport(t, evEvaluated(t, h, evScores{"b2": {"price": 6, "quality": 9}, "b3": {"price": 3, "quality": 10}})).Lots
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b2", evNordic, "78.0000", "54.0000", "24.0000"),
			evRow(2, "b3", evPolar, "72.0000", "60.0000", "12.0000"),
		}})
	})
	t.Run("a_tender_rejected_after_the_consensus_is_left_out_too", func(t *testing.T) {
		h := evEvaluated(t, evOpened(t), evDefaultScores)
		got := evReport(t, evRun(t, h, evReject("b1"))).Lots
		evSameRanking(t, got, procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
			evRow(1, "b2", evNordic, "78.0000", "54.0000", "24.0000"),
		}})
	})
	t.Run("each_lot_is_ranked_on_its_own_criteria_and_tie_rule", func(t *testing.T) {
		// lot-1, price 40 % and quality 60 % on 0–10, HIGHEST_QUALITY:
		//   b3: 40·5/10 + 60·10/10 = 20 + 60 = 80;  b1: 40·10/10 + 60·5/10 = 40 + 30 = 70
		// lot-2, cost 30 % and design 70 % on 0–10, BEST_PRICE:
		//   b2: 30·10/10 + 70·4/10 = 30 + 28 = 58;  b3: 30·3/10 + 70·7/10 = 9 + 49 = 58
		//   a tie the better price breaks for b2, though b3 has more quality and came first.
		got := evRanked(t, evTwoLotCase(),
			evScores{"b1": {"price": 10, "quality": 5}, "b2": {"cost": 10, "design": 4},
				"b3": {"price": 5, "quality": 10, "cost": 3, "design": 7}},
			evSubmit("b3", evPolar, tdAt(59, 9), "lot-1", "lot-2"), evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"))
		evSameRanking(t, got,
			procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
				evRow(1, "b3", evPolar, "80.0000", "60.0000", "20.0000"),
				evRow(2, "b1", evAcme, "70.0000", "30.0000", "40.0000"),
			}},
			procurement.LotRanking{Lot: "lot-2", TieRule: procurement.TieBestPrice, Ranking: []procurement.RankedBid{
				evRow(1, "b2", evNordic, "58.0000", "28.0000", "30.0000"),
				evRow(2, "b3", evPolar, "58.0000", "49.0000", "9.0000"),
			}})
	})
	t.Run("a_tender_for_two_lots_needs_the_consensus_on_the_criteria_of_both", func(t *testing.T) {
		h := evTwoLotCase().opened(t, evSubmit("b3", evPolar, tdAt(59, 9), "lot-1", "lot-2"))
		h = evEvaluated(t, h, evScores{"b3": {"price": 5, "quality": 10, "cost": 3, "design": 7}})
		s := fold(t, h)
		if n := len(s.Evaluation.Consensus); n != 4 {
			t.Fatalf("%d consensus scores, want 4", n)
		}
	})
	t.Run("a_lot_without_valid_tenders_has_an_empty_ranking", func(t *testing.T) {
		h := evTwoLotCase().opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"))
		h = evRun(t, h, evReject("b2"))
		got := evReport(t, evEvaluated(t, h, evScores{"b1": {"price": 10, "quality": 5}})).Lots
		evSameRanking(t, got,
			procurement.LotRanking{Lot: "lot-1", TieRule: procurement.TieHighestQuality, Ranking: []procurement.RankedBid{
				evRow(1, "b1", evAcme, "70.0000", "30.0000", "40.0000"),
			}},
			procurement.LotRanking{Lot: "lot-2", TieRule: procurement.TieBestPrice, Ranking: []procurement.RankedBid{}})
	})
}

// TestRankingReplays checks the ranking is a pure function of the events: a
// replay, from memory or from the store, finalises the identical report.
func TestRankingReplays(t *testing.T) {
	h := evEvaluated(t, evTwoLotCase().opened(t,
		evSubmit("b3", evPolar, tdAt(59, 9), "lot-1", "lot-2"), evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"),
		evSubmit("b4", evFjord, tdAt(59, 9))),
		evScores{"b1": {"price": 10, "quality": 5}, "b2": {"cost": 10, "design": 4}, "b3": {"price": 5, "quality": 10, "cost": 3, "design": 7},
			"b4": {"price": 10, "quality": 5}})
	first := evDecide(t, h, evFinalize())

	t.Run("folding_the_same_events_twice_gives_the_identical_report", func(t *testing.T) {
		again := evDecide(t, evThen(h), evFinalize())
		if !reflect.DeepEqual(first, again) {
			t.Fatalf("first %#v\nagain %#v", first, again)
		}
	})
	t.Run("a_replay_from_the_store_gives_the_identical_report", func(t *testing.T) {
		replayed := evDecide(t, evReplayed(t, h), evFinalize())
		if !reflect.DeepEqual(first, replayed) {
			t.Fatalf("first %#v\nreplayed %#v", first, replayed)
		}
	})
	t.Run("the_stored_report_decodes_to_the_report_decided", func(t *testing.T) {
		if back := evReplayed(t, first); !reflect.DeepEqual(first, back) {
			t.Fatalf("decided %#v\nstored %#v", first, back)
		}
	})
	t.Run("many_replays_rank_the_same", func(t *testing.T) {
		for i := 0; i < 20; i++ {
			if got := evDecide(t, h, evFinalize()); !reflect.DeepEqual(first, got) {
				t.Fatalf("replay %d: %#v", i, got)
			}
		}
	})
	t.Run("the_ties_fall_back_the_same_way_in_every_replay", func(t *testing.T) {
		// b1 and b4 tie on total and quality in lot-1; fjord's b4 came a day earlier.
		r := first[0].(procurement.EvaluationReportFinalized).Lots[0].Ranking
		if len(r) != 3 || r[1].BidID != "b4" || r[2].BidID != "b1" {
			t.Fatalf("lot-1 ranking %+v", r)
		}
	})
}

// TestRankingTieRuleIsDeclaredWithTheCriteria: the tie rule is part of the
// design, fixed before the notice, so nobody picks it after seeing the tenders.
func TestRankingTieRuleIsDeclaredWithTheCriteria(t *testing.T) {
	design := evThen(tdDesign(), tdProcedure(timelimits.Open), tdLots())
	define := func(rule procurement.TieRule) procurement.DefineAwardCriteria {
		return procurement.DefineAwardCriteria{Criteria: tdCriteria(), TieRule: rule, By: tdLeadBy(), At: tdAt(41, 9)}
	}
	t.Run("a_declared_rule_is_recorded", func(t *testing.T) {
		got := evDecide(t, design, define(procurement.TieEarliestReceipt))[0].(procurement.AwardCriteriaDefined)
		if got.TieRule != procurement.TieEarliestReceipt {
			t.Fatalf("criteria %+v", got)
		}
	})
	t.Run("no_rule_is_HIGHEST_QUALITY", func(t *testing.T) {
		got := evDecide(t, design, define(""))[0].(procurement.AwardCriteriaDefined)
		if got.TieRule != procurement.TieHighestQuality {
			t.Fatalf("criteria %+v", got)
		}
	})
	t.Run("an_unknown_rule_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(design...).When(define("COIN_TOSS")).ThenError(procurement.ErrInvalidTieRule)
	})
}
