package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
)

// Store is the KurrentDB event log. It is safe for concurrent use.
type Store struct {
	cfg    esdb.Configuration // template: every client gets its own copy
	opts   options
	log    *slog.Logger
	cache  *cache
	base   context.Context // ends at Close; every call and subscription runs under it
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool
	current *clientRef             // the client new calls use; nil until needed
	refs    map[*clientRef]bool    // every client not closed yet
	drained chan struct{}          // closed when Close has closed the last client
	subs    map[*subscription]bool // open subscriptions, closed by Close
}

var _ eventstore.Store = (*Store)(nil)

type options struct {
	logger          *slog.Logger
	now             func() time.Time
	connectAttempts int
	backoffMin      time.Duration
	backoffMax      time.Duration
	prefix          string
}

// Option configures Open.
type Option func(*options)

// WithLogger sends the adapter's and the client's log lines to l. Without it the
// client's own console logging is switched off.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithClock sets the clock that stamps RecordedAt (time.Now by default).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithConnectAttempts bounds how many fresh clients Open tries before it gives up
// (10 by default). Each attempt also runs the client's own discovery attempts
// (the connection string's maxDiscoverAttempts).
func WithConnectAttempts(n int) Option { return func(o *options) { o.connectAttempts = n } }

// WithBackoff sets the pause between connection and resubscription attempts: it
// starts at min and doubles up to max (50 ms and 2 s by default), with jitter.
func WithBackoff(min, max time.Duration) Option {
	return func(o *options) { o.backoffMin, o.backoffMax = min, max }
}

// WithStreamPrefix keeps this Store to streams whose server-side name starts with
// prefix, so several Felles installations (or test runs) can share one node: the
// Store appends to prefix+stream, reports and hashes the name without the prefix,
// and its ReadAll, Subscribe and Head see only its own streams.
func WithStreamPrefix(prefix string) Option { return func(o *options) { o.prefix = prefix } }

// Open connects to the node or cluster named by connString. It tries a fresh
// client until the node answers (bounded by WithConnectAttempts and ctx), since
// a client whose discovery failed stays closed for good.
func Open(ctx context.Context, connString string, opts ...Option) (*Store, error) {
	o := options{now: time.Now, connectAttempts: 10, backoffMin: 50 * time.Millisecond, backoffMax: 2 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if o.connectAttempts < 1 {
		o.connectAttempts = 1
	}
	if o.now == nil {
		return nil, errors.New("kurrentdb: WithClock needs a clock")
	}
	cfg, err := parseConnString(connString)
	if err != nil {
		return nil, err
	}
	log := o.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
		cfg.Logger = esdb.NoopLogging()
	} else {
		cfg.Logger = clientLogger(log)
	}
	base, cancel := context.WithCancel(context.Background())
	s := &Store{cfg: *cfg, opts: o, log: log, cache: newCache(), base: base, cancel: cancel,
		refs: map[*clientRef]bool{}, drained: make(chan struct{}), subs: map[*subscription]bool{}}

	var last error
	for attempt := 1; attempt <= o.connectAttempts; attempt++ {
		if last = s.Ping(ctx); last == nil {
			return s, nil
		}
		if !transient(last) || ctx.Err() != nil || attempt == o.connectAttempts {
			break
		}
		s.log.Warn("kurrentdb: connect attempt failed", "attempt", attempt, "of", o.connectAttempts, "err", last)
		if sleep(ctx, s.backoff(attempt)) != nil {
			break
		}
	}
	s.Close()
	if ctx.Err() != nil {
		last = errors.Join(ctx.Err(), last)
	}
	return nil, fmt.Errorf("kurrentdb: connect to %s: %w", redact(connString), last)
}

// Ping reads the last event of $all: it proves that the node answers and that
// this user may read the global log. It is the readiness check.
func (s *Store) Ping(ctx context.Context) error {
	return s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		rs, err := c.ReadAll(ctx, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)
		if err != nil {
			return err
		}
		defer rs.Close()
		if _, err := rs.Recv(); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return nil
	})
}

// Close ends every call and subscription and closes the client. Calls after
// Close fail with eventstore.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	subs := make([]*subscription, 0, len(s.subs))
	for sub := range s.subs {
		subs = append(subs, sub)
	}
	s.mu.Unlock()
	s.cancel()
	for _, sub := range subs {
		sub.Close()
	}
	s.mu.Lock()
	for ref := range s.refs {
		s.retireLocked(ref)
		s.closeIfIdleLocked(ref)
	}
	s.drainedLocked()
	s.mu.Unlock()
	// A call still running holds its client open: closing the client under it
	// would make the client send on a closed channel. Calls end quickly once the
	// base context is cancelled; a client stuck beyond that is left to the GC.
	select {
	case <-s.drained:
	case <-time.After(5 * time.Second):
		s.log.Warn("kurrentdb: a call did not end within 5 s of Close; its client is left open")
	}
	return nil
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// backoff is the pause before attempt n+1: exponential, capped, with jitter.
func (s *Store) backoff(n int) time.Duration {
	d := s.opts.backoffMin
	for i := 1; i < n && d < s.opts.backoffMax; i++ {
		d *= 2
	}
	d = min(d, s.opts.backoffMax)
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// parseConnString accepts the esdb and kurrentdb schemes; the client knows only
// esdb, and its parser is case-sensitive about the scheme.
func parseConnString(s string) (*esdb.Configuration, error) {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return nil, fmt.Errorf("kurrentdb: connection string %q has no scheme (esdb://, kurrentdb://, …+discover://)", redact(s))
	}
	switch strings.ToLower(scheme) {
	case "esdb", "kurrentdb", "kurrent":
		scheme = "esdb"
	case "esdb+discover", "kurrentdb+discover", "kurrent+discover":
		scheme = "esdb+discover"
	default:
		return nil, fmt.Errorf("kurrentdb: unsupported scheme %q: use esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://", scheme)
	}
	cfg, err := esdb.ParseConnectionString(scheme + "://" + rest)
	if err != nil {
		return nil, fmt.Errorf("kurrentdb: connection string %s: %w", redact(s), err)
	}
	return cfg, nil
}

// redact hides the password of a connection string in messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		if at := strings.LastIndex(s, "@"); at >= 0 {
			if i := strings.Index(s, "://"); i >= 0 && i < at {
				return s[:i+3] + "…@" + s[at+1:]
			}
		}
		return s
	}
	return u.Redacted()
}

// clientLogger passes the client's log lines to slog.
func clientLogger(l *slog.Logger) esdb.LoggingFunc {
	return func(level esdb.LogLevel, format string, args ...any) {
		lv := slog.LevelDebug
		switch level {
		case esdb.LogInfo:
			lv = slog.LevelInfo
		case esdb.LogWarn:
			lv = slog.LevelWarn
		case esdb.LogError:
			lv = slog.LevelError
		}
		ctx := context.Background()
		if l.Enabled(ctx, lv) {
			l.Log(ctx, lv, "kurrentdb client: "+fmt.Sprintf(format, args...))
		}
	}
}
