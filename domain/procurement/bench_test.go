package procurement_test

import (
	"fmt"
	"testing"

	"github.com/felles/felles/domain/procurement"
)

// How the needs-phase decisions scale with the number of members: every
// command folds its events and settles (shares, votes, conclusion), and the
// task list is derived on every read. 357 is every municipality in Norway.
func BenchmarkNeedsPhase(b *testing.B) {
	for _, n := range []int{5, 50, 357} {
		members := make([]string, n)
		for i := range members {
			members[i] = fmt.Sprintf("m%03d", i)
			registered[members[i]] = registered["oslo"]
		}
		h := ndCase(procurement.RuleMajority, members...)
		for _, org := range members {
			h = append(h, procurement.VolumeCommitted{Commitment: cmCommitment(org, procurement.CommitmentBinding, "10", 100000)})
		}
		s := procurement.Decider.Fold(h)
		commit := procurement.CommitVolume{Lot: "lot-1", Type: procurement.CommitmentBinding, Quantity: "12", Unit: "stk",
			EstimatedValue: "1200", Currency: "NOK", BudgetYears: []int{2027}, By: by(members[n/2]), At: day(30)}
		b.Run(fmt.Sprintf("commit_volume/members=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := procurement.Decider.Decide(s, commit); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("tasks/members=%d", n), func(b *testing.B) {
			for b.Loop() {
				_ = s.Tasks(members[n/2], day(30))
			}
		})
	}
}

