package kurrentdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
	"github.com/google/uuid"
)

// anyAttempts bounds how often an append with eventstore.Any re-reads the head
// after another writer got in first.
const anyAttempts = 32

// streamHead is the last event of a stream, what the next event chains onto.
type streamHead struct {
	exists     bool
	revision   uint64
	hash       string
	recordedAt time.Time
}

// Append claims the event IDs, recognises a retry, seals the hash chain onto the
// stream's head and appends at that exact revision (see the package doc).
func (s *Store) Append(ctx context.Context, stream string, expected eventstore.Expected, events []eventstore.EventData) (eventstore.AppendResult, error) {
	ids, err := validateAppend(stream, expected, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if s.isClosed() {
		return eventstore.AppendResult{}, eventstore.ErrClosed
	}
	physical := s.opts.prefix + stream
	lastID := ids[len(ids)-1]
	// A retry of an append this Store wrote is answered from memory.
	if w, ok := s.cache.writtenAt(lastID); ok && w.stream == physical {
		return eventstore.AppendResult{Revision: w.revision, Position: w.pos, Duplicate: true}, nil
	}

	claims := make([]claim, len(ids))
	var ask []int
	for i, id := range ids {
		if cl, ok := s.cache.claim(id); ok {
			claims[i] = cl
		} else {
			ask = append(ask, i)
		}
	}
	head, haveHead := s.knownHead(physical, expected)

	// Claims and the head read are independent: run them together.
	errs := make([]error, len(ask)+1)
	var wg sync.WaitGroup
	for k, i := range ask {
		wg.Add(1)
		go func() {
			defer wg.Done()
			claims[i], errs[k] = s.claim(ctx, stream, ids[i])
		}()
	}
	if !haveHead && len(ask) == len(ids) { // with a claim known from before, the duplicate search reads the head
		head, errs[len(ask)] = s.head(ctx, stream)
		haveHead = errs[len(ask)] == nil
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return eventstore.AppendResult{}, err
	}
	for i, c := range claims {
		if c.stream != physical {
			return eventstore.AppendResult{}, fmt.Errorf("%w: event ID %s is already used in stream %s",
				eventstore.ErrInvalidAppend, events[i].ID, strings.TrimPrefix(c.stream, s.opts.prefix))
		}
	}
	// IDs claimed before this call may already be stored: look for them in the
	// stream, back to the oldest of those claims (an event follows its claim).
	suspects := map[uuid.UUID]bool{}
	since := uint64(math.MaxUint64)
	for i, c := range claims {
		if c.existed {
			suspects[ids[i]] = true
			since = min(since, c.pos.Commit)
		}
	}
	for attempt := 1; ; attempt++ {
		if len(suspects) > 0 {
			var (
				dup    *eventstore.AppendResult
				reused uuid.UUID
				known  bool
			)
			if expected >= 0 {
				var h streamHead
				if h, dup, reused, known = s.cache.localScan(physical, uint64(expected), lastID, suspects, since); known {
					head, haveHead = h, true
				}
			}
			if !known {
				var sc scanResult
				if sc, err = s.scan(ctx, stream, lastID, suspects, since); err != nil {
					return eventstore.AppendResult{}, err
				}
				dup, reused, head, haveHead = sc.dup, sc.reused, sc.head, true
			}
			if dup != nil {
				s.cache.putWritten(lastID, writtenEvent{stream: physical, revision: dup.Revision, pos: dup.Position})
				return *dup, nil
			}
			if reused != uuid.Nil {
				return eventstore.AppendResult{}, fmt.Errorf("%w: event ID %s is already stored in %s by another append",
					eventstore.ErrInvalidAppend, reused, stream)
			}
		}
		if !haveHead {
			if head, err = s.head(ctx, stream); err != nil {
				return eventstore.AppendResult{}, err
			}
			haveHead = true
		}
		res, err := s.write(ctx, stream, expected, head, ids, events)
		if expected != eventstore.Any || !errors.Is(err, eventstore.ErrWrongRevision) || attempt == anyAttempts {
			return res, err
		}
		// Another writer moved the stream: chain onto its new head, after making
		// sure that writer was not a concurrent retry of this very append.
		haveHead = false
		for i, c := range claims {
			suspects[ids[i]] = true
			since = min(since, c.pos.Commit)
		}
	}
}

// knownHead is the head an append can chain onto without reading: none for
// NoStream; for a revision, the stream's event at that revision (or beyond it,
// which makes the append fail as it must) when this Store has seen it.
func (s *Store) knownHead(physical string, expected eventstore.Expected) (streamHead, bool) {
	switch {
	case expected == eventstore.NoStream:
		return streamHead{}, true
	case expected >= 0:
		if h, ok := s.cache.head(physical); ok && h.revision >= uint64(expected) {
			return h, true
		}
	}
	return streamHead{}, false
}

// validateAppend adds what KurrentDB needs to the port's checks: stream names
// and types outside the server's $ namespace, and event IDs that are UUIDs (the
// client silently replaces a zero UUID with a random one).
func validateAppend(stream string, expected eventstore.Expected, events []eventstore.EventData) ([]uuid.UUID, error) {
	if err := eventstore.ValidateAppend(stream, expected, events); err != nil {
		return nil, err
	}
	if strings.HasPrefix(stream, "$") {
		return nil, fmt.Errorf("%w: stream %q is a system stream name", eventstore.ErrInvalidAppend, stream)
	}
	ids := make([]uuid.UUID, len(events))
	for i, e := range events {
		id, err := uuid.Parse(e.ID)
		switch {
		case err != nil || id == uuid.Nil:
			return nil, fmt.Errorf("%w: event %d has no UUID as its ID (%q)", eventstore.ErrInvalidAppend, i, e.ID)
		case strings.HasPrefix(e.Type, "$"):
			return nil, fmt.Errorf("%w: event %d has the system type %q", eventstore.ErrInvalidAppend, i, e.Type)
		}
		ids[i] = id
	}
	return ids, nil
}

// write checks the expectation against the head, seals the events onto it and
// appends them at exactly that revision.
func (s *Store) write(ctx context.Context, stream string, expected eventstore.Expected, head streamHead, ids []uuid.UUID, events []eventstore.EventData) (eventstore.AppendResult, error) {
	switch {
	case expected == eventstore.NoStream && head.exists:
		return eventstore.AppendResult{}, fmt.Errorf("%w: %s is at %s, expected no stream",
			eventstore.ErrWrongRevision, stream, describe(head))
	case expected >= 0 && (!head.exists || uint64(expected) != head.revision):
		return eventstore.AppendResult{}, fmt.Errorf("%w: %s is at %s, expected revision %d",
			eventstore.ErrWrongRevision, stream, describe(head), expected)
	}
	var at esdb.ExpectedRevision = esdb.NoStream{}
	first := uint64(0)
	if head.exists {
		at, first = esdb.Revision(head.revision), head.revision+1
	}
	data, sealed, err := s.seal(stream, head, first, ids, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	var wr *esdb.WriteResult
	err = s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		var err error
		wr, err = c.AppendToStream(ctx, s.opts.prefix+stream, esdb.AppendToStreamOptions{ExpectedRevision: at}, data...)
		return err
	})
	if wrongExpectedVersion(err) {
		return eventstore.AppendResult{}, fmt.Errorf("%w: %s: %v", eventstore.ErrWrongRevision, stream, err)
	}
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("kurrentdb: append to %s: %w", stream, err)
	}
	physical := s.opts.prefix + stream
	last := first + uint64(len(events)) - 1
	res := eventstore.AppendResult{Revision: last, Position: eventstore.Position{Commit: wr.CommitPosition, Prepare: wr.PreparePosition}}
	if len(events) == 1 && !res.Position.IsZero() {
		sealed[0].pos = res.Position
	} else {
		// A multi-event write reports its transaction's position, and an append the
		// server took for a repeat of an earlier one reports none: read them back.
		res.Duplicate = res.Position.IsZero()
		evs, err := s.readStream(ctx, stream, esdb.Forwards, esdb.Revision(first), uint64(len(ids)))
		if err != nil {
			return eventstore.AppendResult{}, err
		}
		if len(evs) != len(ids) || evs[len(evs)-1].OriginalEvent().EventID != lastOf(ids) {
			return eventstore.AppendResult{}, fmt.Errorf("kurrentdb: append to %s acknowledged, but revision %d does not hold event %s", stream, last, events[len(events)-1].ID)
		}
		for i, ev := range evs {
			if ev.OriginalEvent().EventID != ids[i] {
				return eventstore.AppendResult{}, fmt.Errorf("kurrentdb: append to %s acknowledged, but revision %d does not hold event %s", stream, first+uint64(i), events[i].ID)
			}
			sealed[i].pos = position(ev)
		}
		res.Position = sealed[len(sealed)-1].pos
	}
	if !res.Duplicate {
		s.cache.seen(physical, first, sealed)
	}
	for i, id := range ids {
		s.cache.putWritten(id, writtenEvent{stream: physical, revision: first + uint64(i), pos: sealed[i].pos})
	}
	return res, nil
}

