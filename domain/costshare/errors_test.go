package costshare_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/es"
)

func TestSharesRefuses(t *testing.T) {
	noSource := resident("oslo", 717710)
	noSource.PopulationSource = "  "
	noDate := resident("oslo", 717710)
	noDate.PopulationDate = time.Time{}
	tests := []struct {
		name    string
		key     costshare.Key
		members []costshare.Member
		want    *es.Error
		names   string // the member the message should name, if any
	}{
		{"no_members", equally, nil, costshare.ErrNoMembers, ""},
		{"an_empty_member_list", byPopulation, []costshare.Member{}, costshare.ErrNoMembers, ""},
		{"a_member_without_an_org_id", equally, named("oslo", ""), costshare.ErrOrgRequired, ""},
		{"a_blank_org_id", equally, named("oslo", "  "), costshare.ErrOrgRequired, ""},
		{"the_same_member_twice", equally, named("oslo", "bergen", "oslo"), costshare.ErrDuplicateMember, "oslo"},
		{"an_unknown_method", costshare.Key{Method: "AREA"}, named("oslo"), costshare.ErrUnknownMethod, "AREA"},
		{"an_empty_method", costshare.Key{}, named("oslo"), costshare.ErrUnknownMethod, ""},
		{"a_lowercase_method", costshare.Key{Method: "equal"}, named("oslo"), costshare.ErrUnknownMethod, "equal"},
		{"hybrid_weights_summing_below_one", hybrid(2000, 5000, 2999), bigCities(), costshare.ErrWeightsNotOne, "9999"},
		{"hybrid_weights_summing_above_one", hybrid(2000, 5000, 3001), bigCities(), costshare.ErrWeightsNotOne, "10001"},
		{"hybrid_weights_all_zero", hybrid(0, 0, 0), bigCities(), costshare.ErrWeightsNotOne, ""},
		{"a_negative_hybrid_weight", hybrid(-1000, 6000, 5000), bigCities(), costshare.ErrWeightOutOfRange, "equal"},
		{"a_hybrid_weight_above_one", hybrid(0, 12000, -2000), bigCities(), costshare.ErrWeightOutOfRange, "population"},
		{"weights_on_a_population_key", costshare.Key{Method: costshare.Population, Weights: costshare.Weights{Population: 10000}}, bigCities(), costshare.ErrWeightsNotForMethod, "POPULATION"},
		{"weights_on_an_equal_key", costshare.Key{Method: costshare.Equal, Weights: costshare.Weights{Equal: 1}}, bigCities(), costshare.ErrWeightsNotForMethod, "EQUAL"},
		{"a_zero_population", byPopulation, []costshare.Member{resident("oslo", 717710), resident("utsira", 0)}, costshare.ErrPopulationNotPositive, "utsira"},
		{"a_negative_population", byPopulation, []costshare.Member{resident("oslo", -1)}, costshare.ErrPopulationNotPositive, "oslo"},
		{"a_population_without_a_source", byPopulation, []costshare.Member{resident("bergen", 1), noSource}, costshare.ErrPopulationSourceRequired, "oslo"},
		{"a_population_without_a_reference_date", byPopulation, []costshare.Member{resident("bergen", 1), noDate}, costshare.ErrPopulationDateRequired, "oslo"},
		{"a_hybrid_with_population_weight_and_missing_source", hybrid(5000, 5000, 0), []costshare.Member{noSource}, costshare.ErrPopulationSourceRequired, "oslo"},
		{"a_negative_committed_value", byVolume, []costshare.Member{committing("oslo", -5, 0), committing("bergen", 10, 0)}, costshare.ErrVolumeNegative, "oslo"},
		{"a_negative_option_value_even_when_options_do_not_count", byVolume, []costshare.Member{committing("oslo", 5, -1)}, costshare.ErrVolumeNegative, "oslo"},
		{"no_committed_value_at_all", byVolume, []costshare.Member{committing("oslo", 0, 0), committing("bergen", 0, 0)}, costshare.ErrVolumeTotalZero, ""},
		{"only_options_when_options_do_not_count", byVolume, []costshare.Member{committing("oslo", 0, 100)}, costshare.ErrVolumeTotalZero, ""},
		{"a_hybrid_with_volume_weight_and_no_volume", hybrid(5000, 0, 5000), []costshare.Member{committing("oslo", 0, 0)}, costshare.ErrVolumeTotalZero, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := costshare.Shares(tt.key, tt.members)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			if got != nil {
				t.Fatalf("shares alongside an error: %v", got)
			}
			if es.KindOf(err) != es.KindInvalid || es.CodeOf(err) != tt.want.Code {
				t.Fatalf("kind %v code %q, want invalid input %q", es.KindOf(err), es.CodeOf(err), tt.want.Code)
			}
			if !strings.HasPrefix(err.Error(), tt.want.Message) || !strings.Contains(err.Error(), tt.names) {
				t.Fatalf("message %q should start with %q and name %q", err, tt.want.Message, tt.names)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Run("accepts_every_single_method_without_weights", func(t *testing.T) {
		for _, m := range []costshare.Method{costshare.Population, costshare.Volume, costshare.Equal} {
			if err := (costshare.Key{Method: m}).Validate(); err != nil {
				t.Errorf("%s: %v", m, err)
			}
		}
	})
	t.Run("accepts_hybrid_weights_at_the_edges", func(t *testing.T) {
		for _, k := range []costshare.Key{hybrid(10000, 0, 0), hybrid(0, 10000, 0), hybrid(0, 0, 10000), hybrid(3334, 3333, 3333)} {
			if err := k.Validate(); err != nil {
				t.Errorf("%v: %v", k.Weights, err)
			}
		}
	})
	t.Run("refuses_what_shares_refuses_before_looking_at_members", func(t *testing.T) {
		if err := hybrid(2000, 5000, 2000).Validate(); !errors.Is(err, costshare.ErrWeightsNotOne) {
			t.Fatalf("got %v", err)
		}
	})
}
