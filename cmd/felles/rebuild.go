package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"
)

func rebuild(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("projections rebuild", flag.ContinueOnError)
	dataDir := fs.String("data", "./data", "data folder")
	storeURL := fs.String("store", "", "event log (as for serve): empty for the embedded log, or a KurrentDB connection string")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	n, digest, err := rebuildViews(ctx, *dataDir, *storeURL, log)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Printf("rebuilt views from %d events in %s (%.0f events/s)\nview digest: %s\n",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), digest)
	return nil
}

// rebuildViews drops and replays every view of the data folder and returns the
// number of events replayed and the views' digest.
func rebuildViews(ctx context.Context, dataDir, storeURL string, log *slog.Logger) (int, string, error) {
	sys, err := openSystem(ctx, dataDir, storeURL, log)
	if err != nil {
		return 0, "", err
	}
	defer sys.close()
	n, err := sys.runner.Rebuild(ctx, sys.store)
	if err != nil {
		return n, "", err
	}
	digest, err := sys.runner.Digest(ctx)
	return n, digest, err
}
