package audit_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
)

// notaryTree is a TreeSource over the log itself: an audit.Tree that takes in
// the log's new events whenever it is asked, as the merkle view does when the
// views runner has caught up. frozen stops it taking in more: a replica whose
// views are behind.
type notaryTree struct {
	store eventstore.Store

	mu       sync.Mutex
	tree     *audit.Tree
	last     eventstore.Position
	heads    []bool // per leaf: is it a head event
	headSize int64  // the size the latest head signs
	frozen   bool
}

func newNotaryTree(store eventstore.Store) *notaryTree {
	return &notaryTree{store: store, tree: audit.NewTree(0)}
}

func (n *notaryTree) catchUp(ctx context.Context) error {
	if n.frozen {
		return nil
	}
	recs, err := n.store.ReadAll(ctx, n.last, 0)
	if err != nil {
		return err
	}
	for _, r := range recs {
		leaf, err := audit.LeafOf(r.Hash)
		if err != nil {
			return err
		}
		n.tree.Add(leaf)
		n.heads = append(n.heads, audit.IsHead(r))
		if audit.IsHead(r) {
			var h audit.HeadEvent
			if err := json.Unmarshal(r.Data, &h); err != nil {
				return err
			}
			n.headSize = h.Size
		}
		n.last = r.Position
	}
	return nil
}

func (n *notaryTree) Size(ctx context.Context) (int64, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	err := n.catchUp(ctx)
	return n.tree.Size(), err
}

func (n *notaryTree) Root(_ context.Context, size int64) (tlog.Hash, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.tree.Root(size)
}

func (n *notaryTree) Uncovered(ctx context.Context) (int64, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	err := n.catchUp(ctx)
	var c int64
	for i := n.headSize; i < int64(len(n.heads)); i++ {
		if !n.heads[i] {
			c++
		}
	}
	return c, err
}

// freeze keeps the tree where it is now; follow lets it take in the log again.
func (n *notaryTree) freeze(ctx context.Context) *notaryTree {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.catchUp(ctx)
	n.frozen = true
	return n
}

func (n *notaryTree) follow() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.frozen = false
}

