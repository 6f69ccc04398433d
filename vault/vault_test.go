package vault_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/felles/felles/vault"
)

var ctx = context.Background()

// canary is a submission nobody could mistake for anything else on disk.
var canary = []byte("CANARY-sealed-tender-9f1d2c: unit price 1 234 567 NOK, delivery in week 17, " +
	strings.Repeat("confidential technical annex ", 8))

func open(t *testing.T, dir string) *vault.Store {
	t.Helper()
	s, err := vault.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func seal(t *testing.T, s *vault.Store, ref string, content []byte) {
	t.Helper()
	created, err := s.Seal(ctx, ref, content)
	if err != nil || !created {
		t.Fatalf("seal %s: created %v, %v", ref, created, err)
	}
}

// raw opens one of the vault's files behind the store's back, as someone with
// a copy of the file would, runs f and closes the file again (an open
// connection would keep the store's close from checkpointing the WAL).
func raw(t *testing.T, dir, file string, f func(db *sql.DB) error) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, file)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := f(db); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func exec(t *testing.T, dir, file, query string, args ...any) {
	t.Helper()
	raw(t, dir, file, func(db *sql.DB) error {
		_, err := db.Exec(query, args...)
		return err
	})
}

func keyOf(t *testing.T, dir, ref string) (key []byte) {
	t.Helper()
	raw(t, dir, "keys.db", func(db *sql.DB) error {
		return db.QueryRow(`SELECT key FROM keys WHERE ref = ?`, ref).Scan(&key)
	})
	return key
}

func ciphertextOf(t *testing.T, dir, ref string) (nonce, ciphertext []byte) {
	t.Helper()
	raw(t, dir, "sealed.db", func(db *sql.DB) error {
		return db.QueryRow(`SELECT nonce, ciphertext FROM sealed WHERE ref = ?`, ref).Scan(&nonce, &ciphertext)
	})
	return nonce, ciphertext
}

func decrypt(key, nonce, ciphertext []byte, ref string) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return aead.Open(nil, nonce, ciphertext, []byte(ref))
}

func count(t *testing.T, dir, file, table, ref string) (n int) {
	t.Helper()
	raw(t, dir, file, func(db *sql.DB) error {
		return db.QueryRow(`SELECT count(*) FROM `+table+` WHERE ref = ?`, ref).Scan(&n)
	})
	return n
}

// filesContaining names the files in dir whose raw bytes contain any of needles.
func filesContaining(t *testing.T, dir string, needles ...[]byte) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, e := range entries {
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range needles {
			if bytes.Contains(body, n) {
				hits = append(hits, e.Name())
				break
			}
		}
	}
	return hits
}

func encodings(content []byte) [][]byte {
	return [][]byte{content, content[:24], []byte(base64.StdEncoding.EncodeToString(content)),
		[]byte(base64.RawURLEncoding.EncodeToString(content)), []byte(hex.EncodeToString(content))}
}

