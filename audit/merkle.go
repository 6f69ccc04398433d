package audit

import (
	"encoding/hex"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// LeafOf is the Merkle leaf of an event: its chain hash as bytes.
func LeafOf(hash string) ([]byte, error) {
	b, err := hex.DecodeString(hash)
	if err != nil || len(b) != tlog.HashSize {
		return nil, fmt.Errorf("audit: event hash %q is not 32 bytes of hex", hash)
	}
	return b, nil
}

// Tree is a Merkle tree held in memory: every stored hash of tlog's layout
// (about two per leaf, 32 bytes each), so it answers roots at any earlier
// size and proofs without touching the log again. It is what the verifier and
// the export build while reading a log.
type Tree struct {
	hashes []tlog.Hash // indexed by tlog.StoredHashIndex
	size   int64
}

// NewTree is an empty tree; capacity is a hint of the number of leaves.
func NewTree(capacity int) *Tree {
	return &Tree{hashes: make([]tlog.Hash, 0, 2*capacity)}
}

// Size is the number of leaves.
func (t *Tree) Size() int64 { return t.size }

// Add appends one leaf and returns its index.
func (t *Tree) Add(leaf []byte) int64 {
	n := t.size
	hs, err := tlog.StoredHashesForRecordHash(n, tlog.RecordHash(leaf), t)
	if err != nil {
		// Only a read of an index the tree does not hold fails, and the tree
		// holds every index below its size: a bug, not bad input.
		panic(fmt.Sprintf("audit: tree of %d leaves misses a stored hash: %v", n, err))
	}
	t.hashes = append(t.hashes, hs...)
	t.size++
	return n
}

// ReadHashes implements tlog.HashReader.
func (t *Tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.hashes)) {
			return nil, fmt.Errorf("audit: stored hash %d is beyond the tree (%d leaves)", x, t.size)
		}
		out[i] = t.hashes[x]
	}
	return out, nil
}

// Root is the tree hash at an earlier (or the current) size.
func (t *Tree) Root(size int64) (tlog.Hash, error) {
	if size < 0 || size > t.size {
		return tlog.Hash{}, fmt.Errorf("audit: no tree of size %d (the log has %d events)", size, t.size)
	}
	return tlog.TreeHash(size, t)
}

// InclusionProof proves leaf index is in the tree of the given size.
func (t *Tree) InclusionProof(index, size int64) (tlog.RecordProof, error) {
	if index < 0 || index >= size || size > t.size {
		return nil, fmt.Errorf("audit: no leaf %d in a tree of size %d (the log has %d events)", index, size, t.size)
	}
	return tlog.ProveRecord(size, index, t)
}

// ConsistencyProof proves the tree of size older is a prefix of the tree of size newer.
func (t *Tree) ConsistencyProof(older, newer int64) (tlog.TreeProof, error) {
	if older < 1 || older > newer || newer > t.size {
		return nil, fmt.Errorf("audit: no consistency proof from size %d to %d (the log has %d events)", older, newer, t.size)
	}
	return tlog.ProveTree(newer, older, t)
}
