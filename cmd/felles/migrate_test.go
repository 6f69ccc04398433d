package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/kurrentdb"
	"github.com/felles/felles/eventstore/kurrentdb/kurrentdbtest"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/graphql"
)

func readWholeLog(t *testing.T, s eventstore.Store) []eventstore.Record {
	t.Helper()
	var out []eventstore.Record
	after := eventstore.Position{}
	for {
		page, err := s.ReadAll(context.Background(), after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Position
	}
}

func TestMigratingTheEmbeddedLogIntoKurrentDB(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	from := t.TempDir()
	srv, err := start(ctx, serveConfig{dataDir: from, addr: "127.0.0.1:0", demo: true}, log)
	if err != nil {
		t.Fatal(err)
	}
	tokens, _ := graphql.LoadTokens(from)
	f := &felles{t: t, srv: srv, tokens: tokens}
	hub := f.token("hub-coordinator", "hub")
	for i := 0; i < 5; i++ {
		c := f.ok(hub, createCase, map[string]any{"title": fmt.Sprintf("Sak %d", i), "j": "NO"})
		f.ok(hub, invite, map[string]any{"id": c.get("createProcurement.procurement.id"), "org": "stavanger"})
	}
	overview := `{ procurements(first: 100) { edges { node { id title phase members { organisation { id } status } } } } }`
	before := f.ok(hub, overview, nil)
	srv.stop()

	conn := kurrentdbtest.Start(t)
	rep, err := migrateLog(ctx, from, conn, log)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	source, _ := sqlite.Open(filepath.Join(from, "events.db"))
	want := readWholeLog(t, source)
	source.Close()
	if rep.copied != len(want) || rep.skipped != 0 {
		t.Fatalf("report %+v for %d events", rep, len(want))
	}
	target, err := kurrentdb.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	got := readWholeLog(t, target)
	target.Close()
	if len(got) != len(want) {
		t.Fatalf("target has %d events, source %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Revision != w.Revision || g.Type != w.Type || g.Hash != w.Hash ||
			g.PrevHash != w.PrevHash || g.Metadata.CommandID != w.Metadata.CommandID || !g.RecordedAt.Equal(w.RecordedAt) ||
			!g.Metadata.OccurredAt.Equal(w.Metadata.OccurredAt) || string(g.Data) != string(w.Data) {
			t.Fatalf("event %d differs after the move:\n got %+v\nwant %+v", i, g, w)
		}
	}

	again, err := migrateLog(ctx, from, conn, log)
	if err != nil || again.copied != 0 || again.skipped != len(want) {
		t.Fatalf("a second run must copy nothing: %+v %v", again, err)
	}

	// The same Felles on the migrated log shows the same cases.
	dir := t.TempDir()
	srv2, err := start(ctx, serveConfig{dataDir: dir, addr: "127.0.0.1:0", store: conn}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.stop()
	head, err := srv2.sys.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv2.sys.runner.WaitFor(ctx, head); err != nil {
		t.Fatal(err)
	}
	tokens2, _ := graphql.LoadTokens(dir)
	f2 := &felles{t: t, srv: srv2, tokens: tokens2}
	after := f2.ok(f2.token("hub-coordinator", "hub"), overview, nil)
	if fmt.Sprint(after.Data) != fmt.Sprint(before.Data) {
		t.Fatalf("cases differ after the move:\n got %v\nwant %v", after.Data, before.Data)
	}
}
