package kurrentdb

import (
	"context"
	"errors"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// clientRef is one esdb client and the calls running on it. A retired client
// takes no new calls and is closed when its last call returns: closing it under
// a running call could make the client send on its closed channel and panic.
//
// A client whose discovery failed has stopped its connection loop for good, and
// a call that was handing it a request at that moment waits forever (the
// client's channel has no reader left). Such a client is marked dead: every
// call waiting on it gives up, and it is never closed (closing it would make the
// stuck sender panic); it is left to the garbage collector.
type clientRef struct {
	c        *esdb.Client
	inflight int
	retired  bool
	dead     chan struct{} // closed when the client is known to have closed itself
	isDead   bool
}

// errClientGone answers a call abandoned on a client that closed itself.
var errClientGone = errors.New("kurrentdb: the client closed itself after a failed discovery")

// acquire returns the current client (building one if there is none) with one
// more call counted on it; release must follow.
func (s *Store) acquire() (*clientRef, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, eventstore.ErrClosed
	}
	if s.current == nil {
		cfg := s.cfg
		c, err := esdb.NewClient(&cfg)
		if err != nil {
			return nil, err
		}
		s.current = &clientRef{c: c, dead: make(chan struct{})}
		s.refs[s.current] = true
	}
	s.current.inflight++
	return s.current, nil
}

// release ends a call. An error saying the client is closed, out of discovery
// attempts or cut off from the node retires the client, so the next call starts
// over with a fresh one.
func (s *Store) release(ref *clientRef, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref.inflight--
	if err != nil && retiresClient(err) {
		s.retireLocked(ref)
	}
	if err != nil && dies(err) && !ref.isDead {
		ref.isDead = true
		close(ref.dead)
	}
	s.closeIfIdleLocked(ref)
}

func (s *Store) retireLocked(ref *clientRef) {
	ref.retired = true
	if s.current == ref {
		s.current = nil
	}
}

func (s *Store) closeIfIdleLocked(ref *clientRef) {
	if !ref.retired || !s.refs[ref] {
		return
	}
	if ref.isDead {
		// Its connection loop has ended; a call may be stuck sending to it.
		delete(s.refs, ref)
		s.drainedLocked()
		return
	}
	if ref.inflight > 0 {
		return
	}
	delete(s.refs, ref)
	ref.c.Close()
	s.drainedLocked()
}

// drainedLocked signals Close once the Store is closed and holds no client.
func (s *Store) drainedLocked() {
	if !s.closed || len(s.refs) > 0 {
		return
	}
	select {
	case <-s.drained:
	default:
		close(s.drained)
	}
}

// call runs fn on a client under ctx and the Store's lifetime. fn runs in its
// own goroutine so that the caller gets its answer when ctx ends even while the
// client is blocked (discovery does not watch contexts); a call given up that
// way finishes in the background and then releases its client. A client found
// closed before anything was sent is replaced and the call tried once more.
func (s *Store) call(ctx context.Context, fn func(ctx context.Context, c *esdb.Client) error) error {
	for attempt := 0; ; attempt++ {
		ref, err := s.acquire()
		if err != nil {
			return err
		}
		opCtx, cancel := s.opContext(ctx)
		done := make(chan error, 1)
		go func() { done <- fn(opCtx, ref.c) }()
		select {
		case err = <-done:
			cancel()
			s.release(ref, err)
		case <-opCtx.Done():
			cancel()
			go func() { s.release(ref, <-done) }()
			if ctx.Err() == nil {
				return eventstore.ErrClosed
			}
			return ctx.Err()
		case <-ref.dead:
			cancel()
			go func() { s.release(ref, <-done) }()
			return errClientGone
		}
		if err != nil && attempt == 0 && clientClosed(err) && ctx.Err() == nil {
			continue
		}
		if err != nil && s.isClosed() && ctx.Err() == nil {
			return eventstore.ErrClosed
		}
		return err
	}
}

// opContext ends when ctx ends or the Store closes.
func (s *Store) opContext(ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.base, cancel)
	return c, func() { stop(); cancel() }
}

func esdbCode(err error) (esdb.ErrorCode, bool) {
	var e *esdb.Error
	if errors.As(err, &e) {
		return e.Code(), true
	}
	return 0, false
}

func wrongExpectedVersion(err error) bool {
	code, ok := esdbCode(err)
	return ok && code == esdb.ErrorCodeWrongExpectedVersion
}

func notFound(err error) bool {
	code, ok := esdbCode(err)
	return ok && code == esdb.ErrorCodeResourceNotFound
}

// clientClosed: the client refused the call before sending anything, because it
// was closed (by its failed discovery, since the Store closes only retired ones).
func clientClosed(err error) bool {
	code, ok := esdbCode(err)
	return ok && code == esdb.ErrorCodeConnectionClosed
}

// dies: after this error the client has closed itself for good.
func dies(err error) bool {
	return clientClosed(err) || strings.Contains(err.Error(), "maximum discovery attempt count reached")
}

// retiresClient: after this error the client is closed for good or holds a
// connection that gRPC may not retry for a long time (the client's read path
// skips its own reconnect, issue #190).
func retiresClient(err error) bool {
	if dies(err) || errors.Is(err, errClientGone) {
		return true
	}
	if code, ok := esdbCode(err); ok && code == esdb.ErrorUnavailable {
		return true
	}
	return status.Code(err) == codes.Unavailable
}

// transient: trying again later, on a fresh client, may succeed.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, eventstore.ErrClosed) {
		return false
	}
	if retiresClient(err) {
		return true
	}
	if code, ok := esdbCode(err); ok {
		switch code {
		case esdb.ErrorCodeDeadlineExceeded, esdb.ErrorCodeNotLeader, esdb.ErrorAborted, esdb.ErrorCodeUnknown:
			return true
		}
		return false
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Aborted, codes.Internal, codes.ResourceExhausted, codes.Unknown:
		return true
	}
	return false
}

// fatal: the node refuses this user; retrying will not help.
func fatal(err error) bool {
	if code, ok := esdbCode(err); ok && (code == esdb.ErrorCodeAccessDenied || code == esdb.ErrorCodeUnauthenticated) {
		return true
	}
	switch status.Code(err) {
	case codes.PermissionDenied, codes.Unauthenticated:
		return true
	}
	return false
}
