// Package eventstore owns the port every event log adapter implements (Append,
// ReadStream, ReadAll, Subscribe), the envelope stored with every event, the
// per-stream hash chain and the store's errors. Adapters live in sub-packages
// (sqlite, kurrentdb) and prove themselves with the storetest conformance suite.
package eventstore
