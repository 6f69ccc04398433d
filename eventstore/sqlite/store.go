package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/felles/felles/eventstore"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// maxBatch bounds how many appends share one transaction, so one fsync never
// waits behind an unbounded queue.
const maxBatch = 512

// Store is the embedded event log. Only one process may open a file at a time
// (cmd/felles holds a lock on the data folder): the writer caches stream heads.
type Store struct {
	read  *sql.DB
	write *sql.DB
	reqs  chan *appendRequest
	now   func() time.Time

	mu      sync.Mutex
	head    uint64        // last committed position
	changed chan struct{} // closed and replaced after every commit

	insertStmt, lookupStmt, headStmt *sql.Stmt // the writer's, on its one connection
	readStmts                        sync.Map  // "stream|all:limit" → *sql.Stmt, the readers'

	closeOnce  sync.Once
	closing    chan struct{}
	writerDone chan struct{}
	ckptDone   chan struct{}
}

var _ eventstore.Store = (*Store)(nil)

// Open opens (creating if needed) the log at path.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite store: create folder: %w", err)
	}
	pragmas := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)", "wal_autocheckpoint(0)"} {
		pragmas.Add("_pragma", p)
	}
	wdsn := "file:" + path + "?" + pragmas.Encode() + "&_txlock=immediate"
	w, err := sql.Open("sqlite", wdsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	if _, err := w.Exec(schema); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite store: create schema in %s: %w", path, err)
	}
	rp := url.Values{}
	rp.Add("_pragma", "busy_timeout(10000)")
	rp.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", "file:"+path+"?"+rp.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite store: open reader %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8) // under load a closed-and-reopened connection costs more than the read
	s := &Store{
		read: r, write: w, reqs: make(chan *appendRequest, maxBatch), now: time.Now,
		changed: make(chan struct{}), closing: make(chan struct{}), writerDone: make(chan struct{}), ckptDone: make(chan struct{}),
	}
	var head sql.NullInt64
	if err := w.QueryRow(`SELECT MAX(position) FROM events`).Scan(&head); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("sqlite store: read head: %w", err)
	}
	s.head = uint64(head.Int64)
	if err := s.prepare(); err != nil {
		s.closeDBs()
		return nil, err
	}
	go s.writer()
	go s.checkpointer(path)
	return s, nil
}

// prepare compiles every statement once: parsing SQL per append or read was a
// measurable share of the CPU under load.
func (s *Store) prepare() error {
	for _, p := range []struct {
		db   *sql.DB
		dst  **sql.Stmt
		text string
	}{
		{s.write, &s.insertStmt, `INSERT INTO events (` + selectColumns + `) VALUES (?,?,?,?,?,?,?,?,?,?,?)`},
		{s.write, &s.lookupStmt, `SELECT stream, revision, position FROM events WHERE event_id = ?`},
		{s.write, &s.headStmt, `SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1`},
	} {
		st, err := p.db.Prepare(p.text)
		if err != nil {
			return fmt.Errorf("sqlite store: prepare: %w", err)
		}
		*p.dst = st
	}
	return nil
}

// checkpointer copies the WAL back into the database file from its own
// connection, so the writer goroutine never pays for a checkpoint inside a
// commit (with auto-checkpointing, one commit in ~1000 pages did).
func (s *Store) checkpointer(path string) {
	defer close(s.ckptDone)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return
	}
	defer db.Close()
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.writerDone:
			db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
			return
		case <-t.C:
			db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

func (s *Store) closeDBs() { s.read.Close(); s.write.Close() }

// Close stops the writer after the appends already queued and closes the file.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		<-s.writerDone
		<-s.ckptDone
		s.closeDBs()
	})
	return nil
}

// Head is the last committed position.
func (s *Store) Head(context.Context) (eventstore.Position, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return eventstore.Seq(s.head), nil
}

// Path-independent reads go through the read pool, so reads never wait behind
// the writer's fsync.

// ReadStream returns events of stream from revision `from`.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		limit = -1
	}
	st, err := s.readStmt("stream", limit, `SELECT `+selectColumns+` FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT %d`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, stream, from)
	if err != nil {
		return nil, fmt.Errorf("sqlite store: read %s: %w", stream, err)
	}
	return scanRecords(rows)
}

// ReadAll returns the global log strictly after `after`.
func (s *Store) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Record, error) {
	if limit <= 0 {
		limit = -1
	}
	st, err := s.readStmt("all", limit, `SELECT `+selectColumns+` FROM events WHERE position > ? ORDER BY position LIMIT %d`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, after.Commit)
	if err != nil {
		return nil, fmt.Errorf("sqlite store: read all: %w", err)
	}
	return scanRecords(rows)
}

// readStmt returns the read statement for a limit, prepared once. The limit is
// part of the SQL text, not a bound parameter: with LIMIT bound, this SQLite
// build re-prepares the statement at every step, which measured as half the
// cost of a stream read. Callers use a handful of fixed limits.
func (s *Store) readStmt(kind string, limit int, text string) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s:%d", kind, limit)
	if st, ok := s.readStmts.Load(key); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.read.Prepare(fmt.Sprintf(text, limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite store: prepare read: %w", err)
	}
	if prior, loaded := s.readStmts.LoadOrStore(key, st); loaded {
		st.Close()
		return prior.(*sql.Stmt), nil
	}
	return st, nil
}

func scanRecords(rows *sql.Rows) ([]eventstore.Record, error) {
	defer rows.Close()
	var out []eventstore.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite store: scan: %w", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanRecord(row scanner) (eventstore.Record, error) {
	var (
		r          eventstore.Record
		pos, rev   int64
		data, meta []byte
		recorded   string
	)
	if err := row.Scan(&pos, &r.Stream, &rev, &r.ID, &r.Type, &r.SchemaVersion, &data, &meta, &recorded, &r.PrevHash, &r.Hash); err != nil {
		return r, fmt.Errorf("sqlite store: scan: %w", err)
	}
	r.Position, r.Revision = eventstore.Seq(uint64(pos)), uint64(rev)
	r.Data = json.RawMessage(data)
	if err := decodeMetadata(meta, &r.Metadata); err != nil {
		return r, fmt.Errorf("sqlite store: metadata of event %d: %w", pos, err)
	}
	t, err := time.Parse(time.RFC3339Nano, recorded)
	if err != nil {
		return r, fmt.Errorf("sqlite store: recorded_at of event %d: %w", pos, err)
	}
	r.RecordedAt = t
	return r, nil
}

// changedSignal returns the channel closed at the next commit and the head now.
func (s *Store) changedSignal() (<-chan struct{}, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed, s.head
}

func (s *Store) published(head uint64) {
	s.mu.Lock()
	s.head = head
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}
