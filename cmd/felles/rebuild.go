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
	if err := fs.Parse(args); err != nil {
		return err
	}
	sys, err := openSystem(ctx, *dataDir, log)
	if err != nil {
		return err
	}
	defer sys.close()
	start := time.Now()
	n, err := sys.runner.Rebuild(ctx, sys.store)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	digest, err := sys.runner.Digest(ctx)
	if err != nil {
		return err
	}
	rate := float64(n) / elapsed.Seconds()
	fmt.Printf("rebuilt views from %d events in %s (%.0f events/s)\nview digest: %s\n", n, elapsed.Round(time.Millisecond), rate, digest)
	return nil
}
