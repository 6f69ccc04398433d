package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

// The two ceilings the 64-writer benchmark is compared with. They run in the
// same process on the same disk, because absolute rates on shared machines move
// from run to run and only the ratio inside one run means something.

// benchFsyncRate appends 200-byte records to a growing file in dir, each
// followed by fsync, for about d: the ceiling of durable appends without
// batching.
func benchFsyncRate(b *testing.B, dir string, d time.Duration) float64 {
	b.Helper()
	f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("fsync-%d.log", time.Now().UnixNano())),
		os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	record := append(bytes.Repeat([]byte{'x'}, 199), '\n')
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, err := f.Write(record); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// benchAppendRate appends one event per Append straight to a fresh SQLite store
// in dir from `writers` goroutines for about d, without Dispatch. With one
// writer every group-commit batch holds one append: one event per transaction
// at synchronous=FULL. With 64 it is what the store alone does under the same
// concurrency as the Dispatch benchmark.
func benchAppendRate(b *testing.B, dir string, writers int, d time.Duration) float64 {
	b.Helper()
	s, err := sqlite.Open(filepath.Join(dir, fmt.Sprintf("append-%d-%d.db", writers, time.Now().UnixNano())))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	// About the size of a CaseCreated event as Dispatch stores it.
	data, _ := json.Marshal(map[string]any{
		"id": "0193a6f0-0000-7000-8000-000000000000", "title": "Rammeavtale for velferdsteknologi",
		"description": "Felles anskaffelse", "jurisdiction": "NO", "cpv": []string{"33196200"}, "hub": "hub",
	})
	var (
		total atomic.Int64
		wg    sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for g := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("append-%d", g)
			expected := eventstore.NoStream
			for n := 0; time.Now().Before(deadline); n++ {
				id := fmt.Sprintf("%s-%d", stream, n)
				res, err := s.Append(ctx, stream, expected, []eventstore.EventData{{
					ID: id, Type: "CaseCreated", SchemaVersion: 1, Data: data,
					Metadata: eventstore.Metadata{User: "hub-coordinator", Org: "hub", CommandID: id,
						CorrelationID: id, OccurredAt: time.Now().UTC()},
				}})
				if err != nil {
					b.Error(err)
					return
				}
				expected = eventstore.At(res.Revision)
				total.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(total.Load()) / time.Since(start).Seconds()
}
