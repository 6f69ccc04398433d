package projections_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/messaging"
	"github.com/felles/felles/projections"
)

var ctx = context.Background()

// counter is a read model that counts events per stream, and fails on events
// of type "Poison".
type counter struct{ name string }

func (c counter) Name() string     { return c.name }
func (c counter) Tables() []string { return []string{"counts"} }
func (c counter) Schema() string {
	return `CREATE TABLE IF NOT EXISTS counts (stream TEXT PRIMARY KEY, n INTEGER NOT NULL, last_position INTEGER NOT NULL)`
}
func (c counter) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	if rec.Type == "Poison" {
		return errors.New("cannot digest poison")
	}
	if rec.Type == "Panic" {
		var m map[string]int
		m["boom"]++ // a read model bug: writing to a nil map panics
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO counts (stream, n, last_position) VALUES (?, 1, ?)
		ON CONFLICT (stream) DO UPDATE SET n = n + 1, last_position = excluded.last_position`, rec.Stream, rec.Position.Commit)
	return err
}

type env struct {
	store eventstore.Store
	views *sql.DB
	dir   string
	log   *slog.Logger
	n     int
}

func newEnv(t *testing.T) *env {
	dir := t.TempDir()
	s, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	v, err := projections.OpenViews(filepath.Join(dir, "views.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return &env{store: s, views: v, dir: dir, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func (e *env) append(t *testing.T, stream, typ string, k int) eventstore.Position {
	t.Helper()
	var last eventstore.Position
	for i := 0; i < k; i++ {
		e.n++
		res, err := e.store.Append(ctx, stream, eventstore.Any, []eventstore.EventData{{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", e.n), Type: typ, SchemaVersion: 1,
			Data: json.RawMessage(`{}`), Metadata: eventstore.Metadata{OccurredAt: time.Unix(int64(e.n), 0)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		last = res.Position
	}
	return last
}

func (e *env) runner(t *testing.T, name string) *projections.Runner {
	r, err := projections.NewRunner(ctx, e.views, "views", "test-log", e.log, counter{name})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// live runs the runner behind the Router on the store-backed subscriber.
func (e *env) live(t *testing.T, r *projections.Runner) (stop func()) {
	wlog := watermill.NopLogger{}
	sub, err := messaging.NewSubscriber(e.store, r, wlog)
	if err != nil {
		t.Fatal(err)
	}
	router, err := messaging.NewRouter(messaging.RouterConfig{MaxRetries: 2, InitialInterval: time.Millisecond, HandlerTimeout: 5 * time.Second}, r.PoisonSink(), wlog)
	if err != nil {
		t.Fatal(err)
	}
	router.AddConsumerHandler("views", r.Consumer(), sub, r.Handle)
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { router.Run(c); close(done) }()
	<-router.Running()
	return func() { router.Close(); cancel(); <-done }
}

func count(t *testing.T, db *sql.DB, stream string) int {
	var n int
	err := db.QueryRow(`SELECT n FROM counts WHERE stream = ?`, stream).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wait(t *testing.T, r *projections.Runner, p eventstore.Position) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.WaitFor(c, p); err != nil {
		t.Fatal(err)
	}
}

func TestRunner(t *testing.T) {
	t.Run("live_events_reach_the_views_and_a_restart_resumes_from_the_checkpoint", func(t *testing.T) {
		e := newEnv(t)
		e.append(t, "a-1", "Counted", 5)
		r := e.runner(t, "counts_v1")
		stop := e.live(t, r)
		wait(t, r, e.append(t, "a-1", "Counted", 5))
		stop()
		last := e.append(t, "a-1", "Counted", 7) // written while no consumer runs
		r2 := e.runner(t, "counts_v1")
		if cp, _ := r2.Checkpoint(ctx, "views"); cp != eventstore.Seq(10) {
			t.Fatalf("checkpoint after restart: %v", cp)
		}
		stop = e.live(t, r2)
		defer stop()
		wait(t, r2, last)
		if n := count(t, e.views, "a-1"); n != 17 {
			t.Fatalf("every event exactly once: want 17, got %d", n)
		}
	})

	t.Run("a_redelivered_event_is_applied_once", func(t *testing.T) {
		e := newEnv(t)
		e.append(t, "a-1", "Counted", 3)
		r := e.runner(t, "counts_v1")
		recs, _ := e.store.ReadAll(ctx, eventstore.Position{}, 10)
		for _, rec := range append(recs, recs...) {
			if err := r.Handle(messaging.ToMessage(rec)); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, e.views, "a-1"); n != 3 {
			t.Fatalf("want 3, got %d", n)
		}
	})

	t.Run("two_rebuilds_of_the_same_log_give_the_same_digest", func(t *testing.T) {
		e := newEnv(t)
		for i := 0; i < 20; i++ {
			e.append(t, fmt.Sprintf("s-%d", i%7), "Counted", 3)
		}
		r := e.runner(t, "counts_v1")
		n1, err := r.Rebuild(ctx, e.store)
		if err != nil || n1 != 60 {
			t.Fatalf("rebuild: %d %v", n1, err)
		}
		d1, _ := r.Digest(ctx)
		n2, _ := r.Rebuild(ctx, e.store)
		d2, _ := r.Digest(ctx)
		if n2 != 60 || d1 != d2 || d1 == "" {
			t.Fatalf("digests differ: %s vs %s", d1, d2)
		}
		e.append(t, "s-1", "Counted", 1)
		r.Rebuild(ctx, e.store)
		if d3, _ := r.Digest(ctx); d3 == d1 {
			t.Fatal("a longer log must give another digest")
		}
	})

	t.Run("a_new_read_model_version_rebuilds_the_views", func(t *testing.T) {
		e := newEnv(t)
		r := e.runner(t, "counts_v1")
		last := e.append(t, "a-1", "Counted", 4)
		stop := e.live(t, r)
		wait(t, r, last)
		stop()
		r2 := e.runner(t, "counts_v2")
		if cp, _ := r2.Checkpoint(ctx, "views"); !cp.IsZero() {
			t.Fatalf("a changed read model must start from zero, got %v", cp)
		}
		stop = e.live(t, r2)
		defer stop()
		wait(t, r2, last)
		if n := count(t, e.views, "a-1"); n != 4 {
			t.Fatalf("want 4 after the rebuild, got %d", n)
		}
	})

	t.Run("views_built_from_another_log_are_rebuilt", func(t *testing.T) {
		e := newEnv(t)
		r := e.runner(t, "counts_v1")
		last := e.append(t, "a-1", "Counted", 3)
		stop := e.live(t, r)
		wait(t, r, last)
		stop()
		r2, err := projections.NewRunner(ctx, e.views, "views", "another-log", e.log, counter{"counts_v1"})
		if err != nil {
			t.Fatal(err)
		}
		if cp, _ := r2.Checkpoint(ctx, "views"); !cp.IsZero() || count(t, e.views, "a-1") != 0 {
			t.Fatalf("a checkpoint from another log must not be trusted: %v", cp)
		}
	})

	t.Run("views_ahead_of_a_restored_log_are_rebuilt", func(t *testing.T) {
		e := newEnv(t)
		r := e.runner(t, "counts_v1")
		last := e.append(t, "a-1", "Counted", 5)
		stop := e.live(t, r)
		wait(t, r, last)
		stop()
		if reset, err := r.ResetIfAhead(ctx, last); reset || err != nil {
			t.Fatalf("views at the head must be kept: %v %v", reset, err)
		}
		if reset, err := r.ResetIfAhead(ctx, eventstore.Seq(3)); !reset || err != nil || !r.Position().IsZero() || count(t, e.views, "a-1") != 0 {
			t.Fatalf("views ahead of the log must be dropped: %v %v %v", reset, err, r.Position())
		}
	})

	t.Run("an_event_that_keeps_failing_is_poisoned_and_the_views_move_on", func(t *testing.T) {
		e := newEnv(t)
		r := e.runner(t, "counts_v1")
		var hooked []string
		r.OnCommitted(func(rec eventstore.Record) { hooked = append(hooked, rec.Type) })
		stop := e.live(t, r)
		e.append(t, "a-1", "Counted", 2)
		poison := e.append(t, "a-1", "Poison", 1)
		wait(t, r, poison) // a waiter on the poisoned event is released, not left hanging
		last := e.append(t, "a-1", "Counted", 2)
		wait(t, r, last)
		if n := count(t, e.views, "a-1"); n != 4 {
			t.Fatalf("want the 4 good events, got %d", n)
		}
		wait(t, r, e.append(t, "a-1", "Panic", 1))
		wait(t, r, e.append(t, "a-1", "Counted", 1))
		if n, _ := r.Poisoned(ctx); n != 2 {
			t.Fatalf("want the failing and the panicking event recorded, got %d", n)
		}
		if n := count(t, e.views, "a-1"); n != 5 {
			t.Fatalf("a panicking read model must not stall the views: %d", n)
		}
		if fmt.Sprint(hooked) != "[Counted Counted Poison Counted Counted Panic Counted]" {
			t.Fatalf("the hooks must see every event, poisoned ones too: %v", hooked)
		}
		var reason string
		e.views.QueryRow(`SELECT reason FROM poisoned_messages`).Scan(&reason)
		if reason == "" {
			t.Fatal("the poison record must say why")
		}
		stop()
		r2 := e.runner(t, "counts_v1")
		if cp, _ := r2.Checkpoint(ctx, "views"); !cp.IsZero() {
			t.Fatalf("after poison the next start must rebuild the views, checkpoint %v", cp)
		}
	})
}
