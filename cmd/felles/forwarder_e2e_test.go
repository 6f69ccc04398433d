package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/messaging"
)

// natsURL is the NATS server the forwarder tests use (FELLES_NATS_URL, or the
// machine's own on 127.0.0.1:4222); the tests skip, saying so, without one.
func natsURL(t *testing.T) string {
	url := os.Getenv("FELLES_NATS_URL")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	host := strings.TrimPrefix(url, "nats://")
	conn, err := net.DialTimeout("tcp", host, time.Second)
	if err != nil {
		t.Skipf("SKIPPED: no NATS server at %s (%v); start nats-server -js or set FELLES_NATS_URL", url, err)
	}
	conn.Close()
	return url
}

// natsPrefix is a subject prefix of this test alone, its streams deleted at the end.
func natsPrefix(t *testing.T, url string, orgs ...string) string {
	b := make([]byte, 4)
	rand.Read(b)
	prefix := "t" + hex.EncodeToString(b)
	t.Cleanup(func() {
		nc, err := nats.Connect(url)
		if err != nil {
			return
		}
		defer nc.Close()
		js, _ := nc.JetStream()
		for _, org := range orgs {
			js.DeleteStream(messaging.StreamName(prefix, org))
		}
	})
	return prefix
}

// received reads every message of an organisation's stream, by event ID.
func received(t *testing.T, url, prefix, org string) map[string]messaging.IntegrationEvent {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := nc.JetStream()
	if err != nil {
		t.Fatal(err)
	}
	info, err := js.StreamInfo(messaging.StreamName(prefix, org))
	if err != nil {
		return map[string]messaging.IntegrationEvent{}
	}
	out := map[string]messaging.IntegrationEvent{}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := js.GetMsg(messaging.StreamName(prefix, org), seq)
		if err != nil {
			t.Fatal(err)
		}
		var ev messaging.IntegrationEvent
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			t.Fatalf("message %d of %s is not the contract: %v", seq, org, err)
		}
		if m.Header.Get(nats.MsgIdHdr) != ev.ID || ev.Recipient != org || ev.Contract != messaging.ContractV1 {
			t.Fatalf("message %d of %s: Nats-Msg-Id %q, event %s for %s (%s)", seq, org, m.Header.Get(nats.MsgIdHdr), ev.ID, ev.Recipient, ev.Contract)
		}
		if _, dup := out[ev.ID]; dup {
			t.Fatalf("event %s is twice in %s's stream", ev.ID, org)
		}
		out[ev.ID] = ev
	}
	return out
}