func lastOf(ids []uuid.UUID) uuid.UUID { return ids[len(ids)-1] }

func describe(h streamHead) string {
	if !h.exists {
		return "no stream"
	}
	return fmt.Sprintf("revision %d", h.revision)
}

// seal builds the events to send: hash chain, RecordedAt and envelope.
func (s *Store) seal(stream string, head streamHead, first uint64, ids []uuid.UUID, events []eventstore.EventData) ([]esdb.EventData, []tailEvent, error) {
	now := s.opts.now().UTC()
	if head.exists && now.Before(head.recordedAt) {
		now = head.recordedAt
	}
	prev := head.hash
	out := make([]esdb.EventData, len(events))
	sealed := make([]tailEvent, len(events))
	for i, e := range events {
		rec := eventstore.Record{
			ID: e.ID, Stream: stream, Revision: first + uint64(i), Type: e.Type, SchemaVersion: e.SchemaVersion,
			Data: e.Data, Metadata: e.Metadata, RecordedAt: now,
		}
		if err := eventstore.Seal(&rec, prev); err != nil {
			return nil, nil, err
		}
		meta, err := json.Marshal(envelopeOf(rec))
		if err != nil {
			return nil, nil, fmt.Errorf("kurrentdb: envelope of event %d: %w", i, err)
		}
		out[i] = esdb.EventData{EventID: ids[i], EventType: e.Type, ContentType: esdb.ContentTypeJson, Data: e.Data, Metadata: meta}
		sealed[i] = tailEvent{id: ids[i], hash: rec.Hash, recordedAt: now}
		prev = rec.Hash
	}
	return out, sealed, nil
}

