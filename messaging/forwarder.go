package messaging

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// ForwarderConsumer is the forwarder's consumer name (its checkpoint).
const ForwarderConsumer = "forwarder"

// DefaultSubjectPrefix starts every subject the forwarder publishes to.
const DefaultSubjectPrefix = "felles"

// Subject is where an organisation's integration events go:
// <prefix>.v1.<org>.case.<case>.<type> for a case's events,
// <prefix>.v1.<org>.organisation.<type> for the organisation's own.
func Subject(prefix, org, caseID, typ string) string {
	if caseID == "" {
		return prefix + ".v1." + org + ".organisation." + typ
	}
	return prefix + ".v1." + org + ".case." + caseID + "." + typ
}

var subjectToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// CaseStates gives a case as it was after one of its revisions (app.Procurements).
type CaseStates interface {
	StateAt(ctx context.Context, caseID string, revision uint64) (procurement.State, error)
}

// Streams makes sure an organisation's broker stream exists before its first
// message (JetStream); nil for brokers that need none.
type Streams interface {
	EnsureOrg(org string) error
}

// Forwarder publishes the log's events to the organisations that may see
// them, as integration events (contract.go), at least once: it is a handler of
// the store-backed Subscriber, so a failed publish nacks and the same event
// comes again, and its checkpoint advances only after every recipient's
// publish was acknowledged. The message UUID is the event ID.
type Forwarder struct {
	prefix  string
	pub     message.Publisher
	streams Streams
	states  CaseStates
	cp      *FileCheckpoint
	log     watermill.LoggerAdapter
	reg     *es.Registry[procurement.Event]

	mu    sync.Mutex
	cache map[string]cachedCase
}

type cachedCase struct {
	revision uint64
	state    procurement.State
}

// NewForwarder refuses nil dependencies (streams may be nil).
func NewForwarder(prefix string, pub message.Publisher, streams Streams, states CaseStates, cp *FileCheckpoint, log watermill.LoggerAdapter) (*Forwarder, error) {
	if pub == nil || states == nil || cp == nil || log == nil {
		return nil, errors.New("messaging: NewForwarder needs a publisher, the case states, a checkpoint and a logger")
	}
	if !subjectToken.MatchString(prefix) {
		return nil, fmt.Errorf("messaging: subject prefix %q is not one token of letters, digits, - and _", prefix)
	}
	return &Forwarder{prefix: prefix, pub: pub, streams: streams, states: states, cp: cp, log: log, reg: procurement.Events(),
		cache: map[string]cachedCase{}}, nil
}

// Handle forwards one event of the log.
func (f *Forwarder) Handle(msg *message.Message) error {
	rec, err := FromMessage(msg)
	if err != nil {
		return err
	}
	ev, recipients, caseID, err := f.recipients(msg.Context(), rec)
	if err != nil {
		return err
	}
	for _, org := range recipients {
		if f.streams != nil {
			if err := f.streams.EnsureOrg(org); err != nil {
				return fmt.Errorf("messaging: stream of %s: %w", org, err)
			}
		}
		payload, err := integrationEvent(rec, ev, org).marshal()
		if err != nil {
			return err
		}
		out := message.NewMessage(rec.ID, payload)
		out.Metadata.Set("felles_contract", ContractV1)
		out.Metadata.Set("felles_type", rec.Type)
		out.Metadata.Set("felles_position", rec.Position.String())
		if err := f.pub.Publish(Subject(f.prefix, org, caseID, rec.Type), out); err != nil {
			return fmt.Errorf("messaging: publish %s to %s: %w", rec.ID, org, err)
		}
	}
	return f.cp.Advance(rec.Position)
}

// recipients are the organisations that may see rec, with the decoded event
// (nil outside a case) and the case ID.
func (f *Forwarder) recipients(ctx context.Context, rec eventstore.Record) (procurement.Event, []string, string, error) {
	if org, ok := strings.CutPrefix(rec.Stream, "organisation-"); ok {
		return nil, []string{org}, "", nil
	}
	caseID, ok := strings.CutPrefix(rec.Stream, "procurement-")
	if !ok {
		return nil, nil, "", nil // the access log and the audit tree stay inside
	}
	ev, known, err := f.reg.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil {
		return nil, nil, "", fmt.Errorf("messaging: decode %s: %w", rec.ID, err)
	}
	if !known {
		f.log.Info("an event of a type this build does not know is not forwarded", watermill.LogFields{"event_id": rec.ID, "type": rec.Type})
		return nil, nil, caseID, nil
	}
	state, err := f.stateAfter(ctx, caseID, rec.Revision, ev)
	if err != nil {
		return nil, nil, "", err
	}
	return ev, state.Recipients(ev), caseID, nil
}

// stateAfter is the case after rec: evolved from the cached state when it is
// the next revision, folded from the stream otherwise (a restart, a gap).
func (f *Forwarder) stateAfter(ctx context.Context, caseID string, revision uint64, ev procurement.Event) (procurement.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cache[caseID]
	var s procurement.State
	switch {
	case ok && c.revision+1 == revision:
		s = procurement.Decider.Evolve(c.state, ev)
	case revision == 0:
		s = procurement.Decider.Evolve(procurement.Decider.Initial(), ev)
	default:
		var err error
		if s, err = f.states.StateAt(ctx, caseID, revision); err != nil {
			return s, fmt.Errorf("messaging: case %s at %d: %w", caseID, revision, err)
		}
	}
	f.cache[caseID] = cachedCase{revision: revision, state: s}
	return s, nil
}
