package costshare_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/domain/costshare"
)

// gen draws random keys and members. Values come in regimes chosen to stress the
// rounding: tiny, ordinary, all equal, few distinct (many ties), near
// int64/1000, near the int64 limit, and one giant among dwarfs.
type gen struct{ rng *rand.Rand }

func (g gen) size() int {
	switch g.rng.IntN(10) {
	case 0:
		return 300
	case 1, 2, 3:
		return 1 + g.rng.IntN(5)
	}
	return 1 + g.rng.IntN(300)
}

// values returns n positive values, or non-negative ones with a positive total
// when zeros are allowed.
func (g gen) values(n int, zeros bool) []int64 {
	vs := make([]int64, n)
	regime := g.rng.IntN(8)
	same := 1 + g.rng.Int64N(1_000_000)
	few := []int64{1 + g.rng.Int64N(100), 1 + g.rng.Int64N(100), 1 + g.rng.Int64N(100)}
	for i := range vs {
		switch regime {
		case 0:
			vs[i] = 1 + g.rng.Int64N(3)
		case 1:
			vs[i] = 1 + g.rng.Int64N(1_000_000)
		case 2:
			vs[i] = same
		case 3:
			vs[i] = few[g.rng.IntN(len(few))]
		case 4:
			vs[i] = math.MaxInt64/1000 - g.rng.Int64N(1000)
		case 5:
			vs[i] = math.MaxInt64 - g.rng.Int64N(1000)
		case 6:
			vs[i] = 1 + g.rng.Int64N(10)
			if i == 0 {
				vs[i] = math.MaxInt64 / 1000
			}
		default:
			vs[i] = 1 + g.rng.Int64N(math.MaxInt64)
		}
		if zeros && g.rng.IntN(4) == 0 {
			vs[i] = 0
		}
	}
	if zeros && !slices.ContainsFunc(vs, func(v int64) bool { return v > 0 }) {
		vs[g.rng.IntN(n)] = 1 + g.rng.Int64N(1000)
	}
	return vs
}

func (g gen) key() costshare.Key {
	countOptions := g.rng.IntN(2) == 0
	switch g.rng.IntN(5) {
	case 0:
		return costshare.Key{Method: costshare.Population}
	case 1:
		return costshare.Key{Method: costshare.Volume, CountOptions: countOptions}
	case 2:
		return costshare.Key{Method: costshare.Equal}
	case 3:
		return costshare.Key{Method: costshare.Hybrid, Weights: costshare.Weights{Equal: 3334, Population: 3333, Volume: 3333}, CountOptions: countOptions}
	}
	a, b := g.rng.Int64N(costshare.One+1), g.rng.Int64N(costshare.One+1)
	a, b = min(a, b), max(a, b)
	w := costshare.Weights{Equal: a, Population: b - a, Volume: costshare.One - b}
	return costshare.Key{Method: costshare.Hybrid, Weights: w, CountOptions: countOptions}
}

func (g gen) members(n int) []costshare.Member {
	pops := g.values(n, false)
	committed := g.values(n, true)
	options := g.values(n, true)
	ms := make([]costshare.Member, n)
	seen := map[string]bool{}
	for i := range ms {
		org := fmt.Sprintf("org-%d", g.rng.IntN(1_000_000))
		for seen[org] {
			org += "x"
		}
		seen[org] = true
		ms[i] = both(org, pops[i], committed[i], options[i])
	}
	return ms
}

