package audit

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/eventstore"
)

// Broken is the first place where a log fails verification: which event, and
// what is wrong with it. The event is named as the log has it (a tampered
// event names what the tampered copy says).
type Broken struct {
	Index    int64 // the event's place in the log, from 0 (its Merkle leaf)
	Position eventstore.Position
	Stream   string
	Revision uint64
	EventID  string
	What     string
}

func (b *Broken) Error() string {
	if b.Stream == "" {
		return fmt.Sprintf("log broken after event %d: %s", b.Index, b.What)
	}
	return fmt.Sprintf("log broken at event %d (position %s, %s@%d, id %s): %s",
		b.Index, b.Position, b.Stream, b.Revision, b.EventID, b.What)
}

// Check verifies a log read in order, event by event: positions, every
// stream's revisions and hash chain, every event's hash over its content, and
// every signed tree head against the Merkle tree recomputed from the events
// before it. It stops at the first broken place.
type Check struct {
	key     *Verifier
	gapless bool
	tree    *Tree
	tips    map[string]tip
	last    eventstore.Position
	heads   []TreeHead // verified, in the order met
	trusted []trustedHead
	broken  *Broken
}

type tip struct {
	revision uint64
	hash     string
}

type trustedHead struct {
	head   TreeHead
	source string
}

// NewCheck verifies against the published key. gapless says positions must
// be 1, 2, 3, … (the embedded log and exports of a whole log): a missing
// position is then a deleted event.
func NewCheck(key *Verifier, gapless bool, sizeHint int) *Check {
	return &Check{key: key, gapless: gapless, tree: NewTree(sizeHint), tips: map[string]tip{}}
}

// Tree is the Merkle tree as recomputed so far.
func (c *Check) Tree() *Tree { return c.tree }

// Heads are the signed heads verified so far.
func (c *Check) Heads() []TreeHead { return c.heads }

// Trust adds a signed head kept outside the log (fetched earlier from the
// server, from a previous export): Finish checks the log still holds what it
// signed, which catches a truncated tail the log's own heads cannot.
func (c *Check) Trust(signed []byte, source string) error {
	h, err := c.key.Open(signed)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	c.trusted = append(c.trusted, trustedHead{h, source})
	return nil
}

func (c *Check) fail(rec eventstore.Record, what string, args ...any) error {
	c.broken = &Broken{Index: c.tree.Size(), Position: rec.Position, Stream: rec.Stream, Revision: rec.Revision,
		EventID: rec.ID, What: fmt.Sprintf(what, args...)}
	return c.broken
}

// Add verifies the next event of the log.
func (c *Check) Add(rec eventstore.Record) error {
	h, err := eventstore.HashOf(rec)
	return c.add(rec, h, err)
}

// add verifies the next event, its hash recomputed by the caller (VerifyLog
// recomputes hashes on the reading goroutines, in parallel).
func (c *Check) add(rec eventstore.Record, h string, hashErr error) error {
	if c.broken != nil {
		return c.broken
	}
	switch {
	case c.gapless && rec.Position != eventstore.Seq(uint64(c.tree.Size())+1):
		if rec.Position.Less(eventstore.Seq(uint64(c.tree.Size()) + 1)) {
			return c.fail(rec, "position %s comes after %s: events are out of order or repeated", rec.Position, c.last)
		}
		return c.fail(rec, "position %s follows %s: the events between them are missing", rec.Position, c.last)
	case !c.gapless && c.tree.Size() > 0 && !c.last.Less(rec.Position):
		return c.fail(rec, "position %s comes after %s: events are out of order or repeated", rec.Position, c.last)
	}
	t, seen := c.tips[rec.Stream]
	switch {
	case !seen && rec.Revision != 0:
		return c.fail(rec, "the stream's first event in the log has revision %d: revisions 0–%d are missing", rec.Revision, rec.Revision-1)
	case seen && rec.Revision != t.revision+1:
		return c.fail(rec, "revision %d follows %d in the stream: an event is missing, repeated or out of order", rec.Revision, t.revision)
	case !seen && rec.PrevHash != "":
		return c.fail(rec, "the stream's first event names a previous hash")
	case seen && rec.PrevHash != t.hash:
		return c.fail(rec, "the previous hash does not match the stream's event before it")
	}
	if hashErr != nil {
		return c.fail(rec, "the hash cannot be recomputed: %v", hashErr)
	}
	if h != rec.Hash {
		return c.fail(rec, "the hash does not match the event's content: its data or metadata were changed")
	}
	leaf, err := LeafOf(rec.Hash)
	if err != nil {
		return c.fail(rec, "%v", err)
	}
	if IsHead(rec) {
		if err := c.checkHead(rec); err != nil {
			return err
		}
	}
	c.tree.Add(leaf)
	c.tips[rec.Stream] = tip{rec.Revision, rec.Hash}
	c.last = rec.Position
	return nil
}

