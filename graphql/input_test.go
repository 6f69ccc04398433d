package graphql

import (
	"errors"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
)

func TestAsOfIsTheEndOfTheDayInTheLegalTimeZone(t *testing.T) {
	for _, tt := range []struct {
		in   string
		j    procurement.Jurisdiction
		want string
	}{
		{"2026-03-28", procurement.JurisdictionNO, "2026-03-28T23:59:59.999999999+01:00"},
		{"2026-03-29", procurement.JurisdictionNO, "2026-03-29T23:59:59.999999999+02:00"}, // the day summer time begins
		{"2026-10-25", procurement.JurisdictionSE, "2026-10-25T23:59:59.999999999+01:00"}, // the day it ends
		{"2026-06-01", procurement.JurisdictionFI, "2026-06-01T23:59:59.999999999+03:00"},
		{"2026-06-01T10:00:00Z", procurement.JurisdictionNO, "2026-06-01T10:00:00Z"},
	} {
		got, err := parseAsOf(tt.in, tt.j)
		if err != nil || got.Format(time.RFC3339Nano) != tt.want {
			t.Errorf("parseAsOf(%q, %s) = %s, %v; want %s", tt.in, tt.j, got.Format(time.RFC3339Nano), err, tt.want)
		}
	}
	for _, bad := range []string{"", "01.06.2026", "2026-13-01", "yesterday"} {
		var api *apiError
		if _, err := parseAsOf(bad, procurement.JurisdictionNO); !errors.As(err, &api) || api.code != CodeBadUserInput {
			t.Errorf("parseAsOf(%q): %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestWeightsAreExactBasisPoints(t *testing.T) {
	got, err := weightsToBasisPoints(0.2, 0.5, 0.3)
	if err != nil || got != (procurement.KeyWeights{Equal: 2000, Population: 5000, Volume: 3000}) {
		t.Fatalf("0.2/0.5/0.3 → %+v, %v", got, err)
	}
	if got, err := weightsToBasisPoints(0.1+0.2, 0.7, 0); err != nil || got.Equal != 3000 {
		t.Fatalf("a float sum like 0.1+0.2 is still 0.3: %+v, %v", got, err)
	}
	for _, w := range [][3]float64{{0.33333, 0.33333, 0.33334}, {0.12345, 0.5, 0.37655}} {
		if _, err := weightsToBasisPoints(w[0], w[1], w[2]); err == nil {
			t.Errorf("%v has more than four decimals and must be refused, not rounded", w)
		}
	}
}
