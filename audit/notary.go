package audit

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/eventstore"
)

// TreeSource is the server's tree as the views hold it (projections/merkle).
type TreeSource interface {
	Size(ctx context.Context) (int64, error)
	Root(ctx context.Context, n int64) (tlog.Hash, error)
	// Uncovered counts the events, heads aside, that no signed head in the
	// tree covers yet: those after the size the latest head signs.
	Uncovered(ctx context.Context) (int64, error)
}

// Notary signs tree heads: every Interval, and as soon as MaxEvents events
// arrived since the last head, whichever comes first, whenever the log holds
// events after the last head. Each head is appended to the log as a
// TreeHeadSigned event whose ID is derived from its size, so two notaries (a
// restart, two replicas) never append the same size twice.
type Notary struct {
	store     eventstore.Store
	signer    *Signer
	tree      TreeSource
	now       func() time.Time
	log       *slog.Logger
	Interval  time.Duration
	MaxEvents int64

	pending atomic.Int64
	kick    chan struct{}
}

// Defaults of DOMAIN.md §4.6 "periodic signed checkpoints" as issue 7 asks.
const (
	DefaultHeadInterval  = time.Minute
	DefaultHeadMaxEvents = 10_000
)

// NewNotary signs with signer over tree and appends to store.
func NewNotary(store eventstore.Store, signer *Signer, tree TreeSource, now func() time.Time, log *slog.Logger) (*Notary, error) {
	if store == nil || signer == nil || tree == nil || now == nil || log == nil {
		return nil, errors.New("audit: NewNotary needs a store, a signer, a tree, a clock and a logger")
	}
	return &Notary{store: store, signer: signer, tree: tree, now: now, log: log,
		Interval: DefaultHeadInterval, MaxEvents: DefaultHeadMaxEvents, kick: make(chan struct{}, 1)}, nil
}

// PublicKey is the key heads are signed with, to publish.
func (n *Notary) PublicKey() string { return n.signer.PublicKey() }

// Observe counts an event the tree has taken in (the views runner's commit
// hook); at MaxEvents it wakes the notary.
func (n *Notary) Observe(rec eventstore.Record) {
	if IsHead(rec) {
		return
	}
	if n.pending.Add(1) >= n.MaxEvents {
		select {
		case n.kick <- struct{}{}:
		default:
		}
	}
}

// Run signs until ctx ends, then signs what is left once more.
func (n *Notary) Run(ctx context.Context) {
	t := time.NewTicker(n.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			last, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if _, _, err := n.SignNow(last); err != nil {
				n.log.Warn("notary: last tree head at shutdown not signed", "error", err)
			}
			cancel()
			return
		case <-t.C:
		case <-n.kick:
		}
		if _, _, err := n.SignNow(ctx); err != nil && ctx.Err() == nil {
			n.log.Error("notary: tree head not signed", "error", err)
		}
	}
}

// SignNow signs the tree as the views hold it, if it holds events no head
// covers yet (heads themselves aside: a head needs no head of its own); signed
// is false when there was nothing new.
func (n *Notary) SignNow(ctx context.Context) (TreeHead, bool, error) {
	// The size first: a head another notary appends in between then makes
	// this one sign nothing new (or the same size, which the log takes once),
	// rather than a head over that head alone.
	size, err := n.tree.Size(ctx)
	if err != nil {
		return TreeHead{}, false, err
	}
	uncovered, err := n.tree.Uncovered(ctx)
	if err != nil || uncovered == 0 {
		return TreeHead{}, false, err
	}
	root, err := n.tree.Root(ctx, size)
	if err != nil {
		return TreeHead{}, false, err
	}
	h := TreeHead{Size: size, Root: root, SignedAt: n.now().UTC()}
	ev, err := NewHeadEvent(n.signer, h)
	if err != nil {
		return TreeHead{}, false, err
	}
	if _, err := n.store.Append(ctx, HeadStream, eventstore.Any, []eventstore.EventData{ev}); err != nil {
		return TreeHead{}, false, err
	}
	n.pending.Store(0)
	n.log.Info("notary: tree head signed", "size", size, "root", root.String())
	return h, true, nil
}
