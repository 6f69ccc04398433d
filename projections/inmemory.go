package projections

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"

	"github.com/felles/felles/eventstore"
)

var memoryViews atomic.Int64

// BuildInMemory projects records, in the order given, into a new in-memory
// views database with every model's tables: the views as some past moment
// had them (time travel). The caller closes it.
func BuildInMemory(ctx context.Context, models []ReadModel, records []eventstore.Record) (*sql.DB, error) {
	// One connection: an in-memory database lives and dies with its connection.
	db, err := sql.Open("sqlite", fmt.Sprintf("file:felles-asof-%d?mode=memory", memoryViews.Add(1)))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	fail := func(err error) (*sql.DB, error) { db.Close(); return nil, err }
	for _, m := range models {
		if _, err := db.ExecContext(ctx, m.Schema()); err != nil {
			return fail(fmt.Errorf("projections: schema of %s in memory: %w", m.Name(), err))
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	for _, rec := range records {
		for _, m := range models {
			if err := m.Apply(ctx, tx, rec); err != nil {
				tx.Rollback()
				return fail(fmt.Errorf("projections: %s at %s@%d in memory: %w", m.Name(), rec.Stream, rec.Revision, err))
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return db, nil
}
