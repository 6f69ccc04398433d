package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/merkle"
)

// The auditor's commands end to end: a real server fills a data folder with
// the demo and signs heads over it; once it has stopped, verify, export and
// replay run on the folder as an auditor runs them. Every identifier here
// starts with "aud".

var audLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// audDemoFolder runs felles with the demo data and a notary signing every
// 50 ms until a head covers the whole log (the head itself is the last event),
// stops it and hands over the folder.
func audDemoFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	srv, err := start(context.Background(), serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true,
		headInterval: 50 * time.Millisecond, headEvents: audit.DefaultHeadMaxEvents}, audLog)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop()
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		head, err := srv.sys.store.Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		h, ok, err := merkle.LatestHead(context.Background(), srv.sys.views)
		if err != nil {
			t.Fatal(err)
		}
		if ok && uint64(h.Size)+1 == head.Commit && h.Leaf == h.Size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no head over the whole log 20 s after start (log %s, latest head %+v)", head, h)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped = true
	if err := srv.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	return dir
}

// audRecords reads the folder's log.
func audRecords(t *testing.T, dir string) []eventstore.Record {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	recs, err := store.ReadAll(context.Background(), eventstore.Position{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// audRun runs one of the auditor's commands and answers with what it printed.
func audRun(t *testing.T, cmd func(context.Context, []string, *slog.Logger, io.Writer) error, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := cmd(context.Background(), args, audLog, &out)
	return out.String(), err
}

func audOK(t *testing.T, cmd func(context.Context, []string, *slog.Logger, io.Writer) error, args ...string) string {
	t.Helper()
	out, err := audRun(t, cmd, args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out
}

// audRefused asserts a command fails with an error that says what.
func audRefused(t *testing.T, want string, cmd func(context.Context, []string, *slog.Logger, io.Writer) error, args ...string) error {
	t.Helper()
	_, err := audRun(t, cmd, args...)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("%v: want an error saying %q, got %v", args, want, err)
	}
	return err
}

// audTamper writes a copy of file with one letter of line n's data flipped.
func audTamper(t *testing.T, file string, n int) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(raw, []byte("\n"))
	line := lines[n-1]
	at := bytes.Index(line, []byte(`"data":{`))
	if at < 0 {
		t.Fatalf("line %d has no data: %s", n, line)
	}
	for i := at + len(`"data":{`); i < len(line); i++ {
		if c := line[i]; 'a' <= c && c <= 'z' {
			line[i] = c - 'a' + 'A'
			break
		}
	}
	out := filepath.Join(t.TempDir(), "tampered-"+filepath.Base(file))
	if err := os.WriteFile(out, bytes.Join(lines, []byte("\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

var audDigest = regexp.MustCompile(`view digest: ([0-9a-f]{64})`)

func TestTheAuditorsCommandsOnADemoFolder(t *testing.T) {
	// given a data folder the server filled with the demo and signed heads over
	dir := audDemoFolder(t)
	recs := audRecords(t, dir)
	n := len(recs)
	out := t.TempDir()

	t.Run("verify_checks_every_chain_and_head_of_the_folder", func(t *testing.T) {
		got := audOK(t, verify, "--data", dir)
		for _, want := range []string{"verified " + strconv.Itoa(n) + " events", "every hash chain holds", "signed heads in the log", "the last covers " + strconv.Itoa(n-1) + " events"} {
			if !strings.Contains(got, want) {
				t.Errorf("verify says\n%s\nwithout %q", got, want)
			}
		}
	})

	t.Run("verify_with_the_latest_head_kept_outside", func(t *testing.T) {
		var he audit.HeadEvent
		if err := json.Unmarshal(recs[n-1].Data, &he); err != nil || !audit.IsHead(recs[n-1]) {
			t.Fatalf("the last event is no head: %v", err)
		}
		line, _ := json.Marshal(map[string]string{"note": he.Note})
		heads := filepath.Join(out, "heads.jsonl")
		if err := os.WriteFile(heads, append(line, '\n'), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := audOK(t, verify, "--data", dir, "--heads", heads); !strings.Contains(got, "and 1 kept outside it verified") {
			t.Errorf("verify says\n%s", got)
		}
	})

	t.Run("verify_against_another_published_key_fails", func(t *testing.T) {
		other, err := audit.LoadOrCreateSigner(t.TempDir(), "felles")
		if err != nil {
			t.Fatal(err)
		}
		audRefused(t, "not signed by the published key", verify, "--data", dir, "--key", other.PublicKey())
	})

	whole := filepath.Join(out, "whole.jsonl")
	t.Run("export_of_the_whole_log_verifies", func(t *testing.T) {
		audOK(t, export, "--data", dir, "--out", whole)
		got := audOK(t, verify, "--export", whole)
		if !strings.Contains(got, "verified "+strconv.Itoa(n)+" events") || !strings.Contains(got, "every hash chain holds") {
			t.Errorf("verify --export says\n%s", got)
		}
	})

	caseID := ""
	for _, r := range recs {
		if id, ok := strings.CutPrefix(r.Stream, "procurement-"); ok {
			caseID = id
			break
		}
	}
	caseFile := filepath.Join(out, "case.jsonl")
	t.Run("export_of_the_demo_case_verifies", func(t *testing.T) {
		if caseID == "" {
			t.Fatal("the demo has no case")
		}
		audOK(t, export, "--data", dir, "--case", caseID, "--out", caseFile)
		got := audOK(t, verify, "--export", caseFile)
		if !strings.Contains(got, "every event is proven to be in the log of "+strconv.Itoa(n)+" events") {
			t.Errorf("verify --export of the case says\n%s", got)
		}
	})

	t.Run("a_tampered_export_is_refused_naming_the_event", func(t *testing.T) {
		// line 1 is the header, line k+2 event k (from 0)
		k := n / 2
		for audit.IsHead(recs[k]) {
			k++
		}
		err := audRefused(t, "the hash does not match", verify, "--export", audTamper(t, whole, k+2))
		var b *audit.Broken
		if !errors.As(err, &b) || b.Index != int64(k) || b.EventID != recs[k].ID || !strings.Contains(err.Error(), recs[k].ID) {
			t.Errorf("want event %d (%s) named, got %v", k, recs[k].ID, err)
		}
	})

	t.Run("a_tampered_case_export_is_refused_naming_the_line", func(t *testing.T) {
		audRefused(t, "line 3: the hash does not match", verify, "--export", audTamper(t, caseFile, 3))
	})

	t.Run("replay_until_a_moment_gives_the_same_views_twice", func(t *testing.T) {
		// a moment between two events in the middle of the log
		i := n / 2
		for i < n-1 && !recs[i+1].RecordedAt.After(recs[i].RecordedAt) {
			i++
		}
		if i >= n-1 {
			t.Fatal("no two events recorded at different moments")
		}
		until := recs[i].RecordedAt.Format(time.RFC3339Nano)
		first := audOK(t, replay, "--data", dir, "--until", until, "--out", filepath.Join(out, "asof-1.db"))
		second := audOK(t, replay, "--data", dir, "--until", until, "--out", filepath.Join(out, "asof-2.db"))
		d1, d2 := audDigest.FindStringSubmatch(first), audDigest.FindStringSubmatch(second)
		if d1 == nil || d2 == nil || d1[1] != d2[1] {
			t.Fatalf("two replays until %s:\n%s\n%s", until, first, second)
		}
		if !strings.Contains(first, "from "+strconv.Itoa(i+1)+" events") {
			t.Errorf("replay until event %d's moment says\n%s", i+1, first)
		}
		replayed, live := audViewSize(t, filepath.Join(out, "asof-1.db")), audViewSize(t, filepath.Join(dir, "views.db"))
		if replayed != int64(i+1) || replayed >= live {
			t.Errorf("the replayed views hold %d events, the live ones %d; want %d", replayed, live, i+1)
		}
	})

	t.Run("bad_input_is_refused_with_a_clear_error", func(t *testing.T) {
		audRefused(t, `--until "notatime" is not an RFC 3339 time`, replay, "--data", dir, "--until", "notatime", "--out", filepath.Join(out, "x.db"))
		audRefused(t, `unknown format "xml"`, export, "--data", dir, "--format", "xml")
		audRefused(t, `--case "not-a-uuid" is not a case ID`, export, "--data", dir, "--case", "not-a-uuid")
		audRefused(t, "no signing key in /nonexistent", verify, "--data", "/nonexistent")
		key, err := existingSigner(dir)
		if err != nil {
			t.Fatal(err)
		}
		audRefused(t, "no event log in /nonexistent", verify, "--data", "/nonexistent", "--key", key.PublicKey())
		audRefused(t, "exists", replay, "--data", dir, "--until", recs[0].RecordedAt.Format(time.RFC3339Nano), "--out", whole)
		audRefused(t, "exists", export, "--data", dir, "--out", whole)
		if info, err := os.Stat(whole); err != nil || info.Size() == 0 {
			t.Fatalf("a refused command touched %s: %v", whole, err)
		}
	})
}

// audViewSize is how many events the merkle view of a views file holds.
func audViewSize(t *testing.T, path string) int64 {
	t.Helper()
	db, err := projections.OpenViews(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := merkle.Size(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
