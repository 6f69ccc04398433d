package messaging

import (
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/felles/felles/eventstore"
)

// Metadata keys of a log message; the correlation ID uses Watermill's own key so
// the CorrelationID middleware carries it on.
const (
	keyStream        = "stream"
	keyRevision      = "revision"
	keyPosition      = "position"
	keyType          = "type"
	keySchemaVersion = "schema_version"
	keyUser          = "user"
	keyOrg           = "org"
	keyCommandID     = "command_id"
	keyCommandHash   = "command_hash"
	keyCausationID   = "causation_id"
	keyOccurredAt    = "occurred_at"
	keyRecordedAt    = "recorded_at"
	keyPrevHash      = "prev_hash"
	keyHash          = "hash"
)

// ToMessage turns a stored event into a Watermill message: UUID = event ID,
// payload = event data, metadata = the rest of the envelope.
func ToMessage(r eventstore.Record) *message.Message {
	msg := message.NewMessage(r.ID, message.Payload(r.Data))
	m := msg.Metadata
	m.Set(keyStream, r.Stream)
	m.Set(keyRevision, strconv.FormatUint(r.Revision, 10))
	m.Set(keyPosition, r.Position.String())
	m.Set(keyType, r.Type)
	m.Set(keySchemaVersion, strconv.Itoa(r.SchemaVersion))
	m.Set(keyUser, r.Metadata.User)
	m.Set(keyOrg, r.Metadata.Org)
	m.Set(keyCommandID, r.Metadata.CommandID)
	m.Set(keyCommandHash, r.Metadata.CommandHash)
	m.Set(middleware.CorrelationIDMetadataKey, r.Metadata.CorrelationID)
	m.Set(keyCausationID, r.Metadata.CausationID)
	m.Set(keyOccurredAt, r.Metadata.OccurredAt.UTC().Format(time.RFC3339Nano))
	m.Set(keyRecordedAt, r.RecordedAt.UTC().Format(time.RFC3339Nano))
	m.Set(keyPrevHash, r.PrevHash)
	m.Set(keyHash, r.Hash)
	return msg
}

// FromMessage restores the stored event from a message made by ToMessage.
func FromMessage(msg *message.Message) (eventstore.Record, error) {
	m := msg.Metadata
	r := eventstore.Record{
		ID: msg.UUID, Stream: m.Get(keyStream), Type: m.Get(keyType), Data: []byte(msg.Payload),
		PrevHash: m.Get(keyPrevHash), Hash: m.Get(keyHash),
		Metadata: eventstore.Metadata{
			User: m.Get(keyUser), Org: m.Get(keyOrg), CommandID: m.Get(keyCommandID), CommandHash: m.Get(keyCommandHash),
			CorrelationID: m.Get(middleware.CorrelationIDMetadataKey), CausationID: m.Get(keyCausationID),
		},
	}
	var err error
	if r.Revision, err = strconv.ParseUint(m.Get(keyRevision), 10, 64); err != nil {
		return r, fmt.Errorf("messaging: message %s: revision: %w", msg.UUID, err)
	}
	if r.Position, err = eventstore.ParsePosition(m.Get(keyPosition)); err != nil {
		return r, fmt.Errorf("messaging: message %s: %w", msg.UUID, err)
	}
	if r.SchemaVersion, err = strconv.Atoi(m.Get(keySchemaVersion)); err != nil {
		return r, fmt.Errorf("messaging: message %s: schema version: %w", msg.UUID, err)
	}
	if r.Metadata.OccurredAt, err = time.Parse(time.RFC3339Nano, m.Get(keyOccurredAt)); err != nil {
		return r, fmt.Errorf("messaging: message %s: occurred at: %w", msg.UUID, err)
	}
	if r.RecordedAt, err = time.Parse(time.RFC3339Nano, m.Get(keyRecordedAt)); err != nil {
		return r, fmt.Errorf("messaging: message %s: recorded at: %w", msg.UUID, err)
	}
	return r, nil
}
