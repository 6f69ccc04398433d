package costshare_test

import (
	"time"

	"github.com/felles/felles/domain/costshare"
)

var refDate = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// resident is a member with a population from SSB at the reference date.
func resident(org string, population int64) costshare.Member {
	return costshare.Member{Org: org, Population: population, PopulationSource: "SSB 07459", PopulationDate: refDate}
}

// committing is a member with a committed and an option value in øre.
func committing(org string, committed, options int64) costshare.Member {
	return costshare.Member{Org: org, CommittedValue: committed, OptionValue: options}
}

// both is a member with population and volume data, for hybrid keys.
func both(org string, population, committed, options int64) costshare.Member {
	m := resident(org, population)
	m.CommittedValue, m.OptionValue = committed, options
	return m
}

func named(orgs ...string) []costshare.Member {
	ms := make([]costshare.Member, len(orgs))
	for i, o := range orgs {
		ms[i] = costshare.Member{Org: o}
	}
	return ms
}

var (
	byPopulation = costshare.Key{Method: costshare.Population}
	byVolume     = costshare.Key{Method: costshare.Volume}
	byOptions    = costshare.Key{Method: costshare.Volume, CountOptions: true}
	equally      = costshare.Key{Method: costshare.Equal}
)

func hybrid(equal, population, volume int64) costshare.Key {
	return costshare.Key{Method: costshare.Hybrid, Weights: costshare.Weights{Equal: equal, Population: population, Volume: volume}}
}

// bigCities are the four largest Norwegian municipalities, SSB 1 January 2025.
func bigCities() []costshare.Member {
	return []costshare.Member{
		both("oslo", 717710, 400_000_00, 0),
		both("bergen", 291189, 150_000_00, 0),
		both("trondheim", 214565, 100_000_00, 0),
		both("stavanger", 149048, 50_000_00, 0),
	}
}
