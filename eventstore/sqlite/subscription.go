package sqlite

import (
	"context"
	"time"

	"github.com/felles/felles/eventstore"
)

// pollFallback bounds how long a subscriber sleeps without a commit signal, so
// it still sees events appended by another process (felles CLI tools).
const pollFallback = time.Second

const subscribeBatch = 512

type subscription struct {
	s     *Store
	after eventstore.Position
	buf   []eventstore.Record
}

// Subscribe delivers the log after `after`: history, then live commits.
func (s *Store) Subscribe(_ context.Context, after eventstore.Position) (eventstore.Subscription, error) {
	return &subscription{s: s, after: after}, nil
}

func (sub *subscription) Next(ctx context.Context) (eventstore.Record, error) {
	for {
		if len(sub.buf) > 0 {
			r := sub.buf[0]
			sub.buf = sub.buf[1:]
			sub.after = r.Position
			return r, nil
		}
		// Take the signal before reading, so a commit between the read and the
		// wait still wakes us.
		changed, head := sub.s.changedSignal()
		if head > sub.after.Commit || head == 0 {
			recs, err := sub.s.ReadAll(ctx, sub.after, subscribeBatch)
			if err != nil {
				return eventstore.Record{}, err
			}
			if len(recs) > 0 {
				sub.buf = recs
				continue
			}
		}
		timer := time.NewTimer(pollFallback)
		select {
		case <-changed:
		case <-timer.C:
			recs, err := sub.s.ReadAll(ctx, sub.after, subscribeBatch)
			if err != nil {
				return eventstore.Record{}, err
			}
			sub.buf = recs
		case <-ctx.Done():
			timer.Stop()
			return eventstore.Record{}, ctx.Err()
		case <-sub.s.closing:
			timer.Stop()
			return eventstore.Record{}, eventstore.ErrClosed
		}
		timer.Stop()
	}
}

func (sub *subscription) Close() error { return nil }
