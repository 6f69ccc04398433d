// Package kurrentdb is the eventstore.Store adapter over KurrentDB (EventStoreDB)
// through EventStore-Client-Go v4 (esdb). Open takes esdb://, esdb+discover://,
// kurrentdb:// and kurrentdb+discover:// connection strings; the kurrentdb
// schemes are rewritten to esdb for the client, the query keys are the client's.
//
// # What is stored
//
// A Felles event is one KurrentDB event: the server's event ID is the Felles
// event ID (a UUID), the event type is the Felles type, the data is the Felles
// JSON data, and the user metadata is a JSON envelope carrying everything else
// the port promises: the Felles ID as written, schema version, user, acting
// organisation, command, correlation and causation IDs, occurred-at,
// recorded-at, previous hash and hash (plus $correlationId/$causationId so the
// server's own by-correlation projection works). Events without this envelope,
// and every system event ($-prefixed stream or type), are not part of the Felles
// log: ReadAll, Subscribe and Head skip them.
//
// # Hash chain and RecordedAt
//
// The chain is sealed by the adapter before the append: it reads the stream's
// last event (its revision and hash), seals the new events with eventstore.Seal
// at the revisions they will take, and appends with that exact expected
// revision, so the server refuses the write if anything landed in between and
// the chain can never fork. The hash covers RecordedAt, so RecordedAt must be
// known before the write: it is the client's clock at append time (never earlier
// than the previous event's RecordedAt in the stream, so the chain's times do not
// run backwards between replicas with skewed clocks), stored in the envelope.
// The server's own "created" timestamp is assigned at commit and cannot be
// hashed into the event that carries it.
//
// # Expected revisions
//
// Every append carries an expected revision: NoStream, or the revision of the
// stream's last event. eventstore.Any is honoured by reading the current head and
// appending at it, retrying on a conflict: the hash covers the revision, so an
// append whose revision is not known in advance (esdb.Any) cannot be sealed.
//
// # Idempotency and event IDs used in another stream
//
// The server's de-duplication by event ID is best effort (a cache, per stream,
// and only at the same expected revision), and IDs are not unique across streams
// on the server at all. The adapter keeps its own global index of event IDs as
// claim streams: before an append, every event ID is claimed for its stream by
// appending one small $felles-eventid event to the stream
// "$felles-eventid-<prefix><uuid>" with expected revision NoStream. The server's
// optimistic concurrency makes the first claim win, once, for good:
//
//   - a fresh claim proves the ID was never used: no duplicate search is needed;
//   - a claim held by another stream refuses the append (eventstore.ErrInvalidAppend)
//     before anything is written to the target stream;
//   - a claim already held by the same stream means an earlier attempt of this
//     append, which may or may not have been written (a retry after a timeout, or
//     an attempt that lost a revision conflict). The adapter then reads the
//     target stream backwards from its end, only as far back as the claim's
//     commit position (an event is always appended after its claim), looking for
//     the IDs: the append's last ID found means a retry, answered with the
//     original revision and position and Duplicate set; another of its IDs found
//     means an ID reused by a different append, refused.
//
// Claims cost one small write per event (issued in parallel with the read of the
// stream head), and they stay when an append is refused for a stale revision,
// binding those IDs to that stream, which is where a retried command puts them.
// Claim events have a $-prefixed type and live in $-prefixed streams, so the
// server's system-event filter keeps them out of subscriptions; the connecting
// user needs write access to system streams (the default ACLs give that to
// $admins, who are also the only ones allowed to read $all, which Felles needs).
//
// # What is remembered
//
// A Store caches only facts that never stop being true, so a retry or a
// contended append needs fewer reads: the stream each event ID is claimed for,
// where its own events landed (a retry of its own append is answered without a
// call), the last events of recently used streams (revision, ID, position, hash:
// an append at a revision this Store has read needs no head read, and the
// duplicate search is answered locally when that tail reaches back past the
// claims), and decoded envelopes keyed by event ID and their exact bytes. It never
// caches that something has NOT happened, since another replica may be writing:
// an append the cache cannot vouch for goes to the server. Every map is bounded
// and cleared when full. With all that, an append to a stream the caller has just
// read costs one claim per event (in parallel) and the append itself.
//
// # Positions
//
// Positions are the server's commit and prepare positions: increasing, not
// gapless (ordered by commit, then prepare). The append result's position is the
// one the server reports for a single-event append; for several events, or when
// the server reports none, the last event is read back, because a multi-event
// write reports the transaction's position, not its last event's. ReadAll is
// strictly after its position while the server reads from a position inclusively,
// so the event at the position itself is skipped.
//
// # Subscriptions
//
// Subscribe is a catch-up subscription to $all with the server's
// exclude-system-events filter (or, with WithStreamPrefix, a stream-prefix
// filter), starting after the given position. When it drops (node restart,
// network), it resubscribes with backoff from the last delivered event or the
// last checkpoint beyond it, and drops anything at or before the last delivered
// position, so nothing is lost or delivered twice.
//
// # Connections
//
// The client closes itself for good when discovery fails, and its read path does
// not trigger rediscovery (client issue #190). The Store therefore owns a
// replaceable client: when a call reports the client closed, unavailable or out
// of discovery attempts, that client is retired (closed once its last call has
// returned) and the next call builds a fresh one. Open retries the first contact
// with a fresh client each time, with backoff, a bounded number of times. Every
// call runs under the caller's context and the Store's lifetime, even while the
// client is stuck in discovery. When discovery fails, the client's connection
// loop ends while other calls may be blocked handing it a request on an
// unbuffered channel: those calls are abandoned (they return an error; their
// goroutines stay blocked) and that client is never closed, because closing it
// would make those senders panic.
package kurrentdb
