package eventstore

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// referenceEnvelope is the canonical envelope as first defined, encoded by
// json.Marshal: the field order and formats the hash covers. The global
// position is not part of it: a stream's chain stays valid when the log moves
// to another store (the Merkle tree covers the order). appendCanonical must
// write exactly these bytes, or every hash stored so far stops verifying.
type referenceEnvelope struct {
	ID            string          `json:"id"`
	Stream        string          `json:"stream"`
	Revision      uint64          `json:"revision"`
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schemaVersion"`
	Data          json.RawMessage `json:"data"`
	User          string          `json:"user"`
	Org           string          `json:"org"`
	CommandID     string          `json:"commandId"`
	CommandHash   string          `json:"commandHash"`
	CorrelationID string          `json:"correlationId"`
	CausationID   string          `json:"causationId"`
	OccurredAt    string          `json:"occurredAt"`
	RecordedAt    string          `json:"recordedAt"`
}

func referenceCanonical(r Record, data json.RawMessage) ([]byte, error) {
	return json.Marshal(referenceEnvelope{
		ID: r.ID, Stream: r.Stream, Revision: r.Revision, Type: r.Type, SchemaVersion: r.SchemaVersion,
		Data: data, User: r.Metadata.User, Org: r.Metadata.Org, CommandID: r.Metadata.CommandID,
		CommandHash: r.Metadata.CommandHash, CorrelationID: r.Metadata.CorrelationID, CausationID: r.Metadata.CausationID,
		OccurredAt: r.Metadata.OccurredAt.UTC().Format(time.RFC3339Nano),
		RecordedAt: r.RecordedAt.UTC().Format(time.RFC3339Nano),
	})
}

func canonicalCase(text, data string, rev uint64, version int, nanos int64) Record {
	at := time.Unix(0, nanos).In(time.FixedZone("x", 3600))
	return Record{ID: text, Stream: "procurement-" + text, Revision: rev, Type: text + "Happened", SchemaVersion: version,
		Data: json.RawMessage(data), RecordedAt: at.Add(time.Second),
		Metadata: Metadata{User: text, Org: "<&>" + text, CommandID: "\u2028" + text, CommandHash: text + "\x00\x7f",
			CorrelationID: "\"\\" + text, CausationID: "\b\f\n\r\t" + text, OccurredAt: at}}
}

func TestTheCanonicalEnvelopeIsWhatJSONMarshalWrites(t *testing.T) {
	for _, c := range []struct{ text, data string }{
		{"plain", `{"a":1}`},
		{"blåbær æøå 你好 \U0001F600", `{"title":"Skoleskyss <2027> & \u2028 blåbær"}`},
		{"bad \xff utf8 \xe2\x80", "  {\n\t\"a\" : [1, 2 , {\"b\":\"x y\"}] }  "},
		{"ctl \x01\x1f\x7f", `"just a string"`},
		{"", `null`},
		{"html <script>&amp;</script>", `["<", ">", "&", "\u2029"]`},
	} {
		r := canonicalCase(c.text, c.data, 7, 2, 1_700_000_000_123_456_789)
		want, err := referenceCanonical(r, r.Data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendCanonical(nil, r, r.Data)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s (%v)\nwant %s", c.text, got, err, want)
		}
	}
}

func FuzzCanonicalEnvelope(f *testing.F) {
	f.Add("plain", `{"a":1}`, uint64(0), 1, int64(0))
	f.Add("bad \xff <&>\u2028", " [1, \"<\"] ", uint64(1<<40), 3, int64(-62135596800_000_000_0))
	f.Fuzz(func(t *testing.T, text, data string, rev uint64, version int, nanos int64) {
		r := canonicalCase(text, data, rev, version, nanos)
		want, werr := referenceCanonical(r, r.Data)
		got, gerr := appendCanonical(nil, r, r.Data)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("json.Marshal error %v, appendCanonical error %v", werr, gerr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// BenchmarkCanonical compares the hand-written envelope with json.Marshal on
// an event of the usual size, in the same run.
func BenchmarkCanonical(b *testing.B) {
	r := canonicalCase("Skoleskyss 2027–2031", `{"caseId":"0b6c","org":"oslo","title":"Skoleskyss 2027–2031","amount":"1250000.00","members":["oslo","baerum","asker"],"note":"Behovet gjelder skoleskyss"}`, 3, 1, 1_700_000_000_000_000_000)
	b.Run("appendCanonical", func(b *testing.B) {
		buf := make([]byte, 0, 1024)
		for i := 0; i < b.N; i++ {
			buf, _ = appendCanonical(buf[:0], r, r.Data)
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			referenceCanonical(r, r.Data)
		}
	})
}
