package eventstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// HashOf computes hash = SHA-256(prevHash ‖ canonical envelope without hash).
func HashOf(r Record) (string, error) {
	prev, err := hex.DecodeString(r.PrevHash)
	if err != nil {
		return "", fmt.Errorf("eventstore: previous hash of %s@%d is not hex: %w", r.Stream, r.Revision, err)
	}
	data := r.Data
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	body, err := appendCanonical(make([]byte, 0, 512+len(data)), r, data)
	if err != nil {
		return "", fmt.Errorf("eventstore: canonical envelope of %s@%d: %w", r.Stream, r.Revision, err)
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Seal sets r.PrevHash and r.Hash, chaining r to the stream's previous hash.
func Seal(r *Record, prevHash string) error {
	r.PrevHash = prevHash
	h, err := HashOf(*r)
	if err != nil {
		return err
	}
	r.Hash = h
	return nil
}

// VerifyChain checks that records (one whole stream, in order from revision 0)
// chain correctly, and reports the first broken place.
func VerifyChain(records []Record) error {
	prev := ""
	for i, r := range records {
		if r.Revision != uint64(i) {
			return fmt.Errorf("eventstore: %s: expected revision %d, found %d", r.Stream, i, r.Revision)
		}
		if r.PrevHash != prev {
			return fmt.Errorf("eventstore: %s@%d: previous hash does not match the event before it", r.Stream, r.Revision)
		}
		want, err := HashOf(r)
		if err != nil {
			return err
		}
		if want != r.Hash {
			return fmt.Errorf("eventstore: %s@%d: hash does not match the event's content", r.Stream, r.Revision)
		}
		prev = r.Hash
	}
	return nil
}
