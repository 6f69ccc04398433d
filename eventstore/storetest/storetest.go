// Package storetest is the conformance suite every eventstore adapter must pass.
// Adapters have no private tests for what this suite covers: if the embedded store
// and KurrentDB both pass it, the rest of Felles cannot tell them apart.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
)

// Options describe what an adapter promises beyond the port.
type Options struct {
	// Gapless: global positions are 1, 2, 3… with no holes (the embedded store).
	Gapless bool
	// Writers is how many concurrent writers the concurrency test runs (64 by default).
	Writers int
}

// Run runs the whole suite. open returns a fresh, empty store for each test and
// registers its own cleanup.
func Run(t *testing.T, open func(t *testing.T) eventstore.Store, opts Options) {
	if opts.Writers == 0 {
		opts.Writers = 64
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, s eventstore.Store, o Options)
	}{
		{"append_and_read_back_keeps_every_field", appendAndReadBack},
		{"a_stream_that_does_not_exist_reads_as_empty", missingStreamIsEmpty},
		{"read_stream_pages_from_a_revision", readStreamPages},
		{"expected_revision_conflicts_append_nothing", expectedRevisionConflicts},
		{"retrying_the_same_append_returns_the_first_result", idempotentRetry},
		{"an_event_id_from_another_stream_is_refused", eventIDReusedElsewhere},
		{"malformed_appends_are_refused", malformedAppends},
		{"read_all_pages_in_global_order", readAllPages},
		{"concurrent_writers_get_a_gapless_commit_ordered_log", concurrentWriters},
		{"subscribe_delivers_history_then_live_events", subscribeHistoryThenLive},
		{"subscribe_from_a_position_starts_after_it", subscribeFromPosition},
		{"hash_chain_is_intact_and_detects_tampering", hashChain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t), opts)
		})
	}
}

var ctx = context.Background()

func ev(stream string, i int, typ string) eventstore.EventData {
	return eventstore.EventData{
		ID:            newID(stream, i),
		Type:          typ,
		SchemaVersion: 1,
		Data:          json.RawMessage(fmt.Sprintf(`{"n":%d,"stream":%q}`, i, stream)),
		Metadata: eventstore.Metadata{
			User: "alice", Org: "oslo", CommandID: fmt.Sprintf("cmd-%s-%d", stream, i), CommandHash: "fingerprint",
			CorrelationID: "corr-1", CausationID: "cause-1",
			OccurredAt: time.Date(2026, 3, 1, 12, 0, i%60, 123456789, time.UTC),
		},
	}
}

// newID derives a UUID-shaped ID per (stream, i) that is unique within one run.
func newID(stream string, i int) string {
	return deterministicUUID(fmt.Sprintf("%s/%d/%p", stream, i, &runNonce))
}

var runNonce = time.Now().UnixNano()

func appendN(t *testing.T, s eventstore.Store, stream string, from, n int, expected eventstore.Expected) eventstore.AppendResult {
	t.Helper()
	evs := make([]eventstore.EventData, n)
	for i := range evs {
		evs[i] = ev(stream, from+i, "Happened")
	}
	res, err := s.Append(ctx, stream, expected, evs)
	if err != nil {
		t.Fatalf("append %d events to %s: %v", n, stream, err)
	}
	return res
}

func readStream(t *testing.T, s eventstore.Store, stream string) []eventstore.Record {
	t.Helper()
	recs, err := s.ReadStream(ctx, stream, 0, 0)
	if err != nil {
		t.Fatalf("read %s: %v", stream, err)
	}
	return recs
}

func readAll(t *testing.T, s eventstore.Store) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	after := eventstore.Position{}
	for {
		recs, err := s.ReadAll(ctx, after, 1000)
		if err != nil {
			t.Fatalf("read all: %v", err)
		}
		if len(recs) == 0 {
			return out
		}
		out = append(out, recs...)
		after = recs[len(recs)-1].Position
	}
}

