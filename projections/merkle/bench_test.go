package merkle_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/merkle"
)

// benchLog serves n records with chain-like hashes to a rebuild.
type benchLog struct {
	eventstore.Store
	recs []eventstore.Record
}

func (l benchLog) ReadAll(_ context.Context, after eventstore.Position, limit int) ([]eventstore.Record, error) {
	from := int(after.Commit)
	if from >= len(l.recs) {
		return nil, nil
	}
	return l.recs[from:min(len(l.recs), from+limit)], nil
}

// benchRecords are n records with chain-like hashes.
func benchRecords(n int) []eventstore.Record {
	recs := make([]eventstore.Record, n)
	for i := range recs {
		h := sha256.Sum256([]byte(fmt.Sprint(i)))
		recs[i] = eventstore.Record{ID: fmt.Sprintf("ev-%d", i), Stream: "s", Revision: uint64(i),
			Position: eventstore.Seq(uint64(i + 1)), Type: "T", SchemaVersion: 1, Data: []byte(`{}`), Hash: hex.EncodeToString(h[:])}
	}
	return recs
}

// benchView is a views database with only merkle_v1, and its runner.
func benchView(b *testing.B) (*sql.DB, *projections.Runner) {
	db, err := projections.OpenViews(filepath.Join(b.TempDir(), "views.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	r, err := projections.NewRunner(context.Background(), db, "bench", "bench", slog.New(slog.NewTextHandler(io.Discard, nil)), merkle.ReadModel{})
	if err != nil {
		b.Fatal(err)
	}
	return db, r
}

// BenchmarkApply is the proof index's cost per event in the views consumer
// (merkle_v1: the tree's stored hashes and the leaf of every event in
// views.db, inside the consumer's transaction); ns/op is per event.
func BenchmarkApply(b *testing.B) {
	recs := benchRecords(b.N)
	_, r := benchView(b)
	b.ResetTimer()
	if n, err := r.Rebuild(context.Background(), benchLog{recs: recs}); err != nil || n != b.N {
		b.Fatal(n, err)
	}
}

// BenchmarkProofs builds the view of a 100,000-event log once, then proves
// events' inclusion and the consistency of two sizes from it, as the GraphQL
// fields do; it reports each proof's size in bytes.
func BenchmarkProofs(b *testing.B) {
	const n = 100_000
	db, r := benchView(b)
	if _, err := r.Rebuild(context.Background(), benchLog{recs: benchRecords(n)}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("inclusion", func(b *testing.B) {
		size := 0
		for i := 0; i < b.N; i++ {
			p, err := merkle.InclusionProof(ctx, db, int64(i*7919%n), n)
			if err != nil {
				b.Fatal(err)
			}
			size = len(p) * 32
		}
		b.ReportMetric(float64(size), "proof-bytes")
	})
	b.Run("consistency", func(b *testing.B) {
		size := 0
		for i := 0; i < b.N; i++ {
			p, err := merkle.ConsistencyProof(ctx, db, int64(1+i*7919%(n-1)), n)
			if err != nil {
				b.Fatal(err)
			}
			size = len(p) * 32
		}
		b.ReportMetric(float64(size), "proof-bytes")
	})
	b.Run("root", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := merkle.Root(ctx, db, n); err != nil {
				b.Fatal(err)
			}
		}
	})
}