// head reads the stream's last event.
func (s *Store) head(ctx context.Context, stream string) (streamHead, error) {
	evs, err := s.readStream(ctx, stream, esdb.Backwards, esdb.End{}, 1)
	if err != nil || len(evs) == 0 {
		return streamHead{}, err
	}
	return s.headOf(stream, evs[0])
}

// headOf makes a stream's last event the head to chain onto.
func (s *Store) headOf(stream string, ev *esdb.ResolvedEvent) (streamHead, error) {
	rec, ok, err := s.toRecord(ev)
	if err != nil {
		return streamHead{}, err
	}
	if !ok {
		re := ev.OriginalEvent()
		return streamHead{}, fmt.Errorf("kurrentdb: %s ends with %s@%d, which is not a Felles event: nothing can chain onto it", stream, re.EventType, re.EventNumber)
	}
	s.cache.seen(s.opts.prefix+stream, rec.Revision, []tailEvent{tailOf(rec, ev)})
	return streamHead{exists: true, revision: rec.Revision, hash: rec.Hash, recordedAt: rec.RecordedAt}, nil
}

func tailOf(rec eventstore.Record, ev *esdb.ResolvedEvent) tailEvent {
	return tailEvent{id: ev.OriginalEvent().EventID, pos: rec.Position, hash: rec.Hash, recordedAt: rec.RecordedAt}
}

// scanResult is what the duplicate search found: the stream's head; a retry of
// this append, if it is one; an ID of it stored by another append, if any.
type scanResult struct {
	head   streamHead
	dup    *eventstore.AppendResult
	reused uuid.UUID
}

