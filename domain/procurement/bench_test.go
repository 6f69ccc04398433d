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
