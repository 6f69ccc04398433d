package procurement

import (
	"math/big"
	"slices"
	"strings"
)

// The ranking (DOMAIN.md §4.2): a tender's total is Σ wᵢ · (sᵢ − minᵢ) /
// (maxᵢ − minᵢ) over the criteria of its lot, with wᵢ the weight in percent
// and sᵢ the consensus score, so a perfect tender scores 100 points. Totals
// are exact rationals (no floating point), so a replay on any machine ranks
// the same; they are written with four decimals, rounded half away from zero.
// Ties are broken by the lot's pre-declared tie rule, then by the earlier
// receipt, then by the tender's ID.

type scored struct {
	bid                   OpenedBid
	total, quality, price *big.Rat
}

// rankings ranks the valid tenders of every lot, lots in their defined order.
func (s State) rankings() []LotRanking {
	var out []LotRanking
	for _, lot := range s.Design.Lots.Lots {
		set, _ := s.criteriaFor(lot.ID)
		rule := set.TieRule
		if rule == "" {
			rule = TieHighestQuality
		}
		var rows []scored
		for _, b := range s.validTenders() {
			if slices.Contains(b.Lots, lot.ID) {
				rows = append(rows, s.score(b, set.Criteria))
			}
		}
		slices.SortStableFunc(rows, func(a, b scored) int { return compareScored(a, b, rule) })
		r := LotRanking{Lot: lot.ID, TieRule: rule, Ranking: []RankedBid{}}
		for i, x := range rows {
			r.Ranking = append(r.Ranking, RankedBid{Rank: i + 1, BidID: x.bid.BidID, Supplier: x.bid.Supplier,
				Total: x.total.FloatString(4), Quality: x.quality.FloatString(4), Price: x.price.FloatString(4)})
		}
		out = append(out, r)
	}
	return out
}

func (s State) score(b OpenedBid, criteria []AwardCriterion) scored {
	x := scored{bid: b, total: new(big.Rat), quality: new(big.Rat), price: new(big.Rat)}
	for _, cr := range criteria {
		span := cr.ScaleMax - cr.ScaleMin
		if span <= 0 {
			continue // the design refuses such a scale; nothing to add
		}
		sc := s.Evaluation.Consensus[scoreKey("", b.BidID, cr.ID)].Score
		// weight in basis points / 100 = percent; × (score − min) / span
		part := new(big.Rat).SetFrac64(int64(cr.WeightBP)*int64(sc-cr.ScaleMin), int64(100*span))
		x.total.Add(x.total, part)
		if cr.Type == CriterionQuality {
			x.quality.Add(x.quality, part)
		} else {
			x.price.Add(x.price, part)
		}
	}
	return x
}

// compareScored orders the better tender first.
func compareScored(a, b scored, rule TieRule) int {
	if c := b.total.Cmp(a.total); c != 0 {
		return c
	}
	switch rule {
	case TieHighestQuality:
		if c := b.quality.Cmp(a.quality); c != 0 {
			return c
		}
	case TieBestPrice:
		if c := b.price.Cmp(a.price); c != 0 {
			return c
		}
	}
	if c := a.bid.ReceivedAt.Compare(b.bid.ReceivedAt); c != 0 {
		return c
	}
	return strings.Compare(a.bid.BidID, b.bid.BidID)
}

// rankingOf is the finalised ranking of a lot.
func (s State) rankingOf(lot string) (LotRanking, bool) {
	if s.Evaluation.Report == nil {
		return LotRanking{}, false
	}
	for _, r := range s.Evaluation.Report.Lots {
		if r.Lot == lot {
			return r, true
		}
	}
	return LotRanking{}, false
}
