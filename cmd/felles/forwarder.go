package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/felles/felles/messaging"
)

// startForwarder runs the forwarder of integration events to NATS JetStream
// when --nats names a server: its own Subscriber over the log from its own
// checkpoint (DATA/forwarder.checkpoint), on a router of its own without a
// poison queue (an event that cannot be published is retried, never skipped).
func startForwarder(ctx context.Context, sys *system, cfg serveConfig, log *slog.Logger, failed chan<- error) (cp *messaging.FileCheckpoint, stop func(), err error) {
	if cfg.natsURL == "" {
		return nil, func() {}, nil
	}
	wlog := watermill.NewSlogLogger(log)
	broker, err := messaging.ConnectNATS(cfg.natsURL, cfg.natsPrefix, cfg.natsDedup, wlog)
	if err != nil {
		return nil, nil, err
	}
	cp, err = messaging.NewFileCheckpoint(filepath.Join(cfg.dataDir, "forwarder.checkpoint"))
	if err != nil {
		broker.Close()
		return nil, nil, err
	}
	fwd, err := messaging.NewForwarder(cfg.natsPrefix, broker.Publisher(), broker, sys.procurements, cp, wlog)
	if err != nil {
		broker.Close()
		return nil, nil, err
	}
	sub, err := messaging.NewSubscriber(sys.store, cp, wlog)
	if err != nil {
		broker.Close()
		return nil, nil, err
	}
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog)
	if err != nil {
		broker.Close()
		return nil, nil, err
	}
	router.AddMiddleware(middleware.Recoverer)
	router.AddConsumerHandler(messaging.ForwarderConsumer, messaging.ForwarderConsumer, sub, fwd.Handle)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := router.Run(runCtx)
		if runCtx.Err() == nil {
			failed <- fmt.Errorf("the forwarder to NATS stopped (%v): integration events would stop", err)
		}
	}()
	select {
	case <-router.Running():
	case <-done:
		cancel()
		broker.Close()
		return nil, nil, errors.New("the forwarder's router stopped at start")
	}
	log.Info("forwarding integration events", "nats", cfg.natsURL)
	return cp, func() {
		cancel() // first: a router stopped by its context is not a failure
		router.Close()
		<-done
		if err := cp.Close(); err != nil {
			log.Error("saving the forwarder's checkpoint", "error", err)
		}
		broker.Close()
	}, nil
}
