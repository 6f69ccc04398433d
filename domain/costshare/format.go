package costshare

import "fmt"

// Format writes hundredths of a percent as a percentage with two decimals:
// 3334 → "33.34 %", 10000 → "100.00 %".
func Format(bp int64) string {
	sign, u := "", uint64(bp)
	if bp < 0 {
		// Negating in uint64 is exact even for math.MinInt64.
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d %%", sign, u/100, u%100)
}
