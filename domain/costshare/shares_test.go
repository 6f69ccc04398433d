package costshare_test

import (
	"reflect"
	"testing"

	"github.com/felles/felles/domain/costshare"
)

func TestShares(t *testing.T) {
	tests := []struct {
		name    string
		key     costshare.Key
		members []costshare.Member
		want    []costshare.Share
	}{
		{
			name:    "three_equal_members_give_the_extra_hundredth_to_the_first_org_id",
			key:     equally,
			members: named("trondheim", "bergen", "oslo"),
			want:    []costshare.Share{{"bergen", 3334}, {"oslo", 3333}, {"trondheim", 3333}},
		},
		{
			name:    "one_member_carries_everything",
			key:     equally,
			members: named("oslo"),
			want:    []costshare.Share{{"oslo", 10000}},
		},
		{
			name:    "seven_equal_members_round_up_the_first_four_org_ids",
			key:     equally,
			members: named("g", "f", "e", "d", "c", "b", "a"),
			// 10000/7 = 1428.571…: floors sum to 9996, four hundredths missing.
			want: []costshare.Share{{"a", 1429}, {"b", 1429}, {"c", 1429}, {"d", 1429}, {"e", 1428}, {"f", 1428}, {"g", 1428}},
		},
		{
			// Σ = 1 372 512. Exact: oslo 5229.171, bergen 2121.577, trondheim
			// 1563.301, stavanger 1085.950. Floors sum to 9998; the two largest
			// remainders (stavanger .950, bergen .577) get one each.
			name:    "population_of_the_four_largest_cities",
			key:     byPopulation,
			members: bigCities(),
			want:    []costshare.Share{{"bergen", 2122}, {"oslo", 5229}, {"stavanger", 1086}, {"trondheim", 1563}},
		},
		{
			// Volumes 400/150/100/50 MNOK of 700. Exact: oslo 500 + 2614.586 +
			// 1714.286 = 4828.871; bergen 500 + 1060.789 + 642.857 = 2203.646;
			// trondheim 500 + 781.651 + 428.571 = 1710.222; stavanger 500 +
			// 542.975 + 214.286 = 1257.261. Floors sum to 9998; oslo .871 and
			// bergen .646 round up.
			name:    "hybrid_of_20_equal_50_population_30_volume",
			key:     hybrid(2000, 5000, 3000),
			members: bigCities(),
			want:    []costshare.Share{{"bergen", 2204}, {"oslo", 4829}, {"stavanger", 1257}, {"trondheim", 1710}},
		},
		{
			name:    "volume_counts_binding_commitments_only_by_default",
			key:     byVolume,
			members: []costshare.Member{committing("oslo", 300, 700), committing("bergen", 100, 0)},
			want:    []costshare.Share{{"bergen", 2500}, {"oslo", 7500}},
		},
		{
			name:    "volume_with_options_counts_options_too",
			key:     byOptions,
			members: []costshare.Member{committing("oslo", 300, 700), committing("bergen", 100, 0)},
			want:    []costshare.Share{{"bergen", 909}, {"oslo", 9091}},
		},
		{
			name:    "a_member_committing_nothing_bears_no_volume_share",
			key:     byVolume,
			members: []costshare.Member{committing("oslo", 1, 0), committing("bergen", 0, 0), committing("bodo", 2, 0)},
			// Exact 3333.33 / 0 / 6666.67: bodo has the larger remainder.
			want: []costshare.Share{{"bergen", 0}, {"bodo", 6667}, {"oslo", 3333}},
		},
		{
			// Exact 0.5, 1.5 and 9998: equal remainders, so the larger exact share
			// (zz) beats the earlier org ID (aa).
			name:    "on_equal_remainders_the_larger_exact_share_rounds_up",
			key:     byPopulation,
			members: []costshare.Member{resident("aa", 1), resident("zz", 3), resident("mid", 19996)},
			want:    []costshare.Share{{"aa", 0}, {"mid", 9998}, {"zz", 2}},
		},
		{
			name:    "hybrid_parts_with_zero_weight_need_no_data",
			key:     hybrid(5000, 0, 5000),
			members: []costshare.Member{committing("oslo", 3, 0), committing("bergen", 1, 0)},
			// 2500 + 3750 and 2500 + 1250; no population was given.
			want: []costshare.Share{{"bergen", 3750}, {"oslo", 6250}},
		},
		{
			name:    "hybrid_with_all_weight_on_population_equals_the_population_key",
			key:     hybrid(0, 10000, 0),
			members: bigCities(),
			want:    []costshare.Share{{"bergen", 2122}, {"oslo", 5229}, {"stavanger", 1086}, {"trondheim", 1563}},
		},
		{
			name:    "equal_key_ignores_population_and_volume_data",
			key:     equally,
			members: bigCities(),
			want:    []costshare.Share{{"bergen", 2500}, {"oslo", 2500}, {"stavanger", 2500}, {"trondheim", 2500}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := costshare.Shares(tt.key, tt.members)
			if err != nil {
				t.Fatalf("Shares: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSharesDoesNotReorderTheCallersMembers(t *testing.T) {
	t.Run("the_input_slice_keeps_its_order", func(t *testing.T) {
		ms := bigCities()
		before := append([]costshare.Member(nil), ms...)
		if _, err := costshare.Shares(byPopulation, ms); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ms, before) {
			t.Fatalf("members reordered: %v", ms)
		}
	})
}
