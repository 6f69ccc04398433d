package sqlite

// schema is the whole log: events are never updated or deleted. position is the
// gapless global order (rowid alias); (stream, revision) and event_id are unique
// so a duplicate or a lost race can never be stored twice.
const schema = `
CREATE TABLE IF NOT EXISTS events (
	position       INTEGER PRIMARY KEY,
	stream         TEXT    NOT NULL,
	revision       INTEGER NOT NULL,
	event_id       TEXT    NOT NULL UNIQUE,
	type           TEXT    NOT NULL,
	schema_version INTEGER NOT NULL,
	data           BLOB    NOT NULL,
	metadata       BLOB    NOT NULL,
	recorded_at    TEXT    NOT NULL,
	prev_hash      TEXT    NOT NULL,
	hash           TEXT    NOT NULL,
	UNIQUE (stream, revision)
);
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`

const selectColumns = `position, stream, revision, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash`
