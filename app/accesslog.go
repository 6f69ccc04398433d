package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// AccessLog records reads of sealed and confidential data as AccessLogged
// events in the case's access-log stream (DOMAIN.md §3: "audit log, not domain
// stream"). A read is not a command: it is recorded every time it happens, so
// each record has an ID of its own rather than one derived from a command ID.
// The record is appended before the data is returned; when it cannot be
// stored, the read fails rather than go unrecorded.
type AccessLog struct {
	d   *Dispatcher
	reg *es.Registry[accesslog.Event]
}

// NewAccessLog records through the dispatcher's store and clock.
func NewAccessLog(d *Dispatcher) *AccessLog {
	if d == nil {
		panic("app: NewAccessLog needs a dispatcher")
	}
	return &AccessLog{d: d, reg: accesslog.Events()}
}

// AccessEntry is one record of the access log with its place in the log, so
// an auditor can check it against the hash chain and the Merkle tree.
type AccessEntry struct {
	accesslog.Logged
	EventID  string
	Revision uint64              // in the case's access-log stream
	Position eventstore.Position // in the global log
	Hash     string              // the event's chain hash (hex)
	PrevHash string              // the chain hash of the record before it in the stream
}

// Record appends one read (granted or refused) by p. At is set from the
// server's clock; the caller says what, which class, why and whether it was
// granted.
func (l *AccessLog) Record(ctx context.Context, p Principal, x accesslog.Logged) error {
	return l.RecordRequest(ctx, p, "", x)
}

// RecordRequest is Record for a read made by a request with a correlation ID
// (the API's X-Correlation-ID): the record's metadata carries it, so the
// record leads to the request in the server's logs. Without one, the record's
// own ID is used.
func (l *AccessLog) RecordRequest(ctx context.Context, p Principal, correlationID string, x accesslog.Logged) error {
	if !procurement.ValidID(x.CaseID) {
		return errors.New("app: access log: a record needs the case it belongs to")
	}
	x.User, x.Org, x.At = p.User, p.Org, l.d.Now().UTC()
	name, version, data, err := l.reg.Encode(x)
	if err != nil {
		return err
	}
	id := uuid.Must(uuid.NewV7()).String()
	if correlationID == "" {
		correlationID = id
	}
	_, err = l.d.store.Append(ctx, accesslog.StreamID(x.CaseID), eventstore.Any, []eventstore.EventData{{
		ID: id, Type: name, SchemaVersion: version, Data: data,
		Metadata: eventstore.Metadata{User: p.User, Org: p.Org, CommandID: "read/" + id, CorrelationID: correlationID, OccurredAt: x.At},
	}})
	if err != nil {
		return fmt.Errorf("app: record the read of %s: %w", x.Resource, err)
	}
	return nil
}

// List reads a case's access log, oldest first, from the log itself. Who may
// call it is the caller's rule (the lead's sealed readers and auditors).
func (l *AccessLog) List(ctx context.Context, caseID string) ([]accesslog.Logged, error) {
	entries, err := l.Entries(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]accesslog.Logged, len(entries))
	for i, e := range entries {
		out[i] = e.Logged
	}
	return out, nil
}

// Entries is List with each record's place in the log (event ID, revision,
// position, chain hashes).
func (l *AccessLog) Entries(ctx context.Context, caseID string) ([]AccessEntry, error) {
	var out []AccessEntry
	recs, err := readFrom(ctx, l.d.store, accesslog.StreamID(caseID), 0)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		ev, ok, err := l.reg.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return nil, fmt.Errorf("app: access log of %s@%d: %w", caseID, rec.Revision, err)
		}
		if x, isLogged := ev.(accesslog.Logged); ok && isLogged {
			out = append(out, AccessEntry{Logged: x, EventID: rec.ID, Revision: rec.Revision, Position: rec.Position,
				Hash: rec.Hash, PrevHash: rec.PrevHash})
		}
	}
	return out, nil
}
