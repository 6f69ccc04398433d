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
