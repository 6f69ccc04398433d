package kurrentdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/kurrentdb"
	"github.com/felles/felles/eventstore/kurrentdb/kurrentdbtest"
)

// sealedRun builds n records of one stream as another store would have stored them.
func sealedRun(t *testing.T, stream string, n int) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	prev := ""
	for i := 0; i < n; i++ {
		r := eventstore.Record{
			ID: fmt.Sprintf("0193a5f0-7c1e-7000-8000-%012d", i+1), Stream: stream, Revision: uint64(i), Type: "Moved",
			SchemaVersion: 1, Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)),
			Metadata:   eventstore.Metadata{User: "u", Org: "o", CommandID: "c", CorrelationID: "c", OccurredAt: time.Unix(1000, 0).UTC()},
			RecordedAt: time.Unix(2000+int64(i), 0).UTC(),
		}
		if err := eventstore.Seal(&r, prev); err != nil {
			t.Fatal(err)
		}
		prev = r.Hash
		out = append(out, r)
	}
	return out
}

func TestImportKeepsTheEnvelopeAndRefusesABrokenChain(t *testing.T) {
	ctx := context.Background()
	s, err := kurrentdb.Open(ctx, kurrentdbtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	run := sealedRun(t, "procurement-moved", 4)

	tampered := append([]eventstore.Record{}, run[:2]...)
	tampered[1].Data = json.RawMessage(`{"n":99}`)
	if _, err := s.Import(ctx, "procurement-moved", eventstore.NoStream, tampered); !errors.Is(err, eventstore.ErrInvalidAppend) {
		t.Fatalf("a record whose hash does not match must be refused: %v", err)
	}
	if got, _ := s.ReadStream(ctx, "procurement-moved", 0, 0); len(got) != 0 {
		t.Fatalf("a refused import wrote %d events", len(got))
	}
	if _, err := s.Import(ctx, "procurement-moved", eventstore.NoStream, run[:2]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, "procurement-moved", eventstore.At(1), run[3:]); !errors.Is(err, eventstore.ErrInvalidAppend) {
		t.Fatalf("a gap in revisions must be refused: %v", err)
	}
	res, err := s.Import(ctx, "procurement-moved", eventstore.At(1), run[2:])
	if err != nil || res.Revision != 3 {
		t.Fatalf("import the rest: %+v %v", res, err)
	}
	got, _ := s.ReadStream(ctx, "procurement-moved", 0, 0)
	for i, r := range got {
		if r.ID != run[i].ID || r.Hash != run[i].Hash || !r.RecordedAt.Equal(run[i].RecordedAt) {
			t.Fatalf("event %d changed in the move: %+v", i, r)
		}
	}
	if err := eventstore.VerifyChain(got); err != nil {
		t.Fatal(err)
	}
	next := eventstore.EventData{ID: run[0].ID, Type: "Reuse", SchemaVersion: 1, Data: json.RawMessage(`{}`)}
	if _, err := s.Append(ctx, "procurement-other", eventstore.NoStream, []eventstore.EventData{next}); !errors.Is(err, eventstore.ErrInvalidAppend) {
		t.Fatalf("an imported event ID must be claimed for its stream: %v", err)
	}
}
