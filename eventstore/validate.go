package eventstore

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ValidateAppend is what every adapter refuses before touching its log: a bad
// stream name, no events, an unknown expectation, an event without ID or type,
// a repeated ID, a schema version below 1 or data that is not JSON.
func ValidateAppend(stream string, expected Expected, events []EventData) error {
	switch {
	case stream == "" || strings.ContainsAny(stream, "\x00\n"):
		return fmt.Errorf("%w: stream name %q", ErrInvalidAppend, stream)
	case len(events) == 0:
		return fmt.Errorf("%w: no events", ErrInvalidAppend)
	case expected < Any:
		return fmt.Errorf("%w: expected revision %d", ErrInvalidAppend, expected)
	}
	seen := make(map[string]bool, len(events))
	for i, e := range events {
		switch {
		case e.ID == "":
			return fmt.Errorf("%w: event %d has no ID", ErrInvalidAppend, i)
		case seen[e.ID]:
			return fmt.Errorf("%w: event %d repeats the ID %s", ErrInvalidAppend, i, e.ID)
		case e.Type == "":
			return fmt.Errorf("%w: event %d has no type", ErrInvalidAppend, i)
		case e.SchemaVersion < 1:
			return fmt.Errorf("%w: event %d has schema version %d", ErrInvalidAppend, i, e.SchemaVersion)
		case !json.Valid(e.Data):
			return fmt.Errorf("%w: event %d data is not JSON", ErrInvalidAppend, i)
		case e.Metadata.OccurredAt.Year() < 0 || e.Metadata.OccurredAt.Year() > 9999:
			return fmt.Errorf("%w: event %d occurred-at %v cannot be stored (RFC 3339 years 0–9999)", ErrInvalidAppend, i, e.Metadata.OccurredAt)
		}
		seen[e.ID] = true
	}
	return nil
}
