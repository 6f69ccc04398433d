package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
)

// The fuzzers feed the verifier what an attacker, a broken disk or a careless
// copy can hand it: arbitrary export files, proofs and signed heads. None may
// panic, and none may be accepted unless what it vouches for is genuine: the
// events of the real log at their real places, the real proof, a head the
// published key signed. The log is built in memory with a key derived from a
// fixed seed, so an input go test keeps in testdata/fuzz replays against the
// very same log and signatures.

// fuzzFixture is a small log of three streams with a head every 8 events.
type fuzzFixture struct {
	signer  *audit.Signer
	key     *audit.Verifier
	recs    []eventstore.Record
	tree    *audit.Tree
	heads   []audit.TreeHead // every head the key signed: the log's, then the case export's closing one
	notes   []string         // their signed notes, in the same order
	data    [][]byte         // the log's head events' data
	export  []byte           // the whole log
	caseExp []byte           // procurement-f and accesslog-f with their proofs
}

// fuzzSigner derives an ed25519 note key from a text: the same text, the same key.
func fuzzSigner(tb testing.TB, name, seedText string) *audit.Signer {
	tb.Helper()
	seed := sha256.Sum256([]byte(seedText))
	pub := ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		tb.Fatal(err)
	}
	parts := strings.Split(vkey, "+") // name+hash+key
	skey := "PRIVATE+KEY+" + name + "+" + parts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed[:]...))
	s, err := audit.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	if s.PublicKey() != vkey {
		tb.Fatalf("derived key %s, signer says %s", vkey, s.PublicKey())
	}
	return s
}

func fuzzBuild(tb testing.TB) *fuzzFixture {
	tb.Helper()
	x := &fuzzFixture{signer: fuzzSigner(tb, "felles-fuzz", "felles fuzz key"), tree: audit.NewTree(32)}
	var err error
	if x.key, err = audit.NewVerifier(x.signer.PublicKey()); err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	type tip struct {
		revision uint64
		hash     string
		seen     bool
	}
	tips := map[string]tip{}
	ns := uuid.MustParse("6f1c0a4e-2b1d-4c3e-9f50-7a8b9c0d1e2f")
	appendRec := func(stream string, e eventstore.EventData) {
		tp := tips[stream]
		rec := eventstore.Record{ID: e.ID, Stream: stream, Position: eventstore.Seq(uint64(len(x.recs) + 1)), Type: e.Type,
			SchemaVersion: e.SchemaVersion, Data: e.Data, Metadata: e.Metadata, RecordedAt: at}
		if tp.seen {
			rec.Revision = tp.revision + 1
		}
		if err := eventstore.Seal(&rec, tp.hash); err != nil {
			tb.Fatal(err)
		}
		tips[stream] = tip{rec.Revision, rec.Hash, true}
		x.recs = append(x.recs, rec)
		leaf, err := audit.LeafOf(rec.Hash)
		if err != nil {
			tb.Fatal(err)
		}
		x.tree.Add(leaf)
	}
	streams := []string{"procurement-f", "accesslog-f", "organisation-oslo"}
	for i := 0; i < 21; i++ {
		at = at.Add(time.Second)
		data, _ := json.Marshal(map[string]any{"n": i, "note": fmt.Sprintf("event %d <&>", i)})
		appendRec(streams[i%len(streams)], eventstore.EventData{ID: uuid.NewSHA1(ns, []byte{byte(i)}).String(), Type: "Something",
			SchemaVersion: 1, Data: data, Metadata: eventstore.Metadata{User: "u", Org: "oslo", CommandID: fmt.Sprint("c", i),
				CorrelationID: "k", OccurredAt: at}})
		if i%7 == 6 {
			root, err := x.tree.Root(x.tree.Size())
			if err != nil {
				tb.Fatal(err)
			}
			h := audit.TreeHead{Size: x.tree.Size(), Root: root, SignedAt: at}
			e, err := audit.NewHeadEvent(x.signer, h)
			if err != nil {
				tb.Fatal(err)
			}
			appendRec(audit.HeadStream, e)
			x.heads, x.data = append(x.heads, h), append(x.data, e.Data)
			var he audit.HeadEvent
			if err := json.Unmarshal(e.Data, &he); err != nil {
				tb.Fatal(err)
			}
			x.notes = append(x.notes, he.Note)
		}
	}
	store := tamperStore{recs: x.recs}
	var exp, caseExp bytes.Buffer
	if _, err := audit.ExportLog(ctx, store, &exp, x.signer.PublicKey(), at); err != nil {
		tb.Fatal(err)
	}
	if _, err := audit.ExportStreams(ctx, store, true, &caseExp, x.signer, "f", []string{"procurement-f", "accesslog-f"}, at); err != nil {
		tb.Fatal(err)
	}
	x.export, x.caseExp = exp.Bytes(), caseExp.Bytes()
	closing := tamperLines(x.caseExp)
	var c audit.Closing
	if err := json.Unmarshal(closing[len(closing)-1], &c); err != nil {
		tb.Fatal(err)
	}
	h, err := x.key.Open([]byte(c.Note))
	if err != nil {
		tb.Fatal(err)
	}
	x.heads, x.notes = append(x.heads, h), append(x.notes, c.Note)
	return x
}