// expectedFor is what org may receive of the log: its own organisation's
// events and the case events the domain's Recipients names it for.
func expectedFor(t *testing.T, store eventstore.Store, org string) []string {
	t.Helper()
	recs, err := store.ReadAll(context.Background(), eventstore.Position{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	reg := procurement.Events()
	states := map[string]procurement.State{}
	var ids []string
	for _, r := range recs {
		switch {
		case r.Stream == "organisation-"+org:
			ids = append(ids, r.ID)
		case strings.HasPrefix(r.Stream, "procurement-"):
			ev, known, err := reg.Decode(r.Type, r.SchemaVersion, r.Data)
			if err != nil || !known {
				t.Fatalf("decode %s: %v", r.ID, err)
			}
			s, ok := states[r.Stream]
			if !ok {
				s = procurement.Decider.Initial()
			}
			s = procurement.Decider.Evolve(s, ev)
			states[r.Stream] = s
			if slices.Contains(s.Recipients(ev), org) {
				ids = append(ids, r.ID)
			}
		}
	}
	return ids
}

func startWith(t *testing.T, dir string, cfg serveConfig) *server {
	t.Helper()
	cfg.dataDir, cfg.addr = dir, "127.0.0.1:0"
	srv, err := start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	return srv
}

// caughtUp waits until the forwarder has handled the whole log.
func caughtUp(t *testing.T, srv *server) {
	t.Helper()
	head, err := srv.sys.store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		at, _ := srv.forwarded.Checkpoint(context.Background(), "")
		if at == head {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the forwarder is at %s, the log at %s after 30 s", at, head)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestForwarderToNATSLosesNothingSendsNothingTwiceAndKeepsPrivateEventsPrivate(t *testing.T) {
	url := natsURL(t)
	orgs := []string{"hub", "oslo", "bergen", "trondheim", "stavanger", "kristiansand", "acme", "nordic"}
	prefix := natsPrefix(t, url, orgs...)
	dir := t.TempDir()
	cfg := serveConfig{demo: true, natsPrefix: prefix, natsDedup: time.Minute}

	// Felles commits the demo and a private draft of oslo's, then stops
	// without ever publishing: as if killed between commit and publish.
	a := startWith(t, dir, cfg)
	caseID := demoCaseID(t, a)
	appendDraft(t, a.sys.store, caseID, "oslo")
	a.stop()

	cfg.natsURL = url
	b := startWith(t, dir, cfg)
	caughtUp(t, b)
	for _, org := range []string{"hub", "oslo", "bergen", "trondheim"} {
		want := expectedFor(t, b.sys.store, org)
		got := received(t, url, prefix, org)
		if len(got) != len(want) {
			t.Errorf("%s received %d events, may see %d", org, len(got), len(want))
		}
		for _, id := range want {
			if _, ok := got[id]; !ok {
				t.Errorf("%s never received event %s", org, id)
			}
		}
	}
	draftTo := func(org string) bool {
		for _, ev := range received(t, url, prefix, org) {
			if ev.Type == "NeedsDraftSaved" {
				return true
			}
		}
		return false
	}
	if !draftTo("oslo") || draftTo("bergen") || draftTo("hub") {
		t.Fatalf("oslo's draft went to oslo %v, bergen %v, the hub %v: only oslo's own", draftTo("oslo"), draftTo("bergen"), draftTo("hub"))
	}
	joined := 0
	for _, ev := range received(t, url, prefix, "bergen") {
		if ev.Type == "MunicipalityJoined" && ev.CaseID == caseID && ev.DataVersion == 1 && ev.Data["organisation"] != nil {
			joined++
		}
	}
	if joined != 1 {
		t.Errorf("bergen receives its own joining with data (it joined after oslo): %d", joined)
	}
	counts := map[string]int{}
	for _, org := range orgs {
		counts[org] = len(received(t, url, prefix, org))
	}
	b.stop()

	// A restart that lost its checkpoint sends everything again: JetStream
	// drops the repeats (the event ID is the message ID), and a receiver
	// that de-duplicates on the ID would too.
	if err := os.Remove(filepath.Join(dir, "forwarder.checkpoint")); err != nil {
		t.Fatal(err)
	}
	c := startWith(t, dir, cfg)
	defer c.stop()
	caughtUp(t, c)
	for _, org := range orgs {
		if n := len(received(t, url, prefix, org)); n != counts[org] {
			t.Errorf("%s's stream holds %d messages after the forwarder started over, %d before", org, n, counts[org])
		}
	}
}

func demoCaseID(t *testing.T, srv *server) string {
	t.Helper()
	recs, err := srv.sys.store.ReadAll(context.Background(), eventstore.Position{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Type == "CaseCreated" {
			return strings.TrimPrefix(r.Stream, "procurement-")
		}
	}
	t.Fatal("the demo has no case")
	return ""
}

// appendDraft puts a member's private draft into the case's stream directly:
// the forwarder reads the log, whatever decided it.
func appendDraft(t *testing.T, store eventstore.Store, caseID, org string) {
	t.Helper()
	stream := procurement.StreamID(caseID)
	recs, err := store.ReadStream(context.Background(), stream, 0, 10000)
	if err != nil || len(recs) == 0 {
		t.Fatalf("read %s: %v", stream, err)
	}
	name, v, data, err := procurement.Events().Encode(procurement.NeedsDraftSaved{Org: org, DraftVersion: 1, Notes: "privat utkast"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Append(context.Background(), stream, eventstore.At(recs[len(recs)-1].Revision), []eventstore.EventData{{
		ID: "0193e1a4-7c2b-7d3e-9f00-00000000d4af", Type: name, SchemaVersion: v, Data: data,
		Metadata: eventstore.Metadata{User: org + "-needs", Org: org, CommandID: "test-draft", CorrelationID: "test", OccurredAt: time.Now()}}})
	if err != nil {
		t.Fatal(err)
	}
}
