package projections_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections"
)

// BuildInMemory (time travel, issue 7): the views of a moment, built from the
// records given by the same read models the runner runs.

// histOrder is a read model that remembers the order it was given events in.
type histOrder struct{}

func (histOrder) Name() string     { return "hist_order_v1" }
func (histOrder) Tables() []string { return []string{"hist_order"} }
func (histOrder) Schema() string {
	return `CREATE TABLE IF NOT EXISTS hist_order (seq INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL)`
}
func (histOrder) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO hist_order (stream, revision) VALUES (?, ?)`, rec.Stream, rec.Revision)
	return err
}

// histBadSchema is a read model whose tables cannot be created.
type histBadSchema struct{ histOrder }

func (histBadSchema) Name() string   { return "hist_bad_v1" }
func (histBadSchema) Schema() string { return `CREATE TABLE nonsense (` }

// histRecords are n records of stream, at global positions from first on.
func histRecords(stream string, first uint64, n int, typ string) []eventstore.Record {
	out := make([]eventstore.Record, n)
	for i := range out {
		out[i] = eventstore.Record{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", first+uint64(i)), Stream: stream,
			Revision: uint64(i), Position: eventstore.Seq(first + uint64(i)), Type: typ}
	}
	return out
}

// histOrderOf is "stream@revision" in the order histOrder was given them.
func histOrderOf(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT stream, revision FROM hist_order ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		var r int
		if err := rows.Scan(&s, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s@%d", s, r))
	}
	return strings.Join(out, " ")
}

// histRows is every row of a table, sorted, for comparing two databases.
func histRows(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return strings.Join(out, "\n")
}

func TestBuildInMemory(t *testing.T) {
	t.Run("every_model_gets_every_record_in_the_order_given", func(t *testing.T) {
		// given records of two streams, interleaved
		a, b := histRecords("a-1", 1, 2, "Counted"), histRecords("b-1", 3, 2, "Counted")
		recs := []eventstore.Record{a[0], b[0], a[1], b[1]}
		// when they are built in memory by two models
		db, err := projections.BuildInMemory(ctx, []projections.ReadModel{histOrder{}, counter{"counts_v1"}}, recs)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// then both models hold them, in that order
		if got := histOrderOf(t, db); got != "a-1@0 b-1@0 a-1@1 b-1@1" {
			t.Errorf("order %s", got)
		}
		if count(t, db, "a-1") != 2 || count(t, db, "b-1") != 2 {
			t.Errorf("counts %d, %d", count(t, db, "a-1"), count(t, db, "b-1"))
		}
	})

	t.Run("each_build_is_a_database_of_its_own", func(t *testing.T) {
		// given two builds of different records
		one, err := projections.BuildInMemory(ctx, []projections.ReadModel{counter{"counts_v1"}}, histRecords("a-1", 1, 1, "Counted"))
		if err != nil {
			t.Fatal(err)
		}
		three, err := projections.BuildInMemory(ctx, []projections.ReadModel{counter{"counts_v1"}}, histRecords("a-1", 1, 3, "Counted"))
		if err != nil {
			t.Fatal(err)
		}
		defer three.Close()
		// when the first is read and then closed
		if count(t, one, "a-1") != 1 || count(t, three, "a-1") != 3 {
			t.Fatalf("the builds share rows: %d, %d", count(t, one, "a-1"), count(t, three, "a-1"))
		}
		one.Close()
		// then the second still answers, its own rows
		if count(t, three, "a-1") != 3 || three.Ping() != nil {
			t.Error("closing one build touched the other")
		}
	})

	t.Run("the_same_records_give_the_same_rows_as_the_runners_rebuild", func(t *testing.T) {
		// given a log of two streams, and the runner's views rebuilt from it
		e := newEnv(t)
		e.append(t, "a-1", "Counted", 3)
		e.append(t, "b-1", "Counted", 2)
		e.append(t, "a-1", "Counted", 1)
		r := e.runner(t, "counts_v1")
		if _, err := r.Rebuild(ctx, e.store); err != nil {
			t.Fatal(err)
		}
		recs, err := e.store.ReadAll(ctx, eventstore.Position{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		// when the log is built in memory
		db, err := projections.BuildInMemory(ctx, []projections.ReadModel{counter{"counts_v1"}}, recs)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// then the rows are the runner's
		if live, mem := histRows(t, e.views, "counts"), histRows(t, db, "counts"); live != mem || live == "" {
			t.Errorf("runner:\n%s\nin memory:\n%s", live, mem)
		}
	})

	t.Run("a_record_a_model_rejects_fails_the_build", func(t *testing.T) {
		// given a record the counter refuses
		recs := append(histRecords("a-1", 1, 2, "Counted"), histRecords("p-1", 3, 1, "Poison")...)
		// when it is built in memory
		db, err := projections.BuildInMemory(ctx, []projections.ReadModel{counter{"counts_v1"}}, recs)
		// then there is no database, and the error names the model and the record
		if err == nil || db != nil {
			t.Fatalf("built despite poison: %v", err)
		}
		if !strings.Contains(err.Error(), "counts_v1") || !strings.Contains(err.Error(), "p-1@0") {
			t.Errorf("error %q does not name the model and the record", err)
		}
	})

	t.Run("a_schema_that_cannot_be_created_fails_the_build", func(t *testing.T) {
		db, err := projections.BuildInMemory(ctx, []projections.ReadModel{counter{"counts_v1"}, histBadSchema{}}, nil)
		if err == nil || db != nil || !strings.Contains(err.Error(), "hist_bad_v1") {
			t.Fatalf("db %v, error %v", db, err)
		}
	})

	t.Run("a_cancelled_request_builds_nothing", func(t *testing.T) {
		c, cancel := context.WithCancel(ctx)
		cancel()
		db, err := projections.BuildInMemory(c, []projections.ReadModel{counter{"counts_v1"}}, histRecords("a-1", 1, 3, "Counted"))
		if err == nil || db != nil || !errors.Is(err, context.Canceled) {
			t.Fatalf("db %v, error %v", db, err)
		}
	})

	t.Run("no_models_and_no_records_is_an_empty_database", func(t *testing.T) {
		db, err := projections.BuildInMemory(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Ping(); err != nil {
			t.Fatal(err)
		}
	})
}
