package ocds

import (
	"strings"
	"testing"
	"time"
)

func TestScratchDeep(t *testing.T) {
	for _, d := range []int{1000, 4000, 9000} {
		s := `{"ocid":"o","id":"r","date":"d","a":` + strings.Repeat(`{"bb":`, d) + `1` + strings.Repeat(`}`, d) + `}`
		s2 := `{"ocid":"o","id":"r","date":"d","a":` + strings.Repeat(`[{"id":"x","bb":`, d/2) + `1` + strings.Repeat(`}]`, d/2) + `}`
		for _, src := range []string{s, s2} {
			rs := releasesFrom(t, "["+src+","+src+"]")
			start := time.Now()
			_, err := Versioned(Rules115(), rs)
			t.Log(d, time.Since(start), err)
		}
	}
}
