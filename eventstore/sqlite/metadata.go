package sqlite

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/felles/felles/eventstore"
)

// decodeMetadata reads the metadata column. The column is always written by
// json.Marshal(eventstore.Metadata), so its keys come in one order and its
// strings rarely hold an escape; that shape is read directly, which halves
// the cost of reading an event (every load, rebuild and verification reads
// them all). Anything else (an escape, another order, an unknown key) goes
// through json.Unmarshal, so the result is always what json.Unmarshal gives.
func decodeMetadata(b []byte, m *eventstore.Metadata) error {
	if fastMetadata(b, m) {
		return nil
	}
	*m = eventstore.Metadata{}
	return json.Unmarshal(b, m)
}

func fastMetadata(b []byte, m *eventstore.Metadata) bool {
	fields := [...]struct {
		key      string
		dst      *string
		optional bool
	}{
		{`"user":`, &m.User, false}, {`"org":`, &m.Org, false}, {`"commandId":`, &m.CommandID, false},
		{`"commandHash":`, &m.CommandHash, true}, {`"correlationId":`, &m.CorrelationID, false},
		{`"causationId":`, &m.CausationID, true},
	}
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	rest := b[1:]
	for _, f := range fields {
		if !bytes.HasPrefix(rest, []byte(f.key)) {
			if f.optional {
				continue
			}
			return false
		}
		s, after, ok := plainString(rest[len(f.key):])
		if !ok || len(after) == 0 || after[0] != ',' {
			return false
		}
		*f.dst = s
		rest = after[1:]
	}
	const key = `"occurredAt":`
	if !bytes.HasPrefix(rest, []byte(key)) {
		return false
	}
	s, after, ok := plainString(rest[len(key):])
	if !ok || len(after) != 1 { // only the closing brace may follow
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Format(time.RFC3339Nano) != s {
		return false // let json.Unmarshal judge anything unusual
	}
	m.OccurredAt = t
	return true
}

// plainString reads a JSON string without escapes and returns what follows it.
func plainString(b []byte) (string, []byte, bool) {
	if len(b) == 0 || b[0] != '"' {
		return "", nil, false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return string(b[1:i]), b[i+1:], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return "", nil, false // escapes, control bytes, non-ASCII: json.Unmarshal's rules apply
		}
	}
	return "", nil, false
}
