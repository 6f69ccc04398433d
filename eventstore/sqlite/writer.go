package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	if err := eventstore.ValidateAppend(stream, expected, events); err != nil {
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
	b := &batchState{heads: heads, touched: map[string]streamHead{}, ids: map[string]storedID{}}
	s.mu.Lock()
	b.next = s.head + 1
	s.mu.Unlock()
	start := b.next
	b.now = s.now().UTC()

	tx, err := s.write.Begin()
	if err != nil {
		s.fail(batch, fmt.Errorf("sqlite store: begin: %w", err))
		return
	}
	b.tx = tx
	b.insert, b.lookup, b.head = tx.Stmt(s.insertStmt), tx.Stmt(s.lookupStmt), tx.Stmt(s.headStmt)
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			responses[i].err = err
			continue
		}
		res, err := s.appendOne(b, req)
		if errors.Is(err, errAbortBatch) {
			// Every check ran before the inserts, so an insert failing here is
			// the disk or the database, not the caller: nothing of the batch
			// may commit.
			tx.Rollback()
			clear(heads)
			s.fail(batch, err)
			return
		}
		responses[i] = appendResponse{result: res, err: err}
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		clear(heads) // the cache may hold heads that never committed
		s.fail(batch, fmt.Errorf("sqlite store: commit: %w", err))
		return
	}
	for k, v := range b.touched {
		heads[k] = v
	}
	if b.next > start {
		s.published(b.next - 1)
	}
	for i, req := range batch {
		req.done <- responses[i]
	}
}

var errAbortBatch = errors.New("sqlite store: batch aborted")

type storedID struct {
	stream        string
	revision, pos uint64
}

// batchState is one group commit: the transaction, its statements, the heads
// and event IDs it has written so far.
type batchState struct {
	tx                   *sql.Tx
	insert, lookup, head *sql.Stmt
	heads, touched       map[string]streamHead
	ids                  map[string]storedID
	next                 uint64
	now                  time.Time
}

func (s *Store) fail(batch []*appendRequest, err error) {
	for _, req := range batch {
		req.done <- appendResponse{err: err}
	}
}

// appendOne checks one append completely (duplicates, event IDs, expected
// revision) and only then inserts it, so no check can fail half-way through
// the inserts and no savepoint is needed.
func (s *Store) appendOne(b *batchState, req *appendRequest) (eventstore.AppendResult, error) {
	// A retry: the append's last event is stored in this stream, so the whole
	// append is; answer with the first result.
	last := req.events[len(req.events)-1].ID
	prior, found, err := s.lookupID(b, last)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if found && prior.stream == req.stream {
		return eventstore.AppendResult{Revision: prior.revision, Position: eventstore.Seq(prior.pos), Duplicate: true}, nil
	}
	if found {
		return eventstore.AppendResult{}, fmt.Errorf("%w: event ID %s is already used by another append", eventstore.ErrInvalidAppend, last)
	}
	for _, e := range req.events[:len(req.events)-1] { // the last one was looked up above
		_, taken, err := s.lookupID(b, e.ID)
		if err != nil {
			return eventstore.AppendResult{}, err
		}
		if taken {
			return eventstore.AppendResult{}, fmt.Errorf("%w: event ID %s is already used by another append", eventstore.ErrInvalidAppend, e.ID)
		}
	}
	head, err := s.headOf(b, req.stream)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if err := checkExpected(req.stream, req.expected, head); err != nil {
		return eventstore.AppendResult{}, err
	}
	rev := uint64(0)
	if head.exists {
		rev = head.revision + 1
	}
	// First build and seal every record, so nothing that can still fail runs
	// between the first insert and the last.
	type row struct {
		rec  eventstore.Record
		meta []byte
	}
	rows := make([]row, len(req.events))
	prev := head.hash
	for i, e := range req.events {
		rec := eventstore.Record{
			ID: e.ID, Stream: req.stream, Revision: rev + uint64(i), Position: eventstore.Seq(b.next + uint64(i)),
			Type: e.Type, SchemaVersion: e.SchemaVersion, Data: e.Data, Metadata: e.Metadata, RecordedAt: b.now,
		}
		meta, err := json.Marshal(e.Metadata)
		if err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("%w: event %d metadata: %v", eventstore.ErrInvalidAppend, i, err)
		}
		if err := eventstore.Seal(&rec, prev); err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("%w: %v", eventstore.ErrInvalidAppend, err)
		}
		rows[i] = row{rec, meta}
		prev = rec.Hash
	}
	for _, r := range rows {
		rec := r.rec
		if _, err := b.insert.Exec(rec.Position.Commit, rec.Stream, rec.Revision, rec.ID, rec.Type, rec.SchemaVersion,
			[]byte(rec.Data), r.meta, b.now.Format(time.RFC3339Nano), rec.PrevHash, rec.Hash); err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("%w: insert into %s: %v", errAbortBatch, req.stream, err)
		}
		b.ids[rec.ID] = storedID{stream: rec.Stream, revision: rec.Revision, pos: rec.Position.Commit}
	}
	n := uint64(len(req.events))
	res := eventstore.AppendResult{Revision: rev + n - 1, Position: eventstore.Seq(b.next + n - 1)}
	b.touched[req.stream] = streamHead{exists: true, revision: res.Revision, hash: prev}
	b.next += n
	return res, nil
}

// lookupID finds where an event ID is stored: earlier in this batch or in the log.
func (s *Store) lookupID(b *batchState, id string) (storedID, bool, error) {
	if got, ok := b.ids[id]; ok {
		return got, true, nil
	}
	var (
		got      storedID
		rev, pos int64
	)
	err := b.lookup.QueryRow(id).Scan(&got.stream, &rev, &pos)
	if errors.Is(err, sql.ErrNoRows) {
		return got, false, nil
	}
	if err != nil {
		// After an I/O or memory error SQLite may have rolled the transaction
		// back already: nothing more of this batch may run or commit.
		return got, false, fmt.Errorf("%w: look up event %s: %v", errAbortBatch, id, err)
	}
	got.revision, got.pos = uint64(rev), uint64(pos)
	return got, true, nil
}

func (s *Store) headOf(b *batchState, stream string) (streamHead, error) {
	if h, ok := b.touched[stream]; ok {
		return h, nil
	}
	if h, ok := b.heads[stream]; ok {
		return h, nil
	}
	var (
		h   streamHead
		rev int64
	)
	err := b.head.QueryRow(stream).Scan(&rev, &h.hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return streamHead{}, nil
	case err != nil:
		return h, fmt.Errorf("%w: head of %s: %v", errAbortBatch, stream, err)
	}
	h.exists, h.revision = true, uint64(rev)
	if len(b.heads) > 100_000 {
		clear(b.heads) // bound the cache; heads reload from the index
	}
	b.heads[stream] = h
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
