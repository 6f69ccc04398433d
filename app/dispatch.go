package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/eventstore"
)

// Principal is the authenticated person and the organisation they act for.
type Principal = actor.Actor

// System is the built-in principal of the server itself (demo data, CLI tools).
var System = Principal{User: "system", Org: actor.Platform}

// Authorizer answers role checks that do not depend on the case; it must fail
// closed.
type Authorizer interface {
	Allowed(user, org, object, action string) bool
}

// CommandMeta is what the caller says about a command besides its content.
type CommandMeta struct {
	CommandID     string // client-chosen for safe retries; generated when empty
	CorrelationID string
	CausationID   string
}

// Result says where a command's events landed. For a no-op or a repeated
// command it points at what is already stored, so a client can still wait for it.
type Result struct {
	Stream    string
	Revision  uint64
	Position  eventstore.Position
	Events    int
	Duplicate bool // the command ID was already applied: nothing new was appended
}

// Aggregate ties a decider to its event registry and its authorization object.
type Aggregate[S, C any, E es.Event] struct {
	Object  string
	Decider es.Decider[S, C, E]
	Events  *es.Registry[E]
}

// Dispatcher holds what every command needs.
type Dispatcher struct {
	store       eventstore.Store
	authz       Authorizer
	now         func() time.Time
	log         *slog.Logger
	maxAttempts int
	kinds       sync.Map // organisation ID → organisation.Kind, once registered (a kind never changes)
	streams     *streamCache
}

// NewDispatcher refuses nil dependencies.
func NewDispatcher(store eventstore.Store, authz Authorizer, now func() time.Time, log *slog.Logger) (*Dispatcher, error) {
	if store == nil || authz == nil || now == nil || log == nil {
		return nil, errors.New("app: NewDispatcher needs a store, an authorizer, a clock and a logger")
	}
	return &Dispatcher{store: store, authz: authz, now: now, log: log, maxAttempts: 25, streams: newStreamCache(10_000)}, nil
}

// Store is the event store commands are appended to.
func (d *Dispatcher) Store() eventstore.Store { return d.store }

// Now is the injected clock.
func (d *Dispatcher) Now() time.Time { return d.now() }

// ErrForbidden is a role that does not allow the action in the acting organisation.
var ErrForbidden = es.Forbidden("authorization.forbidden", "your roles in the organisation you act for do not allow this")

// ErrUnauthenticated is a missing principal.
var ErrUnauthenticated = es.Unauthenticated("authorization.unauthenticated", "sign in: this needs a valid bearer token")

// ErrInvalidCommandID is a command ID that cannot be stored.
var ErrInvalidCommandID = es.Invalid("command.invalid_id", "a command ID is 1–128 printable characters")

// ErrCommandIDReused is a command ID sent again with another command.
var ErrCommandIDReused = es.Conflict("command.id_reused", "this command ID was already used for a different command; use a new command ID")

// commandFingerprint is a hash of what the command says, without its time: a
// retry has the same fingerprint, another command under the same ID does not.
func commandFingerprint[C any](action string, build func(at time.Time) (C, error)) (string, error) {
	timeless, err := build(time.Time{})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(timeless)
	if err != nil {
		return "", fmt.Errorf("%s: fingerprint: %w", action, err)
	}
	h := sha256.Sum256(append([]byte(action+"\x00"), body...))
	return hex.EncodeToString(h[:16]), nil
}

// ErrContention is a stream that kept changing under the command.
var ErrContention = es.Conflict("command.contention", "the case changed too often while your command ran; try again")

// Authorize checks the principal's roles in the organisation they act for.
func (d *Dispatcher) Authorize(p Principal, object, action string) error {
	if p.User == "" || p.Org == "" {
		return ErrUnauthenticated
	}
	if !d.authz.Allowed(p.User, p.Org, object, action) {
		return ErrForbidden.With("%s acting for %s may not %s", p.User, p.Org, action)
	}
	return nil
}

