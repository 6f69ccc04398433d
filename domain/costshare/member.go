package costshare

import (
	"math/big"
	"slices"
	"strings"
	"time"
)

// Member is one organisation's data for a key. Only the fields the key uses are
// read: population data when the population weight is above zero, values when
// the volume weight is.
type Member struct {
	Org string
	// Population with the official statistics it comes from (SSB, SCB,
	// Statistics Finland) and the reference date of the figure: the agreement
	// must be able to show where the key came from (§4.3).
	Population       int64
	PopulationSource string
	PopulationDate   time.Time
	// CommittedValue and OptionValue in minor currency units (øre, öre, cent).
	CommittedValue int64
	OptionValue    int64
}

// sorted copies the members in organisation ID order, so that results and the
// member an error names never depend on the caller's order, and checks the
// identities.
func sorted(members []Member) ([]Member, error) {
	if len(members) == 0 {
		return nil, ErrNoMembers
	}
	ms := slices.Clone(members)
	slices.SortStableFunc(ms, func(a, b Member) int { return strings.Compare(a.Org, b.Org) })
	for i, m := range ms {
		if strings.TrimSpace(m.Org) == "" {
			return nil, ErrOrgRequired
		}
		if i > 0 && ms[i-1].Org == m.Org {
			return nil, ErrDuplicateMember.With("%q", m.Org)
		}
	}
	return ms, nil
}

// checkPopulation requires every member to have a positive population with a
// source and a reference date: a member of zero inhabitants would get nothing,
// which no municipality is, so it is taken to be missing data.
func checkPopulation(ms []Member) error {
	for _, m := range ms {
		switch {
		case m.Population <= 0:
			return ErrPopulationNotPositive.With("%q has %d", m.Org, m.Population)
		case strings.TrimSpace(m.PopulationSource) == "":
			return ErrPopulationSourceRequired.With("missing for %q", m.Org)
		case m.PopulationDate.IsZero():
			return ErrPopulationDateRequired.With("missing for %q", m.Org)
		}
	}
	return nil
}

// checkVolume allows a member to commit nothing (it then bears no volume part),
// but not a negative value, and needs a positive total to divide by.
func checkVolume(ms []Member, countOptions bool) error {
	total := new(big.Int)
	for _, m := range ms {
		if m.CommittedValue < 0 || m.OptionValue < 0 {
			return ErrVolumeNegative.With("%q has committed %d and options %d", m.Org, m.CommittedValue, m.OptionValue)
		}
		total.Add(total, volumeOf(m, countOptions))
	}
	if total.Sign() == 0 {
		return ErrVolumeTotalZero
	}
	return nil
}

// volumeOf is a big.Int because committed plus option value can pass int64.
func volumeOf(m Member, countOptions bool) *big.Int {
	v := big.NewInt(m.CommittedValue)
	if countOptions {
		v.Add(v, big.NewInt(m.OptionValue))
	}
	return v
}
