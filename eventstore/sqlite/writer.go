package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/felles/felles/eventstore"
)

type appendRequest struct {
	ctx      context.Context
	stream   string
	expected eventstore.Expected
	events   []eventstore.EventData
	done     chan appendResponse
}

type appendResponse struct {
	result eventstore.AppendResult
	err    error
}

type streamHead struct {
	exists   bool
	revision uint64
	hash     string
}

// Append queues the append for the writer and waits for its commit.
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.Expected, events []eventstore.EventData) (eventstore.AppendResult, error) {
	if err := validateAppend(stream, expected, events); err != nil {
		return eventstore.AppendResult{}, err
	}
	req := &appendRequest{ctx: ctx, stream: stream, expected: expected, events: events, done: make(chan appendResponse, 1)}
	select {
	case <-s.closing:
		return eventstore.AppendResult{}, eventstore.ErrClosed
	case <-ctx.Done():
		return eventstore.AppendResult{}, ctx.Err()
	case s.reqs <- req:
	}
	// Once queued the writer always answers; waiting for it (rather than for ctx)
	// means a caller is never told "failed" about an append that committed.
	select {
	case resp := <-req.done:
		return resp.result, resp.err
	case <-s.writerDone:
		select { // answered in the writer's last drain?
		case resp := <-req.done:
			return resp.result, resp.err
		default:
			return eventstore.AppendResult{}, eventstore.ErrClosed
		}
	}
}

func validateAppend(stream string, expected eventstore.Expected, events []eventstore.EventData) error {
	switch {
	case stream == "" || strings.ContainsAny(stream, "\x00\n"):
		return fmt.Errorf("%w: stream name %q", eventstore.ErrInvalidAppend, stream)
	case len(events) == 0:
		return fmt.Errorf("%w: no events", eventstore.ErrInvalidAppend)
	case expected < eventstore.Any:
		return fmt.Errorf("%w: expected revision %d", eventstore.ErrInvalidAppend, expected)
	}
	seen := make(map[string]bool, len(events))
	for i, e := range events {
		switch {
		case e.ID == "" || seen[e.ID]:
			return fmt.Errorf("%w: event %d has an empty or repeated ID", eventstore.ErrInvalidAppend, i)
		case e.Type == "":
			return fmt.Errorf("%w: event %d has no type", eventstore.ErrInvalidAppend, i)
		case e.SchemaVersion < 1:
			return fmt.Errorf("%w: event %d has schema version %d", eventstore.ErrInvalidAppend, i, e.SchemaVersion)
		case !json.Valid(e.Data):
			return fmt.Errorf("%w: event %d data is not JSON", eventstore.ErrInvalidAppend, i)
		}
		seen[e.ID] = true
	}
	return nil
}

// writer is the only goroutine that writes: it takes every queued append into
// one transaction (group commit) so they share one fsync.
func (s *Store) writer() {
	defer close(s.writerDone)
	heads := map[string]streamHead{}
	for {
		var batch []*appendRequest
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.closing:
			s.drain(heads)
			return
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commit(batch, heads)
	}
}

// drain answers appends queued before Close.
func (s *Store) drain(heads map[string]streamHead) {
	for {
		select {
		case r := <-s.reqs:
			s.commit([]*appendRequest{r}, heads)
		default:
			return
		}
	}
}