func appendAndReadBack(t *testing.T, s eventstore.Store, _ Options) {
	stream := "procurement-readback"
	in := []eventstore.EventData{ev(stream, 0, "CaseCreated"), ev(stream, 1, "MunicipalityInvited")}
	in[1].SchemaVersion = 3
	res, err := s.Append(ctx, stream, eventstore.NoStream, in)
	if err != nil {
		t.Fatalf("append: %v", err)
	}
	if res.Revision != 1 || res.Duplicate {
		t.Fatalf("result: want revision 1, not duplicate; got %+v", res)
	}
	got := readStream(t, s, stream)
	if len(got) != 2 {
		t.Fatalf("want 2 events, got %d", len(got))
	}
	for i, r := range got {
		want := in[i]
		if r.ID != want.ID || r.Type != want.Type || r.SchemaVersion != want.SchemaVersion || r.Stream != stream || r.Revision != uint64(i) {
			t.Errorf("event %d: envelope differs: %+v", i, r)
		}
		if !jsonEqual(r.Data, want.Data) {
			t.Errorf("event %d: data %s, want %s", i, r.Data, want.Data)
		}
		if !r.Metadata.OccurredAt.Equal(want.Metadata.OccurredAt) {
			t.Errorf("event %d: occurredAt %v, want %v", i, r.Metadata.OccurredAt, want.Metadata.OccurredAt)
		}
		m := r.Metadata
		m.OccurredAt = want.Metadata.OccurredAt
		if m != want.Metadata {
			t.Errorf("event %d: metadata %+v, want %+v", i, r.Metadata, want.Metadata)
		}
		if r.RecordedAt.IsZero() || r.Hash == "" {
			t.Errorf("event %d: recordedAt and hash must be set: %+v", i, r)
		}
	}
	if got[1].Position != res.Position {
		t.Errorf("append result position %v, last event at %v", res.Position, got[1].Position)
	}
	if !got[0].Position.Less(got[1].Position) {
		t.Errorf("positions not increasing: %v, %v", got[0].Position, got[1].Position)
	}
	head, err := s.Head(ctx)
	if err != nil || head != res.Position {
		t.Errorf("head %v (%v), want %v", head, err, res.Position)
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

func missingStreamIsEmpty(t *testing.T, s eventstore.Store, _ Options) {
	if got := readStream(t, s, "procurement-nothing-here"); len(got) != 0 {
		t.Fatalf("want no events, got %d", len(got))
	}
}

func readStreamPages(t *testing.T, s eventstore.Store, _ Options) {
	stream := "procurement-pages"
	appendN(t, s, stream, 0, 10, eventstore.NoStream)
	page, err := s.ReadStream(ctx, stream, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 3 || page[0].Revision != 4 || page[2].Revision != 6 {
		t.Fatalf("want revisions 4..6, got %d events starting at %v", len(page), page)
	}
	tail, _ := s.ReadStream(ctx, stream, 10, 5)
	if len(tail) != 0 {
		t.Fatalf("reading past the end: want nothing, got %d", len(tail))
	}
}

func expectedRevisionConflicts(t *testing.T, s eventstore.Store, _ Options) {
	stream := "procurement-conflict"
	appendN(t, s, stream, 0, 2, eventstore.NoStream) // now at revision 1
	cases := []struct {
		name     string
		expected eventstore.Expected
		stream   string
	}{
		{"no_stream_on_an_existing_stream", eventstore.NoStream, stream},
		{"a_stale_revision", eventstore.At(0), stream},
		{"a_future_revision", eventstore.At(5), stream},
		{"a_revision_on_a_missing_stream", eventstore.At(0), "procurement-conflict-missing"},
	}
	for i, c := range cases {
		_, err := s.Append(ctx, c.stream, c.expected, []eventstore.EventData{ev(c.stream, 100+i, "Late")})
		if !errors.Is(err, eventstore.ErrWrongRevision) {
			t.Errorf("%s: want ErrWrongRevision, got %v", c.name, err)
		}
	}
	if got := readStream(t, s, stream); len(got) != 2 {
		t.Fatalf("conflicting appends must append nothing: stream has %d events", len(got))
	}
	if got := readStream(t, s, "procurement-conflict-missing"); len(got) != 0 {
		t.Fatalf("conflicting append created a stream")
	}
	res := appendN(t, s, stream, 2, 1, eventstore.At(1))
	if res.Revision != 2 {
		t.Fatalf("append at the right revision: want revision 2, got %d", res.Revision)
	}
	res = appendN(t, s, stream, 3, 1, eventstore.Any)
	if res.Revision != 3 {
		t.Fatalf("append with Any: want revision 3, got %d", res.Revision)
	}
}

func idempotentRetry(t *testing.T, s eventstore.Store, _ Options) {
	stream := "procurement-retry"
	evs := []eventstore.EventData{ev(stream, 0, "A"), ev(stream, 1, "B")}
	first, err := s.Append(ctx, stream, eventstore.NoStream, evs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Append(ctx, stream, eventstore.NoStream, evs)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if !again.Duplicate || again.Revision != first.Revision || again.Position != first.Position {
		t.Fatalf("retry: want the first result marked duplicate %+v, got %+v", first, again)
	}
	appendN(t, s, stream, 2, 1, eventstore.At(1))
	late, err := s.Append(ctx, stream, eventstore.NoStream, evs)
	if err != nil || !late.Duplicate || late.Position != first.Position {
		t.Fatalf("retry after later appends: want duplicate of %+v, got %+v, %v", first, late, err)
	}
	if got := readStream(t, s, stream); len(got) != 3 {
		t.Fatalf("retries must append nothing: stream has %d events", len(got))
	}
}

func eventIDReusedElsewhere(t *testing.T, s eventstore.Store, _ Options) {
	e := ev("procurement-owner", 0, "A")
	if _, err := s.Append(ctx, "procurement-owner", eventstore.NoStream, []eventstore.EventData{e}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Append(ctx, "procurement-thief", eventstore.NoStream, []eventstore.EventData{e})
	if err == nil {
		t.Fatal("an event ID stored in another stream must be refused")
	}
	if got := readStream(t, s, "procurement-thief"); len(got) != 0 {
		t.Fatalf("refused append wrote %d events", len(got))
	}
}

func malformedAppends(t *testing.T, s eventstore.Store, _ Options) {
	good := ev("procurement-bad", 0, "A")
	noType := good
	noType.Type = ""
	noID := good
	noID.ID = ""
	badJSON := good
	badJSON.Data = json.RawMessage(`{"unterminated"`)
	farFuture := ev("procurement-bad", 1, "A")
	farFuture.Metadata.OccurredAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string][]eventstore.EventData{
		"no_events":               nil,
		"no_type":                 {noType},
		"no_id":                   {noID},
		"bad_json":                {badJSON},
		"repeated_id":             {good, good},
		"second_event_unstorable": {good, farFuture},
	}
	for name, evs := range cases {
		if _, err := s.Append(ctx, "procurement-bad", eventstore.Any, evs); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if got := readStream(t, s, "procurement-bad"); len(got) != 0 {
		t.Fatalf("malformed appends wrote %d events", len(got))
	}
	if _, err := s.Append(ctx, "procurement-bad", eventstore.NoStream, []eventstore.EventData{good}); err != nil {
		t.Fatalf("the store must still take a good append after refusing bad ones: %v", err)
	}
}

func readAllPages(t *testing.T, s eventstore.Store, o Options) {
	for i := 0; i < 5; i++ {
		appendN(t, s, fmt.Sprintf("procurement-all-%d", i), 0, 3, eventstore.NoStream)
	}
	all := readAll(t, s)
	if len(all) != 15 {
		t.Fatalf("want 15 events, got %d", len(all))
	}
	for i := 1; i < len(all); i++ {
		if !all[i-1].Position.Less(all[i].Position) {
			t.Fatalf("global order broken at %d: %v then %v", i, all[i-1].Position, all[i].Position)
		}
	}
	if o.Gapless {
		for i, r := range all {
			if r.Position != eventstore.Seq(uint64(i+1)) {
				t.Fatalf("gapless store: event %d at %v", i, r.Position)
			}
		}
	}
	page, err := s.ReadAll(ctx, all[4].Position, 2)
	if err != nil || len(page) != 2 || page[0].ID != all[5].ID {
		t.Fatalf("ReadAll after a position must start strictly after it: %v %v", page, err)
	}
}
