package kurrentdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
)

var _ eventstore.Importer = (*Store)(nil)

// Import appends records moved from another store with their envelopes
// unchanged (event IDs, metadata, recorded-at, hashes): `felles migrate`. The
// records must chain onto the stream's current head; their event IDs are
// claimed like an append's, so no later append can reuse them elsewhere.
func (s *Store) Import(ctx context.Context, stream string, expected eventstore.Expected, records []eventstore.Record) (eventstore.AppendResult, error) {
	events := make([]eventstore.EventData, len(records))
	for i, r := range records {
		events[i] = eventstore.EventData{ID: r.ID, Type: r.Type, SchemaVersion: r.SchemaVersion, Data: r.Data, Metadata: r.Metadata}
	}
	ids, err := validateAppend(stream, expected, events)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if expected == eventstore.Any {
		return eventstore.AppendResult{}, fmt.Errorf("%w: an import needs an exact expected revision", eventstore.ErrInvalidAppend)
	}
	if s.isClosed() {
		return eventstore.AppendResult{}, eventstore.ErrClosed
	}
	physical := s.opts.prefix + stream
	for i, id := range ids {
		cl, err := s.claim(ctx, stream, id)
		if err != nil {
			return eventstore.AppendResult{}, err
		}
		// A claim of this stream made before is an import interrupted between
		// its claims and its append: the head check below decides.
		if cl.stream != physical {
			return eventstore.AppendResult{}, fmt.Errorf("%w: event ID %s is already used in stream %s", eventstore.ErrInvalidAppend, records[i].ID, cl.stream)
		}
	}
	head, err := s.head(ctx, stream)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	switch {
	case expected == eventstore.NoStream && head.exists,
		expected >= 0 && (!head.exists || uint64(expected) != head.revision):
		return eventstore.AppendResult{}, fmt.Errorf("%w: import into %s is at %s, expected %d", eventstore.ErrWrongRevision, stream, describe(head), expected)
	}
	if err := eventstore.CheckImport(stream, head.exists, head.revision, head.hash, records); err != nil {
		return eventstore.AppendResult{}, err
	}
	data := make([]esdb.EventData, len(records))
	for i, r := range records {
		meta, err := json.Marshal(envelopeOf(r))
		if err != nil {
			return eventstore.AppendResult{}, fmt.Errorf("kurrentdb: envelope of %s@%d: %w", stream, r.Revision, err)
		}
		data[i] = esdb.EventData{EventID: ids[i], EventType: r.Type, ContentType: esdb.ContentTypeJson, Data: r.Data, Metadata: meta}
	}
	var at esdb.ExpectedRevision = esdb.NoStream{}
	if head.exists {
		at = esdb.Revision(head.revision)
	}
	err = s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		_, err := c.AppendToStream(ctx, physical, esdb.AppendToStreamOptions{ExpectedRevision: at}, data...)
		return err
	})
	if wrongExpectedVersion(err) {
		return eventstore.AppendResult{}, fmt.Errorf("%w: import into %s: %v", eventstore.ErrWrongRevision, stream, err)
	}
	if err != nil {
		return eventstore.AppendResult{}, fmt.Errorf("kurrentdb: import into %s: %w", stream, err)
	}
	// Read the last event back for its position (a multi-event write reports
	// its transaction's) and to prove the import landed where it had to.
	last := records[len(records)-1]
	evs, err := s.readStream(ctx, stream, esdb.Forwards, esdb.Revision(last.Revision), 1)
	if err != nil {
		return eventstore.AppendResult{}, err
	}
	if len(evs) != 1 || evs[0].OriginalEvent().EventID != ids[len(ids)-1] {
		return eventstore.AppendResult{}, errors.New("kurrentdb: import acknowledged, but its last event is not at its revision")
	}
	return eventstore.AppendResult{Revision: last.Revision, Position: position(evs[0])}, nil
}
