package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

var ctx = context.Background()

// auLog is a real embedded log with events in several streams and heads
// signed along the way, as the notary would.
type auLog struct {
	t      *testing.T
	dir    string
	store  *sqlite.Store
	signer *audit.Signer
	key    *audit.Verifier
	tree   *audit.Tree
	at     time.Time
}

func newAuLog(t *testing.T) *auLog {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	signer, err := audit.LoadOrCreateSigner(dir, "felles-test")
	if err != nil {
		t.Fatal(err)
	}
	key, err := audit.NewVerifier(signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	return &auLog{t: t, dir: dir, store: store, signer: signer, key: key, tree: audit.NewTree(0),
		at: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
}

// appendEvents appends n events spread over streams, one append per event.
func (l *auLog) appendEvents(n int, streams ...string) {
	l.t.Helper()
	for i := 0; i < n; i++ {
		stream := streams[i%len(streams)]
		l.at = l.at.Add(time.Second)
		data, _ := json.Marshal(map[string]any{"n": i, "note": fmt.Sprintf("event %d of %s <&>", i, stream)})
		e := eventstore.EventData{ID: uuid.NewString(), Type: "Something", SchemaVersion: 1, Data: data,
			Metadata: eventstore.Metadata{User: "u", Org: "oslo", CommandID: uuid.NewString(), CorrelationID: "c", OccurredAt: l.at}}
		if _, err := l.store.Append(ctx, stream, eventstore.Any, []eventstore.EventData{e}); err != nil {
			l.t.Fatal(err)
		}
	}
	l.catchUp()
}

// catchUp adds the log's new events to the tree.
func (l *auLog) catchUp() {
	l.t.Helper()
	recs, err := l.store.ReadAll(ctx, eventstore.Seq(uint64(l.tree.Size())), 0)
	if err != nil {
		l.t.Fatal(err)
	}
	for _, r := range recs {
		leaf, err := audit.LeafOf(r.Hash)
		if err != nil {
			l.t.Fatal(err)
		}
		l.tree.Add(leaf)
	}
}

// signHead signs the tree as it is and appends the head to the log.
func (l *auLog) signHead() audit.TreeHead {
	l.t.Helper()
	root, err := l.tree.Root(l.tree.Size())
	if err != nil {
		l.t.Fatal(err)
	}
	h := audit.TreeHead{Size: l.tree.Size(), Root: root, SignedAt: l.at}
	e, err := audit.NewHeadEvent(l.signer, h)
	if err != nil {
		l.t.Fatal(err)
	}
	if _, err := l.store.Append(ctx, audit.HeadStream, eventstore.Any, []eventstore.EventData{e}); err != nil {
		l.t.Fatal(err)
	}
	l.catchUp()
	return h
}

func (l *auLog) records() []eventstore.Record {
	l.t.Helper()
	recs, err := l.store.ReadAll(ctx, eventstore.Position{}, 0)
	if err != nil {
		l.t.Fatal(err)
	}
	return recs
}
