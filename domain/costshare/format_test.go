package costshare_test

import (
	"math"
	"testing"

	"github.com/felles/felles/domain/costshare"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		bp   int64
		want string
	}{
		{"a_third_rounded_up", 3334, "33.34 %"},
		{"the_whole", 10000, "100.00 %"},
		{"nothing", 0, "0.00 %"},
		{"one_hundredth", 1, "0.01 %"},
		{"five_hundredths_keep_the_leading_zero", 5, "0.05 %"},
		{"ten_percent_keeps_the_trailing_zeros", 1000, "10.00 %"},
		{"a_negative_correction", -5, "-0.05 %"},
		{"the_smallest_int64_does_not_overflow", math.MinInt64, "-92233720368547758.08 %"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := costshare.Format(tt.bp); got != tt.want {
				t.Fatalf("Format(%d) = %q, want %q", tt.bp, got, tt.want)
			}
		})
	}
}
