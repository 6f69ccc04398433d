package clock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/messaging"
)

// Consumer is the name the clock subscribes to the log under.
const Consumer = "clock"

// Cases runs the clock's commands (AppCases over app.Procurements).
type Cases interface {
	CloseReceipt(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string) (app.Result, error)
	EndStandstill(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string) (app.Result, error)
	SendReminder(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string, kind procurement.ReminderKind, subject string) (app.Result, error)
}

// Head tells where the log ends (eventstore.Store).
type Head interface {
	Head(ctx context.Context) (eventstore.Position, error)
}

// Config tunes the clock. Zero durations take the defaults.
type Config struct {
	Now      func() time.Time // the injected clock: time.Now in serve, a fake in tests
	Interval time.Duration    // how often Run ticks besides after each message; default 30 s
	// QuestionAge is how long a question may stay unanswered before the lead
	// is reminded, once per local day. ⚠ Default 2 days: a working rule of the
	// hubs, not a legal time limit; change it here when they agree another.
	QuestionAge time.Duration
	// ApprovalAge is how long a documents version may wait for votes before
	// the members who have not voted are reminded, once per local day.
	// ⚠ Default 3 days, like QuestionAge a working rule.
	ApprovalAge time.Duration
	Log         *slog.Logger
}

// Defaults of Config.
const (
	DefaultInterval    = 30 * time.Second
	DefaultQuestionAge = 48 * time.Hour
	DefaultApprovalAge = 72 * time.Hour
)

// commandTimeout bounds one command, so a stuck store cannot stop the clock.
const commandTimeout = 30 * time.Second

// Reactor is the workflow clock.
//
// Its schedule lives in memory and is rebuilt from the start of the log at
// every start (subscribe with FromStart, not with a stored checkpoint): the
// schedule is small and derived, a persisted checkpoint would need the
// schedule persisted with it in one transaction to mean anything, and a replay
// costs one scan of the log (about 100,000 events/s) at start. Until the
// replay has reached the log's head as it was at the first tick, the clock
// does not act, so it never sends a command on the strength of a case's past.
type Reactor struct {
	commands Cases
	head     Head
	cfg      Config
	log      *slog.Logger
	poke     chan struct{} // a message was handled: tick now

	tickMu sync.Mutex // one tick at a time (Run's and a caller's)

	mu      sync.Mutex
	cases   map[string]*caseClock // by case ID; a finished case stays as a tombstone
	pos     eventstore.Position   // last handled
	target  *eventstore.Position
	changed chan struct{}
}

// New refuses nil dependencies and fills in the defaults.
func New(commands Cases, head Head, cfg Config) (*Reactor, error) {
	if commands == nil || head == nil || cfg.Now == nil || cfg.Log == nil {
		return nil, errors.New("clock: New needs the case commands, the log head, a clock and a logger")
	}
	if cfg.Interval < 0 || cfg.QuestionAge < 0 || cfg.ApprovalAge < 0 {
		return nil, errors.New("clock: the interval and the ages cannot be negative")
	}
	cfg.Interval = orDefault(cfg.Interval, DefaultInterval)
	cfg.QuestionAge = orDefault(cfg.QuestionAge, DefaultQuestionAge)
	cfg.ApprovalAge = orDefault(cfg.ApprovalAge, DefaultApprovalAge)
	return &Reactor{commands: commands, head: head, cfg: cfg, log: cfg.Log.With("consumer", Consumer),
		poke: make(chan struct{}, 1), cases: map[string]*caseClock{}, changed: make(chan struct{})}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Config is the configuration in force, defaults filled in.
func (r *Reactor) Config() Config { return r.cfg }

// Handle is the Watermill handler: fold one event of the log into the
// schedule and wake Run. It never fails: an event the clock cannot read is
// logged and skipped (the decider still guards every command, and the next
// start reads the log again), so the clock never holds up on a poisoned event.
func (r *Reactor) Handle(msg *message.Message) error {
	rec, err := messaging.FromMessage(msg)
	if err != nil {
		r.log.Error("the clock cannot read a message of the log; skipping it", "message_id", msg.UUID, "error", err)
		return nil
	}
	var ev procurement.Event
	var known bool
	caseID, isCase := strings.CutPrefix(rec.Stream, "procurement-")
	if isCase {
		ev, known, err = procurement.Events().Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			r.log.Error("the clock cannot decode an event; the case's schedule may lag until restart",
				"case_id", caseID, "event_id", rec.ID, "type", rec.Type, "error", err)
			known = false
		}
	}
	r.mu.Lock()
	if known {
		c, ok := r.cases[caseID]
		if !ok {
			c = newCaseClock()
			r.cases[caseID] = c
		}
		c.apply(rec, ev)
	}
	if r.pos.Less(rec.Position) {
		r.pos = rec.Position
	}
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	select {
	case r.poke <- struct{}{}:
	default: // a tick is already pending: it will see this event too
	}
	return nil
}