// Dispatch runs one command against one stream. build receives the command's
// time from the injected clock and returns the domain command; it runs once.
// Nothing is appended unless the decider accepts the command.
func Dispatch[S, C any, E es.Event](ctx context.Context, d *Dispatcher, agg Aggregate[S, C, E], p Principal,
	meta CommandMeta, action, stream string, build func(at time.Time) (C, error)) (Result, error) {
	if err := d.Authorize(p, agg.Object, action); err != nil {
		return Result{}, err
	}
	if meta.CommandID == "" {
		meta.CommandID = newCommandID()
	} else if !validCommandID(meta.CommandID) {
		return Result{}, ErrInvalidCommandID
	}
	if meta.CorrelationID == "" {
		meta.CorrelationID = meta.CommandID
	}
	at := d.now().UTC()
	cmd, err := build(at)
	if err != nil {
		return Result{}, err
	}
	fingerprint, err := commandFingerprint(action, build)
	if err != nil {
		return Result{}, err
	}
	key := commandKey(p, meta.CommandID)
	for attempt := 0; attempt < d.maxAttempts; attempt++ {
		f, err := d.load(ctx, agg, stream)
		if err != nil {
			return Result{}, err
		}
		if prior, ok := f.applied[appliedKey(eventstore.Metadata{Org: p.Org, User: p.User, CommandID: meta.CommandID})]; ok {
			if prior.hash != "" && prior.hash != fingerprint {
				return Result{}, ErrCommandIDReused.With("%q", meta.CommandID)
			}
			res := prior.result
			res.Duplicate, res.Events = true, 0
			return res, nil
		}
		events, err := agg.Decider.Decide(f.state.(S), cmd)
		if err != nil {
			return Result{}, fmt.Errorf("%s: %w", action, err)
		}
		if len(events) == 0 {
			return f.last, nil
		}
		data, err := envelopes(agg.Events, events, p, meta, key, fingerprint, stream, at)
		if err != nil {
			return Result{}, err
		}
		expected := eventstore.NoStream
		if f.next > 0 {
			expected = eventstore.At(f.next - 1)
		}
		res, err := d.store.Append(ctx, stream, expected, data)
		if errors.Is(err, eventstore.ErrWrongRevision) {
			d.log.DebugContext(ctx, "append conflict, retrying", "stream", stream, "attempt", attempt+1, "correlation_id", meta.CorrelationID)
			if err := backoff(ctx, attempt); err != nil {
				return Result{}, err
			}
			continue
		}
		if err != nil {
			return Result{}, fmt.Errorf("%s: append to %s: %w", action, stream, err)
		}
		return Result{Stream: stream, Revision: res.Revision, Position: res.Position, Events: len(data), Duplicate: res.Duplicate}, nil
	}
	return Result{}, ErrContention
}

