// Package vault keeps sealed submissions (DOMAIN.md §5 SEALED) outside the
// event log: each submission's content encrypted with AES-256-GCM under a
// random key of its own, the ciphertexts in sealed.db and the keys in a
// separate keys.db, so neither the log, nor a copy of the ciphertexts, nor a
// copy of the keys alone reveals a bid. The vault never decides who may read,
// nor records who did: app.Bids asks it to unseal only after the opening, and
// records every attempt to read as an AccessLogged event in the event log
// (DOMAIN.md §3), where it is in the hash chain.
//
// Both files use synchronous=FULL: an acknowledged submission's content and key
// must survive a crash like its event does.
package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/felles/felles/app"
)

// ErrNotFound is a ref the vault does not hold.
var ErrNotFound = errors.New("vault: no sealed content under this reference")

// Store is the vault in a data folder.
type Store struct {
	mu     sync.Mutex // one Seal or Discard at a time: a check-then-write must not interleave with another
	sealed *sql.DB    // ciphertexts
	keys   *sql.DB    // one key per ref
}

// Open opens (creating if needed) sealed.db and keys.db in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: create folder: %w", err)
	}
	sealed, err := openDB(filepath.Join(dir, "sealed.db"), sealedSchema)
	if err != nil {
		return nil, err
	}
	keys, err := openDB(filepath.Join(dir, "keys.db"), keysSchema)
	if err != nil {
		sealed.Close()
		return nil, err
	}
	return &Store{sealed: sealed, keys: keys}, nil
}

const sealedSchema = `
CREATE TABLE IF NOT EXISTS sealed (
	ref        TEXT PRIMARY KEY,
	nonce      BLOB NOT NULL,
	ciphertext BLOB NOT NULL,
	sealed_at  TEXT NOT NULL
);`

// Vault files written before the access log moved into the event log may
// still hold an access_log table (at, user_id, org, case_id, bid_id, purpose,
// granted). Nothing writes or reads it any more; it is left in place rather
// than dropped, as the only record of the reads made before the move.

const keysSchema = `
CREATE TABLE IF NOT EXISTS keys (
	ref TEXT PRIMARY KEY,
	key BLOB NOT NULL
);`

func openDB(path, schema string) (*sql.DB, error) {
	// Created with 0600 before SQLite opens it, so the -wal and -shm files
	// SQLite creates next take the same mode (the WAL holds new keys).
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: create %s: %w", path, err)
	}
	f.Close()
	q := url.Values{}
	// secure_delete: a discarded key or ciphertext is overwritten, not left in free pages.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "secure_delete(ON)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("vault: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("vault: schema of %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("vault: restrict %s: %w", path, err)
	}
	return db, nil
}

// Close closes both files.
func (s *Store) Close() error { return errors.Join(s.sealed.Close(), s.keys.Close()) }

// Seal encrypts content under a new random key and stores it under ref. The key
// is written first: a crash between the two writes leaves a key without
// ciphertext (harmless), never a ciphertext without its key. A ref that is
// already sealed is left as it is (created false): refs are derived from the
// content's hash, so it holds the same content.
func (s *Store) Seal(ctx context.Context, ref string, content []byte) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var exists int
	if err := s.sealed.QueryRowContext(ctx, `SELECT count(*) FROM sealed WHERE ref = ?`, ref).Scan(&exists); err != nil {
		return false, fmt.Errorf("vault: seal %s: %w", ref, err)
	}
	if exists > 0 {
		return false, nil
	}
	key := make([]byte, 32)
	nonce := make([]byte, 12)
	if _, err := rand.Read(key); err != nil {
		return false, err
	}
	if _, err := rand.Read(nonce); err != nil {
		return false, err
	}
	aead, err := gcm(key)
	if err != nil {
		return false, err
	}
	ciphertext := aead.Seal(nil, nonce, content, []byte(ref)) // the ref is authenticated: a ciphertext cannot be moved to another bid
	if _, err := s.keys.ExecContext(ctx, `INSERT OR REPLACE INTO keys(ref, key) VALUES(?, ?)`, ref, key); err != nil {
		return false, fmt.Errorf("vault: store key of %s: %w", ref, err)
	}
	if _, err := s.sealed.ExecContext(ctx, `INSERT INTO sealed(ref, nonce, ciphertext, sealed_at) VALUES(?, ?, ?, ?)`,
		ref, nonce, ciphertext, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return false, fmt.Errorf("vault: store ciphertext of %s: %w", ref, err)
	}
	return true, nil
}

// Discard deletes a ref's ciphertext and key, overwriting them (secure_delete)
// and truncating the WALs so no copy of the files still holds them.
func (s *Store) Discard(ctx context.Context, ref string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err1 := s.sealed.ExecContext(ctx, `DELETE FROM sealed WHERE ref = ?`, ref)
	_, err2 := s.keys.ExecContext(ctx, `DELETE FROM keys WHERE ref = ?`, ref)
	_, err3 := s.sealed.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	_, err4 := s.keys.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return errors.Join(err1, err2, err3, err4)
}

// Unseal decrypts a ref's content; a tampered ciphertext fails authentication.
func (s *Store) Unseal(ctx context.Context, ref string) ([]byte, error) {
	var nonce, ciphertext, key []byte
	err := s.sealed.QueryRowContext(ctx, `SELECT nonce, ciphertext FROM sealed WHERE ref = ?`, ref).Scan(&nonce, &ciphertext)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read %s: %w", ref, err)
	}
	err = s.keys.QueryRowContext(ctx, `SELECT key FROM keys WHERE ref = ?`, ref).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("vault: the key of %s is missing", ref)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read key of %s: %w", ref, err)
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	content, err := aead.Open(nil, nonce, ciphertext, []byte(ref))
	if err != nil {
		return nil, fmt.Errorf("vault: %s does not decrypt (tampered or wrong key): %w", ref, err)
	}
	return content, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

var _ app.SealedStore = (*Store)(nil)
