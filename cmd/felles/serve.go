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

	"github.com/felles/felles/audit"
	"github.com/felles/felles/audit/ocds"
	"github.com/felles/felles/graphql"
	"github.com/felles/felles/messaging"
	"github.com/felles/felles/reactors/clock"
)

type serveConfig struct {
	dataDir       string
	store         string // "" = the embedded log in dataDir; esdb://… or kurrentdb://… = KurrentDB
	addr          string
	demo          bool
	introspection bool
	clockInterval time.Duration    // how often the workflow clock ticks besides after each event; 0 = its default
	headInterval  time.Duration    // how often the notary signs a tree head when there is something new; 0 = its default
	headEvents    int64            // …or after this many events, whichever comes first; 0 = its default
	now           func() time.Time // the server's clock; nil = time.Now (tests move a fake one)
	openData      func(defaultURL string) (ocds.Config, error)
	natsURL       string        // "" = no forwarder
	natsDedup     time.Duration // JetStream's duplicate window for the forwarder's streams
	natsPrefix    string        // the first token of every subject and stream name
}

func parseServeFlags(args []string) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := serveConfig{}
	fs.StringVar(&cfg.dataDir, "data", "./data", "data folder (events.db, views.db, token.key)")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.store, "store", "", "event log: empty for the embedded SQLite log in --data, or esdb://host:2113?tls=false, esdb+discover://h1,h2,h3 (KurrentDB)")
	fs.BoolVar(&cfg.demo, "demo", false, "register the demo organisations, users and a sample case")
	fs.DurationVar(&cfg.clockInterval, "clock-interval", clock.DefaultInterval, "how often the workflow clock looks for passed deadlines (it also looks after every event)")
	fs.DurationVar(&cfg.headInterval, "head-interval", audit.DefaultHeadInterval, "how often the notary signs a tree head over the log when there are new events")
	fs.Int64Var(&cfg.headEvents, "head-events", audit.DefaultHeadMaxEvents, "sign a tree head after this many events even before --head-interval")
	noIntrospection := fs.Bool("no-introspection", false, "switch GraphQL introspection off")
	cfg.openData = ocdsFlags(fs)
	fs.StringVar(&cfg.natsURL, "nats", "", "forward integration events to this NATS JetStream server (nats://127.0.0.1:4222); empty: no forwarding")
	fs.StringVar(&cfg.natsPrefix, "nats-prefix", messaging.DefaultSubjectPrefix, "first token of the forwarder's subjects (<prefix>.v1.<org>.…) and streams (<PREFIX>_<ORG>)")
	fs.DurationVar(&cfg.natsDedup, "nats-dedup-window", messaging.DefaultDuplicateWindow, "how long JetStream drops a repeated event ID in the forwarder's streams")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	cfg.introspection = !*noIntrospection
	if cfg.headInterval <= 0 || cfg.headEvents <= 0 {
		return cfg, fmt.Errorf("serve: --head-interval and --head-events must be positive, got %s and %d", cfg.headInterval, cfg.headEvents)
	}
	if cfg.clockInterval <= 0 {
		return cfg, fmt.Errorf("serve: --clock-interval must be positive, got %s", cfg.clockInterval)
	}
	if _, err := cfg.openData("http://" + cfg.addr); err != nil {
		return cfg, fmt.Errorf("serve: %w", err)
	}
	return cfg, nil
}

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	cfg, err := parseServeFlags(args)
	if err != nil {
		return err
	}
	srv, err := start(ctx, cfg, log)
	if err != nil {
		return err
	}
	if cfg.demo {
		printDemoHelp(cfg.dataDir, srv.addr)
	}
	select {
	case <-ctx.Done():
		return srv.stop()
	case err := <-srv.failed:
		srv.stop()
		return err
	}
}

// server is a running Felles: the views runner behind its Watermill router and
// the HTTP API.
type server struct {
	addr   string
	sys    *system
	notary *audit.Notary
	// forwarded is the forwarder's checkpoint (nil without --nats).
	forwarded *messaging.FileCheckpoint
	failed    chan error
	stop      func() error
}

