package app_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/felles/felles/app"
)

// A sealed submission costs more than a plain command: its content is
// encrypted and written to the vault (ciphertext and key, each fsynced in its
// own file) before the event is appended. The benchmark replaces one supplier's
// 64 KiB tender again and again and compares the rate with the fsync ceiling
// measured in the same run.
func BenchmarkSealedReplace(b *testing.B) {
	f := newSealedFixture(b, false)
	content := make([]byte, 64<<10)
	id := f.submit(b, acmeSales, "bench-first", content)
	fsync := benchFsyncRate(b, b.TempDir(), time.Second)
	n := uint64(0)
	start := time.Now()
	for b.Loop() {
		n++
		binary.BigEndian.PutUint64(content, n) // new content: a new ciphertext each time
		if _, err := f.bids.Replace(ctx, acmeSales, app.CommandMeta{}, sealedCaseID, id, content); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(n) / time.Since(start).Seconds()
	b.ReportMetric(rate, "submissions/s")
	b.ReportMetric(fsync, "fsync/s")
	b.ReportMetric(rate/fsync, "x_fsync")
}