// Position is the last event the clock has handled.
func (r *Reactor) Position() eventstore.Position {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pos
}

// WaitFor blocks until the clock has handled the log up to p, or ctx ends.
func (r *Reactor) WaitFor(ctx context.Context, p eventstore.Position) error {
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
			return fmt.Errorf("clock: the log up to %v did not arrive in time: %w", p, ctx.Err())
		}
	}
}

// Run ticks on the interval and right after each handled message until ctx
// ends. Tick failures are logged by Tick; Run goes on.
func (r *Reactor) Run(ctx context.Context) error {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	_ = r.Tick(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			_ = r.Tick(ctx)
		case <-r.poke:
			_ = r.tick(ctx, false)
		}
	}
}

// Tick sends every command due at Now. It does nothing until the replay has
// caught up with the log. It returns the failures it logged, except the
// refusals that are part of the clock's life (see expectedRefusal): those are
// tried again at later ticks.
func (r *Reactor) Tick(ctx context.Context) error { return r.tick(ctx, true) }

// tick is Tick; after a message (retryHeld false) it leaves out the commands
// a case refused and has not changed since.
func (r *Reactor) tick(ctx context.Context, retryHeld bool) error {
	r.tickMu.Lock()
	defer r.tickMu.Unlock()
	if !r.caughtUp(ctx) {
		return nil
	}
	now := r.cfg.Now()
	r.mu.Lock()
	var todo []action
	for _, id := range slices.Sorted(maps.Keys(r.cases)) {
		c := r.cases[id]
		if c.done {
			continue
		}
		due := c.due(now, r.cfg)
		still := make(map[string]bool, len(due))
		for _, a := range due {
			still[a.commandID] = true
			heldAt, held := c.held[a.commandID]
			if c.sent[a.commandID] || (held && !retryHeld && heldAt == c.version) {
				continue
			}
			todo = append(todo, a)
		}
		prune(c.sent, still)
		prune(c.held, still)
		prune(c.refused, still)
	}
	r.mu.Unlock()
	var errs []error
	for _, a := range todo {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := r.send(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// caughtUp says whether the replay has reached the head of the log as it was
// at the first tick.
func (r *Reactor) caughtUp(ctx context.Context) bool {
	r.mu.Lock()
	target := r.target
	r.mu.Unlock()
	if target == nil {
		head, err := r.head.Head(ctx)
		if err != nil {
			r.log.Error("the clock cannot read the log's head; it waits", "error", err)
			return false
		}
		target = &head
		r.mu.Lock()
		r.target = target
		r.mu.Unlock()
	}
	return !r.Position().Less(*target)
}

// send dispatches one action as the platform and records the outcome.
func (r *Reactor) send(ctx context.Context, a action) error {
	cctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	meta := app.CommandMeta{CommandID: a.commandID, CausationID: a.cause}
	var (
		res app.Result
		err error
	)
	switch a.command {
	case closeReceipt:
		res, err = r.commands.CloseReceipt(cctx, app.System, meta, a.caseID)
	case endStandstill:
		res, err = r.commands.EndStandstill(cctx, app.System, meta, a.caseID)
	default:
		res, err = r.commands.SendReminder(cctx, app.System, meta, a.caseID, a.kind, a.subject)
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err() // shutting down: the next start sends it again
	}
	log := r.log.With("case_id", a.caseID, "command_id", a.commandID, "correlation_id", a.commandID)
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cases[a.caseID]
	if err == nil {
		if c != nil && !c.done {
			c.sent[a.commandID] = true
			delete(c.refused, a.commandID)
			delete(c.held, a.commandID)
		}
		switch {
		case res.Events == 0:
		case a.command == closeReceipt:
			log.Info("receipt closed at the deadline", "deadline", a.deadline, "position", res.Position.String())
		case a.command == endStandstill:
			log.Info("standstill ended", "ends_at", a.deadline, "position", res.Position.String())
		default:
			log.Info("reminder sent", "kind", a.kind, "subject", a.subject, "position", res.Position.String())
		}
		return nil
	}
	expected := expectedRefusal(err)
	level := slog.LevelError
	if expected {
		level = slog.LevelInfo
	}
	// A refusal repeats at every tick until its cause goes away: say it once
	// at its level, then at debug.
	code := es.CodeOf(err)
	log = log.With("code", code)
	if c != nil && !c.done {
		refusal := code + ":" + err.Error()
		if c.refused[a.commandID] == refusal {
			level = slog.LevelDebug
		}
		c.refused[a.commandID] = refusal
		c.held[a.commandID] = a.version
	}
	switch a.command {
	case closeReceipt:
		log.Log(ctx, level, "receipt not closed; trying again at the next tick", "deadline", a.deadline, "error", err)
	case endStandstill:
		log.Log(ctx, level, "standstill not ended; trying again at the next tick", "ends_at", a.deadline, "error", err)
	default:
		log.Log(ctx, level, "reminder refused; trying again at the next tick", "kind", a.kind, "subject", a.subject, "error", err)
	}
	if expected {
		return nil
	}
	return fmt.Errorf("clock: case %s: %s: %w", a.caseID, a.commandID, err)
}

// expectedRefusal says whether a refusal is part of the clock's life rather
// than a failure: receipt held open by an unanswered question, a deadline or a
// standstill end the dispatcher's clock has not reached yet, a suspension that
// came in after the clock last looked, or a case that ended meanwhile. It is
// logged at info and tried again at later ticks while the command stays due.
func expectedRefusal(err error) bool {
	for _, e := range []error{procurement.ErrUnansweredQuestions, procurement.ErrDeadlineNotReached,
		procurement.ErrStandstillRunning, procurement.ErrContractingSuspended, procurement.ErrCancelled, procurement.ErrTerminal} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// prune forgets what is no longer due.
func prune[V any](m map[string]V, due map[string]bool) {
	for id := range m {
		if !due[id] {
			delete(m, id)
		}
	}
}

// FromStart is the clock's checkpoint: always the start of the log, because
// the schedule is rebuilt in memory at every start (see Reactor).
type FromStart struct{}

// Checkpoint implements messaging.Checkpoints.
func (FromStart) Checkpoint(context.Context, string) (eventstore.Position, error) {
	return eventstore.Position{}, nil
}

// PoisonSink is the poison queue for a Router that carries only the clock:
// Handle never fails, so only a panic can land here; the event is logged and
// skipped, and the next start replays it.
func (r *Reactor) PoisonSink() message.Publisher { return poisonLog{r.log} }

type poisonLog struct{ log *slog.Logger }

func (p poisonLog) Publish(_ string, msgs ...*message.Message) error {
	for _, m := range msgs {
		p.log.Error("the clock skipped an event it could not handle", "event_id", m.UUID,
			"position", m.Metadata.Get("position"), "reason", m.Metadata.Get(middleware.ReasonForPoisonedKey))
	}
	return nil
}

func (poisonLog) Close() error { return nil }