// newNotary is a notary over l's store and a tree over it, its clock stopped at l's time now.
func newNotary(t *testing.T, l *auLog, tree audit.TreeSource) *audit.Notary {
	t.Helper()
	at := l.at
	n, err := audit.NewNotary(l.store, l.signer, tree, func() time.Time { return at }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// notaryHeads are the head events in the log.
func notaryHeads(t *testing.T, l *auLog) []eventstore.Record {
	t.Helper()
	recs, err := l.store.ReadStream(ctx, audit.HeadStream, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestTheNotarySignsWhenThereAreNewEvents(t *testing.T) {
	// given a log of 12 events and a notary over it
	l := newAuLog(t)
	l.appendEvents(12, "procurement-a", "organisation-oslo")
	n := newNotary(t, l, newNotaryTree(l.store))

	// when it signs
	h, signed, err := n.SignNow(ctx)

	// then it signed the 12 events, appended the head as event 13, and the log verifies with it
	if err != nil || !signed {
		t.Fatalf("signed %v: %v", signed, err)
	}
	root, _ := l.tree.Root(12)
	if h.Size != 12 || h.Root != root || !h.SignedAt.Equal(l.at) {
		t.Fatalf("head %+v, want 12 events with root %s at %s", h, root, l.at)
	}
	heads := notaryHeads(t, l)
	if len(heads) != 1 || heads[0].Position != eventstore.Seq(13) {
		t.Fatalf("head events %+v", heads)
	}
	got, err := audit.OpenHeadEvent(l.key, heads[0].Data)
	if err != nil || got.Size != 12 || got.Root != root {
		t.Fatalf("the head event says %+v: %v", got, err)
	}
	other, err := audit.NewHeadEvent(l.signer, audit.TreeHead{Size: 12, SignedAt: l.at.Add(time.Hour)})
	if err != nil || heads[0].ID != other.ID || uuid.Validate(other.ID) != nil {
		t.Fatalf("the head of 12 events has ID %s, any head of 12 events %s (derived from the size): %v", heads[0].ID, other.ID, err)
	}
	rep, err := audit.VerifyLog(ctx, l.store, l.key, true, nil)
	if err != nil || rep.Heads != 1 || rep.LastHead == nil || rep.LastHead.Size != 12 || rep.Unwitnessed != 1 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	if n.PublicKey() != l.signer.PublicKey() {
		t.Fatalf("the notary publishes %s, the key is %s", n.PublicKey(), l.signer.PublicKey())
	}
}

func TestTheNotarySignsNothingWhenOnlyItsOwnHeadFollowsTheLastHead(t *testing.T) {
	// given a log whose last event is the head the notary just signed
	l := newAuLog(t)
	l.appendEvents(5, "procurement-a")
	n := newNotary(t, l, newNotaryTree(l.store))
	if _, signed, err := n.SignNow(ctx); err != nil || !signed {
		t.Fatalf("first head: %v %v", signed, err)
	}
	before, _ := l.store.Head(ctx)

	// when it is asked to sign again
	_, signed, err := n.SignNow(ctx)

	// then it signs nothing and appends nothing
	if err != nil || signed {
		t.Fatalf("signed %v: %v", signed, err)
	}
	if after, _ := l.store.Head(ctx); after != before {
		t.Fatalf("the log moved from %s to %s", before, after)
	}

	t.Run("but_signs_again_after_one_more_event", func(t *testing.T) {
		l.appendEvents(1, "procurement-b")
		h, signed, err := n.SignNow(ctx)
		if err != nil || !signed || h.Size != 7 {
			t.Fatalf("signed %v %+v: %v", signed, h, err)
		}
	})

	t.Run("and_nothing_in_an_empty_log", func(t *testing.T) {
		empty := newAuLog(t)
		if _, signed, err := newNotary(t, empty, newNotaryTree(empty.store)).SignNow(ctx); err != nil || signed {
			t.Fatalf("signed %v: %v", signed, err)
		}
	})
}

func TestTheNotarySignsAnEventThatLandedBetweenItsSigningAndItsHead(t *testing.T) {
	// given a notary whose views hold 9 events when a 10th is appended
	l := newAuLog(t)
	l.appendEvents(9, "procurement-a")
	tree := newNotaryTree(l.store).freeze(ctx)
	n := newNotary(t, l, tree)
	l.appendEvents(1, "procurement-b")

	// when it signs the 9 events, its head lands after the 10th
	if h, signed, err := n.SignNow(ctx); err != nil || !signed || h.Size != 9 {
		t.Fatalf("first head %+v %v: %v", h, signed, err)
	}

	// then, once its views have caught up, the 10th event is signed with the next head
	tree.follow()
	h, signed, err := n.SignNow(ctx)
	if err != nil || !signed || h.Size != 11 {
		t.Fatalf("second head %+v %v: %v", h, signed, err)
	}
	if _, signed, err := n.SignNow(ctx); err != nil || signed {
		t.Fatalf("a third head over nothing new: %v %v", signed, err)
	}
	rep, err := audit.VerifyLog(ctx, l.store, l.key, true, nil)
	if err != nil || rep.Heads != 2 || rep.LastHead.Size != 11 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}

func TestTheNotarySignsAtMaxEventsBeforeTheInterval(t *testing.T) {
	// given a notary that signs every hour, or after 5 events
	l := newAuLog(t)
	n := newNotary(t, l, newNotaryTree(l.store))
	n.Interval, n.MaxEvents = time.Hour, 5
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); n.Run(runCtx) }()
	defer func() { stop(); <-done }()

	// when 5 events are appended and observed as the views take them in
	l.appendEvents(5, "procurement-a", "procurement-b")
	for _, r := range l.records() {
		n.Observe(r)
	}

	// then a head over the 5 events is signed long before the hour
	deadline := time.Now().Add(10 * time.Second)
	for len(notaryHeads(t, l)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no head 10 s after the 5th event")
		}
		time.Sleep(10 * time.Millisecond)
	}
	h, err := audit.OpenHeadEvent(l.key, notaryHeads(t, l)[0].Data)
	if err != nil || h.Size != 5 {
		t.Fatalf("head %+v: %v", h, err)
	}
}

func TestTheNotarySignsWhatIsLeftWhenItStops(t *testing.T) {
	// given a running notary that signs every hour
	l := newAuLog(t)
	n := newNotary(t, l, newNotaryTree(l.store))
	n.Interval = time.Hour
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); n.Run(runCtx) }()

	// when 3 events arrive and it is stopped
	l.appendEvents(3, "procurement-a")
	stop()
	<-done

	// then its last act was to sign them
	heads := notaryHeads(t, l)
	if len(heads) != 1 {
		t.Fatalf("%d heads", len(heads))
	}
	if h, err := audit.OpenHeadEvent(l.key, heads[0].Data); err != nil || h.Size != 3 {
		t.Fatalf("head %+v: %v", h, err)
	}
}

