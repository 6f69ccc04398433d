package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

var ctx = context.Background()

// allowList allows exactly the listed user/org/action triples.
type allowList map[string]bool

func (a allowList) Allowed(user, org, _ string, action string) bool {
	return a[user+"/"+org+"/"+action] || a[user+"/*/*"]
}

// hookedStore lets a test act between Dispatch's read and its append.
type hookedStore struct {
	eventstore.Store
	beforeAppend func(attempt int)
	attempts     int
}

func (h *hookedStore) Append(ctx context.Context, stream string, e eventstore.Expected, evs []eventstore.EventData) (eventstore.AppendResult, error) {
	h.attempts++
	if h.beforeAppend != nil {
		h.beforeAppend(h.attempts)
	}
	return h.Store.Append(ctx, stream, e, evs)
}

type fixture struct {
	store  *hookedStore
	d      *app.Dispatcher
	orgs   *app.Organisations
	cases  *app.Procurements
	hub    app.Principal
	bergen app.Principal
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	hs := &hookedStore{Store: s}
	authz := allowList{
		"system/*/*":                     true,
		"hub-coordinator/hub/CreateCase": true, "hub-coordinator/hub/InviteMunicipality": true,
		"bergen-admin/bergen/AcceptInvitation": true, "other/bergen/AcceptInvitation": true,
	}
	d, err := app.NewDispatcher(hs, authz, func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) },
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: hs, d: d, orgs: app.NewOrganisations(d), cases: app.NewProcurements(d),
		hub: app.Principal{User: "hub-coordinator", Org: "hub"}, bergen: app.Principal{User: "bergen-admin", Org: "bergen"}}
	for _, o := range []app.RegisterInput{
		{ID: "hub", Kind: organisation.KindHub, Name: "Hub", OrgNumber: "999000001"},
		{ID: "bergen", Kind: organisation.KindMunicipality, Name: "Bergen kommune", OrgNumber: "964338531"},
		{ID: "oslo", Kind: organisation.KindMunicipality, Name: "Oslo kommune", OrgNumber: "958935420"},
	} {
		if _, err := f.orgs.Register(ctx, app.System, app.CommandMeta{}, o); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) head(t *testing.T) eventstore.Position {
	h, err := f.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (f *fixture) newCase(t *testing.T, cmd string) string {
	t.Helper()
	id, _, err := f.cases.Create(ctx, f.hub, app.CommandMeta{CommandID: cmd}, app.CreateInput{Title: "Case", Jurisdiction: procurement.JurisdictionNO})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDispatch(t *testing.T) {
	t.Run("a_command_appends_its_events_with_the_envelope", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		res, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "inv-1", CorrelationID: "corr-9"}, id, "bergen")
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := f.store.ReadStream(ctx, procurement.StreamID(id), 0, 0)
		last := recs[len(recs)-1]
		if res.Revision != 1 || res.Position != last.Position || last.Type != "MunicipalityInvited" {
			t.Fatalf("result %+v, last event %+v", res, last)
		}
		m := last.Metadata
		if m.User != "hub-coordinator" || m.Org != "hub" || m.CommandID != "inv-1" || m.CorrelationID != "corr-9" || !m.OccurredAt.Equal(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)) {
			t.Fatalf("metadata %+v", m)
		}
		if last.ID == "" || last.Hash == "" {
			t.Fatal("event ID and hash must be set")
		}
	})

	t.Run("a_rejected_command_appends_nothing", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		before := f.head(t)
		_, err := f.cases.Accept(ctx, f.bergen, app.CommandMeta{}, id)
		if !errors.Is(err, procurement.ErrNotFound) {
			t.Fatalf("want not invited, got %v", err)
		}
		if f.head(t) != before {
			t.Fatal("a rejected command appended events")
		}
	})

	t.Run("a_forbidden_or_anonymous_principal_appends_nothing", func(t *testing.T) {
		f := newFixture(t)
		before := f.head(t)
		_, _, err := f.cases.Create(ctx, f.bergen, app.CommandMeta{}, app.CreateInput{Title: "x", Jurisdiction: "NO"})
		if !errors.Is(err, app.ErrForbidden) || es.KindOf(err) != es.KindForbidden {
			t.Fatalf("want forbidden, got %v", err)
		}
		_, _, err = f.cases.Create(ctx, app.Principal{}, app.CommandMeta{}, app.CreateInput{Title: "x", Jurisdiction: "NO"})
		if es.KindOf(err) != es.KindUnauthenticated {
			t.Fatalf("want unauthenticated, got %v", err)
		}
		if f.head(t) != before {
			t.Fatal("appended events")
		}
	})

	t.Run("a_repeated_command_id_answers_with_the_first_result", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		first, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "inv"}, id, "bergen")
		if err != nil {
			t.Fatal(err)
		}
		f.cases.Accept(ctx, f.bergen, app.CommandMeta{}, id)
		before := f.head(t)
		again, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "inv"}, id, "bergen")
		if err != nil || !again.Duplicate || again.Position != first.Position || again.Revision != first.Revision {
			t.Fatalf("repeat: %+v %v, first %+v", again, err, first)
		}
		id2 := f.newCase(t, "c1")
		if id2 != id || f.head(t) != before {
			t.Fatal("a retried create must land on the same case and append nothing")
		}
	})

	t.Run("a_command_id_reused_for_another_command_is_a_conflict_and_appends_nothing", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		if _, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "same"}, id, "bergen"); err != nil {
			t.Fatal(err)
		}
		before := f.head(t)
		_, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "same"}, id, "oslo")
		if !errors.Is(err, app.ErrCommandIDReused) || es.KindOf(err) != es.KindConflict {
			t.Fatalf("want a conflict, got %v", err)
		}
		if f.head(t) != before {
			t.Fatal("appended events")
		}
		if res, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "same"}, id, "bergen"); err != nil || !res.Duplicate {
			t.Fatalf("the true retry still answers with the first result: %+v %v", res, err)
		}
	})

	t.Run("the_same_command_id_from_another_user_is_another_command", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "x"}, id, "bergen")
		res, err := f.cases.Accept(ctx, f.bergen, app.CommandMeta{CommandID: "x"}, id)
		if err != nil || res.Duplicate || res.Events != 1 {
			t.Fatalf("want a new event, got %+v %v", res, err)
		}
	})

	t.Run("a_concurrent_write_is_retried_inside_dispatch", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		f.cases.Invite(ctx, f.hub, app.CommandMeta{}, id, "bergen")
		f.store.attempts = 0
		f.store.beforeAppend = func(attempt int) {
			if attempt == 1 { // someone else writes to the case between our read and our append
				f.store.beforeAppend = nil
				if _, err := f.cases.Accept(ctx, app.Principal{User: "other", Org: "bergen"}, app.CommandMeta{}, id); err != nil {
					t.Error(err)
				}
			}
		}
		res, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{}, id, "oslo")
		if err != nil {
			t.Fatalf("a stale revision must be retried, not surfaced: %v", err)
		}
		if res.Events != 1 || res.Revision != 3 {
			t.Fatalf("the retried invite lands after the concurrent accept: %+v", res)
		}
		if f.store.attempts < 2 {
			t.Fatalf("want a retried append, got %d attempts", f.store.attempts)
		}
	})

	t.Run("endless_contention_gives_up_with_a_conflict", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		n := 0
		f.store.beforeAppend = func(int) {
			n++
			f.store.Store.Append(ctx, procurement.StreamID(id), eventstore.Any, []eventstore.EventData{{
				ID: strings.Repeat("0", 8) + "-0000-4000-8000-" + pad12(n), Type: "Noise", SchemaVersion: 1, Data: []byte(`{}`),
			}})
		}
		before := n
		_, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{}, id, "bergen")
		if !errors.Is(err, app.ErrContention) || es.KindOf(err) != es.KindConflict {
			t.Fatalf("want contention conflict, got %v after %d attempts", err, n-before)
		}
	})

	t.Run("a_malformed_command_id_is_bad_input", func(t *testing.T) {
		f := newFixture(t)
		_, _, err := f.cases.Create(ctx, f.hub, app.CommandMeta{CommandID: strings.Repeat("x", 200)}, app.CreateInput{Title: "x", Jurisdiction: "NO"})
		if !errors.Is(err, app.ErrInvalidCommandID) {
			t.Fatalf("want invalid command ID, got %v", err)
		}
	})

	t.Run("unknown_event_types_in_a_stream_are_skipped_when_folding", func(t *testing.T) {
		f := newFixture(t)
		id := f.newCase(t, "c1")
		f.store.Store.Append(ctx, procurement.StreamID(id), eventstore.Any, []eventstore.EventData{{
			ID: "00000000-0000-4000-8000-00000000abcd", Type: "SomethingFromTheFuture", SchemaVersion: 1, Data: []byte(`{}`)}})
		if _, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{}, id, "bergen"); err != nil {
			t.Fatal(err)
		}
	})
}

func pad12(n int) string {
	s := strings.Repeat("0", 12) + itoa(n)
	return s[len(s)-12:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
