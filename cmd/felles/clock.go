package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ThreeDotsLabs/watermill"

	"github.com/felles/felles/messaging"
	"github.com/felles/felles/reactors/clock"
)

// startClock runs the workflow clock on the wall clock: its own consumer of
// the log behind its own Router, so a clock that stops cannot hide a views
// consumer that stopped (Watermill stops a router only when all its handlers
// have), and nothing the clock skips lands in the views' poison queue. A clock
// that stops while Felles runs is reported on failed: deadlines would pass
// unnoticed. The returned stop ends the ticks, then the consumer.
func startClock(ctx context.Context, sys *system, now func() time.Time, interval time.Duration, log *slog.Logger, failed chan<- error) (func(), error) {
	cases, err := clock.AppCases(sys.procurements, sys.dispatcher)
	if err != nil {
		return nil, err
	}
	reactor, err := clock.New(cases, sys.store, clock.Config{Now: now, Interval: interval, Log: log})
	if err != nil {
		return nil, err
	}
	wlog := watermill.NewSlogLogger(log)
	sub, err := messaging.NewSubscriber(sys.store, clock.FromStart{}, wlog)
	if err != nil {
		return nil, err
	}
	router, err := messaging.NewRouter(messaging.DefaultRouterConfig, reactor.PoisonSink(), wlog)
	if err != nil {
		return nil, err
	}
	router.AddConsumerHandler(clock.Consumer, clock.Consumer, sub, reactor.Handle)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	routerDone := make(chan struct{})
	go func() {
		defer close(routerDone)
		err := router.Run(runCtx)
		if runCtx.Err() == nil {
			failed <- fmt.Errorf("the workflow clock stopped (%v): deadlines would pass unnoticed", err)
		}
	}()
	select {
	case <-router.Running():
	case <-routerDone:
		cancel()
		return nil, errors.New("the workflow clock's router stopped at start")
	}
	ticksDone := make(chan struct{})
	go func() {
		defer close(ticksDone)
		reactor.Run(runCtx)
	}()
	log.Info("workflow clock started", "interval", reactor.Config().Interval.String())
	return func() { cancel(); <-ticksDone; router.Close(); <-routerDone }, nil
}
