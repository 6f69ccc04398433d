package audit_test

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

// The tampering suite: every way of changing a log that matters, applied to a
// copy at many places, must be caught by verification — 100 %, counted.

// tpLog is a log of 240 events in four streams with a head signed every 40
// events (as the notary would), the last head covering everything before it.
func tpLog(t *testing.T) *auLog {
	l := newAuLog(t)
	for i := 0; i < 6; i++ {
		l.appendEvents(40, "procurement-a", "procurement-b", "organisation-oslo", "accesslog-a")
		l.signHead()
	}
	return l
}

// tpExport is the log as export lines (header first).
func tpExport(t *testing.T, l *auLog) []string {
	var buf bytes.Buffer
	if _, err := audit.ExportLog(ctx, l.store, &buf, l.signer.PublicKey(), time.Now()); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

func tpVerify(l *auLog, lines []string, trusted map[string][]byte) error {
	_, err := audit.VerifyExport(strings.NewReader(strings.Join(lines, "\n")+"\n"), l.key, trusted)
	return err
}

// tpEdit rewrites one export line's JSON.
func tpEdit(t *testing.T, line string, edit func(m map[string]any)) string {
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// tpResealed rebuilds lines[1:] as an attacker who can recompute hashes
// would: every stream's chain and every event index made consistent again
// after a change. Heads keep what was signed (the attacker lacks the key)
// unless resign is given.
func tpResealed(t *testing.T, lines []string, resign *audit.Signer) []string {
	out := []string{lines[0]}
	prev := map[string]string{}
	rev := map[string]uint64{}
	tree := audit.NewTree(0)
	for i, line := range lines[1:] {
		var l audit.Line
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		rec, err := l.Record()
		if err != nil {
			t.Fatal(err)
		}
		rec.Position = eventstore.Seq(uint64(i + 1))
		rec.Revision = rev[rec.Stream]
		if resign != nil && audit.IsHead(rec) {
			root, _ := tree.Root(tree.Size())
			ev, err := audit.NewHeadEvent(resign, audit.TreeHead{Size: tree.Size(), Root: root, SignedAt: rec.RecordedAt})
			if err != nil {
				t.Fatal(err)
			}
			rec.Data = ev.Data
		}
		if err := eventstore.Seal(&rec, prev[rec.Stream]); err != nil {
			t.Fatal(err)
		}
		prev[rec.Stream], rev[rec.Stream] = rec.Hash, rec.Revision+1
		leaf, _ := audit.LeafOf(rec.Hash)
		tree.Add(leaf)
		var b bytes.Buffer
		w, _ := audit.NewWriter(&b, audit.Header{Scope: audit.ScopeLog})
		w.Event(int64(i), rec, nil)
		w.Close("")
		out = append(out, strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")[1])
	}
	return out
}

func TestVerifyCatchesEveryTamperingOfAnExport(t *testing.T) {
	l := tpLog(t)
	lines := tpExport(t, l)
	if err := tpVerify(l, lines, nil); err != nil {
		t.Fatalf("the untouched export: %v", err)
	}
	n := len(lines) - 1 // events
	other, err := tpOtherSigner(t)
	if err != nil {
		t.Fatal(err)
	}
	type tampering struct {
		name  string
		apply func(lines []string, at int) []string // at: the event's line (1-based)
		place bool                                  // the break is reported at the tampered event itself
	}
	field := func(key string, change func(v any) any) func([]string, int) []string {
		return func(ls []string, at int) []string {
			ls[at] = tpEdit(t, ls[at], func(m map[string]any) { m[key] = change(m[key]) })
			return ls
		}
	}
	meta := func(key string) func([]string, int) []string {
		return field("metadata", func(v any) any {
			m := v.(map[string]any)
			if key == "occurredAt" {
				m[key] = "2001-01-01T00:00:00Z"
			} else {
				m[key] = fmt.Sprint(m[key]) + "x"
			}
			return m
		})
	}
	flipData := func(ls []string, at int) []string {
		// one byte inside the data's JSON, which stays valid JSON
		i := strings.Index(ls[at], `"data":`) + len(`"data":`)
		b := []byte(ls[at])
		for j := i; j < len(b); j++ {
			if c := b[j]; (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
				b[j] ^= 1
				break
			}
		}
		ls[at] = string(b)
		return ls
	}
	deleteEvent := func(ls []string, at int) []string { return append(ls[:at:at], ls[at+1:]...) }
	cases := []tampering{
		{"flip a byte of data", flipData, true},
		{"change user", meta("user"), true},
		{"change org", meta("org"), true},
		{"change commandId", meta("commandId"), true},
		{"change correlationId", meta("correlationId"), true},
		{"change causationId", meta("causationId"), true},
		{"change occurredAt", meta("occurredAt"), true},
		{"change recordedAt", field("recordedAt", func(any) any { return "2001-01-01T00:00:00Z" }), true},
		{"change type", field("type", func(v any) any { return fmt.Sprint(v) + "x" }), true},
		{"change schema version", field("schemaVersion", func(any) any { return 9 }), true},
		{"change event ID", field("id", func(v any) any { return "x" + fmt.Sprint(v) }), true},
		{"move to another stream", field("stream", func(v any) any { return "procurement-z" }), false},
		{"delete the event", deleteEvent, false},
		{"delete the event and renumber the rest", func(ls []string, at int) []string {
			return tpResealed(t, deleteEvent(ls, at), nil)
		}, false},
		{"swap with the next event", func(ls []string, at int) []string {
			if at+1 >= len(ls) {
				at--
			}
			ls[at], ls[at+1] = ls[at+1], ls[at]
			return ls
		}, false},
		{"swap with the next event and renumber", func(ls []string, at int) []string {
			if at+1 >= len(ls) {
				at--
			}
			ls[at], ls[at+1] = ls[at+1], ls[at]
			return tpResealed(t, ls, nil)
		}, false},
		{"change the data and re-seal every chain", func(ls []string, at int) []string {
			return tpResealed(t, flipData(ls, at), nil)
		}, false},
		{"change the data, re-seal, re-sign every head with another key", func(ls []string, at int) []string {
			return tpResealed(t, flipData(ls, at), other)
		}, false},
	}
	total, caught := 0, 0
	for _, c := range cases {
		for at := 1; at <= n; at++ {
			if at < n-5 && at%13 != 0 && at%41 > 2 {
				continue // every 13th event, both sides of each head, and the last five
			}
			rewrites := strings.Contains(c.name, "renumber") || strings.Contains(c.name, "re-seal")
			if rewrites && at%20 != 7 && at != n-1 {
				continue // rewriting the whole log is slow: a place in every stretch between heads
			}
			if at == n && (c.name == "delete the event" || strings.Contains(c.name, "renumber") || strings.Contains(c.name, "re-seal")) {
				// The last event is the last head: removing it, or rewriting it
				// with nothing signed after it, is a cut tail, which only a
				// head kept outside the log reveals (TestACutTail…).
				continue
			}
			total++
			ls := c.apply(append([]string(nil), lines...), at)
			err := tpVerify(l, ls, nil)
			var b *audit.Broken
			switch {
			case err == nil:
				t.Errorf("%s at event %d: not caught", c.name, at-1)
			case c.place && (!errors.As(err, &b) || b.Index != int64(at-1)):
				caught++
				t.Errorf("%s at event %d: caught, but reported as %v", c.name, at-1, err)
			default:
				caught++
			}
		}
	}
	t.Logf("%d tamperings of %d kinds, %d caught (%.1f %%)", total, len(cases), caught, 100*float64(caught)/float64(total))
}

func tpOtherSigner(t *testing.T) (*audit.Signer, error) {
	skey, _, err := note.GenerateKey(rand.Reader, "felles")
	if err != nil {
		return nil, err
	}
	return audit.NewSigner(skey)
}

// A cut tail takes the last heads with it: the log alone cannot tell. A head
// kept outside the log (fetched before, from an earlier export) can.
func TestACutTailIsCaughtByAHeadKeptOutsideTheLog(t *testing.T) {
	l := tpLog(t)
	lines := tpExport(t, l)
	var kept audit.HeadEvent
	var last audit.Line
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	json.Unmarshal(last.Data, &kept)
	// (cutting only the last line removes the last head event itself: the
	// kept head signs the 240 events before it, which are all still there)
	for _, k := range []int{2, 3, 41, 100} {
		cut := lines[:len(lines)-k]
		if err := tpVerify(l, cut, nil); err != nil {
			t.Fatalf("cut %d: the log alone cannot know, yet: %v", k, err)
		}
		err := tpVerify(l, cut, map[string][]byte{"kept": []byte(kept.Note)})
		var b *audit.Broken
		if !errors.As(err, &b) || !strings.Contains(b.What, "cut off") {
			t.Errorf("cut %d with the kept head: %v", k, err)
		}
	}
	// a head kept outside must be signed by the published key
	other, _ := tpOtherSigner(t)
	forged, _ := other.Sign(audit.TreeHead{Size: 1, SignedAt: time.Now()})
	if err := tpVerify(l, lines, map[string][]byte{"forged": []byte(forged)}); err == nil {
		t.Error("a head signed by another key was trusted")
	}
}

// The same tamperings on a copy of the SQLite file, through the store.
func TestVerifyCatchesTamperingOfTheDatabaseFile(t *testing.T) {
	l := tpLog(t)
	l.store.Close()
	orig := filepath.Join(l.dir, "events.db")
	cases := []struct {
		name string
		sql  string
		at   int64 // the event reported broken (its index), -1 when it is a head further on
	}{
		{"flip a byte of data", `UPDATE events SET data = CAST(replace(CAST(data AS TEXT), 'event', 'evenT') AS BLOB) WHERE position = 17`, 16},
		{"change metadata", `UPDATE events SET metadata = CAST(replace(CAST(metadata AS TEXT), '"oslo"', '"bergen"') AS BLOB) WHERE position = 99`, 98},
		{"change recorded_at", `UPDATE events SET recorded_at = '2001-01-01T00:00:00Z' WHERE position = 150`, 149},
		{"delete an event", `DELETE FROM events WHERE position = 60`, 59},
		{"delete the first event", `DELETE FROM events WHERE position = 1`, 0},
		{"swap two events' content across streams", `UPDATE events SET position = -position WHERE position IN (30, 31);
			UPDATE events SET position = 31 WHERE position = -30; UPDATE events SET position = 30 WHERE position = -31`, -1},
		// (two streams' events swapped keep both chains whole: the head after them is the first place that shows it)
		{"truncate nothing but change a head", `UPDATE events SET data = CAST(replace(CAST(data AS TEXT), '"size":40', '"size":39') AS BLOB) WHERE stream = 'audit-tree' AND revision = 0`, 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			copyPath := filepath.Join(t.TempDir(), "events.db")
			raw, err := os.ReadFile(orig)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(copyPath, raw, 0o600)
			db, err := sql.Open("sqlite", copyPath)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete; ` + c.sql); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err := sqlite.Open(copyPath)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, err = audit.VerifyLog(ctx, s, l.key, true, nil)
			var b *audit.Broken
			if !errors.As(err, &b) {
				t.Fatalf("not caught: %v", err)
			}
			if c.at >= 0 && b.Index != c.at {
				t.Errorf("reported at event %d, tampered at %d: %v", b.Index, c.at, err)
			}
		})
	}
}
