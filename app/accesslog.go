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
	return &AccessLog{d: d, reg: accesslog.Events()}
}

// Record appends one read (granted or refused) by p. At is set from the
// server's clock; the caller says what, which class, why and whether it was
// granted.
func (l *AccessLog) Record(ctx context.Context, p Principal, x accesslog.Logged) error {
	if !procurement.ValidID(x.CaseID) {
		return errors.New("app: access log: a record needs the case it belongs to")
	}
	x.User, x.Org, x.At = p.User, p.Org, l.d.Now().UTC()
	name, version, data, err := l.reg.Encode(x)
	if err != nil {
		return err
	}
	id := uuid.Must(uuid.NewV7()).String()
	_, err = l.d.store.Append(ctx, accesslog.StreamID(x.CaseID), eventstore.Any, []eventstore.EventData{{
		ID: id, Type: name, SchemaVersion: version, Data: data,
		Metadata: eventstore.Metadata{User: p.User, Org: p.Org, CommandID: "read/" + id, CorrelationID: id, OccurredAt: x.At},
	}})
	if err != nil {
		return fmt.Errorf("app: record the read of %s: %w", x.Resource, err)
	}
	return nil
}

// List reads a case's access log, oldest first, from the log itself. Who may
// call it is the caller's rule (the lead's sealed readers and auditors).
func (l *AccessLog) List(ctx context.Context, caseID string) ([]accesslog.Logged, error) {
	var out []accesslog.Logged
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
			out = append(out, x)
		}
	}
	return out, nil
}