// genuine says whether a head is one the key signed.
func (x *fuzzFixture) genuine(h audit.TreeHead) bool {
	for _, g := range x.heads {
		if g.Size == h.Size && g.Root == h.Root && g.SignedAt.Equal(h.SignedAt) {
			return true
		}
	}
	return false
}

// fuzzMutations are a few ways to spoil a file, for the seed corpus.
func fuzzMutations(file []byte) [][]byte {
	lines := tamperLines(file)
	half := bytes.Clone(file[:len(file)/2])
	flipped := bytes.Clone(file)
	flipped[len(flipped)*2/3] ^= 0x01
	dropped := tamperJoin(append(append([][]byte{}, lines[:3]...), lines[4:]...))
	swapped := tamperJoin(append(append(append([][]byte{}, lines[:2]...), lines[3], lines[2]), lines[4:]...))
	return [][]byte{half, flipped, dropped, swapped, tamperJoin(lines[:1]), tamperJoin(lines[1:]),
		bytes.ReplaceAll(file, []byte(`"index":`), []byte(`"index":-`))}
}

func FuzzVerifyExport(f *testing.F) {
	x := fuzzBuild(f)
	for _, file := range [][]byte{x.export, x.caseExp} {
		f.Add(file)
		for _, m := range fuzzMutations(file) {
			f.Add(m)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("{}\n"))
	f.Add([]byte(`{"kind":"header","format":"felles-export-v1","scope":"case"}` + "\n" + `{"kind":"head","note":""}` + "\n"))
	lastHead := map[string][]byte{"the log's last head": []byte(x.notes[len(x.notes)-2])}

	f.Fuzz(func(t *testing.T, file []byte) {
		for _, trusted := range []map[string][]byte{nil, lastHead} {
			rep, err := audit.VerifyExport(bytes.NewReader(file), x.key, trusted)
			if err != nil {
				continue
			}
			x.mustBeGenuine(t, file, rep, trusted != nil)
		}
	})
}

// mustBeGenuine holds a file the verifier accepted to what it vouches for:
// each event is the real log's event at its place (its content hashes to the
// real event's hash), a whole log's events are the real log's first ones (with
// the last head kept outside: at least the events it covers), and a case
// export closes with a head the key signed. A case export's positions are
// not held to it (TestACaseExportVouchesForThePositionsItNames).
func (x *fuzzFixture) mustBeGenuine(t *testing.T, file []byte, rep audit.Report, trusted bool) {
	t.Helper()
	rd, err := audit.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("accepted a file whose header cannot be read: %v", err)
	}
	var events int64
	closing := ""
	for {
		l, note, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("accepted a file with a line that cannot be read: %v", err)
		}
		if l == nil {
			closing = note
			continue
		}
		rec, err := l.Record()
		if err != nil {
			t.Fatalf("accepted line %d that is no record: %v", rd.LineNumber(), err)
		}
		if l.Index < 0 || l.Index >= int64(len(x.recs)) {
			t.Fatalf("accepted line %d as event %d of a log of %d", rd.LineNumber(), l.Index, len(x.recs))
		}
		real := x.recs[l.Index]
		if h, err := eventstore.HashOf(rec); err != nil || h != real.Hash || rec.Hash != real.Hash {
			t.Fatalf("accepted line %d as event %d, but it is not that event (%v)", rd.LineNumber(), l.Index, err)
		}
		if rd.Header.Scope == audit.ScopeLog && (l.Index != events || rec.Position != real.Position) {
			t.Fatalf("accepted line %d of a whole log as event %d at position %s, after %d events", rd.LineNumber(), l.Index, rec.Position, events)
		}
		events++
	}
	if rep.Events != events {
		t.Fatalf("reported %d events, the file holds %d", rep.Events, events)
	}
	switch rd.Header.Scope {
	case audit.ScopeLog:
		root, err := x.tree.Root(events)
		if err != nil || rep.Root != root {
			t.Fatalf("reported root %s for the first %d events, the log's is %s (%v)", rep.Root, events, root, err)
		}
		if last := x.heads[len(x.heads)-2]; trusted && events < last.Size {
			t.Fatalf("accepted %d events with a head over %d kept outside", events, last.Size)
		}
	case audit.ScopeCase:
		h, err := x.key.Open([]byte(closing))
		if err != nil || !x.genuine(h) {
			t.Fatalf("accepted a case export closed by a head the key did not sign: %v", err)
		}
	default:
		t.Fatalf("accepted a file of scope %q", rd.Header.Scope)
	}
}

