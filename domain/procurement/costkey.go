package procurement

import (
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/felles/felles/domain/costshare"
)

// Cost-sharing keys (DOMAIN.md §4.5): the hub sets the key the agreement
// defines; the shares follow from it and the members' data, always summing to
// 100.00 %. They are recomputed, with the moment they take effect, whenever
// the members or their committed volumes change, so the history answers what
// the shares were at any moment: costs accrued before a withdrawal stay with
// the member at the key valid then.

// KeyWeights are a HYBRID key's parts in basis points of one (10000 = 1).
type KeyWeights struct {
	Equal      int64 `json:"equal"`
	Population int64 `json:"population"`
	Volume     int64 `json:"volume"`
}

// PopulationFigure is one member's population from official statistics.
type PopulationFigure struct {
	Org        string `json:"org"`
	Population int64  `json:"population"`
	Source     string `json:"source"`  // e.g. "SSB table 07459"
	RefDate    string `json:"refDate"` // YYYY-MM-DD
}

// CostKey is a cost-sharing key as the case stores it.
type CostKey struct {
	Method       costshare.Method   `json:"method"`
	Weights      KeyWeights         `json:"weights"`
	CountOptions bool               `json:"countOptions"`
	Populations  []PopulationFigure `json:"populations,omitempty"`
}

func (k CostKey) share() costshare.Key {
	return costshare.Key{Method: k.Method, CountOptions: k.CountOptions,
		Weights: costshare.Weights{Equal: k.Weights.Equal, Population: k.Weights.Population, Volume: k.Weights.Volume}}
}

// usesPopulation and usesVolume say which member data the key reads.
func (k CostKey) usesPopulation() bool {
	return k.Method == costshare.Population || (k.Method == costshare.Hybrid && k.Weights.Population > 0)
}

func (k CostKey) usesVolume() bool {
	return k.Method == costshare.Volume || (k.Method == costshare.Hybrid && k.Weights.Volume > 0)
}

func (k CostKey) equal(o CostKey) bool {
	return k.Method == o.Method && k.Weights == o.Weights && k.CountOptions == o.CountOptions && slices.Equal(k.Populations, o.Populations)
}

// CurrentCostKey is the key in force, with its version (0: none set).
type CurrentCostKey struct {
	Version int
	Key     CostKey
}

// MemberShare is one member's share in hundredths of a percent.
type MemberShare struct {
	Org         string `json:"org"`
	BasisPoints int64  `json:"basisPoints"`
}

// CostShareEntry is one dated set of shares in the history.
type CostShareEntry struct {
	KeyVersion  int
	EffectiveAt time.Time
	Reason      string
	Shares      []MemberShare
}

// Reasons a set of shares was calculated.
const (
	ReasonKeySet         = "KEY_SET"
	ReasonMemberWithdrew = "MEMBER_WITHDREW"
	ReasonVolumesChanged = "VOLUMES_CHANGED"
)

// SharesAsOf returns the shares in force at moment t, if any were calculated
// by then.
func (s State) SharesAsOf(t time.Time) (CostShareEntry, bool) {
	for i := len(s.CostShares) - 1; i >= 0; i-- {
		if !s.CostShares[i].EffectiveAt.After(t) {
			return s.CostShares[i], true
		}
	}
	return CostShareEntry{}, false
}

