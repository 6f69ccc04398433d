package merkle_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/merkle"
)

var ctx = context.Background()

// mkLog is a real embedded log with heads signed along it as the notary
// signs them, and the tree the offline verifier computes over it.
type mkLog struct {
	t      *testing.T
	store  *sqlite.Store
	signer *audit.Signer
	key    *audit.Verifier
	tree   *audit.Tree
	recs   []eventstore.Record
	heads  []merkle.Head // as the view should list them
	at     time.Time
}

func newMkLog(t *testing.T) *mkLog {
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
	return &mkLog{t: t, store: store, signer: signer, key: key, tree: audit.NewTree(0),
		at: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
}

// build appends batches of events over a few streams, a signed head after each, and a tail no head covers.
func (l *mkLog) build(batches, perBatch, tail int) *mkLog {
	streams := []string{"procurement-a", "accesslog-a", "organisation-oslo", "procurement-b"}
	for b := 0; b < batches; b++ {
		l.events(perBatch, streams[b%len(streams):]...)
		l.sign()
	}
	l.events(tail, streams...)
	return l
}

func (l *mkLog) events(n int, streams ...string) {
	l.t.Helper()
	for i := 0; i < n; i++ {
		l.at = l.at.Add(time.Second)
		data, _ := json.Marshal(map[string]any{"n": i})
		l.append(streams[i%len(streams)], eventstore.EventData{ID: uuid.NewString(), Type: "Something", SchemaVersion: 1, Data: data,
			Metadata: eventstore.Metadata{User: "u", Org: "oslo", CommandID: uuid.NewString(), CorrelationID: "c", OccurredAt: l.at}})
	}
}

func (l *mkLog) sign() {
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
	var he audit.HeadEvent
	if err := json.Unmarshal(e.Data, &he); err != nil {
		l.t.Fatal(err)
	}
	l.heads = append(l.heads, merkle.Head{Leaf: l.tree.Size(), Size: h.Size, Root: base64.StdEncoding.EncodeToString(root[:]),
		SignedAt: h.SignedAt, Signer: l.signer.PublicKey(), Note: he.Note})
	l.append(audit.HeadStream, e)
}

func (l *mkLog) append(stream string, e eventstore.EventData) {
	l.t.Helper()
	if _, err := l.store.Append(ctx, stream, eventstore.Any, []eventstore.EventData{e}); err != nil {
		l.t.Fatal(err)
	}
	recs, err := l.store.ReadAll(ctx, eventstore.Seq(uint64(len(l.recs))), 0)
	if err != nil {
		l.t.Fatal(err)
	}
	for _, r := range recs {
		leaf, err := audit.LeafOf(r.Hash)
		if err != nil {
			l.t.Fatal(err)
		}
		l.tree.Add(leaf)
		l.recs = append(l.recs, r)
	}
}

// root is the verifier's tree hash of the first n events.
func (l *mkLog) root(n int64) audit.TreeHead {
	l.t.Helper()
	r, err := l.tree.Root(n)
	if err != nil {
		l.t.Fatal(err)
	}
	return audit.TreeHead{Size: n, Root: r}
}

// mkViews is a views database with the merkle view, rebuilt from store.
func mkViews(t *testing.T, store eventstore.Store) (*sql.DB, *projections.Runner) {
	t.Helper()
	db, err := projections.OpenViews(filepath.Join(t.TempDir(), "views.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := projections.NewRunner(ctx, db, "views", "embedded:test", slog.New(slog.NewTextHandler(io.Discard, nil)), merkle.ReadModel{})
	if err != nil {
		t.Fatal(err)
	}
	mkRebuild(t, r, store)
	return db, r
}

func mkRebuild(t *testing.T, r *projections.Runner, store eventstore.Store) {
	t.Helper()
	head, err := store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Rebuild(ctx, store); err != nil || uint64(n) != head.Commit {
		t.Fatalf("rebuilt from %d events of %d: %v", n, head.Commit, err)
	}
}

// mkPrefix is the log as it stood after its first n events.
type mkPrefix struct {
	eventstore.Store
	n uint64
}

func (p mkPrefix) Head(ctx context.Context) (eventstore.Position, error) {
	return eventstore.Seq(p.n), nil
}

func (p mkPrefix) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Record, error) {
	recs, err := p.Store.ReadAll(ctx, after, limit)
	for i, r := range recs {
		if r.Position.Commit > p.n {
			return recs[:i], err
		}
	}
	return recs, err
}

func TestTheViewHoldsTheTreeTheVerifierComputes(t *testing.T) {
	// given a log of 3 batches of 40 events, each closed by a head, and 5 events after
	l := newMkLog(t).build(3, 40, 5)
	n := int64(len(l.recs))

	// when the merkle view is rebuilt from it
	db, _ := mkViews(t, l.store)

	// then it holds the verifier's tree at every size
	if got, err := merkle.Size(ctx, db); err != nil || got != n {
		t.Fatalf("size %d, the log has %d: %v", got, n, err)
	}
	for size := int64(0); size <= n; size++ {
		got, err := merkle.Root(ctx, db, size)
		if err != nil || got != l.root(size).Root {
			t.Fatalf("root at %d: %s, the verifier's %s (%v)", size, got, l.root(size).Root, err)
		}
	}
	for _, size := range []int64{-1, n + 1} {
		if _, err := merkle.Root(ctx, db, size); err == nil {
			t.Errorf("a root of a tree of %d events", size)
		}
	}

	// and knows every event's leaf
	for i, r := range l.recs {
		leaf, ok, err := merkle.LeafOfEvent(ctx, db, r.ID)
		if err != nil || !ok || leaf != (merkle.Leaf{Index: int64(i), EventID: r.ID, Position: r.Position.String(), Stream: r.Stream, Revision: r.Revision}) {
			t.Fatalf("event %d: %+v %v %v", i, leaf, ok, err)
		}
	}
	if _, ok, err := merkle.LeafOfEvent(ctx, db, uuid.NewString()); ok || err != nil {
		t.Fatalf("an unknown event has a leaf: %v %v", ok, err)
	}

	t.Run("and_a_rebuild_up_to_any_prefix_holds_that_prefix's_tree", func(t *testing.T) {
		for _, k := range []uint64{1, 2, 3, 40, 41, 42, 64, 65, 100, uint64(n) - 1} {
			db, _ := mkViews(t, mkPrefix{l.store, k})
			size, err := merkle.Size(ctx, db)
			if err != nil || size != int64(k) {
				t.Fatalf("prefix %d: size %d (%v)", k, size, err)
			}
			if root, err := merkle.Root(ctx, db, size); err != nil || root != l.root(size).Root {
				t.Fatalf("prefix %d: root %s, the verifier's %s (%v)", k, root, l.root(size).Root, err)
			}
		}
	})
}

func TestTheViewsProofsVerify(t *testing.T) {
	// given the merkle view of a log with 3 heads and 5 events after the last
	l := newMkLog(t).build(3, 40, 5)
	n := int64(len(l.recs))
	db, _ := mkViews(t, l.store)

	t.Run("inclusion_of_every_event_in_the_whole_tree_and_in_each_head's", func(t *testing.T) {
		sizes := []int64{n}
		for _, h := range l.heads {
			sizes = append(sizes, h.Size)
		}
		for _, size := range sizes {
			head := l.root(size)
			for i := int64(0); i < size; i++ {
				proof, err := merkle.InclusionProof(ctx, db, i, size)
				if err != nil {
					t.Fatalf("leaf %d in %d: %v", i, size, err)
				}
				leaf, err := audit.LeafOf(l.recs[i].Hash)
				if err != nil {
					t.Fatal(err)
				}
				if err := audit.CheckInclusion(proof, head, i, leaf); err != nil {
					t.Fatalf("leaf %d in %d: %v", i, size, err)
				}
				if other, _ := audit.LeafOf(l.recs[(i+1)%n].Hash); audit.CheckInclusion(proof, head, i, other) == nil {
					t.Fatalf("the proof of leaf %d in %d holds for another event", i, size)
				}
			}
		}
	})

	t.Run("consistency_of_every_earlier_tree_with_the_whole_and_between_heads", func(t *testing.T) {
		whole := l.root(n)
		for older := int64(1); older <= n; older++ {
			proof, err := merkle.ConsistencyProof(ctx, db, older, n)
			if err != nil {
				t.Fatalf("%d to %d: %v", older, n, err)
			}
			if err := audit.CheckConsistency(proof, l.root(older), whole); err != nil {
				t.Fatalf("%d to %d: %v", older, n, err)
			}
		}
		for i, a := range l.heads {
			for _, b := range l.heads[i:] {
				proof, err := merkle.ConsistencyProof(ctx, db, a.Size, b.Size)
				if err != nil {
					t.Fatal(err)
				}
				if err := audit.CheckConsistency(proof, l.root(a.Size), l.root(b.Size)); err != nil {
					t.Fatalf("head %d to head %d: %v", a.Size, b.Size, err)
				}
			}
		}
	})

	t.Run("no_proof_outside_the_tree", func(t *testing.T) {
		for _, c := range [][2]int64{{n, n}, {-1, n}, {0, n + 1}, {5, 5}} {
			if _, err := merkle.InclusionProof(ctx, db, c[0], c[1]); err == nil {
				t.Errorf("an inclusion proof of leaf %d in %d", c[0], c[1])
			}
		}
		for _, c := range [][2]int64{{0, n}, {6, 5}, {1, n + 1}} {
			if _, err := merkle.ConsistencyProof(ctx, db, c[0], c[1]); err == nil {
				t.Errorf("a consistency proof from %d to %d", c[0], c[1])
			}
		}
	})
}

func TestTheViewListsTheHeadsMetInTheLog(t *testing.T) {
	// given the merkle view of a log with 3 heads and 5 events after the last
	l := newMkLog(t).build(3, 40, 5)
	db, r := mkViews(t, l.store)

	// when its heads are listed
	heads, err := merkle.Heads(ctx, db, -1, 100)

	// then they are the heads signed, in order, each with the note the key signed
	if err != nil || len(heads) != len(l.heads) {
		t.Fatalf("%d heads, %d signed: %v", len(heads), len(l.heads), err)
	}
	for i, h := range heads {
		if want := l.heads[i]; h.Leaf != want.Leaf || h.Size != want.Size || h.Root != want.Root || !h.SignedAt.Equal(want.SignedAt) ||
			h.Signer != want.Signer || h.Note != want.Note {
			t.Fatalf("head %d: %+v, want %+v", i, h, want)
		}
		opened, err := l.key.Open([]byte(h.Note))
		if err != nil || opened.Size != h.Size || opened.Root != l.root(h.Size).Root {
			t.Fatalf("head %d does not open to the tree it names: %+v %v", i, opened, err)
		}
	}

	t.Run("page_by_page", func(t *testing.T) {
		var got []merkle.Head
		for after := int64(-1); ; {
			page, err := merkle.Heads(ctx, db, after, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			got, after = append(got, page...), page[0].Leaf
		}
		if len(got) != len(l.heads) {
			t.Fatalf("%d heads page by page, %d signed", len(got), len(l.heads))
		}
	})

	t.Run("the_latest_and_by_size", func(t *testing.T) {
		latest, ok, err := merkle.LatestHead(ctx, db)
		if err != nil || !ok || latest.Leaf != l.heads[len(l.heads)-1].Leaf {
			t.Fatalf("latest %+v %v %v", latest, ok, err)
		}
		for _, want := range l.heads {
			if h, ok, err := merkle.HeadOfSize(ctx, db, want.Size); err != nil || !ok || h.Leaf != want.Leaf {
				t.Fatalf("head of %d: %+v %v %v", want.Size, h, ok, err)
			}
		}
		if _, ok, err := merkle.HeadOfSize(ctx, db, 7); ok || err != nil {
			t.Fatalf("a head of 7 events: %v %v", ok, err)
		}
	})

	t.Run("the_events_no_head_covers_yet", func(t *testing.T) {
		if n, err := merkle.Uncovered(ctx, db); err != nil || n != 5 {
			t.Fatalf("%d events uncovered, want the 5 after the last head: %v", n, err)
		}
		l.sign()
		mkRebuild(t, r, l.store)
		if n, err := merkle.Uncovered(ctx, db); err != nil || n != 0 {
			t.Fatalf("%d events uncovered right after a head: %v", n, err)
		}
	})

	t.Run("none_before_the_first", func(t *testing.T) {
		empty, _ := mkViews(t, newMkLog(t).build(0, 0, 3).store)
		if _, ok, err := merkle.LatestHead(ctx, empty); ok || err != nil {
			t.Fatalf("a latest head in a log without heads: %v %v", ok, err)
		}
		if n, err := merkle.Uncovered(ctx, empty); err != nil || n != 3 {
			t.Fatalf("%d events uncovered in a log of 3 without heads: %v", n, err)
		}
	})
}

func TestAHeadEventThatCannotBeReadIsALeafButNoHead(t *testing.T) {
	// given a log with a TreeHeadSigned event whose data is not a head
	l := newMkLog(t).build(1, 4, 0)
	l.append(audit.HeadStream, eventstore.EventData{ID: uuid.NewString(), Type: audit.HeadEventType, SchemaVersion: 1,
		Data: json.RawMessage(`{"size":"five"}`), Metadata: eventstore.Metadata{OccurredAt: l.at}})

	// when the view is rebuilt
	db, _ := mkViews(t, l.store)

	// then the event is a leaf of the tree, and the heads are the one signed
	if n, err := merkle.Size(ctx, db); err != nil || n != int64(len(l.recs)) {
		t.Fatalf("size %d of %d: %v", n, len(l.recs), err)
	}
	heads, err := merkle.Heads(ctx, db, -1, 10)
	if err != nil || len(heads) != 1 || heads[0].Size != 4 {
		t.Fatalf("heads %+v: %v", heads, err)
	}
}

func TestTwoRebuildsOfTheMerkleViewGiveTheSameDigest(t *testing.T) {
	// given the merkle view of a log
	l := newMkLog(t).build(2, 30, 3)
	_, r := mkViews(t, l.store)
	first, err := r.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// when it is rebuilt again, and once more after a new event
	mkRebuild(t, r, l.store)
	second, err := r.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l.events(1, "procurement-a")
	mkRebuild(t, r, l.store)
	third, err := r.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// then the same log gives the same digest, a longer one another
	if first != second {
		t.Fatalf("two rebuilds of one log: %s and %s", first, second)
	}
	if third == first {
		t.Fatal("a log one event longer gives the same digest")
	}
	t.Logf("digest %s", first)
}
