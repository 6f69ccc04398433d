// Package app runs commands: Dispatch authorizes the principal, loads and folds
// the stream, lets the domain decide, wraps the events in envelopes with
// deterministic IDs and appends them, retrying on a concurrent write. The
// per-aggregate services (Organisations, Procurements) turn plain inputs into
// domain commands, bringing in what the decider needs from other streams.
package app
