package eventstore

import (
	"encoding/json"
	"time"
)

// Metadata travels with every event: who acted, for which organisation, under
// which command, and when (from the injected clock, not the store's).
type Metadata struct {
	User          string    `json:"user"`
	Org           string    `json:"org"`
	CommandID     string    `json:"commandId"`
	CommandHash   string    `json:"commandHash,omitempty"` // what the command said, to refuse a command ID reused for another command
	CorrelationID string    `json:"correlationId"`
	CausationID   string    `json:"causationId,omitempty"`
	OccurredAt    time.Time `json:"occurredAt"`
}

// EventData is an event proposed for appending.
type EventData struct {
	ID            string // UUID, deterministic from the command ID and the event's index
	Type          string // permanent event type name
	SchemaVersion int
	Data          json.RawMessage
	Metadata      Metadata
}

// Record is a stored event with its full envelope.
type Record struct {
	ID            string
	Stream        string
	Revision      uint64
	Position      Position
	Type          string
	SchemaVersion int
	Data          json.RawMessage
	Metadata      Metadata
	RecordedAt    time.Time // the store's clock at commit
	PrevHash      string    // hex SHA-256 of the previous event of the stream, "" for the first
	Hash          string    // hex SHA-256 over PrevHash and the canonical envelope
}
