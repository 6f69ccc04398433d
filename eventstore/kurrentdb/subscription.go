package kurrentdb

import (
	"context"
	"fmt"
	"sync"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
)

// buffered is how many decoded events a subscription holds ahead of Next.
const buffered = 512

type item struct {
	rec eventstore.Record
	err error
}

// subscription follows $all through a pump goroutine that owns the esdb
// subscription and replaces it when it drops.
type subscription struct {
	s      *Store
	ctx    context.Context
	cancel context.CancelFunc
	out    chan item
	done   chan struct{} // the pump has ended; err says why
	err    error
	once   sync.Once
}

// Subscribe follows the Felles log strictly after `after` until ctx ends or the
// subscription is closed. The first subscription is made before it returns, so
// a node that refuses it (down, wrong credentials) is reported here; later drops
// are repaired by resubscribing.
func (s *Store) Subscribe(ctx context.Context, after eventstore.Position) (eventstore.Subscription, error) {
	sctx, cancel := s.opContext(ctx)
	es, ref, err := s.subscribeAll(sctx, after)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("kurrentdb: subscribe to $all after %v: %w", after, err)
	}
	sub := &subscription{s: s, ctx: sctx, cancel: cancel, out: make(chan item, buffered), done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		es.Close()
		s.release(ref, nil)
		cancel()
		return nil, eventstore.ErrClosed
	}
	s.subs[sub] = true
	s.mu.Unlock()
	go sub.pump(es, ref, after)
	return sub, nil
}

// subscribeAll opens one esdb subscription; its client stays counted as busy
// until the subscription is closed and released.
func (s *Store) subscribeAll(ctx context.Context, from eventstore.Position) (*esdb.Subscription, *clientRef, error) {
	for attempt := 0; ; attempt++ {
		ref, err := s.acquire()
		if err != nil {
			return nil, nil, err
		}
		filter := esdb.ExcludeSystemEventsFilter()
		if s.opts.prefix != "" {
			filter = &esdb.SubscriptionFilter{Type: esdb.StreamFilterType, Prefixes: []string{s.opts.prefix}}
		}
		done := make(chan subscribeResult, 1)
		go func() {
			sub, err := ref.c.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{From: allPosition(from), Filter: filter})
			done <- subscribeResult{sub, err}
		}()
		var r subscribeResult
		select {
		case r = <-done:
		case <-ctx.Done():
			go s.undoSubscribe(ref, done)
			return nil, nil, ctx.Err()
		case <-ref.dead:
			go s.undoSubscribe(ref, done)
			if attempt == 0 {
				continue // nothing was subscribed: once more on a fresh client
			}
			return nil, nil, errClientGone
		}
		if r.err != nil {
			s.release(ref, r.err)
			if attempt == 0 && clientClosed(r.err) {
				continue
			}
			return nil, nil, r.err
		}
		return r.sub, ref, nil
	}
}

type subscribeResult struct {
	sub *esdb.Subscription
	err error
}

// undoSubscribe waits for a subscription given up on and closes it if the
// client answers after all.
func (s *Store) undoSubscribe(ref *clientRef, done <-chan subscribeResult) {
	r := <-done
	if r.sub != nil {
		r.sub.Close()
	}
	s.release(ref, r.err)
}

// pump delivers events in order, resubscribing with backoff when the
// subscription drops. last is the last delivered position: anything at or
// before it is not delivered again. from is where a new subscription starts:
// last, or a checkpoint beyond it (everything up to a checkpoint has been seen).
func (sub *subscription) pump(es *esdb.Subscription, ref *clientRef, after eventstore.Position) {
	s := sub.s
	defer close(sub.done)
	defer close(sub.out)
	last, from := after, after
	failures := 0
	for {
		if es == nil {
			var err error
			es, ref, err = s.subscribeAll(sub.ctx, from)
			if err != nil {
				if sub.ctx.Err() != nil {
					sub.stop(nil)
					return
				}
				if fatal(err) {
					sub.stop(fmt.Errorf("kurrentdb: resubscribe to $all after %v: %w", from, err))
					return
				}
				failures++
				s.log.Warn("kurrentdb: resubscribe failed", "after", from.String(), "attempt", failures, "err", err)
				if sleep(sub.ctx, s.backoff(failures)) != nil {
					sub.stop(nil)
					return
				}
				continue
			}
		}
		dropped := sub.follow(es, &last, &from, &failures)
		es.Close()
		s.release(ref, dropped)
		es, ref = nil, nil
		if sub.ctx.Err() != nil {
			sub.stop(nil)
			return
		}
		if fatal(dropped) {
			sub.stop(fmt.Errorf("kurrentdb: subscription to $all dropped: %w", dropped))
			return
		}
		failures++
		s.log.Warn("kurrentdb: subscription dropped; resubscribing", "after", from.String(), "err", dropped)
		if sleep(sub.ctx, s.backoff(failures)) != nil {
			sub.stop(nil)
			return
		}
	}
}

// follow receives from one esdb subscription until it drops, and says why.
func (sub *subscription) follow(es *esdb.Subscription, last, from *eventstore.Position, failures *int) error {
	for {
		e := es.Recv()
		switch {
		case e.SubscriptionDropped != nil:
			if e.SubscriptionDropped.Error == nil {
				return fmt.Errorf("subscription dropped")
			}
			return e.SubscriptionDropped.Error
		case e.CheckPointReached != nil:
			cp := eventstore.Position{Commit: e.CheckPointReached.Commit, Prepare: e.CheckPointReached.Prepare}
			if from.Less(cp) {
				*from = cp
			}
		case e.EventAppeared != nil:
			*failures = 0
			pos := position(e.EventAppeared)
			if !last.IsZero() && !last.Less(pos) {
				continue // seen before the subscription was renewed
			}
			rec, ok, err := sub.s.toRecord(e.EventAppeared)
			if err == nil && !ok {
				if from.Less(pos) {
					*from = pos
				}
				continue
			}
			select {
			case sub.out <- item{rec: rec, err: err}:
			case <-sub.ctx.Done():
				return sub.ctx.Err()
			}
			*last = pos
			if from.Less(pos) {
				*from = pos
			}
		}
	}
}

func (sub *subscription) stop(err error) {
	if err == nil {
		err = eventstore.ErrClosed
	}
	sub.err = err
}

// Next returns the next event, blocking until one is committed or ctx ends.
func (sub *subscription) Next(ctx context.Context) (eventstore.Record, error) {
	select {
	case it, ok := <-sub.out:
		if !ok {
			return eventstore.Record{}, sub.err
		}
		return it.rec, it.err
	case <-ctx.Done():
		return eventstore.Record{}, ctx.Err()
	}
}

// Close ends the subscription and waits for its pump to stop.
func (sub *subscription) Close() error {
	sub.once.Do(func() {
		sub.cancel()
		<-sub.done
		sub.s.mu.Lock()
		delete(sub.s.subs, sub)
		sub.s.mu.Unlock()
	})
	return nil
}