// How tendering decisions scale with the number of sealed submissions: a new
// submission checks the supplier has none in the round (a scan of the round),
// receipt closing counts per lot, and the opening builds the protocol over
// every submission. 1,000 tenders is far above any municipal procurement.
func BenchmarkTendering(b *testing.B) {
	plan := tdPlan()
	for _, n := range []int{10, 100, 1000} {
		h := tdTendering(plan)
		for i := range n {
			h = append(h, tdBid(fmt.Sprintf("b%04d", i), fmt.Sprintf("s%04d", i)))
		}
		s := procurement.Decider.Fold(h)
		submit := procurement.SubmitBid{BidID: "new", Lots: []string{"lot-1"}, SHA256: tdBidHash, CiphertextRef: "sealed:new",
			SizeBytes: 10, SupplierKind: tdSupplierKind, By: tdSup("late-comer"), At: tdAt(80, 9)}
		b.Run(fmt.Sprintf("submit_bid/bids=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := procurement.Decider.Decide(s, submit); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("fold/bids=%d", n), func(b *testing.B) {
			for b.Loop() {
				_ = procurement.Decider.Fold(h)
			}
		})
		closeCmd := procurement.CloseReceipt{By: tdSystem(), At: plan.TenderDeadline}
		closed, err := procurement.Decider.Decide(s, closeCmd)
		if err != nil {
			b.Fatal(err)
		}
		sc := s
		for _, e := range closed {
			sc = procurement.Decider.Evolve(sc, e)
		}
		verified := map[string]string{}
		for id, bid := range sc.Tendering.Bids {
			verified[id] = bid.SHA256
		}
		open := procurement.OpenBids{Verified: verified, By: tdLeadBy(), At: plan.OpeningAt}
		b.Run(fmt.Sprintf("close_and_open/bids=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := procurement.Decider.Decide(s, closeCmd); err != nil {
					b.Fatal(err)
				}
				if _, err := procurement.Decider.Decide(sc, open); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// How the evaluation report scales with the number of tenders: FinalizeEvaluation
// checks every evaluator's declaration and lock and every consensus score, and
// ranks each lot with exact rational totals (ranking.go). Five criteria and
// three evaluators, as a typical panel; 1,000 tenders is far above any
// municipal procurement. The fold is the replay of the whole evaluation (for
// up to 100 tenders; setting up 1,000 already takes one such replay).
func BenchmarkEvaluationReport(b *testing.B) {
	const criteria, evaluators = 5, 3
	plan := tdPlan()
	crits := []procurement.AwardCriterion{{ID: "c0", Name: "Price", Type: procurement.CriterionPrice, Weight: "20", WeightBP: 2000, ScaleMax: 10,
		ScoringMethod: "linear", PriceFormula: "lowest/offered*10"}}
	for c := 1; c < criteria; c++ {
		crits = append(crits, procurement.AwardCriterion{ID: fmt.Sprintf("c%d", c), Name: fmt.Sprintf("Quality %d", c), Type: procurement.CriterionQuality,
			Weight: "20", WeightBP: 2000, ScaleMax: 10, ScoringMethod: "panel consensus"})
	}
	people := []string{"eva@bergen", "eve@oslo", "eli@bergen"} // eva@bergen is the fixtures' evaluator
	for _, n := range []int{10, 100, 1000} {
		h := tdThen(tdTendering(plan), procurement.AwardCriteriaDefined{Version: 2, Criteria: crits, TieRule: procurement.TieHighestQuality},
			procurement.EvaluatorAppointed{Person: people[1], Org: tdLead}, procurement.EvaluatorAppointed{Person: people[2], Org: tdMember})
		var ids []string
		var lines []procurement.OpenedBid
		for i := range n {
			id, sup := fmt.Sprintf("b%04d", i), fmt.Sprintf("s%04d", i)
			h = append(h, tdBid(id, sup))
			ids = append(ids, id)
			lines = append(lines, tgLine(id, sup, true))
		}
		h = append(h, procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
			Submissions: ids, PerLot: map[string]int{"lot-1": n}}, tgProtocol(plan.OpeningAt, []string{"officer@oslo"}, lines...))
		for e, p := range people[:evaluators] {
			h = append(h, procurement.ConflictOfInterestDeclared{Evaluator: p, Org: "x", DeclaredAt: tdAt(91, 9)})
			for i, id := range ids {
				for c := range criteria {
					h = append(h, procurement.BidScored{Evaluator: p, BidID: id, Criterion: fmt.Sprintf("c%d", c), Score: (7*i + 3*c + e) % 11,
						Justification: "as the tender shows", ScoredAt: tdAt(92, 9)})
				}
			}
			h = append(h, procurement.EvaluatorScoresLocked{Evaluator: p, ScoreSetHash: tdHashOf(p), Scores: n * criteria, LockedAt: tdAt(93, 9)})
		}
		for i, id := range ids {
			for c := range criteria {
				h = append(h, procurement.ConsensusScoreRecorded{BidID: id, Criterion: fmt.Sprintf("c%d", c), Score: (7*i + 3*c) % 11, Rationale: "agreed"})
			}
		}
		s := procurement.Decider.Fold(h)
		finalize := procurement.FinalizeEvaluation{ReportHash: tdHashOf("report"), SignedBy: []string{"officer@oslo"}, By: tdLeadBy(), At: tdAt(94, 9)}
		got, err := procurement.Decider.Decide(s, finalize)
		if err != nil {
			b.Fatal(err)
		}
		if r := got[0].(procurement.EvaluationReportFinalized); len(r.Lots) != 1 || len(r.Lots[0].Ranking) != n {
			b.Fatalf("the report ranks %+v", r.Lots)
		}
		name := fmt.Sprintf("tenders=%d/criteria=%d/evaluators=%d", n, criteria, evaluators)
		b.Run("finalize_evaluation/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := procurement.Decider.Decide(s, finalize); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/tender")
		})
		if n > 100 {
			// Each score copies the map of scores (copy-on-write in evolve), so
			// the replay grows with the square of the scores: 1,000 tenders
			// (15,000 scores) take tens of seconds per fold.
			continue
		}
		b.Run("fold_evaluation/"+name, func(b *testing.B) {
			for b.Loop() {
				_ = procurement.Decider.Fold(h)
			}
			b.ReportMetric(float64(len(h)), "events")
		})
	}
}