// fuzzMaxSize is the largest tree size the proof fuzzers hand the checks:
// above it they do not return (TestAProofCheckAnswersForAHeadOfAnySize).
const fuzzMaxSize = int64(1) << 62

// fuzzHashes reads raw bytes as hashes, 32 bytes each (a rest is dropped).
func fuzzHashes(raw []byte) []tlog.Hash {
	out := make([]tlog.Hash, len(raw)/tlog.HashSize)
	for i := range out {
		copy(out[i][:], raw[i*tlog.HashSize:])
	}
	return out
}

func fuzzBytes(hs []tlog.Hash) []byte {
	var b []byte
	for _, h := range hs {
		b = append(b, h[:]...)
	}
	return b
}

func fuzzEqual(a, b []tlog.Hash) bool {
	return bytes.Equal(fuzzBytes(a), fuzzBytes(b))
}

func FuzzInclusionProof(f *testing.F) {
	x := fuzzBuild(f)
	n := x.tree.Size()
	leafOf := func(i int64) []byte {
		leaf, err := audit.LeafOf(x.recs[i].Hash)
		if err != nil {
			f.Fatal(err)
		}
		return leaf
	}
	for _, c := range [][2]int64{{0, n}, {5, n}, {n - 1, n}, {3, 8}, {0, 1}, {7, 8}} {
		p, err := x.tree.InclusionProof(c[0], c[1])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(fuzzBytes(p), c[0], c[1], leafOf(c[0]))
		f.Add(fuzzBytes(p[:len(p)/2]), c[0], c[1], leafOf(c[0]))
		f.Add(fuzzBytes(append(p, p...)), c[0]+1, c[1], leafOf(c[0]))
	}
	f.Add([]byte{}, int64(-1), int64(-5), []byte{})
	f.Add(bytes.Repeat([]byte{0xff}, 64*32), fuzzMaxSize-1, fuzzMaxSize, []byte("x"))

	f.Fuzz(func(t *testing.T, raw []byte, index, size int64, leaf []byte) {
		proof := fuzzHashes(raw)
		// any head at all: an answer, never a panic
		var root tlog.Hash
		copy(root[:], leaf)
		if size <= fuzzMaxSize {
			_ = audit.CheckInclusion(proof, audit.TreeHead{Size: size, Root: root}, index, leaf)
		}

		// the real head of the whole log, and the real tree at the size asked
		sizes := []int64{n}
		if size >= 1 && size <= n {
			sizes = append(sizes, size)
		}
		for _, s := range sizes {
			root, err := x.tree.Root(s)
			if err != nil {
				t.Fatal(err)
			}
			if audit.CheckInclusion(proof, audit.TreeHead{Size: s, Root: root}, index, leaf) != nil {
				continue
			}
			if index < 0 || index >= s {
				t.Fatalf("a proof of leaf %d holds in a tree of %d", index, s)
			}
			want, err := x.tree.InclusionProof(index, s)
			if err != nil {
				t.Fatal(err)
			}
			if !fuzzEqual(proof, want) || !bytes.Equal(leaf, leafOf(index)) {
				t.Fatalf("a proof that is not the real one holds for leaf %d in the tree of %d: %x", index, s, raw)
			}
		}
	})
}