// backoff waits a random time that grows with the attempt (full jitter, capped
// at 64 ms). Without it, writers that lost a race for the same case all retry
// into the same group commit and all but one lose again.
func backoff(ctx context.Context, attempt int) error {
	ceiling := time.Millisecond << min(attempt, 6)
	t := time.NewTimer(time.Duration(rand.Int64N(int64(ceiling))))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func newCommandID() string { return uuid.Must(uuid.NewV7()).String() }

func validCommandID(id string) bool {
	if len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// commandKey scopes a client's command ID to the person and organisation, so two
// clients choosing the same ID never collide.
func commandKey(p Principal, commandID string) string {
	h := sha256.Sum256([]byte(p.Org + "\x00" + p.User + "\x00" + commandID))
	return hex.EncodeToString(h[:])
}

// eventNamespace roots the deterministic event IDs.
var eventNamespace = uuid.MustParse("6f1c2a3e-5b8d-4e0f-9a7c-2d4b6e8f0a1c")

// EventID is the deterministic ID of the i-th event a command appends to a
// stream: a retry produces the same IDs, which the store de-duplicates.
func EventID(key, stream string, i int) string {
	return uuid.NewSHA1(eventNamespace, []byte(key+"/"+stream+"/"+strconv.Itoa(i))).String()
}

// DeriveID derives a new aggregate ID (a case ID) from the command, so retrying
// a CreateCase with the same command ID targets the same case.
func DeriveID(p Principal, meta CommandMeta, purpose string) string {
	return uuid.NewSHA1(eventNamespace, []byte(commandKey(p, meta.CommandID)+"/"+purpose)).String()
}

func envelopes[E es.Event](reg *es.Registry[E], events []E, p Principal, meta CommandMeta, key, fingerprint, stream string, at time.Time) ([]eventstore.EventData, error) {
	out := make([]eventstore.EventData, len(events))
	for i, ev := range events {
		name, version, data, err := reg.Encode(ev)
		if err != nil {
			return nil, err
		}
		out[i] = eventstore.EventData{
			ID: EventID(key, stream, i), Type: name, SchemaVersion: version, Data: data,
			Metadata: eventstore.Metadata{
				User: p.User, Org: p.Org, CommandID: meta.CommandID, CommandHash: fingerprint,
				CorrelationID: meta.CorrelationID, CausationID: meta.CausationID, OccurredAt: at,
			},
		}
	}
	return out, nil
}

const readPage = 1000

// load brings a stream's fold up to date: from the cached fold (or from the
// start) it reads and folds the events appended since.
func (d *Dispatcher) load(ctx context.Context, agg aggregateFolder, stream string) (folded, error) {
	f, ok := d.streams.get(stream)
	if !ok {
		f = folded{state: agg.initial(), last: Result{Stream: stream}, applied: map[string]appliedCommand{}}
	}
	records, err := readFrom(ctx, d.store, stream, f.next)
	if err != nil || len(records) == 0 {
		return f, err
	}
	state, err := agg.fold(f.state, records)
	if err != nil {
		return f, err
	}
	applied := make(map[string]appliedCommand, len(f.applied)+len(records))
	for k, v := range f.applied {
		applied[k] = v
	}
	for _, r := range records {
		applied[appliedKey(r.Metadata)] = appliedCommand{
			result: Result{Stream: r.Stream, Revision: r.Revision, Position: r.Position}, hash: r.Metadata.CommandHash}
	}
	lastRec := records[len(records)-1]
	f = folded{state: state, next: lastRec.Revision + 1, applied: applied,
		last: Result{Stream: stream, Revision: lastRec.Revision, Position: lastRec.Position}}
	d.streams.put(stream, f)
	return f, nil
}

// aggregateFolder is the untyped face of an Aggregate the stream cache needs.
type aggregateFolder interface {
	initial() any
	fold(state any, records []eventstore.Record) (any, error)
}

func (a Aggregate[S, C, E]) initial() any { return a.Decider.Initial() }

func (a Aggregate[S, C, E]) fold(state any, records []eventstore.Record) (any, error) {
	s := state.(S)
	for _, r := range records {
		ev, ok, err := a.Events.Decode(r.Type, r.SchemaVersion, r.Data)
		if err != nil {
			return nil, fmt.Errorf("load %s@%d: %w", r.Stream, r.Revision, err)
		}
		if ok {
			s = a.Decider.Evolve(s, ev)
		}
	}
	return s, nil
}

func readFrom(ctx context.Context, store eventstore.Store, stream string, from uint64) ([]eventstore.Record, error) {
	var records []eventstore.Record
	for {
		page, err := store.ReadStream(ctx, stream, from, readPage)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", stream, err)
		}
		records = append(records, page...)
		if len(page) < readPage {
			return records, nil
		}
		from = page[len(page)-1].Revision + 1
	}
}

// Load reads a whole stream and folds it, without the cache (for time travel
// and tools). Events of types this build does not know are skipped (Evolve is
// total); an event that cannot be decoded is an error.
func Load[S, C any, E es.Event](ctx context.Context, store eventstore.Store, agg Aggregate[S, C, E], stream string) (S, []eventstore.Record, error) {
	records, err := readFrom(ctx, store, stream, 0)
	if err != nil {
		var zero S
		return zero, nil, err
	}
	state, err := agg.fold(agg.Decider.Initial(), records)
	if err != nil {
		var zero S
		return zero, nil, err
	}
	return state.(S), records, nil
}
