package audit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/kurrentdb"
	"github.com/felles/felles/eventstore/kurrentdb/kurrentdbtest"
)

// The same verification over the KurrentDB adapter (positions there are not
// gapless): against the gRPC double, and against a real node when
// FELLES_TEST_KURRENTDB names one.
func TestALogInKurrentDBVerifiesAndATamperedHeadIsCaught(t *testing.T) {
	t.Run("grpc_double", func(t *testing.T) { kdVerify(t, kurrentdbtest.Start(t)) })
	t.Run("real_node", func(t *testing.T) {
		conn := os.Getenv("FELLES_TEST_KURRENTDB")
		if conn == "" {
			t.Skip("FELLES_TEST_KURRENTDB not set: verified against the gRPC double only")
		}
		b := make([]byte, 6)
		rand.Read(b)
		kdVerify(t, conn, kurrentdb.WithStreamPrefix("felles-audit-"+hex.EncodeToString(b)+"-"))
	})
}

func kdVerify(t *testing.T, conn string, opts ...kurrentdb.Option) {
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	store, err := kurrentdb.Open(c, conn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	signer, err := audit.LoadOrCreateSigner(t.TempDir(), "felles-test")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := audit.NewVerifier(signer.PublicKey())
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tree := audit.NewTree(0)
	var seen eventstore.Position
	catchUp := func() {
		recs, err := store.ReadAll(ctx, seen, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			leaf, _ := audit.LeafOf(r.Hash)
			tree.Add(leaf)
			seen = r.Position
		}
	}
	for i := 0; i < 30; i++ {
		data, _ := json.Marshal(map[string]int{"n": i})
		e := eventstore.EventData{ID: uuid.NewString(), Type: "Something", SchemaVersion: 1, Data: data,
			Metadata: eventstore.Metadata{User: "u", Org: "oslo", CommandID: uuid.NewString(), OccurredAt: at}}
		if _, err := store.Append(ctx, []string{"procurement-a", "procurement-b"}[i%2], eventstore.Any, []eventstore.EventData{e}); err != nil {
			t.Fatal(err)
		}
	}
	catchUp()
	root, _ := tree.Root(tree.Size())
	head := audit.TreeHead{Size: tree.Size(), Root: root, SignedAt: at}
	ev, err := audit.NewHeadEvent(signer, head)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, audit.HeadStream, eventstore.Any, []eventstore.EventData{ev}); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.VerifyLog(ctx, store, key, false, nil)
	if err != nil || rep.Heads != 1 || rep.Events != tree.Size()+1 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	// a second head, signed by the right key over a root the log does not
	// have, is caught at that head
	forged := head
	forged.Root[0] ^= 1
	ev, _ = audit.NewHeadEvent(signer, audit.TreeHead{Size: forged.Size, Root: forged.Root, SignedAt: at.Add(time.Hour)})
	ev.ID = uuid.NewString()
	if _, err := store.Append(ctx, audit.HeadStream, eventstore.Any, []eventstore.EventData{ev}); err != nil {
		t.Fatal(err)
	}
	_, err = audit.VerifyLog(ctx, store, key, false, nil)
	var b *audit.Broken
	if !errors.As(err, &b) || b.Stream != audit.HeadStream || b.Revision != 1 {
		t.Fatalf("a head over another root: %v", err)
	}
}