func FuzzConsistencyProof(f *testing.F) {
	x := fuzzBuild(f)
	n := x.tree.Size()
	for _, c := range [][2]int64{{1, n}, {8, n}, {n, n}, {3, 16}, {16, 17}, {1, 2}} {
		p, err := x.tree.ConsistencyProof(c[0], c[1])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(fuzzBytes(p), c[0], c[1], []byte{})
		f.Add(fuzzBytes(p[:len(p)/2]), c[0], c[1], []byte{1})
		f.Add(fuzzBytes(append(p, p...)), c[0], c[1]+1, []byte("root"))
	}
	f.Add([]byte{}, int64(0), int64(-1), []byte{})
	f.Add(bytes.Repeat([]byte{7}, 70*32), fuzzMaxSize/2, fuzzMaxSize, bytes.Repeat([]byte{7}, 64))

	f.Fuzz(func(t *testing.T, raw []byte, older, newer int64, roots []byte) {
		proof := fuzzHashes(raw)
		// any two heads at all: an answer, never a panic
		var a, b tlog.Hash
		copy(a[:], roots)
		if len(roots) > tlog.HashSize {
			copy(b[:], roots[tlog.HashSize:])
		}
		if newer <= fuzzMaxSize {
			_ = audit.CheckConsistency(proof, audit.TreeHead{Size: older, Root: a}, audit.TreeHead{Size: newer, Root: b})
		}

		// the real trees: only the real proof holds, and never with another older root
		if older < 1 || older > newer || newer > n {
			return
		}
		ra, err := x.tree.Root(older)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := x.tree.Root(newer)
		if err != nil {
			t.Fatal(err)
		}
		oldHead, newHead := audit.TreeHead{Size: older, Root: ra}, audit.TreeHead{Size: newer, Root: rb}
		if audit.CheckConsistency(proof, oldHead, newHead) == nil {
			want, err := x.tree.ConsistencyProof(older, newer)
			if err != nil {
				t.Fatal(err)
			}
			if !fuzzEqual(proof, want) {
				t.Fatalf("a proof that is not the real one holds from %d to %d: %x", older, newer, raw)
			}
		}
		if a != ra {
			oldHead.Root = a
			if audit.CheckConsistency(proof, oldHead, newHead) == nil {
				t.Fatalf("the tree of %d is a prefix of the tree of %d under another root %s", older, newer, a)
			}
		}
	})
}

func FuzzOpenHead(f *testing.F) {
	x := fuzzBuild(f)
	other := fuzzSigner(f, "felles-fuzz", "another key")
	for i, signed := range x.notes {
		f.Add([]byte(signed))
		f.Add([]byte(strings.Replace(signed, "\n", "\n\n", 1)))
		f.Add([]byte(strings.Replace(signed, fmt.Sprint(x.heads[i].Size), fmt.Sprint(x.heads[i].Size+1), 1)))
		forged, err := other.Sign(x.heads[i])
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(forged))
		f.Add([]byte(signed + strings.SplitN(forged, "\n\n", 2)[1]))
	}
	for _, d := range x.data {
		f.Add(d)
		f.Add(bytes.Replace(d, []byte(`"size":`), []byte(`"size":1`), 1))
	}
	f.Add([]byte("felles log tree v1\n1\nAAAA\n2026-11-02T09:00:00Z\n\n— felles-fuzz+00000000+AAAA\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := x.key.Open(data); err == nil && !x.genuine(h) {
			t.Fatalf("opened a head the key never signed: %+v from %q", h, data)
		}
		h, err := audit.OpenHeadEvent(x.key, data)
		if err != nil {
			return
		}
		if !x.genuine(h) {
			t.Fatalf("opened a head event the key never signed: %+v from %q", h, data)
		}
		var e audit.HeadEvent
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("opened a head event that is not JSON: %v", err)
		}
		if e.Size != h.Size || e.Root != base64.StdEncoding.EncodeToString(h.Root[:]) || !e.SignedAt.Equal(h.SignedAt) {
			t.Fatalf("opened a head event whose fields say %d %s %s, its note %d %s %s", e.Size, e.Root, e.SignedAt, h.Size, h.Root, h.SignedAt)
		}
	})
}

func TestAProofCheckAnswersForAHeadOfAnySize(t *testing.T) {
	// tlog's maxpow2 overflows beyond 2^62 leaves and loops: CheckInclusion and
	// CheckConsistency refuse such trees instead (audit.MaxTreeSize).

	// given a head of 2^62+1 events and a proof of one hash
	head := audit.TreeHead{Size: 1<<62 + 1}

	// when inclusion and consistency are checked, then each says no
	if err := audit.CheckInclusion(make(tlog.RecordProof, 1), head, 0, []byte("x")); err == nil {
		t.Error("an inclusion proof holds in an empty tree")
	}
	if err := audit.CheckConsistency(make(tlog.TreeProof, 1), audit.TreeHead{Size: 1}, head); err == nil {
		t.Error("a consistency proof holds between empty trees")
	}
}
