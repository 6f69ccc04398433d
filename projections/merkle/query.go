package merkle

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/audit"
)

// Size is the number of events in the tree.
func Size(ctx context.Context, db *sql.DB) (int64, error) { return size(ctx, db) }

// Root is the tree hash at a size the tree has reached.
func Root(ctx context.Context, db *sql.DB, n int64) (tlog.Hash, error) {
	have, err := size(ctx, db)
	if err != nil {
		return tlog.Hash{}, err
	}
	if n < 0 || n > have {
		return tlog.Hash{}, fmt.Errorf("merkle: no tree of size %d yet (%d events)", n, have)
	}
	return tlog.TreeHash(n, reader{ctx, db})
}

// Uncovered counts the events, heads aside, after the size the latest signed
// head covers: what the next head must sign.
func Uncovered(ctx context.Context, db *sql.DB) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM merkle_leaves_v1
		WHERE leaf >= COALESCE((SELECT size FROM merkle_heads_v1 ORDER BY leaf DESC LIMIT 1), 0) AND stream != ?`, audit.HeadStream).Scan(&n)
	return n, err
}

// Leaf is where an event sits in the tree.
type Leaf struct {
	Index    int64
	EventID  string
	Position string
	Stream   string
	Revision uint64
}

// LeafOfEvent finds an event's leaf; ok is false for an event the tree does not hold (yet).
func LeafOfEvent(ctx context.Context, db *sql.DB, eventID string) (Leaf, bool, error) {
	l := Leaf{EventID: eventID}
	err := db.QueryRowContext(ctx, `SELECT leaf, position, stream, revision FROM merkle_leaves_v1 WHERE event_id = ?`, eventID).
		Scan(&l.Index, &l.Position, &l.Stream, &l.Revision)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, err
}

// InclusionProof proves the leaf is in the tree of size n.
func InclusionProof(ctx context.Context, db *sql.DB, leaf, n int64) (tlog.RecordProof, error) {
	have, err := size(ctx, db)
	if err != nil {
		return nil, err
	}
	if leaf < 0 || leaf >= n || n > have {
		return nil, fmt.Errorf("merkle: no leaf %d in a tree of %d events (the tree has %d)", leaf, n, have)
	}
	return tlog.ProveRecord(n, leaf, reader{ctx, db})
}

// ConsistencyProof proves the tree of size older is a prefix of the tree of size newer.
func ConsistencyProof(ctx context.Context, db *sql.DB, older, newer int64) (tlog.TreeProof, error) {
	have, err := size(ctx, db)
	if err != nil {
		return nil, err
	}
	if older < 1 || older > newer || newer > have {
		return nil, fmt.Errorf("merkle: no consistency proof from %d to %d events (the tree has %d)", older, newer, have)
	}
	return tlog.ProveTree(newer, older, reader{ctx, db})
}

// Head is a signed tree head met in the log.
type Head struct {
	Leaf     int64 // the head event's own leaf
	Size     int64
	Root     string // base64
	SignedAt time.Time
	Signer   string // the published key
	Note     string // the signed note
}

const headColumns = `leaf, size, root, signed_at, signer, note`

type rowScanner interface{ Scan(dest ...any) error }

func scanHead(r rowScanner) (Head, error) {
	var h Head
	var at string
	if err := r.Scan(&h.Leaf, &h.Size, &h.Root, &at, &h.Signer, &h.Note); err != nil {
		return h, err
	}
	h.SignedAt, _ = time.Parse(time.RFC3339Nano, at)
	return h, nil
}

// Heads lists signed heads by the leaf of their event, oldest first, after a leaf (-1 for all).
func Heads(ctx context.Context, db *sql.DB, afterLeaf int64, limit int) ([]Head, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+headColumns+` FROM merkle_heads_v1 WHERE leaf > ? ORDER BY leaf LIMIT ?`, afterLeaf, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Head
	for rows.Next() {
		h, err := scanHead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// LatestHead is the last signed head met in the log; ok is false before the first.
func LatestHead(ctx context.Context, db *sql.DB) (Head, bool, error) {
	return oneHead(db.QueryRowContext(ctx, `SELECT `+headColumns+` FROM merkle_heads_v1 ORDER BY leaf DESC LIMIT 1`))
}

// HeadOfSize finds a signed head of exactly n events.
func HeadOfSize(ctx context.Context, db *sql.DB, n int64) (Head, bool, error) {
	return oneHead(db.QueryRowContext(ctx, `SELECT `+headColumns+` FROM merkle_heads_v1 WHERE size = ? ORDER BY leaf LIMIT 1`, n))
}

func oneHead(row *sql.Row) (Head, bool, error) {
	h, err := scanHead(row)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	return h, err == nil, err
}
