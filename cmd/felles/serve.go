package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ThreeDotsLabs/watermill"

	"github.com/felles/felles/graphql"
	"github.com/felles/felles/messaging"
)

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dataDir := fs.String("data", "./data", "data folder (events.db, views.db, token.key)")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	demo := fs.Bool("demo", false, "register the demo organisations, users and a sample case")
	noIntrospection := fs.Bool("no-introspection", false, "switch GraphQL introspection off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sys, err := openSystem(ctx, *dataDir, log)
	if err != nil {
		return err
	}
	defer sys.close()
	tokens, err := graphql.LoadTokens(*dataDir)
	if err != nil {
		return err
	}

	wlog := watermill.NewSlogLogger(log)
	sub, err := messaging.NewSubscriber(sys.store, sys.runner, wlog)
	if err != nil {
		return err
	}
	router, err := messaging.NewRouter(messaging.DefaultRouterConfig, sys.runner.PoisonSink(), wlog)
	if err != nil {
		return err
	}
	router.AddConsumerHandler("views", viewsConsumer, sub, sys.runner.Handle)
	routerDone := make(chan error, 1)
	go func() { routerDone <- router.Run(ctx) }()
	select {
	case <-router.Running():
	case err := <-routerDone:
		return fmt.Errorf("message router stopped at start: %w", err)
	}
	defer router.Close()

	limits := graphql.DefaultLimits
	limits.Introspection = !*noIntrospection
	api, err := graphql.NewServer(graphql.Deps{
		Dispatcher: sys.dispatcher, Cases: sys.procurements, Orgs: sys.organisations,
		Views: sys.runner, Roles: sys.enforcer, Tokens: tokens, Log: log, Limits: limits,
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	mux.Handle("/healthz", healthz())
	mux.Handle("/readyz", readyz(sys))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("felles is serving", "graphiql", "http://"+ln.Addr().String()+"/", "graphql", "http://"+ln.Addr().String()+"/graphql", "data", *dataDir)

	if *demo {
		if err := loadDemo(ctx, sys); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		printDemoHelp(*dataDir, ln.Addr().String())
	}

	select {
	case <-ctx.Done():
	case err := <-served:
		return err
	case err := <-routerDone:
		if err != nil {
			return fmt.Errorf("message router stopped: %w", err)
		}
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
