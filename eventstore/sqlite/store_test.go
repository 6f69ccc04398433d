package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/eventstore/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, storetest.Options{Gapless: true})
}

// What the suite cannot see: the file itself.
func TestTheLogSurvivesAReopenAndRefusesRewrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ev := func(i int) []eventstore.EventData {
		return []eventstore.EventData{{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Type: "E", SchemaVersion: 1, Data: json.RawMessage(`{}`)}}
	}
	s.Append(ctx, "s-1", eventstore.NoStream, ev(1))
	s.Append(ctx, "s-1", eventstore.At(0), ev(2))
	s.Close()

	s, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if h, _ := s.Head(ctx); h != eventstore.Seq(2) {
		t.Fatalf("head after reopen: %v", h)
	}
	if _, err := s.Append(ctx, "s-1", eventstore.At(0), ev(3)); !errors.Is(err, eventstore.ErrWrongRevision) {
		t.Fatalf("the reopened store must know the stream's head: %v", err)
	}
	res, err := s.Append(ctx, "s-1", eventstore.At(1), ev(3))
	if err != nil || res.Position != eventstore.Seq(3) {
		t.Fatalf("append after reopen: %+v %v", res, err)
	}
	recs, _ := s.ReadStream(ctx, "s-1", 0, 0)
	if err := eventstore.VerifyChain(recs); err != nil {
		t.Fatalf("the chain continues across a reopen: %v", err)
	}

	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE events SET data = '{"forged":true}' WHERE position = 1`); err == nil {
		t.Fatal("an UPDATE of the log must be refused")
	}
	if _, err := db.Exec(`DELETE FROM events WHERE position = 1`); err == nil {
		t.Fatal("a DELETE from the log must be refused")
	}
}
