package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/felles/felles/eventstore/kurrentdb/kurrentdbtest"
	"github.com/felles/felles/graphql"
)

// The same Felles on KurrentDB: the real client against the gRPC double,
// views in the local views file fed from $all.
func TestServeOnKurrentDB(t *testing.T) {
	conn := kurrentdbtest.Start(t)
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := start(context.Background(), serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true, store: conn}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.stop() })
	tokens, err := graphql.LoadTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &felles{t: t, srv: srv, tokens: tokens}
	hub, bergen := f.token("hub-coordinator", "hub"), f.token("bergen-admin", "bergen")

	created := f.ok(hub, createCase, map[string]any{"title": "Velferdsteknologi på KurrentDB", "j": "SE", "cmd": "k-1"})
	id := created.get("createProcurement.procurement.id").(string)
	pos := created.get("createProcurement.position").(string)
	if !strings.Contains(pos, "/") && pos == "" {
		t.Fatalf("a KurrentDB position: %q", pos)
	}
	f.ok(hub, invite, map[string]any{"id": id, "org": "bergen"})
	joined := f.ok(bergen, accept, map[string]any{"id": id})
	if joined.get("acceptInvitation.procurement.memberCounts.joined") != float64(1) {
		t.Fatalf("read-your-writes on KurrentDB: %+v", joined.Data)
	}
	before := f.head()
	again := f.ok(hub, createCase, map[string]any{"title": "Velferdsteknologi på KurrentDB", "j": "SE", "cmd": "k-1"})
	if again.get("createProcurement.position") != pos || f.head() != before {
		t.Fatal("a retried command must append nothing on KurrentDB either")
	}
	f.rejected("NOT_FOUND", "procurement.not_found", f.token("oslo-admin", "oslo"), accept, map[string]any{"id": id})

	resp, err := http.Get("http://" + srv.addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"ready"`) {
		t.Fatalf("readyz on KurrentDB: %d %s", resp.StatusCode, body)
	}
}
