package kurrentdb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
)

// envelopeVersion marks user metadata written by this adapter; events without
// it are not Felles events.
const envelopeVersion = 1

// envelope is the event's user metadata: the part of a Felles record that
// KurrentDB has no field for.
type envelope struct {
	Felles        int       `json:"felles"`
	ID            string    `json:"id"`
	SchemaVersion int       `json:"schemaVersion"`
	User          string    `json:"user"`
	Org           string    `json:"org"`
	CommandID     string    `json:"commandId"`
	CommandHash   string    `json:"commandHash,omitempty"`
	CorrelationID string    `json:"correlationId"`
	CausationID   string    `json:"causationId,omitempty"`
	OccurredAt    time.Time `json:"occurredAt"`
	RecordedAt    time.Time `json:"recordedAt"`
	PrevHash      string    `json:"prevHash"`
	Hash          string    `json:"hash"`
	// Read by the server's $by_correlation_id projection.
	ServerCorrelationID string `json:"$correlationId,omitempty"`
	ServerCausationID   string `json:"$causationId,omitempty"`
}

func envelopeOf(r eventstore.Record) envelope {
	m := r.Metadata
	return envelope{
		Felles: envelopeVersion, ID: r.ID, SchemaVersion: r.SchemaVersion,
		User: m.User, Org: m.Org, CommandID: m.CommandID, CommandHash: m.CommandHash, CorrelationID: m.CorrelationID, CausationID: m.CausationID,
		OccurredAt: m.OccurredAt, RecordedAt: r.RecordedAt, PrevHash: r.PrevHash, Hash: r.Hash,
		ServerCorrelationID: m.CorrelationID, ServerCausationID: m.CausationID,
	}
}

var marker = []byte(`"felles"`)

// system events ($-prefixed stream or type) are never Felles events.
func system(stream, eventType string) bool {
	return strings.HasPrefix(stream, "$") || strings.HasPrefix(eventType, "$")
}

// toRecord turns a stored event into a Felles record. ok is false for events
// that are not Felles events (system events, other applications' events, and
// streams outside this Store's prefix); an event that claims to be a Felles
// event but does not decode is an error.
func (s *Store) toRecord(ev *esdb.ResolvedEvent) (rec eventstore.Record, ok bool, err error) {
	re := ev.OriginalEvent()
	if re == nil || system(re.StreamID, re.EventType) || !strings.HasPrefix(re.StreamID, s.opts.prefix) {
		return rec, false, nil
	}
	if !bytes.Contains(re.UserMetadata, marker) {
		return rec, false, nil
	}
	env, cached := s.cache.envelope(re.EventID, re.UserMetadata)
	if !cached {
		if err := json.Unmarshal(re.UserMetadata, &env); err != nil {
			return rec, false, fmt.Errorf("kurrentdb: envelope of %s@%d: %w", re.StreamID, re.EventNumber, err)
		}
		s.cache.putEnvelope(re.EventID, re.UserMetadata, env)
	}
	if env.Felles != envelopeVersion {
		return rec, false, nil
	}
	return eventstore.Record{
		ID:            env.ID,
		Stream:        strings.TrimPrefix(re.StreamID, s.opts.prefix),
		Revision:      re.EventNumber,
		Position:      eventstore.Position{Commit: re.Position.Commit, Prepare: re.Position.Prepare},
		Type:          re.EventType,
		SchemaVersion: env.SchemaVersion,
		Data:          json.RawMessage(re.Data),
		Metadata: eventstore.Metadata{
			User: env.User, Org: env.Org, CommandID: env.CommandID, CommandHash: env.CommandHash, CorrelationID: env.CorrelationID,
			CausationID: env.CausationID, OccurredAt: env.OccurredAt,
		},
		RecordedAt: env.RecordedAt,
		PrevHash:   env.PrevHash,
		Hash:       env.Hash,
	}, true, nil
}

func position(ev *esdb.ResolvedEvent) eventstore.Position {
	p := ev.OriginalEvent().Position
	return eventstore.Position{Commit: p.Commit, Prepare: p.Prepare}
}
