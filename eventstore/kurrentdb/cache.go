package kurrentdb

import (
	"bytes"
	"sync"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/google/uuid"
)

const (
	// cacheLimit bounds the claim and written maps; a full map is cleared
	// (everything in it can be asked of the server again).
	cacheLimit = 100_000
	// tailStreams and tailLen bound the stream tails kept (a few MB at most):
	// a tail long enough to reach back past a contended retry's claim saves a
	// read of the stream.
	tailStreams = 1024
	tailLen     = 256
	// envelopes bounds the decoded envelopes kept: a command re-reads its whole
	// stream, and decoding the JSON envelope is the largest cost of a read.
	envelopes = 16_384
)

// cache remembers facts that never change once they are true, so that a retry
// or a contended append can skip reads: the stream an event ID is claimed for,
// where this Store's events landed, and the last events of streams (revision,
// ID, position, hash). Facts about what has NOT happened are never cached:
// another replica may be writing the same stream.
type cache struct {
	mu      sync.Mutex
	claims  map[uuid.UUID]claim
	written map[uuid.UUID]writtenEvent
	tails   map[string]*tail // by server-side stream name
	decoded map[uuid.UUID]decodedEnvelope
}

// decodedEnvelope is an event's user metadata and what it decoded to; it is
// reused only for byte-identical metadata.
type decodedEnvelope struct {
	raw []byte
	env envelope
}

type writtenEvent struct {
	stream   string // server-side name
	revision uint64
	pos      eventstore.Position
}

// tail is a run of consecutive events of a stream, the last one the highest
// revision this Store knows of.
type tail struct {
	first  uint64 // revision of events[0]
	events []tailEvent
}

type tailEvent struct {
	id         uuid.UUID
	pos        eventstore.Position // zero when not known
	hash       string
	recordedAt time.Time
}

func (t *tail) last() uint64 { return t.first + uint64(len(t.events)) - 1 }

func newCache() *cache {
	return &cache{claims: map[uuid.UUID]claim{}, written: map[uuid.UUID]writtenEvent{}, tails: map[string]*tail{},
		decoded: map[uuid.UUID]decodedEnvelope{}}
}

func (c *cache) envelope(id uuid.UUID, raw []byte) (envelope, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.decoded[id]
	if !ok || !bytes.Equal(d.raw, raw) {
		return envelope{}, false
	}
	return d.env, true
}

func (c *cache) putEnvelope(id uuid.UUID, raw []byte, env envelope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.decoded) >= envelopes {
		clear(c.decoded)
	}
	c.decoded[id] = decodedEnvelope{raw: raw, env: env}
}

func (c *cache) claim(id uuid.UUID) (claim, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.claims[id]
	return cl, ok
}

func (c *cache) putClaim(id uuid.UUID, cl claim) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.claims) >= cacheLimit {
		clear(c.claims)
	}
	cl.existed = true // for every later call, it was claimed before
	c.claims[id] = cl
}

func (c *cache) writtenAt(id uuid.UUID) (writtenEvent, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.written[id]
	return w, ok
}

func (c *cache) putWritten(id uuid.UUID, w writtenEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.written) >= cacheLimit {
		clear(c.written)
	}
	c.written[id] = w
}

// head is the highest known event of a stream.
func (c *cache) head(stream string) (streamHead, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tails[stream]
	if !ok {
		return streamHead{}, false
	}
	e := t.events[len(t.events)-1]
	return streamHead{exists: true, revision: t.last(), hash: e.hash, recordedAt: e.recordedAt}, true
}

// seen records consecutive events of a stream, from revision first on.
func (c *cache) seen(stream string, first uint64, evs []tailEvent) {
	if len(evs) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	run := &tail{first: first, events: evs}
	t, ok := c.tails[stream]
	switch {
	case !ok:
		if len(c.tails) >= tailStreams {
			clear(c.tails)
		}
		t = run
	case run.first <= t.last()+1 && run.last()+1 >= t.first: // touching: merge
		lo, hi := min(t.first, run.first), max(t.last(), run.last())
		merged := make([]tailEvent, hi-lo+1)
		copy(merged[t.first-lo:], t.events)
		for i, e := range run.events { // keep known positions where the run has none
			if j := run.first - lo + uint64(i); e.pos.IsZero() && !merged[j].pos.IsZero() && merged[j].id == e.id {
				e.pos = merged[j].pos
			}
			merged[run.first-lo+uint64(i)] = e
		}
		t = &tail{first: lo, events: merged}
	case run.last() > t.last():
		t = run
	default:
		return
	}
	if n := len(t.events); n > tailLen {
		t = &tail{first: t.first + uint64(n-tailLen), events: append([]tailEvent(nil), t.events[n-tailLen:]...)}
	}
	c.tails[stream] = t
}

// localScan answers the duplicate search from the stream's tail when the tail
// reaches revision `atLeast` (the revision the append expects; beyond it the
// append fails anyway) and reaches back past the commit position `since`. It
// returns the tail's last event as the head to chain onto; ok is false when the
// tail cannot answer.
func (c *cache) localScan(stream string, atLeast uint64, lastID uuid.UUID, suspects map[uuid.UUID]bool, since uint64) (head streamHead, dup *eventstore.AppendResult, reused uuid.UUID, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, found := c.tails[stream]
	if !found || t.last() < atLeast {
		return head, nil, uuid.Nil, false
	}
	e := t.events[len(t.events)-1]
	head = streamHead{exists: true, revision: t.last(), hash: e.hash, recordedAt: e.recordedAt}
	for i := len(t.events) - 1; i >= 0; i-- {
		e := t.events[i]
		if e.id == lastID {
			if e.pos.IsZero() {
				return head, nil, uuid.Nil, false
			}
			return head, &eventstore.AppendResult{Revision: t.first + uint64(i), Position: e.pos, Duplicate: true}, uuid.Nil, true
		}
		if !e.pos.IsZero() && e.pos.Commit < since {
			return head, nil, reused, true
		}
		if suspects[e.id] && reused == uuid.Nil {
			reused = e.id
		}
	}
	return head, nil, reused, t.first == 0
}