func TestSealUnseal(t *testing.T) {
	t.Run("sealed_content_unseals_to_the_same_bytes", func(t *testing.T) {
		s := open(t, t.TempDir())
		seal(t, s, "case/bid-1/0123456789abcdef", canary)
		seal(t, s, "case/bid-2/0123456789abcdef", []byte{0, 1, 2, 255})
		got, err := s.Unseal(ctx, "case/bid-1/0123456789abcdef")
		if err != nil || !bytes.Equal(got, canary) {
			t.Fatalf("unseal: %q %v", got, err)
		}
		if got, _ := s.Unseal(ctx, "case/bid-2/0123456789abcdef"); !bytes.Equal(got, []byte{0, 1, 2, 255}) {
			t.Fatalf("binary content: %v", got)
		}
	})

	t.Run("an_unknown_ref_is_not_found", func(t *testing.T) {
		s := open(t, t.TempDir())
		if _, err := s.Unseal(ctx, "nothing-here"); !errors.Is(err, vault.ErrNotFound) {
			t.Fatalf("want not found, got %v", err)
		}
	})

	t.Run("the_plaintext_is_in_no_file_of_the_vault", func(t *testing.T) {
		dir := t.TempDir()
		s, err := vault.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		seal(t, s, "case/bid-1/aa", canary)
		if hits := filesContaining(t, dir, encodings(canary)...); len(hits) > 0 {
			t.Fatalf("plaintext found while open (incl. WAL) in %v", hits)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if hits := filesContaining(t, dir, encodings(canary)...); len(hits) > 0 {
			t.Fatalf("plaintext found after the checkpoint at close in %v", hits)
		}
	})

	t.Run("ciphertexts_and_keys_are_in_separate_files", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		key := keyOf(t, dir, "r1")
		_, ciphertext := ciphertextOf(t, dir, "r1")
		if n := count(t, dir, "keys.db", "keys", "r1"); n != 1 {
			t.Fatalf("keys.db holds %d keys for r1", n)
		}
		var tables int
		raw(t, dir, "sealed.db", func(db *sql.DB) error {
			return db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'keys'`).Scan(&tables)
		})
		if tables != 0 {
			t.Fatal("sealed.db has a keys table")
		}
		onlyIn := func(what string, needle []byte, file string) {
			hits := filesContaining(t, dir, needle)
			for _, h := range hits {
				if !strings.HasPrefix(h, file) {
					t.Fatalf("the %s is in %v, want only %s", what, hits, file)
				}
			}
			if len(hits) == 0 {
				t.Fatalf("the %s is in no file", what)
			}
		}
		onlyIn("key", key, "keys.db")
		onlyIn("ciphertext", ciphertext, "sealed.db")
	})

	t.Run("every_ref_has_its_own_key_and_another_refs_key_does_not_open_it", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "case/a", canary)
		seal(t, s, "case/b", canary) // the same content, still another key and nonce
		keyA, keyB := keyOf(t, dir, "case/a"), keyOf(t, dir, "case/b")
		nonceA, ctA := ciphertextOf(t, dir, "case/a")
		nonceB, ctB := ciphertextOf(t, dir, "case/b")
		if len(keyA) != 32 || len(nonceA) != 12 {
			t.Fatalf("want AES-256 and a 96-bit nonce, got a %d-byte key and a %d-byte nonce", len(keyA), len(nonceA))
		}
		if bytes.Equal(keyA, keyB) || bytes.Equal(nonceA, nonceB) || bytes.Equal(ctA, ctB) {
			t.Fatal("two seals share a key, a nonce or a ciphertext")
		}
		if got, err := decrypt(keyA, nonceA, ctA, "case/a"); err != nil || !bytes.Equal(got, canary) {
			t.Fatalf("sanity: a's own key opens a: %v", err)
		}
		for _, aad := range []string{"case/b", "case/a"} {
			if _, err := decrypt(keyA, nonceB, ctB, aad); err == nil {
				t.Fatalf("a's key opened b's ciphertext (ref %s)", aad)
			}
		}
	})

	t.Run("a_tampered_ciphertext_does_not_decrypt", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		_, ct := ciphertextOf(t, dir, "r1")
		ct[len(ct)/2] ^= 0x01
		exec(t, dir, "sealed.db", `UPDATE sealed SET ciphertext = ? WHERE ref = 'r1'`, ct)
		_, err := s.Unseal(ctx, "r1")
		if err == nil || errors.Is(err, vault.ErrNotFound) || !strings.Contains(err.Error(), "does not decrypt") {
			t.Fatalf("want an authentication failure, got %v", err)
		}
	})

	t.Run("a_ciphertext_moved_to_another_ref_with_its_key_does_not_decrypt", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "case/bid-a", canary)
		seal(t, s, "case/bid-b", []byte("b's own tender"))
		nonce, ct := ciphertextOf(t, dir, "case/bid-a")
		key := keyOf(t, dir, "case/bid-a")
		exec(t, dir, "sealed.db", `UPDATE sealed SET nonce = ?, ciphertext = ? WHERE ref = 'case/bid-b'`, nonce, ct)
		if _, err := s.Unseal(ctx, "case/bid-b"); err == nil {
			t.Fatal("a's ciphertext under b's ref and key decrypted")
		}
		exec(t, dir, "keys.db", `UPDATE keys SET key = ? WHERE ref = 'case/bid-b'`, key)
		if got, err := s.Unseal(ctx, "case/bid-b"); err == nil {
			t.Fatalf("a's ciphertext and key moved to b decrypted to %q: the ref must be authenticated", got)
		}
		if got, err := s.Unseal(ctx, "case/bid-a"); err != nil || !bytes.Equal(got, canary) {
			t.Fatalf("the original stays readable: %v", err)
		}
	})

	t.Run("sealing_an_existing_ref_keeps_the_original", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		key := keyOf(t, dir, "r1")
		created, err := s.Seal(ctx, "r1", []byte("something else"))
		if err != nil || created {
			t.Fatalf("want created=false, got %v %v", created, err)
		}
		if got, _ := s.Unseal(ctx, "r1"); !bytes.Equal(got, canary) {
			t.Fatalf("the original content was replaced by %q", got)
		}
		if !bytes.Equal(keyOf(t, dir, "r1"), key) {
			t.Fatal("the key was replaced")
		}
	})

	t.Run("concurrent_seals_of_one_ref_leave_it_readable", func(t *testing.T) {
		for round := range 10 {
			s := open(t, t.TempDir())
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() { s.Seal(ctx, "case/bid/ref", canary) })
			}
			wg.Wait()
			if got, err := s.Unseal(ctx, "case/bid/ref"); err != nil || !bytes.Equal(got, canary) {
				t.Fatalf("round %d: the ref no longer unseals: %v", round, err)
			}
		}
	})
}

func TestDiscard(t *testing.T) {
	t.Run("discard_removes_the_ciphertext_and_the_key", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		seal(t, s, "r2", []byte("kept"))
		if err := s.Discard(ctx, "r1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Unseal(ctx, "r1"); !errors.Is(err, vault.ErrNotFound) {
			t.Fatalf("want not found after discard, got %v", err)
		}
		if c, k := count(t, dir, "sealed.db", "sealed", "r1"), count(t, dir, "keys.db", "keys", "r1"); c != 0 || k != 0 {
			t.Fatalf("left %d ciphertexts and %d keys", c, k)
		}
		if got, err := s.Unseal(ctx, "r2"); err != nil || string(got) != "kept" {
			t.Fatalf("another ref was touched: %q %v", got, err)
		}
	})

	t.Run("discarding_an_unknown_ref_is_no_error", func(t *testing.T) {
		if err := open(t, t.TempDir()).Discard(ctx, "never-sealed"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a_discarded_ref_can_be_sealed_again_under_a_new_key", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		old := keyOf(t, dir, "r1")
		s.Discard(ctx, "r1")
		seal(t, s, "r1", canary)
		if bytes.Equal(keyOf(t, dir, "r1"), old) {
			t.Fatal("the key was reused")
		}
		if got, err := s.Unseal(ctx, "r1"); err != nil || !bytes.Equal(got, canary) {
			t.Fatalf("unseal: %v", err)
		}
	})

	t.Run("a_discarded_key_cannot_be_recovered_from_the_files", func(t *testing.T) {
		dir := t.TempDir()
		s, err := vault.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		seal(t, s, "r1", canary)
		key := keyOf(t, dir, "r1")
		_, ct := ciphertextOf(t, dir, "r1")
		if err := s.Discard(ctx, "r1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if hits := filesContaining(t, dir, key, ct[:32]); len(hits) > 0 {
			t.Fatalf("the discarded key or ciphertext is still in %v", hits)
		}
	})
}

func TestFiles(t *testing.T) {
	t.Run("the_folder_and_the_database_files_are_private", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "vault")
		s := open(t, dir)
		seal(t, s, "r1", canary)
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("folder: %v %v", fi.Mode(), err)
		}
		for _, name := range []string{"sealed.db", "keys.db"} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("%s: %v %v", name, fi.Mode(), err)
			}
		}
	})

	t.Run("every_file_of_the_vault_is_private_including_wal_and_shm", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			fi, _ := e.Info()
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s is %v", e.Name(), fi.Mode().Perm())
			}
		}
	})

	t.Run("content_survives_a_restart", func(t *testing.T) {
		dir := t.TempDir()
		s, err := vault.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		seal(t, s, "r1", canary)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		again := open(t, dir)
		if got, err := again.Unseal(ctx, "r1"); err != nil || !bytes.Equal(got, canary) {
			t.Fatalf("after reopening: %v", err)
		}
		if created, err := again.Seal(ctx, "r1", canary); err != nil || created {
			t.Fatalf("the ref is still known after reopening: %v %v", created, err)
		}
	})
}

// The access log moved from the vault into the event log (app.AccessLog):
// the vault keeps no record of reads, and a file written before the move
// still opens, its old table untouched.
func TestNoAccessLogInTheVault(t *testing.T) {
	tables := func(t *testing.T, dir string) (names []string) {
		t.Helper()
		raw(t, dir, "sealed.db", func(db *sql.DB) error {
			rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					return err
				}
				names = append(names, n)
			}
			return rows.Err()
		})
		return names
	}

	t.Run("a_new_vault_has_no_access_log_table", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		seal(t, s, "r1", canary)
		if _, err := s.Unseal(ctx, "r1"); err != nil {
			t.Fatal(err)
		}
		if got := tables(t, dir); len(got) != 1 || got[0] != "sealed" {
			t.Fatalf("sealed.db holds the tables %v, want only sealed", got)
		}
	})

	t.Run("a_vault_file_with_the_old_access_log_table_opens_and_the_table_is_left_as_it_was", func(t *testing.T) {
		dir := t.TempDir()
		s, err := vault.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		seal(t, s, "r1", canary)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		exec(t, dir, "sealed.db", `CREATE TABLE access_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL,
			org TEXT NOT NULL, case_id TEXT NOT NULL, bid_id TEXT NOT NULL, purpose TEXT NOT NULL, granted INTEGER NOT NULL)`)
		exec(t, dir, "sealed.db", `INSERT INTO access_log(at, user_id, org, case_id, bid_id, purpose, granted) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			time.Date(2026, 6, 1, 11, 0, 0, 0, time.UTC).Format(time.RFC3339Nano), "officer@oslo", "oslo", "c1", "b1", "evaluation", 1)

		again := open(t, dir)
		if got, err := again.Unseal(ctx, "r1"); err != nil || !bytes.Equal(got, canary) {
			t.Fatalf("the old file's content: %q %v", got, err)
		}
		seal(t, again, "r2", canary)
		var rows int
		raw(t, dir, "sealed.db", func(db *sql.DB) error {
			return db.QueryRow(`SELECT count(*) FROM access_log`).Scan(&rows)
		})
		if rows != 1 {
			t.Fatalf("the old access_log table holds %d rows, want the 1 it had", rows)
		}
	})
}
