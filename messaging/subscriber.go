package messaging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/felles/felles/eventstore"
)

// Checkpoints tells where a consumer stopped. The consumer itself writes its
// checkpoint (a projection does it in the same transaction as its update), so
// the subscriber only ever reads it.
type Checkpoints interface {
	Checkpoint(ctx context.Context, consumer string) (eventstore.Position, error)
}

// Subscriber is a Watermill subscriber over the store's global log. The topic is
// the consumer's name. Messages come one at a time, in log order: the next one
// is sent only after the previous is acked; a nacked message is sent again.
type Subscriber struct {
	store       eventstore.Store
	checkpoints Checkpoints
	log         watermill.LoggerAdapter
	redeliver   time.Duration

	mu      sync.Mutex
	closed  bool
	cancels []context.CancelFunc
	wg      sync.WaitGroup
}

var _ message.Subscriber = (*Subscriber)(nil)

// NewSubscriber refuses nil dependencies.
func NewSubscriber(store eventstore.Store, checkpoints Checkpoints, log watermill.LoggerAdapter) (*Subscriber, error) {
	if store == nil || checkpoints == nil || log == nil {
		return nil, errors.New("messaging: NewSubscriber needs a store, checkpoints and a logger")
	}
	return &Subscriber{store: store, checkpoints: checkpoints, log: log, redeliver: 200 * time.Millisecond}, nil
}

// Subscribe starts delivering the log after the consumer's checkpoint.
func (s *Subscriber) Subscribe(ctx context.Context, consumer string) (<-chan *message.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("messaging: subscriber is closed")
	}
	from, err := s.checkpoints.Checkpoint(ctx, consumer)
	if err != nil {
		return nil, fmt.Errorf("messaging: checkpoint of %s: %w", consumer, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	sub, err := s.store.Subscribe(ctx, from)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("messaging: subscribe %s from %v: %w", consumer, from, err)
	}
	s.cancels = append(s.cancels, cancel)
	out := make(chan *message.Message)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		s.deliver(ctx, consumer, from, sub, out)
	}()
	return out, nil
}

// deliver sends the log one message at a time. When the log subscription ends
// with an error (a read failed, the server went away) it subscribes again from
// the last delivered event, with backoff: a consumer must never stop silently.
func (s *Subscriber) deliver(ctx context.Context, consumer string, from eventstore.Position, sub eventstore.Subscription, out chan<- *message.Message) {
	fields := watermill.LogFields{"consumer": consumer}
	last := from
	wait := s.redeliver
	for {
		rec, err := sub.Next(ctx)
		if err != nil {
			sub.Close()
			if ctx.Err() != nil {
				return
			}
			s.log.Error("log subscription failed, subscribing again", err, fields.Add(watermill.LogFields{"after": last.String(), "in": wait.String()}))
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return
			}
			wait = min(2*wait, 10*time.Second)
			if sub, err = s.store.Subscribe(ctx, last); err != nil {
				sub = failedSubscription{err}
			}
			continue
		}
		wait = s.redeliver
		if !s.send(ctx, rec, out, fields) {
			sub.Close()
			return
		}
		last = rec.Position
	}
}

// send delivers one event until it is acked, sending it again after a nack.
func (s *Subscriber) send(ctx context.Context, rec eventstore.Record, out chan<- *message.Message, fields watermill.LogFields) bool {
	for {
		msg := ToMessage(rec)
		msg.SetContext(ctx)
		select {
		case out <- msg:
		case <-ctx.Done():
			return false
		}
		select {
		case <-msg.Acked():
			return true
		case <-msg.Nacked():
			s.log.Info("message nacked, delivering it again", fields.Add(watermill.LogFields{"event_id": rec.ID, "position": rec.Position.String()}))
			select {
			case <-time.After(s.redeliver):
			case <-ctx.Done():
				return false
			}
		case <-ctx.Done():
			return false
		}
	}
}

// failedSubscription stands for a subscribe call that failed, so the retry
// loop treats it like a subscription that ended.
type failedSubscription struct{ err error }

func (f failedSubscription) Next(context.Context) (eventstore.Record, error) {
	return eventstore.Record{}, f.err
}
func (failedSubscription) Close() error { return nil }

// Close ends every subscription and waits for the deliverers to stop.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	s.closed = true
	for _, c := range s.cancels {
		c()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}
