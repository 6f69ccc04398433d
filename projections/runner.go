package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/messaging"
)

// Runner feeds a set of read models from the log as one consumer.
type Runner struct {
	db       *sql.DB
	consumer string
	source   string // which log the views were built from
	models   []ReadModel
	log      *slog.Logger

	mu      sync.Mutex
	pos     eventstore.Position
	changed chan struct{}
	hooks   []func(eventstore.Record)

	applied  atomic.Int64
	poisoned atomic.Int64
}

// NewRunner prepares the read models' tables. source names the log the views
// are fed from (the store kind and the log's first event): when it, or the set
// of read models (or a version in it), differs from the one the checkpoint was
// written for, the views are dropped and rebuilt from the log, because a
// checkpoint means nothing in another log.
func NewRunner(ctx context.Context, db *sql.DB, consumer, source string, log *slog.Logger, models ...ReadModel) (*Runner, error) {
	if db == nil || log == nil || consumer == "" || len(models) == 0 {
		return nil, errors.New("projections: NewRunner needs a views database, a consumer name, a logger and read models")
	}
	r := &Runner{db: db, consumer: consumer, source: source, models: models, log: log, changed: make(chan struct{})}
	pos, signature, found, err := r.readCheckpoint(ctx, db)
	if err != nil {
		return nil, err
	}
	poisoned, err := r.Poisoned(ctx)
	if err != nil {
		return nil, err
	}
	if found && (signature != r.signature() || poisoned > 0) {
		// A poisoned event is missing from the views; replaying the log after a
		// restart (usually after the fix) is the only way to put it back in
		// its place without applying it out of order.
		log.Warn("read models or log changed, or events were poisoned: rebuilding views from the log",
			"was", signature, "now", r.signature(), "poisoned", poisoned)
		if err := r.reset(ctx); err != nil {
			return nil, err
		}
		pos = eventstore.Position{}
	} else if err := r.createSchemas(ctx); err != nil {
		return nil, err
	}
	r.pos = pos
	return r, nil
}

func (r *Runner) signature() string {
	names := make([]string, len(r.models))
	for i, m := range r.models {
		names[i] = m.Name()
	}
	return strings.Join(names, ",") + "@" + r.source
}

func (r *Runner) createSchemas(ctx context.Context) error {
	for _, m := range r.models {
		if _, err := r.db.ExecContext(ctx, m.Schema()); err != nil {
			return fmt.Errorf("projections: schema of %s: %w", m.Name(), err)
		}
	}
	return nil
}