// exactShares is the key by definition, in rationals: 10000·(α/n + β·popᵢ/Σpop +
// γ·volᵢ/Σvol) with the weights as fractions of one.
func exactShares(k costshare.Key, ms []costshare.Member) map[string]*big.Rat {
	w := k.Weights
	switch k.Method {
	case costshare.Population:
		w = costshare.Weights{Population: costshare.One}
	case costshare.Volume:
		w = costshare.Weights{Volume: costshare.One}
	case costshare.Equal:
		w = costshare.Weights{Equal: costshare.One}
	}
	vol := func(m costshare.Member) *big.Int {
		v := big.NewInt(m.CommittedValue)
		if k.CountOptions {
			v.Add(v, big.NewInt(m.OptionValue))
		}
		return v
	}
	totalPop, totalVol := new(big.Int), new(big.Int)
	for _, m := range ms {
		totalPop.Add(totalPop, big.NewInt(m.Population))
		totalVol.Add(totalVol, vol(m))
	}
	frac := func(bp int64) *big.Rat { return big.NewRat(bp, costshare.One) }
	out := map[string]*big.Rat{}
	for _, m := range ms {
		s := new(big.Rat).Mul(frac(w.Equal), big.NewRat(1, int64(len(ms))))
		s.Add(s, new(big.Rat).Mul(frac(w.Population), new(big.Rat).SetFrac(big.NewInt(m.Population), totalPop)))
		if totalVol.Sign() > 0 {
			s.Add(s, new(big.Rat).Mul(frac(w.Volume), new(big.Rat).SetFrac(vol(m), totalVol)))
		}
		out[m.Org] = s.Mul(s, big.NewRat(costshare.Whole, 1))
	}
	return out
}

func floorOf(r *big.Rat) int64 { return new(big.Int).Quo(r.Num(), r.Denom()).Int64() }

func remainderOf(r *big.Rat) *big.Rat {
	return new(big.Rat).Sub(r, new(big.Rat).SetInt64(floorOf(r)))
}

// wantRounded applies the documented rule to the exact shares: floor, then one
// hundredth each by larger remainder, larger exact share, org ID ascending.
func wantRounded(exact map[string]*big.Rat) []costshare.Share {
	orgs := slices.Sorted(func(yield func(string) bool) {
		for o := range exact {
			if !yield(o) {
				return
			}
		}
	})
	rem := map[string]*big.Rat{}
	for _, o := range orgs {
		rem[o] = remainderOf(exact[o])
	}
	order := slices.Clone(orgs)
	slices.SortFunc(order, func(a, b string) int {
		if c := rem[b].Cmp(rem[a]); c != 0 {
			return c
		}
		if c := exact[b].Cmp(exact[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	missing := costshare.Whole
	bp := map[string]int64{}
	for _, o := range orgs {
		bp[o] = floorOf(exact[o])
		missing -= bp[o]
	}
	for _, o := range order[:missing] {
		bp[o]++
	}
	out := make([]costshare.Share, len(orgs))
	for i, o := range orgs {
		out[i] = costshare.Share{Org: o, BasisPoints: bp[o]}
	}
	return out
}

func TestSharesProperties(t *testing.T) {
	cases := 4000
	if testing.Short() {
		cases = 400
	}
	g := gen{rand.New(rand.NewPCG(20250101, 45))}
	for c := range cases {
		key, ms := g.key(), g.members(g.size())
		got, err := costshare.Shares(key, ms)
		if err != nil {
			t.Fatalf("case %d %+v with %d members: %v", c, key, len(ms), err)
		}
		exact := exactShares(key, ms)
		var sum int64
		for _, s := range got {
			sum += s.BasisPoints
			if s.BasisPoints < 0 {
				t.Fatalf("case %d: negative share %v", c, s)
			}
			diff := new(big.Rat).Sub(new(big.Rat).SetInt64(s.BasisPoints), exact[s.Org])
			if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("case %d: %s got %d, exact %s", c, s.Org, s.BasisPoints, exact[s.Org].FloatString(4))
			}
		}
		if sum != costshare.Whole {
			t.Fatalf("case %d %+v: shares sum to %d", c, key, sum)
		}
		if want := wantRounded(exact); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d %+v: got %v, want %v", c, key, got, want)
		}
		shuffled := slices.Clone(ms)
		g.rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again, err := costshare.Shares(key, shuffled)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("case %d: shuffled input gave %v, %v; first %v", c, again, err, got)
		}
	}
}
