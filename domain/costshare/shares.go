package costshare

import (
	"math/big"
	"slices"
	"strings"
)

// Whole is 100.00 % in hundredths of a percent: the shares of a key always sum
// to it.
const Whole int64 = 10000

// Share is one member's part of the shared costs in hundredths of a percent
// (3334 = 33.34 %).
type Share struct {
	Org         string
	BasisPoints int64
}

// Shares splits 100.00 % between the members by the key, one share per member
// in organisation ID order, summing to exactly Whole.
//
// Each member's exact share is a rational number; it is rounded down, and the
// hundredths still missing go one each to the members with the largest
// remainders (largest-remainder method), so every share is within one
// hundredth of a percent of its exact value. Ties are broken by, in order:
//
//  1. the larger remainder,
//  2. the larger exact share (for a single method: the larger population or
//     volume),
//  3. the organisation ID, ascending (byte order).
//
// So three equal members a, b, c get 33.34 %, 33.33 %, 33.33 %.
func Shares(key Key, members []Member) ([]Share, error) {
	if err := key.Validate(); err != nil {
		return nil, err
	}
	ms, err := sorted(members)
	if err != nil {
		return nil, err
	}
	w := key.effective()
	if w.Population > 0 {
		if err := checkPopulation(ms); err != nil {
			return nil, err
		}
	}
	if w.Volume > 0 {
		if err := checkVolume(ms, key.CountOptions); err != nil {
			return nil, err
		}
	}
	nums, den := exact(w, key.CountOptions, ms)
	return largestRemainder(ms, nums, den), nil
}

// exact returns every member's exact share in hundredths of a percent as
// numᵢ/den over one common denominator, so that remainders compare as integers:
//
//	shareᵢ = α/n + β·popᵢ/P + γ·volᵢ/V     (α, β, γ in basis points, Σ = 10000)
//	       = (α·P·V + β·popᵢ·n·V + γ·volᵢ·n·P) / (n·P·V)
//
// with P or V taken as 1 when its weight is zero (its data is then not read).
// The numerators sum to 10000·den exactly because α+β+γ = 10000.
func exact(w Weights, countOptions bool, ms []Member) (nums []*big.Int, den *big.Int) {
	n := big.NewInt(int64(len(ms)))
	pops := make([]*big.Int, len(ms))
	vols := make([]*big.Int, len(ms))
	totalPop, totalVol := big.NewInt(1), big.NewInt(1)
	if w.Population > 0 {
		totalPop.SetInt64(0)
		for i, m := range ms {
			pops[i] = big.NewInt(m.Population)
			totalPop.Add(totalPop, pops[i])
		}
	}
	if w.Volume > 0 {
		totalVol.SetInt64(0)
		for i, m := range ms {
			vols[i] = volumeOf(m, countOptions)
			totalVol.Add(totalVol, vols[i])
		}
	}
	den = new(big.Int).Mul(n, totalPop)
	den.Mul(den, totalVol)

	equalPart := new(big.Int).Mul(big.NewInt(w.Equal), totalPop)
	equalPart.Mul(equalPart, totalVol)
	popFactor := new(big.Int).Mul(big.NewInt(w.Population), n)
	popFactor.Mul(popFactor, totalVol)
	volFactor := new(big.Int).Mul(big.NewInt(w.Volume), n)
	volFactor.Mul(volFactor, totalPop)

	nums = make([]*big.Int, len(ms))
	term := new(big.Int)
	for i := range ms {
		num := new(big.Int).Set(equalPart)
		if w.Population > 0 {
			num.Add(num, term.Mul(popFactor, pops[i]))
		}
		if w.Volume > 0 {
			num.Add(num, term.Mul(volFactor, vols[i]))
		}
		nums[i] = num
	}
	return nums, den
}

// largestRemainder rounds the exact shares down and hands the missing
// hundredths out in the tie-break order documented on Shares.
func largestRemainder(ms []Member, nums []*big.Int, den *big.Int) []Share {
	type part struct {
		i        int
		floor    int64
		rem, num *big.Int
	}
	parts := make([]part, len(ms))
	missing := Whole
	for i := range ms {
		q, r := new(big.Int).QuoRem(nums[i], den, new(big.Int))
		parts[i] = part{i: i, floor: q.Int64(), rem: r, num: nums[i]}
		missing -= parts[i].floor
	}
	// The remainders sum to missing·den with each below den, so 0 ≤ missing < n.
	order := slices.Clone(parts)
	slices.SortFunc(order, func(a, b part) int {
		if c := b.rem.Cmp(a.rem); c != 0 {
			return c
		}
		if c := b.num.Cmp(a.num); c != 0 {
			return c
		}
		return strings.Compare(ms[a.i].Org, ms[b.i].Org)
	})
	out := make([]Share, len(ms))
	for i, p := range parts {
		out[i] = Share{Org: ms[i].Org, BasisPoints: p.floor}
	}
	for _, p := range order[:missing] {
		out[p.i].BasisPoints++
	}
	return out
}
