package sqlite

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
)

func FuzzMetadataDecodesAsJSONUnmarshalDoes(f *testing.F) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 123456789, time.UTC)
	for _, m := range []eventstore.Metadata{
		{User: "kari", Org: "oslo", CommandID: "c1", CorrelationID: "c1", OccurredAt: at},
		{User: "kari", Org: "oslo", CommandID: "c1", CommandHash: "ab", CorrelationID: "c1", CausationID: "x", OccurredAt: at.In(time.FixedZone("", 3600))},
		{User: "blåbær \"q\"", Org: "<&>", CommandID: "\u2028", OccurredAt: at.Truncate(time.Second)},
	} {
		b, _ := json.Marshal(m)
		f.Add(b)
	}
	f.Add([]byte(`{"org":"oslo","user":"kari","commandId":"","correlationId":"","occurredAt":"2026-11-02T09:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var want eventstore.Metadata
		werr := json.Unmarshal(b, &want)
		var got eventstore.Metadata
		gerr := decodeMetadata(b, &got)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("json.Unmarshal: %v, decodeMetadata: %v", werr, gerr)
		}
		if werr == nil && (!reflect.DeepEqual(want.OccurredAt.UTC(), got.OccurredAt.UTC()) || want.OccurredAt.Format(time.RFC3339Nano) != got.OccurredAt.Format(time.RFC3339Nano)) {
			t.Fatalf("occurredAt %v, want %v", got.OccurredAt, want.OccurredAt)
		}
		want.OccurredAt, got.OccurredAt = time.Time{}, time.Time{}
		if werr == nil && want != got {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	})
}