func setCostKey(s State, c SetCostSharingKey) ([]Event, error) {
	if !coordinates(s, c) {
		if _, err := memberStatus(s, c.Actor().Org); err != nil {
			return nil, err
		}
		return nil, ErrHubOnly
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	if s.Phase == PhaseDraft || s.Phase == PhaseRecruiting {
		return nil, ErrCostKeyBeforeRecruitmentClosed
	}
	key, err := normaliseKey(s, c.Key, c.At)
	if err != nil {
		return nil, err
	}
	if s.CostKey.Version > 0 && s.CostKey.Key.equal(key) {
		return nil, nil
	}
	set := CostSharingKeySet{Version: s.CostKey.Version + 1, Key: key}
	next := evolve(s, set)
	shares, err := sharesFor(next)
	switch {
	case errors.Is(err, costshare.ErrVolumeTotalZero):
		// A volume key waits for the commitments: its shares are calculated
		// when the first value is committed.
		return []Event{set}, nil
	case err != nil:
		return nil, err
	}
	return []Event{set, CostSharesCalculated{KeyVersion: set.Version, EffectiveAt: c.At.UTC(), Reason: ReasonKeySet, Shares: shares}}, nil
}

const maxPopulationSource = 200

func normaliseKey(s State, k CostKey, at time.Time) (CostKey, error) {
	if err := k.share().Validate(); err != nil {
		return k, err
	}
	if k.Method != costshare.Hybrid {
		k.Weights = KeyWeights{}
	}
	if !k.usesVolume() {
		k.CountOptions = false
	}
	if !k.usesPopulation() {
		if len(k.Populations) > 0 {
			return k, ErrPopulationsNotForKey
		}
		k.Populations = nil
		return k, nil
	}
	figures := make([]PopulationFigure, 0, len(k.Populations))
	seen := map[string]bool{}
	for _, p := range k.Populations {
		p.Source = strings.TrimSpace(p.Source)
		ref, dateErr := time.Parse(time.DateOnly, p.RefDate)
		switch {
		case s.Members[p.Org] != MemberJoined:
			return k, ErrPopulationNotMember.With("%q", p.Org)
		case seen[p.Org]:
			return k, costshare.ErrDuplicateMember.With("%q", p.Org)
		case p.Population <= 0:
			return k, costshare.ErrPopulationNotPositive.With("%q", p.Org)
		case p.Source == "" || utf8.RuneCountInString(p.Source) > maxPopulationSource:
			return k, costshare.ErrPopulationSourceRequired.With("%q", p.Org)
		case dateErr != nil:
			return k, costshare.ErrPopulationDateRequired.With("%q: a date like 2025-01-01", p.Org)
		case ref.After(at):
			return k, ErrPopulationDateInFuture.With("%q", p.Org)
		}
		seen[p.Org] = true
		figures = append(figures, p)
	}
	for _, org := range s.joinedMembers() {
		if !seen[org] {
			return k, ErrPopulationMissing.With("%q", org)
		}
	}
	slices.SortFunc(figures, func(a, b PopulationFigure) int { return strings.Compare(a.Org, b.Org) })
	k.Populations = figures
	return k, nil
}

// sharesFor calculates the shares of the joined members under the current key.
func sharesFor(s State) ([]MemberShare, error) {
	pops := map[string]PopulationFigure{}
	for _, p := range s.CostKey.Key.Populations {
		pops[p.Org] = p
	}
	// One pass over the commitments, not one per member: a case may have
	// hundreds of members with several commitments each.
	committed, options := map[string]int64{}, map[string]int64{}
	for _, c := range s.Commitments {
		if c.Type == CommitmentOption {
			options[c.Org] += c.EstimatedValue
		} else {
			committed[c.Org] += c.EstimatedValue
		}
	}
	joined := s.joinedMembers()
	members := make([]costshare.Member, 0, len(joined))
	for _, org := range joined {
		m := costshare.Member{Org: org, CommittedValue: committed[org], OptionValue: options[org]}
		if p, ok := pops[org]; ok {
			ref, _ := time.Parse(time.DateOnly, p.RefDate)
			m.Population, m.PopulationSource, m.PopulationDate = p.Population, p.Source, ref
		}
		members = append(members, m)
	}
	shares, err := costshare.Shares(s.CostKey.Key.share(), members)
	if err != nil {
		return nil, err
	}
	out := make([]MemberShare, len(shares))
	for i, sh := range shares {
		out[i] = MemberShare{Org: sh.Org, BasisPoints: sh.BasisPoints}
	}
	return out, nil
}

// recalculateShares returns CostSharesCalculated when the members or volumes
// changed the shares of the key in force; a key that cannot be calculated now
// (a population key missing a figure, a volume key with nothing committed)
// keeps the shares it had.
func recalculateShares(s State, at time.Time, reason string) []Event {
	if s.CostKey.Version == 0 || s.Count(MemberJoined) == 0 {
		return nil
	}
	shares, err := sharesFor(s)
	if err != nil {
		return nil
	}
	if n := len(s.CostShares); n > 0 && s.CostShares[n-1].KeyVersion == s.CostKey.Version && slices.Equal(s.CostShares[n-1].Shares, shares) {
		return nil
	}
	return []Event{CostSharesCalculated{KeyVersion: s.CostKey.Version, EffectiveAt: at.UTC(), Reason: reason, Shares: shares}}
}