func (s *Store) commit(batch []*appendRequest, heads map[string]streamHead) {
	responses := make([]appendResponse, len(batch))
	touched := map[string]streamHead{} // heads as this transaction leaves them
	s.mu.Lock()
	next := s.head + 1
	s.mu.Unlock()
	start := next
	now := s.now().UTC()

	tx, err := s.write.Begin()
	if err != nil {
		s.fail(batch, fmt.Errorf("sqlite store: begin: %w", err))
		return
	}
	insert, err := tx.Prepare(`INSERT INTO events (` + selectColumns + `) VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		tx.Rollback()
		s.fail(batch, fmt.Errorf("sqlite store: prepare: %w", err))
		return
	}
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			responses[i].err = err
			continue
		}
		res, n, err := s.appendOne(tx, insert, req, heads, touched, next, now)
		responses[i] = appendResponse{result: res, err: err}
		next += n
	}
	insert.Close()
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		clear(heads) // the cache may hold heads that never committed
		s.fail(batch, fmt.Errorf("sqlite store: commit: %w", err))
		return
	}
	for k, v := range touched {
		heads[k] = v
	}
	if next > start {
		s.published(next - 1)
	}
	for i, req := range batch {
		req.done <- responses[i]
	}
}

func (s *Store) fail(batch []*appendRequest, err error) {
	for _, req := range batch {
		req.done <- appendResponse{err: err}
	}
}

// appendOne checks and inserts one append inside the batch's transaction under a
// savepoint, so a failed append leaves the others of the batch intact.
func (s *Store) appendOne(tx *sql.Tx, insert *sql.Stmt, req *appendRequest, heads, touched map[string]streamHead, next uint64, now time.Time) (eventstore.AppendResult, uint64, error) {
	if dup, found, err := s.duplicate(tx, req); err != nil || found {
		return dup, 0, err
	}
	head, err := s.headOf(tx, req.stream, heads, touched)
	if err != nil {
		return eventstore.AppendResult{}, 0, err
	}
	if err := checkExpected(req.stream, req.expected, head); err != nil {
		return eventstore.AppendResult{}, 0, err
	}
	if _, err := tx.Exec(`SAVEPOINT append_one`); err != nil {
		return eventstore.AppendResult{}, 0, fmt.Errorf("sqlite store: savepoint: %w", err)
	}
	rev := uint64(0)
	if head.exists {
		rev = head.revision + 1
	}
	prev := head.hash
	for i, e := range req.events {
		meta, err := json.Marshal(e.Metadata)
		if err == nil {
			rec := eventstore.Record{
				ID: e.ID, Stream: req.stream, Revision: rev + uint64(i), Position: eventstore.Seq(next + uint64(i)),
				Type: e.Type, SchemaVersion: e.SchemaVersion, Data: e.Data, Metadata: e.Metadata, RecordedAt: now,
			}
			if err = eventstore.Seal(&rec, prev); err == nil {
				_, err = insert.Exec(rec.Position.Commit, rec.Stream, rec.Revision, rec.ID, rec.Type, rec.SchemaVersion,
					[]byte(rec.Data), meta, now.Format(time.RFC3339Nano), rec.PrevHash, rec.Hash)
				prev = rec.Hash
			}
		}
		if err != nil {
			tx.Exec(`ROLLBACK TO append_one`)
			tx.Exec(`RELEASE append_one`)
			if strings.Contains(err.Error(), "UNIQUE") {
				return eventstore.AppendResult{}, 0, fmt.Errorf("%w: event ID %s is already used by another append", eventstore.ErrInvalidAppend, e.ID)
			}
			return eventstore.AppendResult{}, 0, fmt.Errorf("sqlite store: insert into %s: %w", req.stream, err)
		}
	}
	if _, err := tx.Exec(`RELEASE append_one`); err != nil {
		return eventstore.AppendResult{}, 0, fmt.Errorf("sqlite store: release: %w", err)
	}
	n := uint64(len(req.events))
	touched[req.stream] = streamHead{exists: true, revision: rev + n - 1, hash: prev}
	return eventstore.AppendResult{Revision: rev + n - 1, Position: eventstore.Seq(next + n - 1)}, n, nil
}

// duplicate recognises a retry: the append's last event ID is already stored in
// this stream (committed earlier, or earlier in this batch), so the original
// result is returned and nothing is written.
func (s *Store) duplicate(tx *sql.Tx, req *appendRequest) (eventstore.AppendResult, bool, error) {
	last := req.events[len(req.events)-1].ID
	var (
		stream   string
		rev, pos int64
	)
	err := tx.QueryRow(`SELECT stream, revision, position FROM events WHERE event_id = ?`, last).Scan(&stream, &rev, &pos)
	if errors.Is(err, sql.ErrNoRows) {
		return eventstore.AppendResult{}, false, nil
	}
	if err != nil {
		return eventstore.AppendResult{}, false, fmt.Errorf("sqlite store: look up event %s: %w", last, err)
	}
	if stream != req.stream {
		return eventstore.AppendResult{}, false, fmt.Errorf("%w: event ID %s is already used in another stream", eventstore.ErrInvalidAppend, last)
	}
	return eventstore.AppendResult{Revision: uint64(rev), Position: eventstore.Seq(uint64(pos)), Duplicate: true}, true, nil
}

func (s *Store) headOf(tx *sql.Tx, stream string, heads, touched map[string]streamHead) (streamHead, error) {
	if h, ok := touched[stream]; ok {
		return h, nil
	}
	if h, ok := heads[stream]; ok {
		return h, nil
	}
	var (
		h   streamHead
		rev int64
	)
	err := tx.QueryRow(`SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1`, stream).Scan(&rev, &h.hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return streamHead{}, nil
	case err != nil:
		return h, fmt.Errorf("sqlite store: head of %s: %w", stream, err)
	}
	h.exists, h.revision = true, uint64(rev)
	if len(heads) > 100_000 {
		clear(heads) // bound the cache; heads reload from the index
	}
	heads[stream] = h
	return h, nil
}

func checkExpected(stream string, expected eventstore.Expected, head streamHead) error {
	switch {
	case expected == eventstore.Any:
		return nil
	case expected == eventstore.NoStream && !head.exists:
		return nil
	case expected >= 0 && head.exists && uint64(expected) == head.revision:
		return nil
	}
	actual := "no stream"
	if head.exists {
		actual = fmt.Sprintf("revision %d", head.revision)
	}
	return fmt.Errorf("%w: %s is at %s, expected %s", eventstore.ErrWrongRevision, stream, actual, describe(expected))
}

func describe(e eventstore.Expected) string {
	switch e {
	case eventstore.NoStream:
		return "no stream"
	case eventstore.Any:
		return "any"
	}
	return fmt.Sprintf("revision %d", e)
}