// start wires and starts everything; stop shuts it down in reverse order.
func start(ctx context.Context, cfg serveConfig, log *slog.Logger) (*server, error) {
	now := cfg.now
	if now == nil {
		now = time.Now
	}
	sys, err := openSystemAt(ctx, cfg.dataDir, cfg.store, now, log)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*server, error) { sys.close(); return nil, err }
	tokens, err := graphql.LoadTokens(cfg.dataDir)
	if err != nil {
		return fail(err)
	}
	wlog := watermill.NewSlogLogger(log)
	sub, err := messaging.NewSubscriber(sys.store, sys.runner, wlog)
	if err != nil {
		return fail(err)
	}
	router, err := messaging.NewRouter(messaging.DefaultRouterConfig, sys.runner.PoisonSink(), wlog)
	if err != nil {
		return fail(err)
	}
	router.AddConsumerHandler(viewsConsumer, viewsConsumer, sub, sys.runner.Handle)
	runCtx, cancelRouter := context.WithCancel(context.WithoutCancel(ctx))
	failed := make(chan error, 4) // the views consumer, the workflow clock, the forwarder, the HTTP server
	routerDone := make(chan struct{})
	go func() {
		defer close(routerDone)
		err := router.Run(runCtx)
		sys.viewsRunning.Store(false)
		// Watermill stops the router without an error when its only handler
		// ends; a views consumer that stops while we run is a failure either way.
		if runCtx.Err() == nil {
			failed <- fmt.Errorf("the views consumer stopped (%v): the views would freeze", err)
		}
	}()
	select {
	case <-router.Running():
		sys.viewsRunning.Store(true)
	case <-routerDone:
		cancelRouter()
		return fail(errors.New("message router stopped at start"))
	}
	stopViews := func() { router.Close(); cancelRouter(); <-routerDone }
	stopClock, err := startClock(ctx, sys, now, cfg.clockInterval, log, failed)
	if err != nil {
		stopViews()
		return fail(err)
	}
	notary, stopNotary, err := startNotary(ctx, sys, cfg.dataDir, now, cfg.headInterval, cfg.headEvents, log)
	if err != nil {
		stopClock()
		stopViews()
		return fail(err)
	}
	forwarded, stopForwarder, err := startForwarder(ctx, sys, cfg, log, failed)
	if err != nil {
		stopNotary()
		stopClock()
		stopViews()
		return fail(err)
	}
	// The clock stops first: its last commands still reach the log and the
	// views; then the notary signs what is left; the forwarder last.
	stopRouter := func() { stopClock(); stopNotary(); stopViews(); stopForwarder() }

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		stopRouter()
		return fail(fmt.Errorf("listen on %s: %w", cfg.addr, err))
	}
	addr := ln.Addr().String()
	openData, err := openDataSource(sys, cfg, addr)
	if err != nil {
		ln.Close()
		stopRouter()
		return fail(err)
	}
	limits := graphql.DefaultLimits
	limits.Introspection = cfg.introspection
	api, err := graphql.NewServer(graphql.Deps{
		Dispatcher: sys.dispatcher, Cases: sys.procurements, Orgs: sys.organisations, Bids: sys.bids,
		Views: sys.runner, Roles: sys.enforcer, Tokens: tokens, Log: log, Limits: limits, AuditKey: notary.PublicKey(),
		ReadModels: caseReadModels, OpenData: openData,
	})
	if err != nil {
		ln.Close()
		stopRouter()
		return fail(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	mux.Handle("/ocds/", ocds.Handler(openData))
	mux.Handle("/healthz", healthz())
	mux.Handle("/readyz", readyz(sys))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	log.Info("felles is starting", "graphiql", "http://"+addr+"/", "graphql", "http://"+addr+"/graphql", "data", cfg.dataDir)
	s := &server{addr: addr, sys: sys, notary: notary, forwarded: forwarded, failed: failed}
	s.stop = func() error {
		log.Info("shutting down")
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(shutdown)
		stopRouter()
		sys.close()
		return err
	}
	if cfg.demo {
		if err := loadDemo(ctx, sys); err != nil {
			ln.Close()
			s.stop()
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	// Serve only now: health checks and clients never see a server whose demo
	// organisations and roles are not there yet.
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			failed <- err
		}
	}()
	return s, nil
}
