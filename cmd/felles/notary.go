package main

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/projections/merkle"
)

// treeView is the server's Merkle tree as the views hold it.
type treeView struct{ db *sql.DB }

func (t treeView) Size(ctx context.Context) (int64, error) { return merkle.Size(ctx, t.db) }
func (t treeView) Root(ctx context.Context, n int64) (tlog.Hash, error) {
	return merkle.Root(ctx, t.db, n)
}
func (t treeView) Uncovered(ctx context.Context) (int64, error) { return merkle.Uncovered(ctx, t.db) }

// startNotary signs tree heads with the data folder's key (created at the
// first start) while the server runs; stop signs what is left and waits.
func startNotary(ctx context.Context, sys *system, dataDir string, now func() time.Time, interval time.Duration, maxEvents int64, log *slog.Logger) (*audit.Notary, func(), error) {
	signer, err := audit.LoadOrCreateSigner(dataDir, "felles")
	if err != nil {
		return nil, nil, err
	}
	n, err := audit.NewNotary(sys.store, signer, treeView{sys.views}, now, log)
	if err != nil {
		return nil, nil, err
	}
	if interval > 0 { // 0: the default
		n.Interval = interval
	}
	if maxEvents > 0 {
		n.MaxEvents = maxEvents
	}
	sys.runner.OnCommitted(n.Observe)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); n.Run(runCtx) }()
	return n, func() { cancel(); <-done }, nil
}