// scan reads the stream backwards from its end, down to the commit position
// `since`, for suspect IDs. The append's last ID found there makes it a retry of
// an earlier append; another of its IDs found there was used by a different
// append.
func (s *Store) scan(ctx context.Context, stream string, lastID uuid.UUID, suspects map[uuid.UUID]bool, since uint64) (scanResult, error) {
	const window = 128
	var r scanResult
	var from esdb.StreamPosition = esdb.End{}
	for first := true; ; first = false {
		evs, err := s.readStream(ctx, stream, esdb.Backwards, from, window)
		if err != nil {
			return r, err
		}
		if first && len(evs) > 0 {
			if r.head, err = s.headOf(stream, evs[0]); err != nil {
				return r, err
			}
		}
		s.remember(stream, evs)
		for _, ev := range evs {
			re := ev.OriginalEvent()
			if re.EventID == lastID {
				r.dup = &eventstore.AppendResult{Revision: re.EventNumber, Position: position(ev), Duplicate: true}
				return r, nil
			}
			// Stream reads may carry no positions; then the whole stream is searched.
			if re.Position.Commit != 0 && re.Position.Commit < since {
				return r, nil
			}
			if suspects[re.EventID] && r.reused == uuid.Nil {
				r.reused = re.EventID
			}
		}
		if len(evs) < window || evs[len(evs)-1].OriginalEvent().EventNumber == 0 {
			return r, nil
		}
		from = esdb.Revision(evs[len(evs)-1].OriginalEvent().EventNumber - 1)
	}
}

// remember feeds a backwards page of a stream's Felles events to the tail cache.
func (s *Store) remember(stream string, backwards []*esdb.ResolvedEvent) {
	run := make([]tailEvent, 0, len(backwards))
	for i := len(backwards) - 1; i >= 0; i-- {
		rec, ok, err := s.toRecord(backwards[i])
		if err != nil || !ok {
			return
		}
		run = append(run, tailOf(rec, backwards[i]))
	}
	if len(run) > 0 {
		s.cache.seen(s.opts.prefix+stream, backwards[len(backwards)-1].OriginalEvent().EventNumber, run)
	}
}

const (
	claimPrefix = "$felles-eventid-"
	claimType   = "$felles-eventid"
)

// claim binds an event ID to a stream, once and for all: see the package doc.
type claim struct {
	stream  string              // server-side name of the stream holding the ID
	pos     eventstore.Position // where the claim was written
	existed bool                // claimed before this call
}

type claimBody struct {
	Stream string `json:"stream"`
}

func (s *Store) claim(ctx context.Context, stream string, id uuid.UUID) (claim, error) {
	name := claimPrefix + s.opts.prefix + id.String()
	physical := s.opts.prefix + stream
	body, err := json.Marshal(claimBody{Stream: physical})
	if err != nil {
		return claim{}, err
	}
	var wr *esdb.WriteResult
	err = s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		var err error
		// A random event ID: a fixed one would let the server take a second
		// stream's claim for an idempotent repeat of the first.
		wr, err = c.AppendToStream(ctx, name, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}},
			esdb.EventData{EventID: uuid.New(), EventType: claimType, ContentType: esdb.ContentTypeJson, Data: body})
		return err
	})
	switch {
	case err == nil && (wr.CommitPosition != 0 || wr.PreparePosition != 0):
		cl := claim{stream: physical, pos: eventstore.Position{Commit: wr.CommitPosition, Prepare: wr.PreparePosition}}
		s.cache.putClaim(id, cl)
		return cl, nil
	case err != nil && !wrongExpectedVersion(err):
		return claim{}, fmt.Errorf("kurrentdb: claim event ID %s: %w", id, err)
	}
	// Claimed before (or acknowledged as a repeat without a position): read it.
	evs, err := s.readRawStream(ctx, name, esdb.Start{}, 1)
	if err != nil {
		return claim{}, err
	}
	if len(evs) == 0 {
		return claim{}, fmt.Errorf("kurrentdb: claim of event ID %s refused, but %s is empty", id, name)
	}
	var b claimBody
	if err := json.Unmarshal(evs[0].OriginalEvent().Data, &b); err != nil || b.Stream == "" {
		return claim{}, fmt.Errorf("kurrentdb: claim of event ID %s in %s does not decode: %v", id, name, err)
	}
	cl := claim{stream: b.Stream, pos: position(evs[0]), existed: true}
	s.cache.putClaim(id, cl)
	return cl, nil
}