// reset drops every read model table and the checkpoint.
func (r *Runner) reset(ctx context.Context) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, m := range r.models {
		for _, t := range m.Tables() {
			if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+t); err != nil {
				return fmt.Errorf("projections: drop %s: %w", t, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM checkpoints WHERE consumer = ?`, r.consumer); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM poisoned_messages WHERE consumer = ?`, r.consumer); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	r.mu.Lock()
	r.pos = eventstore.Position{}
	r.mu.Unlock()
	return r.createSchemas(ctx)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (r *Runner) readCheckpoint(ctx context.Context, q querier) (eventstore.Position, string, bool, error) {
	var (
		p   eventstore.Position
		sig string
	)
	err := q.QueryRowContext(ctx, `SELECT commit_position, prepare_position, read_models FROM checkpoints WHERE consumer = ?`, r.consumer).
		Scan(&p.Commit, &p.Prepare, &sig)
	if errors.Is(err, sql.ErrNoRows) {
		return eventstore.Position{}, "", false, nil
	}
	if err != nil {
		return p, "", false, fmt.Errorf("projections: checkpoint of %s: %w", r.consumer, err)
	}
	return p, sig, true, nil
}

func (r *Runner) writeCheckpoint(ctx context.Context, tx *sql.Tx, p eventstore.Position) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO checkpoints (consumer, commit_position, prepare_position, read_models) VALUES (?,?,?,?)
		ON CONFLICT (consumer) DO UPDATE SET commit_position = excluded.commit_position, prepare_position = excluded.prepare_position, read_models = excluded.read_models`,
		r.consumer, p.Commit, p.Prepare, r.signature())
	return err
}

// ResetIfAhead drops the views when their checkpoint lies beyond the log's
// head: the log was restored from a backup, and events appended from now on
// would reuse positions the views believe they have seen.
func (r *Runner) ResetIfAhead(ctx context.Context, head eventstore.Position) (bool, error) {
	if !head.Less(r.Position()) {
		return false, nil
	}
	r.log.Warn("views are ahead of the log (restored from a backup?): rebuilding them", "views", r.Position().String(), "head", head.String())
	return true, r.reset(ctx)
}

// Consumer is the name the runner subscribes and checkpoints under.
func (r *Runner) Consumer() string { return r.consumer }

// Checkpoint implements messaging.Checkpoints from the views database.
func (r *Runner) Checkpoint(ctx context.Context, consumer string) (eventstore.Position, error) {
	if consumer != r.consumer {
		return eventstore.Position{}, fmt.Errorf("projections: runner %s has no checkpoint for %s", r.consumer, consumer)
	}
	p, _, _, err := r.readCheckpoint(ctx, r.db)
	return p, err
}

// OnCommitted registers a hook that runs after an event's update committed and
// before waiters see the new position (the policy enforcer learns grants here).
func (r *Runner) OnCommitted(fn func(eventstore.Record)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks = append(r.hooks, fn)
}

// Handle is the Watermill handler: apply one event to every read model and move
// the checkpoint, in one transaction. A redelivered event is skipped.
func (r *Runner) Handle(msg *message.Message) error {
	rec, err := messaging.FromMessage(msg)
	if err != nil {
		return err
	}
	applied, err := r.apply(msg.Context(), []eventstore.Record{rec})
	if err != nil {
		return err
	}
	if applied > 0 {
		r.committed([]eventstore.Record{rec})
	}
	return nil
}

// apply runs records (in log order) through every read model in one transaction
// and returns how many were new.
func (r *Runner) apply(ctx context.Context, recs []eventstore.Record) (int, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("projections: begin: %w", err)
	}
	defer tx.Rollback()
	cp, _, _, err := r.readCheckpoint(ctx, tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, rec := range recs {
		if !cp.Less(rec.Position) {
			continue // delivered again after a crash or a nack: already in the views
		}
		for _, m := range r.models {
			if err := m.Apply(ctx, tx, rec); err != nil {
				return 0, fmt.Errorf("projections: %s at %v (%s): %w", m.Name(), rec.Position, rec.Type, err)
			}
		}
		cp = rec.Position
		n++
	}
	if n == 0 {
		return 0, nil
	}
	if err := r.writeCheckpoint(ctx, tx, cp); err != nil {
		return 0, fmt.Errorf("projections: checkpoint: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("projections: commit: %w", err)
	}
	r.applied.Add(int64(n))
	return n, nil
}

func (r *Runner) committed(recs []eventstore.Record) {
	for _, rec := range recs {
		r.runHooks(rec)
	}
	r.advance(recs[len(recs)-1].Position)
}

func (r *Runner) runHooks(rec eventstore.Record) {
	r.mu.Lock()
	hooks := r.hooks
	r.mu.Unlock()
	for _, h := range hooks {
		h(rec)
	}
}

func (r *Runner) advance(p eventstore.Position) {
	r.mu.Lock()
	if r.pos.Less(p) {
		r.pos = p
	}
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// Position is how far the views are.
func (r *Runner) Position() eventstore.Position {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pos
}

// WaitFor blocks until the views include position p (read-your-writes) or ctx ends.
func (r *Runner) WaitFor(ctx context.Context, p eventstore.Position) error {
	for {
		r.mu.Lock()
		reached, changed := !r.pos.Less(p), r.changed
		r.mu.Unlock()
		if reached {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("projections: views did not reach %v in time: %w", p, ctx.Err())
		}
	}
}

// Stats reports applied and poisoned events since start.
func (r *Runner) Stats() (applied, poisoned int64) { return r.applied.Load(), r.poisoned.Load() }

// DB is the views database the read models live in.
func (r *Runner) DB() *sql.DB { return r.db }
