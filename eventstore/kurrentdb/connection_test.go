package kurrentdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/kurrentdb"
	"github.com/felles/felles/eventstore/kurrentdb/kurrentdbtest"
	"github.com/google/uuid"
)

// What the conformance suite cannot see: how the adapter lives through a node
// that is not there yet, or goes away and comes back.

func TestOpen(t *testing.T) {
	t.Run("accepts_the_esdb_and_kurrentdb_schemes_with_and_without_discovery", func(t *testing.T) {
		srv := startServer(t)
		for _, scheme := range []string{"esdb", "kurrentdb", "esdb+discover", "kurrentdb+discover", "KurrentDB"} {
			conn := scheme + "://" + srv.Addr() + "?tls=false"
			s := open(t, conn)
			if err := s.Ping(context.Background()); err != nil {
				t.Errorf("%s: ping: %v", conn, err)
			}
			s.Close()
		}
	})

	t.Run("refuses_other_schemes", func(t *testing.T) {
		_, err := kurrentdb.Open(context.Background(), "postgres://127.0.0.1:5432")
		if err == nil || !strings.Contains(err.Error(), "unsupported scheme") {
			t.Fatalf("want an unsupported-scheme error, got %v", err)
		}
	})

	t.Run("succeeds_when_the_node_comes_up_after_the_first_attempt_failed", func(t *testing.T) {
		addr := freeAddr(t)
		failures := &recorder{match: "kurrentdb: connect attempt failed", hit: make(chan struct{}, 1)}
		started := make(chan *kurrentdbtest.Server, 1)
		go func() {
			<-failures.hit // only once Open has seen the node missing
			srv, err := kurrentdbtest.NewServer(kurrentdbtest.WithAddr(addr))
			if err != nil {
				t.Errorf("start the node: %v", err)
				close(started)
				return
			}
			started <- srv
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// One discovery attempt per client: the client closes for good when it fails.
		s, err := kurrentdb.Open(ctx, "kurrentdb://"+addr+"?tls=false&maxDiscoverAttempts=1",
			kurrentdb.WithLogger(slog.New(failures)), kurrentdb.WithBackoff(10*time.Millisecond, 100*time.Millisecond),
			kurrentdb.WithConnectAttempts(1000))
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		defer s.Close()
		srv := <-started // Open succeeded, so the node came up
		if srv == nil {
			t.Fatal("the node did not start")
		}
		t.Cleanup(srv.Stop)
		res := appendOne(t, s, "procurement-late-node", eventstore.NoStream, 0)
		recs, err := s.ReadStream(ctx, "procurement-late-node", 0, 0)
		if err != nil || len(recs) != 1 || recs[0].Position != res.Position {
			t.Fatalf("read back after a late start: %v %v", recs, err)
		}
	})

	t.Run("gives_up_after_its_attempts", func(t *testing.T) {
		_, err := kurrentdb.Open(context.Background(), "esdb://"+freeAddr(t)+"?tls=false&maxDiscoverAttempts=1",
			kurrentdb.WithConnectAttempts(2), kurrentdb.WithBackoff(time.Millisecond, time.Millisecond))
		if err == nil {
			t.Fatal("want an error: nothing listens there")
		}
	})
}

func TestSubscription(t *testing.T) {
	t.Run("survives_the_node_restarting_on_the_same_port_without_losing_or_repeating_events", func(t *testing.T) {
		srv := startServer(t)
		s := open(t, srv.ConnString()+"&maxDiscoverAttempts=2&discoveryInterval=20",
			kurrentdb.WithBackoff(20*time.Millisecond, 200*time.Millisecond))
		const stream = "procurement-restart"
		for i := 0; i < 5; i++ {
			appendOne(t, s, stream, expectedAfter(i), i)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		sub, err := s.Subscribe(ctx, eventstore.Position{})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		got := next(t, ctx, sub, 5)
		const read = "/event_store.client.streams.Streams/Read"
		reads := srv.Calls()[read]

		srv.Stop()
		if _, err := s.Append(ctx, stream, eventstore.At(4), []eventstore.EventData{event(stream, 5)}); err == nil {
			t.Fatal("an append to a stopped node must fail")
		}
		if err := srv.Restart(); err != nil {
			t.Fatal(err)
		}
		// The first append after the restart may meet the old connection; a
		// retry with the same event IDs is safe.
		for i := 5; i < 10; i++ {
			appendRetrying(t, ctx, s, stream, expectedAfter(i), i)
		}
		got = append(got, next(t, ctx, sub, 5)...)
		for i, r := range got {
			if r.Revision != uint64(i) || r.ID != event(stream, i).ID {
				t.Fatalf("event %d: got revision %d (%s): events lost, repeated or out of order", i, r.Revision, r.ID)
			}
		}
		quiet, stop := context.WithTimeout(ctx, 300*time.Millisecond)
		defer stop()
		if r, err := sub.Next(quiet); err == nil {
			t.Fatalf("nothing more was appended, got %s@%d", r.Stream, r.Revision)
		}
		if srv.Calls()[read] == reads {
			t.Fatal("the subscription was not renewed after the restart")
		}
	})

	t.Run("ends_with_ErrClosed_when_the_store_closes", func(t *testing.T) {
		s := open(t, kurrentdbtest.Start(t))
		sub, err := s.Subscribe(context.Background(), eventstore.Position{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := sub.Next(ctx); !errors.Is(err, eventstore.ErrClosed) {
			t.Fatalf("want ErrClosed, got %v", err)
		}
		if _, err := s.Append(ctx, "procurement-closed", eventstore.NoStream, []eventstore.EventData{event("procurement-closed", 0)}); !errors.Is(err, eventstore.ErrClosed) {
			t.Fatalf("append after close: want ErrClosed, got %v", err)
		}
	})
}

func startServer(t testing.TB) *kurrentdbtest.Server {
	t.Helper()
	srv, err := kurrentdbtest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func expectedAfter(i int) eventstore.Expected {
	if i == 0 {
		return eventstore.NoStream
	}
	return eventstore.At(uint64(i - 1))
}

func event(stream string, i int) eventstore.EventData {
	return eventstore.EventData{
		ID:            uuid.NewSHA1(uuid.NameSpaceURL, []byte(fmt.Sprintf("felles-test/%s/%d", stream, i))).String(),
		Type:          "Happened",
		SchemaVersion: 1,
		Data:          json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)),
		Metadata: eventstore.Metadata{User: "alice", Org: "oslo", CommandID: fmt.Sprintf("cmd-%d", i), CorrelationID: "corr",
			OccurredAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
	}
}

func appendOne(t testing.TB, s *kurrentdb.Store, stream string, expected eventstore.Expected, i int) eventstore.AppendResult {
	t.Helper()
	res, err := s.Append(context.Background(), stream, expected, []eventstore.EventData{event(stream, i)})
	if err != nil {
		t.Fatalf("append %s/%d: %v", stream, i, err)
	}
	return res
}

func appendRetrying(t testing.TB, ctx context.Context, s *kurrentdb.Store, stream string, expected eventstore.Expected, i int) {
	t.Helper()
	for {
		_, err := s.Append(ctx, stream, expected, []eventstore.EventData{event(stream, i)})
		if err == nil {
			return
		}
		if ctx.Err() != nil || errors.Is(err, eventstore.ErrWrongRevision) || errors.Is(err, eventstore.ErrInvalidAppend) {
			t.Fatalf("append %s/%d after the restart: %v", stream, i, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func next(t testing.TB, ctx context.Context, sub eventstore.Subscription, n int) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	for len(out) < n {
		r, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("subscription after %d of %d events: %v", len(out), n, err)
		}
		out = append(out, r)
	}
	return out
}

// recorder is a slog handler that signals the first record whose message
// starts with match.
type recorder struct {
	match string
	hit   chan struct{}
	once  sync.Once
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	if strings.HasPrefix(rec.Message, r.match) {
		r.once.Do(func() { r.hit <- struct{}{} })
	}
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func TestStreamPrefix(t *testing.T) {
	t.Run("keeps_two_stores_on_one_node_apart", func(t *testing.T) {
		conn := kurrentdbtest.Start(t)
		a := open(t, conn, kurrentdb.WithStreamPrefix("tenant-a-"))
		b := open(t, conn, kurrentdb.WithStreamPrefix("tenant-b-"))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		const stream = "procurement-shared-name"
		for i := 0; i < 3; i++ {
			appendOne(t, a, stream, expectedAfter(i), i) // the same IDs in both: each store claims its own
		}
		appendOne(t, b, stream, eventstore.NoStream, 0)

		all, err := a.ReadAll(ctx, eventstore.Position{}, 0)
		if err != nil || len(all) != 3 {
			t.Fatalf("store a: want its 3 events, got %d (%v)", len(all), err)
		}
		for _, r := range all {
			if r.Stream != stream {
				t.Fatalf("records carry the stream name without the prefix, got %q", r.Stream)
			}
		}
		if err := eventstore.VerifyChain(all); err != nil {
			t.Fatalf("chain over the unprefixed name: %v", err)
		}
		head, err := a.Head(ctx)
		if err != nil || head != all[2].Position {
			t.Fatalf("head of a: %v (%v), want %v", head, err, all[2].Position)
		}
		sub, err := b.Subscribe(ctx, eventstore.Position{})
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if got := next(t, ctx, sub, 1); got[0].Stream != stream || got[0].Revision != 0 {
			t.Fatalf("store b's subscription: got %+v", got[0])
		}
		quiet, stop := context.WithTimeout(ctx, 200*time.Millisecond)
		defer stop()
		if r, err := sub.Next(quiet); err == nil {
			t.Fatalf("store b saw another store's event: %s@%d", r.Stream, r.Revision)
		}
	})
}

// Two Stores on one node act as two Felles replicas: neither knows what the
// other wrote, so retries are recognised through the node alone.
func TestReplicas(t *testing.T) {
	ctx := context.Background()

	t.Run("a_retry_of_an_append_another_replica_wrote_is_a_duplicate", func(t *testing.T) {
		conn := kurrentdbtest.Start(t)
		a, b := open(t, conn), open(t, conn)
		const stream = "procurement-replicated"
		evs := []eventstore.EventData{event(stream, 0), event(stream, 1)}
		first, err := a.Append(ctx, stream, eventstore.NoStream, evs)
		if err != nil {
			t.Fatal(err)
		}
		appendOne(t, a, stream, eventstore.At(1), 2)
		again, err := b.Append(ctx, stream, eventstore.NoStream, evs)
		if err != nil || !again.Duplicate || again.Position != first.Position || again.Revision != first.Revision {
			t.Fatalf("want the first result %+v marked duplicate, got %+v, %v", first, again, err)
		}
	})

	t.Run("an_id_claimed_by_a_refused_append_does_not_open_an_existing_stream_to_no_stream", func(t *testing.T) {
		conn := kurrentdbtest.Start(t)
		a, b, c := open(t, conn), open(t, conn), open(t, conn)
		const stream = "procurement-taken"
		appendOne(t, a, stream, eventstore.NoStream, 0)
		late := []eventstore.EventData{event(stream, 1)}
		for _, s := range []*kurrentdb.Store{b, c} { // c finds the ID claimed by b's refused attempt
			if _, err := s.Append(ctx, stream, eventstore.NoStream, late); !errors.Is(err, eventstore.ErrWrongRevision) {
				t.Fatalf("want ErrWrongRevision, got %v", err)
			}
		}
		if recs, _ := a.ReadStream(ctx, stream, 0, 0); len(recs) != 1 {
			t.Fatalf("refused appends wrote: stream has %d events", len(recs))
		}
	})

	t.Run("an_id_stored_by_another_append_of_the_same_stream_is_refused", func(t *testing.T) {
		conn := kurrentdbtest.Start(t)
		a, b := open(t, conn), open(t, conn)
		const stream = "procurement-reused"
		appendOne(t, a, stream, eventstore.NoStream, 0)
		reuse := []eventstore.EventData{event(stream, 0), event(stream, 1)} // event 0 again, not as the last
		if _, err := b.Append(ctx, stream, eventstore.At(0), reuse); !errors.Is(err, eventstore.ErrInvalidAppend) {
			t.Fatalf("want ErrInvalidAppend, got %v", err)
		}
	})
}
