package eventstore

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendCanonical writes the canonical envelope exactly as json.Marshal writes
// canonicalEnvelope (field order, HTML-safe escaping, compacted data), without
// reflection: the hash of every event is recomputed by every verification, and
// json.Marshal was most of its cost. canonical_test.go holds the two to the
// same bytes for arbitrary input.
func appendCanonical(b []byte, r Record, data json.RawMessage) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, r.ID)
	b = append(b, `,"stream":`...)
	b = appendJSONString(b, r.Stream)
	b = append(b, `,"revision":`...)
	b = strconv.AppendUint(b, r.Revision, 10)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, r.Type)
	b = append(b, `,"schemaVersion":`...)
	b = strconv.AppendInt(b, int64(r.SchemaVersion), 10)
	b = append(b, `,"data":`...)
	var err error
	if b, err = appendData(b, data); err != nil {
		return nil, err
	}
	m := r.Metadata
	for _, f := range [...]struct{ key, value string }{
		{`,"user":`, m.User}, {`,"org":`, m.Org}, {`,"commandId":`, m.CommandID}, {`,"commandHash":`, m.CommandHash},
		{`,"correlationId":`, m.CorrelationID}, {`,"causationId":`, m.CausationID},
	} {
		b = append(b, f.key...)
		b = appendJSONString(b, f.value)
	}
	b = append(b, `,"occurredAt":"`...)
	b = m.OccurredAt.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","recordedAt":"`...)
	b = r.RecordedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...), nil
}

// appendData writes raw JSON as json.Marshal does for a json.RawMessage:
// validated, compacted, with <, >, & and U+2028/U+2029 escaped.
func appendData(b []byte, data []byte) ([]byte, error) {
	plain := true // no whitespace to drop, nothing to escape
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n', '<', '>', '&', 0xE2: // 0xE2 starts U+2028 and U+2029
			plain = false
		}
	}
	if plain {
		if !json.Valid(data) {
			_, err := json.Marshal(json.RawMessage(data)) // refused there too; say so in its words
			return nil, err
		}
		return append(b, data...), nil
	}
	var compact bytes.Buffer
	compact.Grow(len(data))
	if err := json.Compact(&compact, data); err != nil { // validates as it goes
		_, err = json.Marshal(json.RawMessage(data))
		return nil, err
	}
	if !needsHTMLEscape(compact.Bytes()) {
		return append(b, compact.Bytes()...), nil
	}
	var esc bytes.Buffer
	json.HTMLEscape(&esc, compact.Bytes())
	return append(b, esc.Bytes()...), nil
}

// needsHTMLEscape says whether b holds <, >, & or U+2028/U+2029 (E2 80 A8/A9).
func needsHTMLEscape(b []byte) bool {
	for i, c := range b {
		switch {
		case c == '<' || c == '>' || c == '&':
			return true
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9):
			return true
		}
	}
	return false
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as encoding/json writes a string with HTML
// escaping on: invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