// checkHead verifies a signed head met in the log against the tree of the
// events before it.
func (c *Check) checkHead(rec eventstore.Record) error {
	h, err := OpenHeadEvent(c.key, rec.Data)
	if err != nil {
		return c.fail(rec, "signed tree head: %v", err)
	}
	if h.Size > c.tree.Size() {
		return c.fail(rec, "the head is signed at size %d, but only %d events come before it", h.Size, c.tree.Size())
	}
	if err := c.matches(h); err != nil {
		return c.fail(rec, "%v", err)
	}
	c.heads = append(c.heads, h)
	return nil
}

// matches compares a head with the recomputed tree.
func (c *Check) matches(h TreeHead) error {
	root, err := c.tree.Root(h.Size)
	if err != nil {
		return err
	}
	if root != h.Root {
		return fmt.Errorf("the head signed at %s for the first %d events has root %s, the log gives %s: "+
			"an event among the first %d was changed, removed, added or reordered",
			h.SignedAt.Format("2006-01-02T15:04:05Z07:00"), h.Size, h.Root, root, h.Size)
	}
	return nil
}

// Report is what a verified log holds.
type Report struct {
	Events      int64
	Streams     int
	Root        tlog.Hash
	Heads       int // signed heads met in the log, all verified
	Trusted     int // heads kept outside the log, all verified
	LastHead    *TreeHead
	Unwitnessed int64 // events after the last signed head: no signature covers them yet
	Proven      bool  // a case export: each event proven in the log the closing head signs
}

// Finish checks the heads kept outside the log and reports.
func (c *Check) Finish() (Report, error) {
	if c.broken != nil {
		return Report{}, c.broken
	}
	for _, t := range c.trusted {
		if t.head.Size > c.tree.Size() {
			c.broken = &Broken{Index: c.tree.Size(), What: fmt.Sprintf(
				"%s: a head signed at %s covers %d events, the log has only %d: its tail was cut off",
				t.source, t.head.SignedAt.Format("2006-01-02T15:04:05Z07:00"), t.head.Size, c.tree.Size())}
			return Report{}, c.broken
		}
		if err := c.matches(t.head); err != nil {
			c.broken = &Broken{Index: t.head.Size, What: fmt.Sprintf("%s: %v", t.source, err)}
			return Report{}, c.broken
		}
	}
	r := Report{Events: c.tree.Size(), Streams: len(c.tips), Heads: len(c.heads), Trusted: len(c.trusted)}
	r.Root, _ = c.tree.Root(c.tree.Size())
	r.Unwitnessed = c.tree.Size()
	for _, h := range append(append([]TreeHead{}, c.heads...), trustedHeads(c.trusted)...) {
		if r.LastHead == nil || h.Size > r.LastHead.Size {
			h := h
			r.LastHead = &h
			r.Unwitnessed = c.tree.Size() - h.Size
		}
	}
	return r, nil
}

func trustedHeads(ts []trustedHead) []TreeHead {
	out := make([]TreeHead, len(ts))
	for i, t := range ts {
		out[i] = t.head
	}
	return out
}
