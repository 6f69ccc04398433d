package audit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

// The tamper suite takes a real embedded log (several streams, heads signed
// every 50 events as the notary signs them, the last event a head), tampers
// with copies of it in every way that matters, and holds the verifier to
// catching every one of them at the place it can be known: the changed event
// for a changed byte, the first missing position for a deletion, the first
// head that covers a reordering, and so on. It tampers two ways: rows of a
// copy of events.db (append-only triggers dropped) read back through
// sqlite.Open and audit.VerifyLog, and lines of an export read by
// audit.VerifyExport. Both are driven by one model of the tampered log, so
// every tampering is tried on both.
//
// Undetectable in principle, and shown as such below (each is asserted to
// verify without help, then to be caught with a head kept outside the log):
//
//   - A cut-off tail. Removing the last events, heads included, leaves a
//     shorter log that is whole in itself. A head kept outside the log
//     (Check.Trust, `felles verify --heads`) that covers more catches it.
//   - The newest head's own event. A head covers the events before it, never
//     itself, so deleting the log's last event when it is a head, or
//     rewriting its envelope and recomputing its hash, leaves nothing in the
//     log that disagrees, and not even that head kept outside catches it: only
//     a head signed over it (the next one, or one fetched from the server
//     before it was appended) does. Its signed note cannot be changed.
//   - A case export proves that each event it holds is in the log, not that
//     it holds every event of the case: dropping a stream's last lines leaves
//     a valid export of fewer events (TestTamperingACaseExportIsCaught).
//
// A byte flip in a JSON key's letter case (`"User"` for `"user"`) is no
// tampering: encoding/json reads it as the same field, so the event means
// what it meant and its hash still holds. The flips below change values.

// tamperBatches of tamperBatchSize events each end with a signed head; the
// stream lists rotate so that neighbours differ from batch to batch, and
// organisation-bergen lives only in the second batch (its last event is
// covered by heads, not by a later event of its own chain).
const tamperBatchSize = 50

var tamperBatches = [][]string{
	{"procurement-a", "procurement-b", "organisation-oslo", "accesslog-a"},
	{"procurement-b", "organisation-bergen", "procurement-a", "accesslog-a", "procurement-a"},
	{"procurement-a", "accesslog-a", "organisation-oslo"},
	{"organisation-oslo", "procurement-b", "procurement-a", "accesslog-a", "procurement-a"},
}

// tamperFixture is the untouched log in every form the suite tampers with.
type tamperFixture struct {
	key      *audit.Verifier
	other    *audit.Signer // an attacker's key, with the same name
	recs     []eventstore.Record
	db       []byte   // events.db, checkpointed
	export   []byte   // the whole log
	lines    [][]byte // its lines: the header, then the event at position p on line p
	header   audit.Header
	caseExp  []byte // procurement-a and accesslog-a with their proofs
	lastHead []byte // the log's own last head, kept outside as an auditor would
	outside  []byte // a head over the whole log, last head included: fetched, never appended
	dir      string
	n        atomic.Int64 // copies of events.db made
}

