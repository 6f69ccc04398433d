// Command felles is the one binary: the server, token minting and maintenance.
//
//	felles serve [--data DIR] [--addr HOST:PORT] [--demo]
//	felles token --data DIR --user U --org O [--ttl 24h]
//	felles projections rebuild [--data DIR]
//	felles verify [--data DIR | --export FILE] [--key KEY] [--heads FILE]
//	felles export --format jsonl [--data DIR] [--case ID] [--out FILE]
//	felles replay --until TIME [--data DIR] [--out FILE]
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `felles — joint public procurement

usage:
  felles serve [--data DIR] [--addr HOST:PORT] [--demo] [--no-introspection] [--clock-interval 30s]
  felles token [--data DIR] --user USER --org ORG [--ttl 24h]
  felles projections rebuild [--data DIR]
  felles verify [--data DIR | --export FILE] [--store URL] [--key PUBLISHED-KEY] [--heads FILE]
  felles export --format jsonl [--data DIR] [--store URL] [--case ID] [--out FILE]
  felles replay --until 2026-11-02T12:00:00+01:00 [--data DIR] [--store URL] [--out FILE]
  felles migrate --from DIR --to esdb://host:2113?tls=false
  felles healthcheck [--url http://127.0.0.1:8080/readyz]
`

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], log); err != nil {
		fmt.Fprintln(os.Stderr, "felles:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], log)
	case "token":
		return token(args[1:])
	case "projections":
		if len(args) > 1 && args[1] == "rebuild" {
			return rebuild(ctx, args[2:], log)
		}
		return fmt.Errorf("usage: felles projections rebuild [--data DIR]")
	case "verify":
		return verify(ctx, args[1:], log, os.Stdout)
	case "export":
		return export(ctx, args[1:], log, os.Stdout)
	case "replay":
		return replay(ctx, args[1:], log, os.Stdout)
	case "migrate":
		return migrate(ctx, args[1:], log)
	case "healthcheck":
		return healthcheck(args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
