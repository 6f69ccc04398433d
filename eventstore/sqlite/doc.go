// Package sqlite is the embedded event log: one SQLite file in WAL mode with
// synchronous=FULL through the pure-Go modernc driver (no cgo). A single writer
// goroutine does group commit: concurrent appends share one transaction and one
// fsync, and each append is still checked against its own expected revision.
package sqlite
