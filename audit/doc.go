// Package audit makes the log verifiable (DOMAIN.md §4.6, ARCHITECTURE.md
// "Events"): a Merkle tree over the global log in RFC 6962 hashing
// (golang.org/x/mod/sumdb/tlog), tree heads signed with an ed25519 key
// (golang.org/x/mod/sumdb/note), inclusion and consistency proofs, the offline
// verifier that recomputes every stream's hash chain and the tree and checks
// every signed head, and the JSON-lines export it reads.
//
// The tree's leaves are the events in the order of the global log; a leaf's
// data is the event's chain hash (32 bytes), which already covers the event's
// ID, stream, revision, type, data, metadata and the store's time. The tree is
// therefore a function of the log alone: anyone holding the log rebuilds it and
// compares its root with the signed heads. Signed heads are themselves events
// (TreeHeadSigned in the stream audit-tree), so they travel with the log to
// KurrentDB, into exports and into the tree.
package audit
