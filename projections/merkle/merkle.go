// Package merkle is merkle_v1: the Merkle tree over the global log as the
// server keeps it for proofs (every stored hash of tlog's layout), which event
// is which leaf, and the signed tree heads met in the log. Like every view it
// is a function of the log: a rebuild gives the same rows, and the offline
// verifier recomputes the same tree from the log alone.
package merkle

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
)

// ReadModel adds every event of the log as the next leaf.
type ReadModel struct{}

func (ReadModel) Name() string { return "merkle_v1" }
func (ReadModel) Tables() []string {
	return []string{"merkle_hashes_v1", "merkle_leaves_v1", "merkle_heads_v1"}
}
func (ReadModel) Schema() string {
	return `CREATE TABLE IF NOT EXISTS merkle_hashes_v1 (
	idx  INTEGER PRIMARY KEY, -- tlog.StoredHashIndex
	hash BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS merkle_leaves_v1 (
	leaf     INTEGER PRIMARY KEY,
	event_id TEXT NOT NULL UNIQUE,
	position TEXT NOT NULL,
	stream   TEXT NOT NULL,
	revision INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS merkle_heads_v1 (
	leaf      INTEGER PRIMARY KEY, -- the head event's own leaf
	size      INTEGER NOT NULL,
	root      TEXT NOT NULL,
	signed_at TEXT NOT NULL,
	signer    TEXT NOT NULL,
	note      TEXT NOT NULL
);`
}

// Apply adds the event as the next leaf, and a signed head to the heads.
func (ReadModel) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	leaf, err := audit.LeafOf(rec.Hash)
	if err != nil {
		return err
	}
	n, err := size(ctx, tx)
	if err != nil {
		return err
	}
	hashes, err := tlog.StoredHashesForRecordHash(n, tlog.RecordHash(leaf), reader{ctx, tx})
	if err != nil {
		return fmt.Errorf("merkle: leaf %d: %w", n, err)
	}
	first := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO merkle_hashes_v1 (idx, hash) VALUES (?, ?)`, first+int64(i), h[:]); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO merkle_leaves_v1 (leaf, event_id, position, stream, revision) VALUES (?,?,?,?,?)`,
		n, rec.ID, rec.Position.String(), rec.Stream, rec.Revision); err != nil {
		return err
	}
	if !audit.IsHead(rec) {
		return nil
	}
	var h audit.HeadEvent
	if err := json.Unmarshal(rec.Data, &h); err != nil {
		return nil // a head that cannot be read is no head; the verifier reports it
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO merkle_heads_v1 (leaf, size, root, signed_at, signer, note) VALUES (?,?,?,?,?,?)`,
		n, h.Size, h.Root, h.SignedAt.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"), h.Key, h.Note)
	return err
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// size is the number of leaves.
func size(ctx context.Context, q queryer) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(leaf) + 1, 0) FROM merkle_leaves_v1`).Scan(&n)
	return n, err
}

// reader reads stored hashes for tlog.
type reader struct {
	ctx context.Context
	q   queryer
}

func (r reader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		var b []byte
		if err := r.q.QueryRowContext(r.ctx, `SELECT hash FROM merkle_hashes_v1 WHERE idx = ?`, x).Scan(&b); err != nil {
			return nil, fmt.Errorf("merkle: stored hash %d: %w", x, err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("merkle: stored hash %d has %d bytes", x, len(b))
		}
		copy(out[i][:], b)
	}
	return out, nil
}
