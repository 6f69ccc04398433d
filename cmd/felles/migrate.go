package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

func migrate(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fs.String("from", "./data", "data folder of the embedded log to copy (the server must be stopped)")
	to := fs.String("to", "", "KurrentDB connection string, e.g. esdb://host:2113?tls=false")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("migrate needs --to esdb://…")
	}
	start := time.Now()
	rep, err := migrateLog(ctx, *from, *to, log)
	if err != nil {
		return err
	}
	fmt.Printf("copied %d events (%d already there) in %d streams in %s; every stream's hash chain verified in the target\n",
		rep.copied, rep.skipped, rep.streams, time.Since(start).Round(time.Millisecond))
	return nil
}

type migrateReport struct{ copied, skipped, streams int }

// migrateLog copies the embedded log of a data folder into another store in
// global order, keeping event IDs, metadata, recorded-at times and hashes. It
// can be run again after an interruption: events already in the target are
// checked and skipped. At the end every stream is read back from the target
// and its hash chain verified.
func migrateLog(ctx context.Context, fromDir, to string, log *slog.Logger) (migrateReport, error) {
	var rep migrateReport
	release, err := lockDataDir(fromDir)
	if err != nil {
		return rep, err
	}
	defer release()
	source, err := sqlite.Open(filepath.Join(fromDir, "events.db"))
	if err != nil {
		return rep, err
	}
	defer source.Close()
	target, err := openStore(ctx, "", to, log)
	if err != nil {
		return rep, err
	}
	defer target.Close()
	importer, ok := target.(eventstore.Importer)
	if !ok {
		return rep, fmt.Errorf("the store at %s cannot import events with their envelopes", to)
	}

	streams := map[string]bool{}
	after := eventstore.Position{}
	for {
		page, err := source.ReadAll(ctx, after, 1000)
		if err != nil {
			return rep, err
		}
		if len(page) == 0 {
			break
		}
		// Consecutive events of one stream go in one import; the order of the
		// global log is kept because runs are imported in the order they come.
		for i := 0; i < len(page); {
			j := i + 1
			for j < len(page) && page[j].Stream == page[i].Stream {
				j++
			}
			copied, skipped, err := importRun(ctx, target, importer, page[i:j])
			if err != nil {
				return rep, err
			}
			rep.copied += copied
			rep.skipped += skipped
			streams[page[i].Stream] = true
			i = j
		}
		after = page[len(page)-1].Position
	}
	rep.streams = len(streams)
	for stream := range streams {
		if err := verifyStream(ctx, source, target, stream); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// importRun imports consecutive events of one stream, skipping (after checking
// them) those a previous run already copied.
func importRun(ctx context.Context, target eventstore.Store, importer eventstore.Importer, run []eventstore.Record) (copied, skipped int, err error) {
	stream, first := run[0].Stream, run[0].Revision
	present, err := target.ReadStream(ctx, stream, first, len(run))
	if err != nil {
		return 0, 0, err
	}
	for i, p := range present {
		if p.ID != run[i].ID || p.Hash != run[i].Hash {
			return 0, 0, fmt.Errorf("%s@%d in the target is not the source's event (%s): the target holds another log", stream, p.Revision, p.ID)
		}
	}
	rest := run[len(present):]
	if len(rest) == 0 {
		return 0, len(present), nil
	}
	expected := eventstore.NoStream
	if rest[0].Revision > 0 {
		expected = eventstore.At(rest[0].Revision - 1)
	}
	if _, err := importer.Import(ctx, stream, expected, rest); err != nil {
		return 0, 0, fmt.Errorf("import %s from revision %d: %w", stream, rest[0].Revision, err)
	}
	return len(rest), len(present), nil
}

func verifyStream(ctx context.Context, source, target eventstore.Store, stream string) error {
	want, err := source.ReadStream(ctx, stream, 0, 0)
	if err != nil {
		return err
	}
	got, err := target.ReadStream(ctx, stream, 0, 0)
	if err != nil {
		return err
	}
	if len(got) != len(want) {
		return fmt.Errorf("verify %s: the target has %d events, the source %d", stream, len(got), len(want))
	}
	if err := eventstore.VerifyChain(got); err != nil {
		return fmt.Errorf("verify the target: %w", err)
	}
	if got[len(got)-1].Hash != want[len(want)-1].Hash {
		return fmt.Errorf("verify %s: the chain in the target ends in another hash", stream)
	}
	return nil
}
