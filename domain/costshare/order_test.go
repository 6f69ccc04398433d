package costshare_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/domain/costshare"
)

func TestOrderIndependence(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	shuffle := func(ms []costshare.Member) []costshare.Member {
		out := slices.Clone(ms)
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out
	}
	t.Run("shuffled_members_get_identical_shares_under_every_method", func(t *testing.T) {
		ms := append(bigCities(), both("tromso", 78745, 0, 50_000_00), both("bodo", 53712, 20_000_00, 0), both("alta", 21886, 20_000_00, 0))
		for _, key := range []costshare.Key{byPopulation, byVolume, byOptions, equally, hybrid(2000, 5000, 3000), hybrid(3334, 3333, 3333)} {
			first, err := costshare.Shares(key, ms)
			if err != nil {
				t.Fatalf("%+v: %v", key, err)
			}
			for range 200 {
				if got, _ := costshare.Shares(key, shuffle(ms)); !reflect.DeepEqual(got, first) {
					t.Fatalf("%+v: got %v, first %v", key, got, first)
				}
			}
		}
	})
	t.Run("the_refusal_names_the_same_member_whatever_the_order", func(t *testing.T) {
		ms := []costshare.Member{resident("oslo", 0), resident("bergen", 0), resident("alta", 5), resident("tromso", -1)}
		_, first := costshare.Shares(byPopulation, ms)
		for range 200 {
			if _, err := costshare.Shares(byPopulation, shuffle(ms)); err == nil || err.Error() != first.Error() {
				t.Fatalf("got %v, first %v", err, first)
			}
		}
		if want := `"bergen"`; !strings.Contains(first.Error(), want) {
			t.Fatalf("%v should name the first offender by org ID, %s", first, want)
		}
	})
}
