package projections

import (
	"context"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/messaging"
)

// PoisonSink is the Router's poison queue for the runner: an event whose update
// keeps failing is recorded in the views database (who, where, why), the
// commit hooks still see it, the runner is marked degraded for the health
// endpoint, and the log moves on. The next start rebuilds the views, which
// brings the skipped event back in its place once the cause is fixed.
func (r *Runner) PoisonSink() message.Publisher { return poisonSink{r} }

type poisonSink struct{ r *Runner }

func (p poisonSink) Publish(_ string, msgs ...*message.Message) error {
	for _, m := range msgs {
		_, err := p.r.db.ExecContext(context.Background(),
			`INSERT INTO poisoned_messages (consumer, event_id, position, event_type, reason, poisoned_at) VALUES (?,?,?,?,?,?)`,
			p.r.consumer, m.UUID, m.Metadata.Get("position"), m.Metadata.Get("type"),
			m.Metadata.Get(middleware.ReasonForPoisonedKey), time.Now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		p.r.poisoned.Add(1)
		// The hooks still learn of the event (the policy enforcer above all): a
		// revocation the views could not record must still take effect.
		if rec, err := messaging.FromMessage(m); err == nil {
			p.r.runHooks(rec)
		}
		if pos, err := eventstore.ParsePosition(m.Metadata.Get("position")); err == nil {
			p.r.advance(pos) // read-your-writes waiters must not hang on a skipped event
		}
		p.r.log.Error("event poisoned: the views skip it until rebuilt", "event_id", m.UUID,
			"position", m.Metadata.Get("position"), "reason", m.Metadata.Get(middleware.ReasonForPoisonedKey))
	}
	return nil
}

func (poisonSink) Close() error { return nil }

// Poisoned counts poisoned events recorded for this consumer.
func (r *Runner) Poisoned(ctx context.Context) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM poisoned_messages WHERE consumer = ?`, r.consumer).Scan(&n)
	return n, err
}
