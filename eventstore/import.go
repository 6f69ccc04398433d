package eventstore

import (
	"context"
	"fmt"
)

// Importer is implemented by stores a log can be moved into: Import appends
// records that already carry their whole envelope (event IDs, metadata,
// recorded-at, previous hash and hash) unchanged, so every stream's hash chain
// survives the move. The store checks that the records chain onto the stream's
// current head before writing anything.
type Importer interface {
	Import(ctx context.Context, stream string, expected Expected, records []Record) (AppendResult, error)
}

// CheckImport verifies that records form a contiguous, correctly hashed piece
// of stream continuing after a head at (revision, hash); exists is false for a
// stream that has no events yet.
func CheckImport(stream string, exists bool, revision uint64, hash string, records []Record) error {
	next, prev := uint64(0), ""
	if exists {
		next, prev = revision+1, hash
	}
	for _, r := range records {
		if r.Stream != stream {
			return fmt.Errorf("%w: import into %s carries an event of %s", ErrInvalidAppend, stream, r.Stream)
		}
		if r.Revision != next {
			return fmt.Errorf("%w: import into %s: revision %d where %d is due", ErrInvalidAppend, stream, r.Revision, next)
		}
		if r.PrevHash != prev {
			return fmt.Errorf("%w: import into %s@%d: previous hash does not chain onto the stream", ErrInvalidAppend, stream, r.Revision)
		}
		h, err := HashOf(r)
		if err != nil {
			return err
		}
		if h != r.Hash {
			return fmt.Errorf("%w: import into %s@%d: hash does not match the event's content", ErrInvalidAppend, stream, r.Revision)
		}
		next, prev = next+1, r.Hash
	}
	return nil
}