func TestTwoNotariesSigningTheSameSizeAppendOneHead(t *testing.T) {
	// given a log of 9 events and a notary whose views are behind at 9 events
	l := newAuLog(t)
	l.appendEvents(9, "procurement-a", "accesslog-a")
	first := l.at
	l.at = l.at.Add(time.Second)
	behind := newNotary(t, l, newNotaryTree(l.store).freeze(ctx))
	l.at = first

	t.Run("one_after_the_other", func(t *testing.T) {
		// when a first notary signs the 9 events, and the one behind signs them too, a second later
		if _, signed, err := newNotary(t, l, newNotaryTree(l.store)).SignNow(ctx); err != nil || !signed {
			t.Fatalf("first: %v %v", signed, err)
		}
		h, signed, err := behind.SignNow(ctx)
		if err != nil || !signed || h.Size != 9 {
			t.Fatalf("behind: %v %+v %v", signed, h, err)
		}

		// then the log holds one head of 9 events, the first one's, and verifies
		heads := notaryHeads(t, l)
		if len(heads) != 1 {
			t.Fatalf("%d heads for one size", len(heads))
		}
		rep, err := audit.VerifyLog(ctx, l.store, l.key, true, nil)
		if err != nil || rep.Events != 10 || rep.Heads != 1 || !rep.LastHead.SignedAt.Equal(first) {
			t.Fatalf("verify: %+v %v", rep, err)
		}
	})

	t.Run("at_the_same_moment", func(t *testing.T) {
		// given 4 more events; when two notaries sign the 14 events at once
		l.appendEvents(4, "procurement-a")
		a, b := newNotary(t, l, newNotaryTree(l.store)), newNotary(t, l, newNotaryTree(l.store))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, n := range []*audit.Notary{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = n.SignNow(ctx)
			}()
		}
		wg.Wait()

		// then both succeed and one head of 14 events is appended
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		heads := notaryHeads(t, l)
		if len(heads) != 2 {
			t.Fatalf("%d heads, want the one of 9 and one of 14", len(heads))
		}
		if h, err := audit.OpenHeadEvent(l.key, heads[1].Data); err != nil || h.Size != 14 {
			t.Fatalf("head %+v: %v", h, err)
		}
		if rep, err := audit.VerifyLog(ctx, l.store, l.key, true, nil); err != nil || rep.Heads != 2 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
	})
}

func TestANotaryNeedsEveryDependency(t *testing.T) {
	l := newAuLog(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return l.at }
	tree := newNotaryTree(l.store)
	for name, build := range map[string]func() (*audit.Notary, error){
		"store":  func() (*audit.Notary, error) { return audit.NewNotary(nil, l.signer, tree, now, log) },
		"signer": func() (*audit.Notary, error) { return audit.NewNotary(l.store, nil, tree, now, log) },
		"tree":   func() (*audit.Notary, error) { return audit.NewNotary(l.store, l.signer, nil, now, log) },
		"clock":  func() (*audit.Notary, error) { return audit.NewNotary(l.store, l.signer, tree, nil, log) },
		"logger": func() (*audit.Notary, error) { return audit.NewNotary(l.store, l.signer, tree, now, nil) },
	} {
		if n, err := build(); err == nil || n != nil {
			t.Errorf("a notary without a %s: %v", name, err)
		}
	}
}
