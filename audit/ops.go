package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/eventstore"
)

// readPage is how many events one read of the log brings.
const readPage = 10_000

// eachRecord reads the whole log in order.
func eachRecord(ctx context.Context, store eventstore.Store, fn func(eventstore.Record) error) error {
	after := eventstore.Position{}
	for {
		page, err := store.ReadAll(ctx, after, readPage)
		if err != nil {
			return fmt.Errorf("audit: read the log after %s: %w", after, err)
		}
		for _, rec := range page {
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(page) < readPage {
			return nil
		}
		after = page[len(page)-1].Position
	}
}

// sizeHint is how many events to make room for: the head of a gapless log
// counts them; another store's head is a byte position and says nothing.
func sizeHint(head eventstore.Position, gapless bool) int {
	if !gapless {
		return 1 << 16
	}
	return int(min(head.Commit, 1<<26))
}

// VerifyLog verifies a whole log as a store serves it. gapless: the store's
// positions are 1, 2, 3, … (the embedded log). trusted are signed heads kept
// outside the log.
func VerifyLog(ctx context.Context, store eventstore.Store, key *Verifier, gapless bool, trusted map[string][]byte) (Report, error) {
	head, err := store.Head(ctx)
	if err != nil {
		return Report{}, err
	}
	c := NewCheck(key, gapless, sizeHint(head, gapless))
	for source, signed := range trusted {
		if err := c.Trust(signed, source); err != nil {
			return Report{}, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the readers when a break ends the check early
	for p := range readAhead(ctx, store, gapless) {
		if p.err != nil {
			return Report{}, p.err
		}
		for i, rec := range p.recs {
			if err := c.add(rec, p.hashes[i], p.hashErrs[i]); err != nil {
				return Report{}, err
			}
		}
	}
	return c.Finish()
}

// ExportLog writes the whole log.
func ExportLog(ctx context.Context, store eventstore.Store, w io.Writer, publicKey string, now time.Time) (int64, error) {
	ew, err := NewWriter(w, Header{Scope: ScopeLog, PublicKey: publicKey, ExportedAt: now.UTC()})
	if err != nil {
		return 0, err
	}
	var n int64
	err = eachRecord(ctx, store, func(rec eventstore.Record) error {
		err := ew.Event(n, rec, nil)
		n++
		return err
	})
	if err != nil {
		return n, err
	}
	return n, ew.Close("")
}

// ExportStreams writes the events of some streams (one case's) with a proof of
// each event's inclusion in the log's tree, closed by a head signed now over
// the whole log as read. The proofs need the whole tree, so the whole log is
// read; only the chosen streams are written.
func ExportStreams(ctx context.Context, store eventstore.Store, gapless bool, w io.Writer, signer *Signer, caseID string, streams []string, now time.Time) (int, error) {
	want := map[string]bool{}
	for _, s := range streams {
		want[s] = true
	}
	head, err := store.Head(ctx)
	if err != nil {
		return 0, err
	}
	tree := NewTree(sizeHint(head, gapless))
	type picked struct {
		index int64
		rec   eventstore.Record
	}
	var chosen []picked
	err = eachRecord(ctx, store, func(rec eventstore.Record) error {
		leaf, err := LeafOf(rec.Hash)
		if err != nil {
			return fmt.Errorf("audit: %s@%d: %w", rec.Stream, rec.Revision, err)
		}
		i := tree.Add(leaf)
		if want[rec.Stream] {
			chosen = append(chosen, picked{i, rec})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if tree.Size() == 0 {
		return 0, errors.New("audit: the log is empty")
	}
	root, err := tree.Root(tree.Size())
	if err != nil {
		return 0, err
	}
	signed, err := signer.Sign(TreeHead{Size: tree.Size(), Root: root, SignedAt: now.UTC()})
	if err != nil {
		return 0, err
	}
	ew, err := NewWriter(w, Header{Scope: ScopeCase, Case: caseID, Streams: streams, Gapless: gapless, PublicKey: signer.PublicKey(), ExportedAt: now.UTC()})
	if err != nil {
		return 0, err
	}
	for _, p := range chosen {
		proof, err := tree.InclusionProof(p.index, tree.Size())
		if err != nil {
			return 0, err
		}
		if err := ew.Event(p.index, p.rec, proof); err != nil {
			return 0, err
		}
	}
	return len(chosen), ew.Close(signed)
}

// VerifyExport verifies an export file: a whole log like VerifyLog; a case's
// streams by their hash chains from revision 0 and each event's inclusion
// proof in the signed head that closes the file.
func VerifyExport(r io.Reader, key *Verifier, trusted map[string][]byte) (Report, error) {
	rd, err := NewReader(r)
	if err != nil {
		return Report{}, err
	}
	if rd.Header.Scope == ScopeCase {
		return verifyCaseExport(rd, key)
	}
	c := NewCheck(key, true, 1<<16)
	for source, signed := range trusted {
		if err := c.Trust(signed, source); err != nil {
			return Report{}, err
		}
	}
	for {
		l, closing, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Report{}, err
		}
		if l == nil {
			return Report{}, fmt.Errorf("%w: line %d: a whole-log export has no closing head (%d chars)", ErrMalformedExport, rd.LineNumber(), len(closing))
		}
		rec, err := l.Record()
		if err != nil {
			return Report{}, fmt.Errorf("%w: line %d: %v", ErrMalformedExport, rd.LineNumber(), err)
		}
		if l.Index != c.Tree().Size() {
			return Report{}, &Broken{Index: c.Tree().Size(), Position: rec.Position, Stream: rec.Stream, Revision: rec.Revision, EventID: rec.ID,
				What: fmt.Sprintf("line %d says it is event %d: events are missing, repeated or out of order", rd.LineNumber(), l.Index)}
		}
		if err := c.Add(rec); err != nil {
			return Report{}, err
		}
	}
	return c.Finish()
}

// verifyCaseExport checks a case export: chains, hashes, proofs, the closing head.
func verifyCaseExport(rd *Reader, key *Verifier) (Report, error) {
	gapless := rd.Header.Gapless
	type proven struct {
		line  int
		index int64
		rec   eventstore.Record
		proof tlog.RecordProof
	}
	var events []proven
	tips := map[string]tip{}
	closing := ""
	for {
		l, note, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Report{}, err
		}
		if closing != "" {
			return Report{}, fmt.Errorf("%w: line %d follows the closing head", ErrMalformedExport, rd.LineNumber())
		}
		if l == nil {
			closing = note
			continue
		}
		rec, err := l.Record()
		if err != nil {
			return Report{}, fmt.Errorf("%w: line %d: %v", ErrMalformedExport, rd.LineNumber(), err)
		}
		proof, err := l.ProofHashes()
		if err != nil {
			return Report{}, fmt.Errorf("%w: line %d: %v", ErrMalformedExport, rd.LineNumber(), err)
		}
		broken := func(what string, args ...any) error {
			return &Broken{Index: l.Index, Position: rec.Position, Stream: rec.Stream, Revision: rec.Revision, EventID: rec.ID,
				What: fmt.Sprintf("line %d: ", rd.LineNumber()) + fmt.Sprintf(what, args...)}
		}
		t, seen := tips[rec.Stream]
		switch {
		case !seen && (rec.Revision != 0 || rec.PrevHash != ""):
			return Report{}, broken("the stream starts at revision %d: the events before it are missing", rec.Revision)
		case seen && rec.Revision != t.revision+1:
			return Report{}, broken("revision %d follows %d in the stream: an event is missing, repeated or out of order", rec.Revision, t.revision)
		case seen && rec.PrevHash != t.hash:
			return Report{}, broken("the previous hash does not match the stream's event before it")
		}
		h, err := eventstore.HashOf(rec)
		if err != nil || h != rec.Hash {
			return Report{}, broken("the hash does not match the event's content: its data or metadata were changed")
		}
		tips[rec.Stream] = tip{rec.Revision, rec.Hash}
		events = append(events, proven{rd.LineNumber(), l.Index, rec, proof})
	}
	if closing == "" {
		return Report{}, fmt.Errorf("%w: the case export has no closing head: its proofs lead nowhere (truncated?)", ErrMalformedExport)
	}
	head, err := key.Open([]byte(closing))
	if err != nil {
		return Report{}, &Broken{What: fmt.Sprintf("the closing head: %v", err)}
	}
	for i, e := range events {
		broken := func(what string, args ...any) error {
			return &Broken{Index: e.index, Position: e.rec.Position, Stream: e.rec.Stream, Revision: e.rec.Revision, EventID: e.rec.ID,
				What: fmt.Sprintf("line %d: ", e.line) + fmt.Sprintf(what, args...)}
		}
		leaf, err := LeafOf(e.rec.Hash)
		if err == nil {
			err = CheckInclusion(e.proof, head, e.index, leaf)
		}
		if err != nil {
			return Report{}, broken("not in the signed log: %v", err)
		}
		// The position is covered by neither the hash nor the proof, the leaf
		// index is proven: in a gapless log the one follows from the other,
		// in any log positions follow the proven order.
		if gapless && e.rec.Position != eventstore.Seq(uint64(e.index)+1) {
			return Report{}, broken("position %s, but the event is event %d of a gapless log (position %d)", e.rec.Position, e.index, e.index+1)
		}
		if i > 0 && (e.index <= events[i-1].index || !events[i-1].rec.Position.Less(e.rec.Position)) {
			return Report{}, broken("positions out of the log's proven order")
		}
	}
	return Report{Events: int64(len(events)), Streams: len(tips), Root: head.Root, Heads: 1, LastHead: &head, Proven: true}, nil
}

// MaxTreeSize bounds the trees proofs are checked for: tlog's arithmetic
// overflows (and loops) beyond 2^62 leaves, which no log reaches.
const MaxTreeSize = 1 << 62

// CheckInclusion checks that leaf is the index-th event of the log the head signs.
func CheckInclusion(proof tlog.RecordProof, head TreeHead, index int64, leaf []byte) error {
	if head.Size > MaxTreeSize {
		return fmt.Errorf("a tree of %d events is beyond what a proof can be checked for (at most %d)", head.Size, int64(MaxTreeSize))
	}
	if index < 0 || index >= head.Size {
		return fmt.Errorf("event %d is outside a tree of %d events", index, head.Size)
	}
	if err := tlog.CheckRecord(proof, head.Size, head.Root, index, tlog.RecordHash(leaf)); err != nil {
		return fmt.Errorf("the inclusion proof of event %d in the tree of %d events does not hold: %w", index, head.Size, err)
	}
	return nil
}

// CheckConsistency checks that the older head's log is a prefix of the newer's.
func CheckConsistency(proof tlog.TreeProof, older, newer TreeHead) error {
	if newer.Size > MaxTreeSize {
		return fmt.Errorf("a tree of %d events is beyond what a proof can be checked for (at most %d)", newer.Size, int64(MaxTreeSize))
	}
	if older.Size < 1 || older.Size > newer.Size {
		return fmt.Errorf("no consistency between a tree of %d and one of %d events", older.Size, newer.Size)
	}
	if err := tlog.CheckTree(proof, newer.Size, newer.Root, older.Size, older.Root); err != nil {
		return fmt.Errorf("the tree of %d events is not a prefix of the tree of %d: %w", older.Size, newer.Size, err)
	}
	return nil
}
