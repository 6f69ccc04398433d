package projections

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// OpenViews opens (creating if needed) the views database. Views can always be
// rebuilt from the log, so synchronous=NORMAL is enough: WAL keeps them
// consistent with their checkpoint after a crash, only the last commits may be
// replayed.
func OpenViews(path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("views: create folder: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("views: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.ExecContext(context.Background(), runnerSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("views: create schema in %s: %w", path, err)
	}
	return db, nil
}

const runnerSchema = `
CREATE TABLE IF NOT EXISTS checkpoints (
	consumer TEXT PRIMARY KEY,
	commit_position  INTEGER NOT NULL,
	prepare_position INTEGER NOT NULL,
	read_models TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS poisoned_messages (
	id          INTEGER PRIMARY KEY,
	consumer    TEXT NOT NULL,
	event_id    TEXT NOT NULL,
	position    TEXT NOT NULL,
	event_type  TEXT NOT NULL,
	reason      TEXT NOT NULL,
	poisoned_at TEXT NOT NULL
);
`
