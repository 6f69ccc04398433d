package eventstore

import (
	"context"
	"errors"
)

// Expected is the revision a writer expects the stream to be at: a revision
// (0-based, the last event's), NoStream or Any.
type Expected int64

const (
	// NoStream expects the stream not to exist yet.
	NoStream Expected = -1
	// Any skips the check; Felles itself never uses it for commands.
	Any Expected = -2
)

// At expects the stream's last event to have revision r.
func At(r uint64) Expected { return Expected(r) }

// AppendResult says where an append landed. For a duplicate (the same event IDs
// appended before) it describes the original append and Duplicate is true.
type AppendResult struct {
	Revision  uint64   // revision of the last event of the append
	Position  Position // global position of the last event of the append
	Duplicate bool
}

// Store is the port of the event log.
type Store interface {
	// Append writes events atomically at the end of stream if the stream is at
	// expected. A retry with the same event IDs returns the first result with
	// Duplicate set and writes nothing. A stale expectation fails with an error
	// matching ErrWrongRevision.
	Append(ctx context.Context, stream string, expected Expected, events []EventData) (AppendResult, error)
	// ReadStream returns up to limit events of stream from revision `from`
	// (inclusive) in order; a stream that does not exist reads as empty.
	ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]Record, error)
	// ReadAll returns up to limit events of the global log strictly after `after`
	// in commit order. The zero Position reads from the beginning.
	ReadAll(ctx context.Context, after Position, limit int) ([]Record, error)
	// Subscribe delivers the global log strictly after `after`: history first,
	// then live events as they are committed, in order, until ctx ends.
	Subscribe(ctx context.Context, after Position) (Subscription, error)
	// Head is the position of the last committed event (zero when empty).
	Head(ctx context.Context) (Position, error)
	Close() error
}

// Subscription is a pull-based, ordered view of the global log.
type Subscription interface {
	// Next blocks until the next event is committed or ctx ends.
	Next(ctx context.Context) (Record, error)
	Close() error
}

var (
	// ErrWrongRevision is returned when the stream is not at the expected revision.
	ErrWrongRevision = errors.New("eventstore: stream is not at the expected revision")
	// ErrInvalidAppend is returned for an append the store refuses outright (no
	// events, an empty type, an event ID used by another append).
	ErrInvalidAppend = errors.New("eventstore: invalid append")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("eventstore: closed")
)