func tamperBuild(t *testing.T) *tamperFixture {
	t.Helper()
	l := newAuLog(t)
	for _, streams := range tamperBatches {
		l.appendEvents(tamperBatchSize, streams...)
		l.signHead()
	}
	f := &tamperFixture{key: l.key, recs: l.records(), dir: t.TempDir()}
	skey, _, err := note.GenerateKey(rand.Reader, "felles-test")
	if err != nil {
		t.Fatal(err)
	}
	if f.other, err = audit.NewSigner(skey); err != nil {
		t.Fatal(err)
	}
	var exp, caseExp bytes.Buffer
	if _, err := audit.ExportLog(ctx, l.store, &exp, l.signer.PublicKey(), l.at); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.ExportStreams(ctx, l.store, true, &caseExp, l.signer, "a", []string{"procurement-a", "accesslog-a"}, l.at); err != nil {
		t.Fatal(err)
	}
	f.export, f.caseExp = exp.Bytes(), caseExp.Bytes()
	f.lines = tamperLines(f.export)
	if err := json.Unmarshal(f.lines[0], &f.header); err != nil {
		t.Fatal(err)
	}
	last := f.recs[len(f.recs)-1]
	if !audit.IsHead(last) {
		t.Fatal("the log must end with a head")
	}
	f.lastHead = []byte(tamperHeadOf(t, last).Note)
	root, err := l.tree.Root(l.tree.Size())
	if err != nil {
		t.Fatal(err)
	}
	outside, err := l.signer.Sign(audit.TreeHead{Size: l.tree.Size(), Root: root, SignedAt: l.at.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	f.outside = []byte(outside)

	// The file is copied with the store closed: its last checkpoint leaves
	// nothing in the write-ahead log.
	if err := l.store.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(l.dir, "events.db-wal")); err == nil && st.Size() > 0 {
		t.Fatalf("the closed store left %d bytes in its WAL", st.Size())
	}
	if f.db, err = os.ReadFile(filepath.Join(l.dir, "events.db")); err != nil {
		t.Fatal(err)
	}

	// The untouched copies verify, and the model writes the export back byte for byte.
	for i, e := range f.model() {
		if line := tamperEncode(t, tamperLineOf(e)); !bytes.Equal(line, f.lines[i+1]) {
			t.Fatalf("the model writes line %d as\n%s\nExportLog wrote\n%s", i+2, line, f.lines[i+1])
		}
	}
	if !bytes.Equal(f.exportOf(t, f.model()), f.export) {
		t.Fatal("the model does not write the export back as it was")
	}
	for medium, verify := range f.media() {
		rep, err := verify(t, f.model(), map[string][]byte{"outside": f.outside})
		if err != nil || rep.Events != int64(len(f.recs)) || rep.Heads != len(tamperBatches) || rep.Trusted != 1 {
			t.Fatalf("%s: the untouched log: %+v %v", medium, rep, err)
		}
	}
	return f
}

func tamperHeadOf(t testing.TB, rec eventstore.Record) audit.HeadEvent {
	t.Helper()
	var h audit.HeadEvent
	if err := json.Unmarshal(rec.Data, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// tamperEvent is one event of a tampered log, in the order the log holds it.
type tamperEvent struct {
	row   uint64 // the events.db row it was written to (its original position)
	index int64  // the leaf an export line says it is
	rec   eventstore.Record
}

// model is a fresh copy of the untouched log.
func (f *tamperFixture) model() []tamperEvent {
	m := make([]tamperEvent, len(f.recs))
	for i, r := range f.recs {
		r.Data = bytes.Clone(r.Data)
		m[i] = tamperEvent{row: r.Position.Commit, index: int64(i), rec: r}
	}
	return m
}

type tamperVerify func(t *testing.T, m []tamperEvent, trusted map[string][]byte) (audit.Report, error)

func (f *tamperFixture) media() map[string]tamperVerify {
	return map[string]tamperVerify{"events.db": f.verifyDB, "export": f.verifyExport}
}

// exportOf writes a tampered log as an export, each line as ExportLog writes
// it (an untouched event's line is the exported one).
func (f *tamperFixture) exportOf(t testing.TB, m []tamperEvent) []byte {
	t.Helper()
	var b bytes.Buffer
	b.Grow(len(f.export) + 4096)
	b.Write(f.lines[0])
	b.WriteByte('\n')
	for _, e := range m {
		if e.row > 0 && e.index == int64(e.row-1) && tamperSame(e.rec, f.recs[e.row-1]) {
			b.Write(f.lines[e.row])
		} else {
			b.Write(tamperEncode(t, tamperLineOf(e)))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// tamperSame says whether two records are the same event, field by field.
func tamperSame(a, b eventstore.Record) bool {
	am, bm := a.Metadata, b.Metadata
	return a.ID == b.ID && a.Stream == b.Stream && a.Revision == b.Revision && a.Position == b.Position && a.Type == b.Type &&
		a.SchemaVersion == b.SchemaVersion && bytes.Equal(a.Data, b.Data) && a.RecordedAt.Equal(b.RecordedAt) &&
		a.PrevHash == b.PrevHash && a.Hash == b.Hash && am.User == bm.User && am.Org == bm.Org && am.CommandID == bm.CommandID &&
		am.CommandHash == bm.CommandHash && am.CorrelationID == bm.CorrelationID && am.CausationID == bm.CausationID &&
		am.OccurredAt.Equal(bm.OccurredAt)
}

// tamperLineOf is the export line of an event, as audit.Writer makes it (the
// data of every event here is compact JSON, so it is written verbatim).
func tamperLineOf(e tamperEvent) audit.Line {
	r := e.rec
	return audit.Line{Kind: "event", Index: e.index, Position: r.Position.String(), Stream: r.Stream, Revision: r.Revision,
		ID: r.ID, Type: r.Type, SchemaVersion: r.SchemaVersion, Data: r.Data, Metadata: r.Metadata, RecordedAt: r.RecordedAt,
		PrevHash: r.PrevHash, Hash: r.Hash}
}

// tamperEncode writes a line as the export's encoder does (no HTML escaping).
func tamperEncode(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func (f *tamperFixture) verifyExport(t *testing.T, m []tamperEvent, trusted map[string][]byte) (audit.Report, error) {
	return audit.VerifyExport(bytes.NewReader(f.exportOf(t, m)), f.key, trusted)
}

// verifyDB writes a tampered log into a copy of events.db as an attacker with
// the file would (UPDATE and DELETE, the append-only triggers dropped), and
// verifies the copy as `felles verify --data` does.
func (f *tamperFixture) verifyDB(t *testing.T, m []tamperEvent, trusted map[string][]byte) (audit.Report, error) {
	t.Helper()
	path := filepath.Join(f.dir, fmt.Sprintf("copy-%d.db", f.n.Add(1)))
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}()
	if err := os.WriteFile(path, f.db, 0o600); err != nil {
		t.Fatal(err)
	}
	tamperRewrite(t, path, f.recs, m)
	store, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	return audit.VerifyLog(ctx, store, f.key, true, trusted)
}

// tamperRow is an event as events.db stores it.
type tamperRow struct {
	position, revision                                          int64
	stream, id, typ, data, metadata, recordedAt, prevHash, hash string
	schemaVersion                                               int
}

func tamperRowOf(t *testing.T, r eventstore.Record) tamperRow {
	meta, err := json.Marshal(r.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	return tamperRow{position: int64(r.Position.Commit), revision: int64(r.Revision), stream: r.Stream, id: r.ID, typ: r.Type,
		data: string(r.Data), metadata: string(meta), recordedAt: r.RecordedAt.UTC().Format(time.RFC3339Nano),
		prevHash: r.PrevHash, hash: r.Hash, schemaVersion: r.SchemaVersion}
}

// tamperRewrite turns the file's rows into the tampered log: rows the log no
// longer holds are deleted, changed rows updated in two steps (first out of
// the way of the unique keys, then to their new values).
func tamperRewrite(t *testing.T, path string, orig []eventstore.Record, m []tamperEvent) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=synchronous(OFF)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := tx.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`DROP TRIGGER events_append_only_update`)
	exec(`DROP TRIGGER events_append_only_delete`)
	kept := map[uint64]bool{}
	var changed []tamperEvent
	for _, e := range m {
		kept[e.row] = true
		if !tamperSame(e.rec, orig[e.row-1]) {
			changed = append(changed, e)
		}
	}
	for _, r := range orig {
		if !kept[r.Position.Commit] {
			exec(`DELETE FROM events WHERE position = ?`, r.Position.Commit)
		}
	}
	aside := tamperPrepare(t, tx, `UPDATE events SET position = -position, event_id = '~' || event_id, revision = -1 - revision WHERE position = ?`)
	update := tamperPrepare(t, tx, `UPDATE events SET position = ?, stream = ?, revision = ?, event_id = ?, type = ?,
		schema_version = ?, data = ?, metadata = ?, recorded_at = ?, prev_hash = ?, hash = ? WHERE position = ?`)
	for _, e := range changed {
		if _, err := aside.Exec(e.row); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range changed {
		r := tamperRowOf(t, e.rec)
		if _, err := update.Exec(r.position, r.stream, r.revision, r.id, r.typ, r.schemaVersion, []byte(r.data), []byte(r.metadata),
			r.recordedAt, r.prevHash, r.hash, -int64(e.row)); err != nil {
			t.Fatal(err)
		}
	}
	// Back as they were, so that opening the copy writes nothing.
	exec(`CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`)
	exec(`CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func tamperPrepare(t *testing.T, tx *sql.Tx, q string) *sql.Stmt {
	t.Helper()
	st, err := tx.Prepare(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return st
}

// tamperWant is where a tampering must be reported: at an event whose place
// (its leaf, from 0) lies in [index, hi], and when eventID is set, at that
// event exactly.
type tamperWant struct {
	index, hi int64
	eventID   string
	what      string // a phrase of Broken.What
	line      int    // a case export: the line Broken.What must name
	malformed bool   // an error that the file is no export at all is the right answer
}

// tamperAt is the event at place i of a tampered log.
func tamperAt(m []tamperEvent, i int, what string) tamperWant {
	return tamperWant{index: int64(i), hi: int64(i), eventID: m[i].rec.ID, what: what}
}

// tamperCase is one tampered log. With trust set, the tampering is one no log
// can show by itself: it must verify without the head, and be caught with it.
type tamperCase struct {
	name  string
	log   []tamperEvent
	want  tamperWant
	trust []byte
}

// tamperJudge says whether err catches the tampering as wanted ("" if so).
func tamperJudge(err error, want tamperWant) string {
	if err == nil {
		return "verification passed"
	}
	var b *audit.Broken
	if !errors.As(err, &b) {
		if want.malformed && errors.Is(err, audit.ErrMalformedExport) {
			return ""
		}
		return fmt.Sprintf("refused without naming a place: %v", err)
	}
	switch {
	case b.Index < want.index || b.Index > want.hi:
		return fmt.Sprintf("reported at event %d, want %d–%d: %v", b.Index, want.index, want.hi, err)
	case want.eventID != "" && b.EventID != want.eventID:
		return fmt.Sprintf("reported at event %s, want %s: %v", b.EventID, want.eventID, err)
	case !strings.Contains(b.What, want.what):
		return fmt.Sprintf("the report does not say %q: %v", want.what, err)
	case want.line > 0 && !strings.HasPrefix(b.What, fmt.Sprintf("line %d: ", want.line)):
		return fmt.Sprintf("the report does not name line %d: %v", want.line, err)
	}
	return ""
}

// tamperTally counts what was tried and caught; parallel subtests share it.
type tamperTally struct {
	mu                   sync.Mutex
	cases, caught, blind int
}

func (tl *tamperTally) count(cases, caught, blind int) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	tl.cases, tl.caught, tl.blind = tl.cases+cases, tl.caught+caught, tl.blind+blind
}

// run tries one tampering and says whether it was caught.
func (tl *tamperTally) run(t *testing.T, medium string, verify tamperVerify, c tamperCase) {
	t.Helper()
	trusted := map[string][]byte(nil)
	if c.trust != nil {
		// First the fact that the log cannot show it by itself.
		if rep, err := verify(t, c.log, nil); err != nil {
			t.Errorf("%s %s: undetectable in principle, yet reported without a head kept outside: %v", medium, c.name, err)
		} else if rep.Events != int64(len(c.log)) {
			t.Errorf("%s %s: verified %d events, the tampered log has %d", medium, c.name, rep.Events, len(c.log))
		}
		tl.count(0, 0, 1)
		trusted = map[string][]byte{"a head kept outside": c.trust}
	}
	_, err := verify(t, c.log, trusted)
	if problem := tamperJudge(err, c.want); problem != "" {
		t.Errorf("%s %s: %s", medium, c.name, problem)
	}
	if err != nil {
		tl.count(1, 1, 0) // caught, if perhaps not at the place wanted (reported above)
	} else {
		tl.count(1, 0, 0)
	}
}

// runPositions tampers at each position in parallel subtests, then reports.
func (tl *tamperTally) runPositions(t *testing.T, f *tamperFixture, medium string, verify tamperVerify, positions []int) {
	t.Helper()
	t.Run("positions", func(t *testing.T) {
		for _, p := range positions {
			t.Run(fmt.Sprintf("position_%d", p), func(t *testing.T) {
				t.Parallel()
				for _, c := range f.cases(t, p) {
					tl.run(t, medium, verify, c)
				}
			})
		}
	})
}

func (tl *tamperTally) report(t *testing.T, what string) {
	t.Helper()
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.cases == 0 {
		t.Fatal("no tampering tried")
	}
	t.Logf("%s: %d tamperings, %d caught (%.1f %%)", what, tl.cases, tl.caught, 100*float64(tl.caught)/float64(tl.cases))
	if tl.blind > 0 {
		t.Logf("%s: %d of them undetectable in principle without a head kept outside, each shown to verify without it", what, tl.blind)
	}
	if tl.caught != tl.cases {
		t.Errorf("%s: %d of %d tamperings not caught", what, tl.cases-tl.caught, tl.cases)
	}
}

// tamperFlip changes one character of s and keeps it a plain JSON string: a
// letter to its other case, a digit to the next, anything else to a
// neighbouring byte.
func tamperFlip(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			b[i] = c ^ 0x20
			return string(b)
		case '0' <= c && c <= '9':
			b[i] = '0' + (c-'0'+1)%10
			return string(b)
		}
	}
	if len(b) > 0 {
		if b[0] ^= 1; b[0] == '"' || b[0] == '\\' {
			b[0] ^= 3
		}
	}
	return string(b)
}

// tamperFlipData changes one letter or digit inside the first string value of
// JSON data (or of a piece of a line), escapes left alone: valid JSON stays valid.
func tamperFlipData(t testing.TB, data []byte) []byte {
	t.Helper()
	out := bytes.Clone(data)
	start := bytes.Index(out, []byte(`":"`))
	if start < 0 {
		t.Fatalf("no string value in %s", data)
	}
	for i := start + 3; i < len(out) && out[i] != '"'; i++ {
		c := out[i]
		if c == '\\' {
			if i+1 < len(out) && out[i+1] == 'u' {
				i += 5
			} else {
				i++
			}
			continue
		}
		if '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z' {
			out[i] = tamperFlip(string(c))[0]
			if json.Valid(data) && !json.Valid(out) {
				t.Fatalf("flipping made invalid JSON: %s", out)
			}
			return out
		}
	}
	t.Fatalf("no letter or digit to flip in %s", data)
	return nil
}

func tamperFlipTime(t testing.TB, at time.Time) time.Time {
	t.Helper()
	flipped, err := time.Parse(time.RFC3339Nano, tamperFlip(at.UTC().Format(time.RFC3339Nano)))
	if err != nil || flipped.Equal(at) {
		t.Fatalf("flipping %s: %v", at, err)
	}
	return flipped
}

const (
	tamperHashWhat = "the hash does not match"
	tamperPrevWhat = "previous hash"
)

// tamperFlips flip one byte of one field of an event; ok is false where the
// field is empty.
func tamperFlips(t testing.TB) []struct {
	field, what string
	flip        func(*eventstore.Record) (ok bool)
} {
	str := func(s *string) bool { *s = tamperFlip(*s); return *s != "" }
	return []struct {
		field, what string
		flip        func(*eventstore.Record) bool
	}{
		{"data", tamperHashWhat, func(r *eventstore.Record) bool { r.Data = tamperFlipData(t, r.Data); return true }},
		{"user", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.Metadata.User) }},
		{"org", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.Metadata.Org) }},
		{"commandId", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.Metadata.CommandID) }},
		{"correlationId", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.Metadata.CorrelationID) }},
		{"occurredAt", tamperHashWhat, func(r *eventstore.Record) bool {
			r.Metadata.OccurredAt = tamperFlipTime(t, r.Metadata.OccurredAt)
			return true
		}},
		{"recordedAt", tamperHashWhat, func(r *eventstore.Record) bool { r.RecordedAt = tamperFlipTime(t, r.RecordedAt); return true }},
		{"type", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.Type) }},
		{"schemaVersion", tamperHashWhat, func(r *eventstore.Record) bool { r.SchemaVersion++; return true }},
		// a stream's first event moved to another stream still starts a chain:
		// its hash gives it away; any later event breaks the revisions first
		{"stream", "", func(r *eventstore.Record) bool { return str(&r.Stream) }},
		{"id", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.ID) }},
		{"hash", tamperHashWhat, func(r *eventstore.Record) bool { return str(&r.Hash) }},
		{"prevHash", tamperPrevWhat, func(r *eventstore.Record) bool { return r.PrevHash != "" && str(&r.PrevHash) }},
	}
}

// tamperSwap exchanges the events at places a and b; each place keeps its
// position and leaf index, so only the order of the events changes.
func tamperSwap(m []tamperEvent, a, b int) {
	m[a].row, m[b].row = m[b].row, m[a].row
	m[a].rec, m[b].rec = m[b].rec, m[a].rec
	m[a].rec.Position, m[b].rec.Position = m[b].rec.Position, m[a].rec.Position
}

// tamperRenumber closes the gap a deletion left: positions 1, 2, 3, … and
// leaf indexes 0, 1, 2, … again.
func tamperRenumber(m []tamperEvent) {
	for i := range m {
		m[i].index, m[i].rec.Position = int64(i), eventstore.Seq(uint64(i+1))
	}
}

// tamperNext is the place of the first event of stream at or after place from; -1 if none.
func tamperNext(m []tamperEvent, from int, stream string) int {
	for i := from; i < len(m); i++ {
		if m[i].rec.Stream == stream {
			return i
		}
	}
	return -1
}

// tamperCovering is the place of the first head that covers position p (the
// leaf p-1): the first head whose size is at least p. -1 if none.
func tamperCovering(t testing.TB, m []tamperEvent, p int) int {
	for i, e := range m {
		if audit.IsHead(e.rec) && tamperHeadOf(t, e.rec).Size >= int64(p) {
			return i
		}
	}
	return -1
}

// tamperAttack is an attacker who edits the event at place at, recomputes the
// hash of every later event of the log (Seal) and, with signer, signs every
// head from there on again over the tree the edited log gives. The edit is a
// letter of the data, or of the user of a head (whose data is re-signed).
func tamperAttack(t testing.TB, m []tamperEvent, at int, signer *audit.Signer) {
	t.Helper()
	if audit.IsHead(m[at].rec) {
		m[at].rec.Metadata.User = tamperFlip(m[at].rec.Metadata.User)
	} else {
		m[at].rec.Data = tamperFlipData(t, m[at].rec.Data)
	}
	tree := audit.NewTree(len(m))
	tips := map[string]string{}
	for i := range m {
		rec := &m[i].rec
		if i >= at {
			if signer != nil && audit.IsHead(*rec) {
				h := tamperHeadOf(t, *rec)
				root, err := tree.Root(h.Size)
				if err != nil {
					t.Fatal(err)
				}
				ev, err := audit.NewHeadEvent(signer, audit.TreeHead{Size: h.Size, Root: root, SignedAt: h.SignedAt})
				if err != nil {
					t.Fatal(err)
				}
				rec.Data = ev.Data
			}
			if err := eventstore.Seal(rec, tips[rec.Stream]); err != nil {
				t.Fatal(err)
			}
		}
		tips[rec.Stream] = rec.Hash
		leaf, err := audit.LeafOf(rec.Hash)
		if err != nil {
			t.Fatal(err)
		}
		tree.Add(leaf)
	}
}

// tamperPositions are the positions (from 1) tampered with: the first and
// the last events, each head with the events right before and after it, and
// (step > 0) every step-th event between.
func tamperPositions(f *tamperFixture, step int) []int {
	n := len(f.recs)
	set := map[int]bool{1: true, 2: true, n - 1: true, n: true}
	for i, r := range f.recs {
		if audit.IsHead(r) {
			set[i] = true
			set[i+1] = true
			set[min(i+2, n)] = true
		}
	}
	for p := 3; step > 0 && p < n; p += step {
		set[p] = true
	}
	out := make([]int, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// cases are the tamperings of the event at position p.
func (f *tamperFixture) cases(t *testing.T, p int) []tamperCase {
	n, at := len(f.recs), p-1
	orig := f.recs[at]
	var cs []tamperCase
	add := func(kind string, m []tamperEvent, want tamperWant, trust []byte) {
		cs = append(cs, tamperCase{name: fmt.Sprintf("%s@%d(%s@%d)", kind, p, orig.Stream, orig.Revision), log: m, want: want, trust: trust})
	}

	for _, fl := range tamperFlips(t) {
		m := f.model()
		if fl.flip(&m[at].rec) {
			add("flip_"+fl.field, m, tamperAt(m, at, fl.what), nil)
		}
	}

	// A deleted event leaves a gap at its position; the log's last event,
	// the newest head, is covered only by a head signed after it.
	m := slices.Delete(f.model(), at, at+1)
	if p < n {
		add("delete", m, tamperAt(m, at, "missing"), nil)
	} else {
		add("delete", m, tamperWant{index: int64(len(m)), hi: int64(len(m)), what: "cut off"}, f.outside)
	}

	// Deleted and renumbered: no gap; the deleted event's chain breaks at its
	// stream's next event, and the first head over it no longer fits.
	m = slices.Delete(f.model(), at, at+1)
	tamperRenumber(m)
	if p < n {
		next, head := tamperNext(m, at, orig.Stream), tamperCovering(t, m, p)
		if next < 0 || head >= 0 && head < next {
			next = head
		}
		add("delete_renumber", m, tamperAt(m, next, ""), nil)
	} else {
		add("delete_renumber", m, tamperWant{index: int64(len(m)), hi: int64(len(m)), what: "cut off"}, f.outside)
	}

	// Two events of one stream swapped: the revisions come out of order at
	// the first of the two places; with the revisions swapped back, the chain
	// of hashes does.
	if q := tamperNext(f.model(), at+1, orig.Stream); q >= 0 {
		m := f.model()
		tamperSwap(m, at, q)
		add("swap_same_stream", m, tamperAt(m, at, "revision"), nil)
		m = f.model()
		tamperSwap(m, at, q)
		m[at].rec.Revision, m[q].rec.Revision = m[q].rec.Revision, m[at].rec.Revision
		add("swap_same_stream_and_revisions", m, tamperAt(m, at, ""), nil)
	}

	// Neighbours of two streams swapped: each chain still holds, and the
	// first head that covers the two places catches the new order.
	if p < n && f.recs[at+1].Stream != orig.Stream {
		m := f.model()
		tamperSwap(m, at, at+1)
		add("swap_neighbours_of_two_streams", m, tamperAt(m, tamperCovering(t, m, p), ""), nil)
	}
	// Far apart, a chain may break first, but never before the first place,
	// nor after the first head over it.
	if q := at + 37; q < n && f.recs[q].Stream != orig.Stream {
		m := f.model()
		tamperSwap(m, at, q)
		add("swap_far_of_two_streams", m, tamperWant{index: int64(at), hi: int64(tamperCovering(t, m, p))}, nil)
	}

	// An attacker who re-seals every later event and signs the heads again
	// with another key: the first head from there on is not the published key's.
	m = f.model()
	tamperAttack(t, m, at, f.other)
	first := at
	if !audit.IsHead(m[at].rec) {
		first = tamperCovering(t, m, p)
	}
	add("edit_reseal_resign_other_key", m, tamperAt(m, first, "not signed by the published key"), nil)

	// The same attacker without a key: the first head over the edit keeps
	// its signature and no longer fits the tree.
	m = f.model()
	tamperAttack(t, m, at, nil)
	if head := tamperCovering(t, m, p); head >= 0 {
		add("edit_reseal", m, tamperAt(m, head, "root"), nil)
	} else {
		add("edit_reseal", m, tamperWant{index: int64(len(m)), hi: int64(len(m)), what: "root"}, f.outside)
	}
	return cs
}

// truncations cut the last k events off, the last head among them: the
// shorter log is whole in itself; the log's last head, kept outside, covers
// more than it holds. Cutting only that head needs a head over it.
func (f *tamperFixture) truncations() []tamperCase {
	var cs []tamperCase
	n := len(f.recs)
	for _, k := range []int{1, 2, 3, 26, tamperBatchSize + 1, tamperBatchSize + 2, n / 2, n - 1} {
		m := f.model()[:n-k]
		trust := f.lastHead
		if k == 1 {
			trust = f.outside
		}
		cs = append(cs, tamperCase{name: fmt.Sprintf("truncate_last_%d", k), log: m,
			want: tamperWant{index: int64(len(m)), hi: int64(len(m)), what: "cut off"}, trust: trust})
	}
	return cs
}

func TestTamperingAnEmbeddedLogIsCaught(t *testing.T) {
	// given a real embedded log with a head every 50 events, the last event a head
	f := tamperBuild(t)

	// when copies of its file are tampered with at the first and last events,
	// at every head and the events right before and after it, and verified
	var tl tamperTally
	tl.runPositions(t, f, "events.db", f.verifyDB, tamperPositions(f, 0))
	for _, c := range f.truncations() {
		tl.run(t, "events.db", f.verifyDB, c)
	}

	// then every tampering is reported, where it happened
	tl.report(t, "events.db")
}

func TestTamperingAWholeLogExportIsCaught(t *testing.T) {
	// given the export of a real embedded log with a head every 50 events
	f := tamperBuild(t)
	var tl tamperTally

	// when its lines are tampered with at the first and last events, at
	// every head and the events right before and after it, and at every
	// 29th event between
	tl.runPositions(t, f, "export", f.verifyExport, tamperPositions(f, 29))
	for _, c := range f.truncations() {
		tl.run(t, "export", f.verifyExport, c)
	}
	// and edited as text, the line's index and position included
	for _, c := range f.lineCases(t, tamperPositions(f, 29)) {
		tl.run(t, "export", func(_ *testing.T, _ []tamperEvent, trusted map[string][]byte) (audit.Report, error) {
			return audit.VerifyExport(bytes.NewReader(c.file), f.key, trusted)
		}, c.tamperCase)
	}

	// then every tampering is reported, where it happened
	tl.report(t, "whole-log export")
}

// tamperLineCase is a tampering of an export's text.
type tamperLineCase struct {
	tamperCase
	file []byte
}

// tamperLines splits a file into its lines (without the final newline).
func tamperLines(file []byte) [][]byte {
	return bytes.Split(bytes.TrimSuffix(file, []byte("\n")), []byte("\n"))
}

func tamperJoin(lines [][]byte) []byte {
	return append(bytes.Join(lines, []byte("\n")), '\n')
}

// lineCases edit the whole-log export as text: line p+1 holds position p.
func (f *tamperFixture) lineCases(t *testing.T, positions []int) []tamperLineCase {
	n := len(f.recs)
	var cs []tamperLineCase
	add := func(name string, lines [][]byte, want tamperWant) {
		cs = append(cs, tamperLineCase{tamperCase{name: name, want: want}, tamperJoin(lines)})
	}
	at := func(i int, what string) tamperWant {
		return tamperWant{index: int64(i), hi: int64(i), eventID: f.recs[i].ID, what: what}
	}
	for _, p := range positions {
		if p < n {
			lines := tamperLines(f.export)
			lines[p], lines[p+1] = lines[p+1], lines[p]
			w := at(p, "out of order")
			w.index, w.hi = int64(p-1), int64(p-1)
			add(fmt.Sprintf("swap_lines_as_they_are@%d", p), lines, w)
		}
		lines := tamperLines(f.export)
		lines = slices.Insert(lines, p+1, lines[p])
		w := at(p-1, "repeated")
		w.index, w.hi = int64(p), int64(p)
		add(fmt.Sprintf("repeat_line@%d", p), lines, w)

		lines = tamperLines(f.export)
		lines[p] = bytes.Replace(lines[p], []byte(fmt.Sprintf(`"index":%d,`, p-1)), []byte(fmt.Sprintf(`"index":%d,`, p)), 1)
		add(fmt.Sprintf("line_index@%d", p), lines, at(p-1, "says it is event"))

		lines = tamperLines(f.export)
		lines[p] = bytes.Replace(lines[p], []byte(fmt.Sprintf(`"position":"%d"`, p)), []byte(fmt.Sprintf(`"position":"%d"`, p+1)), 1)
		add(fmt.Sprintf("line_position@%d", p), lines, at(p-1, "missing"))

		lines = tamperLines(f.export)
		i := bytes.Index(lines[p], []byte(`"data":`))
		lines[p] = append(bytes.Clone(lines[p][:i]), tamperFlipData(t, lines[p][i:])...)
		add(fmt.Sprintf("line_data_byte@%d", p), lines, at(p-1, tamperHashWhat))

		lines = tamperLines(f.export)
		lines[p] = bytes.Replace(lines[p], []byte(`"hash":"`+f.recs[p-1].Hash), []byte(`"hash":"`+tamperFlip(f.recs[p-1].Hash)), 1)
		add(fmt.Sprintf("line_hash_byte@%d", p), lines, at(p-1, tamperHashWhat))
	}
	malformed := tamperWant{malformed: true}
	lines := tamperLines(f.export)
	last := lines[len(lines)-1]
	lines[len(lines)-1] = last[:len(last)/2]
	add("last_line_cut_in_half", lines, malformed)
	add("header_removed", tamperLines(f.export)[1:], malformed)
	lines = tamperLines(f.export)
	lines[0] = bytes.Replace(lines[0], []byte(audit.ExportFormat), []byte("felles-export-v0"), 1)
	add("header_format_changed", lines, malformed)
	lines = tamperLines(f.export)
	lines = append(lines, []byte(`{"kind":"head","note":`+strconv.Quote(string(f.outside))+`}`))
	add("closing_head_appended", lines, malformed)
	return cs
}

func TestTamperingACaseExportIsCaught(t *testing.T) {
	// given the export of case a (procurement-a and accesslog-a) with the
	// proof of every event and a closing head
	f := tamperBuild(t)
	lines := tamperLines(f.caseExp)
	events := make([]audit.Line, len(lines)-2)
	for i := range events {
		if err := json.Unmarshal(lines[i+1], &events[i]); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err := audit.VerifyExport(bytes.NewReader(f.caseExp), f.key, nil); err != nil || rep.Events != int64(len(events)) {
		t.Fatalf("the untouched case export: %+v %v", rep, err)
	}
	var tl tamperTally
	verify := func(file []byte) tamperVerify {
		return func(*testing.T, []tamperEvent, map[string][]byte) (audit.Report, error) {
			return audit.VerifyExport(bytes.NewReader(file), f.key, nil)
		}
	}
	run := func(name string, file []byte, want tamperWant) {
		t.Helper()
		tl.run(t, "case export", verify(file), tamperCase{name: name, want: want})
	}
	// at is line n (from 1; events from line 2) as the tampered file names it
	at := func(n int, id, what string) tamperWant {
		return tamperWant{index: events[n-2].Index, hi: events[n-2].Index, eventID: id, what: what, line: n}
	}
	encode := func(l audit.Line) []byte { return tamperEncode(t, l) }
	with := func(n int, line []byte) []byte {
		ls := slices.Clone(lines)
		ls[n-1] = line
		return tamperJoin(ls)
	}
	if !bytes.Equal(with(2, encode(events[0])), f.caseExp) {
		t.Fatal("a line encoded again is not the line as exported")
	}
	nextOfStream := func(n int) int {
		for k := n + 1; k <= len(events)+1; k++ {
			if events[k-2].Stream == events[n-2].Stream {
				return k
			}
		}
		return -1
	}

	// when each sampled line is tampered with
	sample := map[int]bool{}
	for _, s := range []string{"procurement-a", "accesslog-a"} {
		var ns []int
		for i, l := range events {
			if l.Stream == s {
				ns = append(ns, i+2)
			}
		}
		for _, k := range []int{0, 1, len(ns) / 3, len(ns) / 2, len(ns) - 2, len(ns) - 1} {
			sample[ns[k]] = true
		}
	}
	incomplete := 0
	for n := range sample {
		l := events[n-2]
		rec, err := l.Record()
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range tamperFlips(t) {
			r := rec
			r.Data = bytes.Clone(rec.Data)
			if !fl.flip(&r) {
				continue
			}
			tl2 := l
			tl2.Stream, tl2.ID, tl2.Type, tl2.SchemaVersion, tl2.Data, tl2.Metadata, tl2.RecordedAt, tl2.PrevHash, tl2.Hash =
				r.Stream, r.ID, r.Type, r.SchemaVersion, r.Data, r.Metadata, r.RecordedAt, r.PrevHash, r.Hash
			what := fl.what
			if fl.field == "stream" {
				what = "" // the stream starts at a revision past 0, or its hash fails
			}
			run(fmt.Sprintf("flip_%s@line%d", fl.field, n), with(n, encode(tl2)), at(n, r.ID, what))
		}
		tl2 := l
		tl2.Index++
		w := at(n, l.ID, "not in the signed log")
		w.index, w.hi = l.Index+1, l.Index+1
		run(fmt.Sprintf("index@line%d", n), with(n, encode(tl2)), w)

		tl2 = l
		tl2.Proof = slices.Clone(l.Proof)
		tl2.Proof[0] = tamperFlip(tl2.Proof[0])
		run(fmt.Sprintf("proof_hash_byte@line%d", n), with(n, encode(tl2)), at(n, l.ID, "not in the signed log"))
		tl2.Proof = l.Proof[:len(l.Proof)-1]
		run(fmt.Sprintf("proof_hash_removed@line%d", n), with(n, encode(tl2)), at(n, l.ID, "not in the signed log"))
		tl2.Proof = append(slices.Clone(l.Proof), l.Proof[0])
		run(fmt.Sprintf("proof_hash_added@line%d", n), with(n, encode(tl2)), at(n, l.ID, "not in the signed log"))

		// an edit whose hash and the rest of its stream's chain in the file are
		// recomputed: the proofs no longer lead to the signed head
		ls := slices.Clone(lines)
		prev := l.PrevHash
		for k := n; k > 0; k = nextOfStream(k) {
			e := events[k-2]
			r, err := e.Record()
			if err != nil {
				t.Fatal(err)
			}
			if k == n {
				r.Data = tamperFlipData(t, r.Data)
			}
			if err := eventstore.Seal(&r, prev); err != nil {
				t.Fatal(err)
			}
			prev = r.Hash
			e.Data, e.PrevHash, e.Hash = r.Data, r.PrevHash, r.Hash
			ls[k-1] = encode(e)
		}
		run(fmt.Sprintf("edit_reseal_stream@line%d", n), tamperJoin(ls), at(n, l.ID, "not in the signed log"))

		// a dropped line breaks its stream's revisions at the next line of the
		// stream; the stream's last line can go unnoticed (see the top)
		ls = slices.Delete(slices.Clone(lines), n-1, n)
		if next := nextOfStream(n); next > 0 {
			w := at(next, events[next-2].ID, "revision")
			w.line = next - 1
			run(fmt.Sprintf("drop@line%d", n), tamperJoin(ls), w)

			ls = slices.Clone(lines)
			ls[n-1], ls[next-1] = ls[next-1], ls[n-1]
			w = at(n, events[next-2].ID, "revision")
			w.index, w.hi = events[next-2].Index, events[next-2].Index
			run(fmt.Sprintf("swap_same_stream@line%d", n), tamperJoin(ls), w)
		} else if _, err := audit.VerifyExport(bytes.NewReader(tamperJoin(ls)), f.key, nil); err != nil {
			t.Errorf("dropping the last line of %s: a case export does not prove completeness, yet: %v", l.Stream, err)
		} else {
			incomplete++
		}
	}
	if incomplete != 2 {
		t.Errorf("dropped the last line of %d streams, want both", incomplete)
	}
	t.Logf("dropping a stream's last line verifies (a case export proves inclusion, not completeness): shown for %d streams", incomplete)

	// and its closing head is removed, changed, signed by another key or
	// replaced by an earlier head of the log
	closing := len(lines)
	var c audit.Closing
	if err := json.Unmarshal(lines[closing-1], &c); err != nil || c.Kind != "head" {
		t.Fatalf("the last line is no closing head: %s", lines[closing-1])
	}
	closingWith := func(text string) []byte {
		b, _ := json.Marshal(audit.Closing{Kind: "head", Note: text})
		return with(closing, b)
	}
	run("closing_head_removed", tamperJoin(lines[:closing-1]), tamperWant{malformed: true})
	run("line_after_closing_head", tamperJoin(append(slices.Clone(lines), lines[1])), tamperWant{malformed: true})
	noteLines := strings.SplitN(c.Note, "\n", 3)
	changed := noteLines[0] + "\n" + tamperFlip(noteLines[1]) + "\n" + noteLines[2]
	run("closing_head_size_byte", closingWith(changed), tamperWant{what: "closing head"})
	head, err := f.key.Open([]byte(c.Note))
	if err != nil {
		t.Fatal(err)
	}
	resigned, err := f.other.Sign(head)
	if err != nil {
		t.Fatal(err)
	}
	run("closing_head_other_key", closingWith(resigned), tamperWant{what: "not signed by the published key"})
	earlier := tamperHeadOf(t, f.recs[tamperBatchSize]).Note
	run("closing_head_earlier_head", closingWith(earlier),
		tamperWant{index: events[0].Index, hi: events[0].Index, eventID: events[0].ID, what: "not in the signed log", line: 2})

	// and an insider who edits the log, re-seals it and exports the case
	// again, with its proofs, signed by another key
	m := f.model()
	edit := slices.IndexFunc(m, func(e tamperEvent) bool { return e.rec.Stream == "procurement-a" && e.rec.Revision == 5 })
	tamperAttack(t, m, edit, f.other)
	recs := make([]eventstore.Record, len(m))
	for i, e := range m {
		recs[i] = e.rec
	}
	var forged bytes.Buffer
	if _, err := audit.ExportStreams(ctx, tamperStore{recs: recs}, true, &forged, f.other, "a", []string{"procurement-a", "accesslog-a"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	run("insider_reexport_other_key", forged.Bytes(), tamperWant{what: "not signed by the published key"})

	// then every tampering is reported, at the line it happened
	tl.report(t, "case export")
}

// tamperStore serves a gapless log from memory.
type tamperStore struct {
	eventstore.Store
	recs []eventstore.Record
}

func (s tamperStore) Head(context.Context) (eventstore.Position, error) {
	return eventstore.Seq(uint64(len(s.recs))), nil
}

func (s tamperStore) ReadAll(_ context.Context, after eventstore.Position, limit int) ([]eventstore.Record, error) {
	from := min(int(after.Commit), len(s.recs))
	if limit <= 0 {
		limit = len(s.recs)
	}
	return s.recs[from:min(len(s.recs), from+limit)], nil
}

func TestTheNewestHeadIsWitnessedOnlyByAHeadSignedAfterIt(t *testing.T) {
	// given a log whose last event is a head
	f := tamperBuild(t)
	n := len(f.recs)
	deleted := f.model()[:n-1]
	resealed := f.model()
	tamperAttack(t, resealed, n-1, nil)

	for name, m := range map[string][]tamperEvent{"deleted": deleted, "rewritten_and_resealed": resealed} {
		t.Run(name, func(t *testing.T) {
			// when that head's event is deleted, or its envelope rewritten and re-sealed,
			// then neither the log nor that very head kept outside can tell
			for _, trusted := range []map[string][]byte{nil, {"the last head": f.lastHead}} {
				for medium, verify := range f.media() {
					if _, err := verify(t, m, trusted); err != nil {
						t.Errorf("%s, %d heads kept outside: %v", medium, len(trusted), err)
					}
				}
			}
			// and a head signed over it can
			for medium, verify := range f.media() {
				if _, err := verify(t, m, map[string][]byte{"a later head": f.outside}); err == nil {
					t.Errorf("%s: a head over the whole log, kept outside, does not catch it", medium)
				}
			}
		})
	}
}

func TestACaseExportVouchesForThePositionsItNames(t *testing.T) {
	// given a case export, and its second event's line with another position
	f := tamperBuild(t)
	lines := tamperLines(f.caseExp)
	var l audit.Line
	if err := json.Unmarshal(lines[2], &l); err != nil {
		t.Fatal(err)
	}
	pos, err := eventstore.ParsePosition(l.Position)
	if err != nil {
		t.Fatal(err)
	}
	l.Position = eventstore.Seq(pos.Commit + 1000).String()
	lines[2] = tamperEncode(t, l)

	// when it is verified
	_, err = audit.VerifyExport(bytes.NewReader(tamperJoin(lines)), f.key, nil)

	// then the changed line is reported
	if err == nil {
		t.Fatal("a case export's position field is covered by neither the event's hash nor its inclusion proof " +
			"(verifyCaseExport never reads it): a line claiming position " + l.Position + " for event " + l.ID +
			" (leaf " + strconv.FormatInt(l.Index, 10) + ") verifies")
	}
	if problem := tamperJudge(err, tamperWant{index: l.Index, hi: l.Index, eventID: l.ID, line: 3}); problem != "" {
		t.Error(problem)
	}
}
