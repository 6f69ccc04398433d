package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
)

// page is how many events one read asks for when the caller sets no limit.
const page = 1000

// ReadStream returns up to limit events of stream from revision `from`; a stream
// that does not exist reads as empty.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.Record, error) {
	var out []eventstore.Record
	for {
		want := uint64(page)
		if limit > 0 {
			want = uint64(limit - len(out))
		}
		evs, err := s.readStream(ctx, stream, esdb.Forwards, esdb.Revision(from), want)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			rec, ok, err := s.toRecord(ev)
			if err != nil {
				return nil, err
			}
			if !ok {
				// A stream is a chain: a foreign event inside it must not vanish silently.
				re := ev.OriginalEvent()
				return nil, fmt.Errorf("kurrentdb: %s@%d (%s) is not a Felles event", re.StreamID, re.EventNumber, re.EventType)
			}
			out = append(out, rec)
		}
		if n := len(evs); n > 0 {
			k := max(0, n-tailLen)
			run := make([]tailEvent, 0, n-k)
			for i, ev := range evs[k:] {
				run = append(run, tailOf(out[len(out)-n+k+i], ev))
			}
			s.cache.seen(s.opts.prefix+stream, evs[k].OriginalEvent().EventNumber, run)
		}
		if uint64(len(evs)) < want || (limit > 0 && len(out) >= limit) {
			return out, nil
		}
		from = evs[len(evs)-1].OriginalEvent().EventNumber + 1
	}
}

// ReadAll returns up to limit Felles events strictly after `after`, in commit
// order, skipping system events and events of other applications.
func (s *Store) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Record, error) {
	var out []eventstore.Record
	from := after
	for {
		want := uint64(page)
		if limit > 0 {
			// Claims and system events share the log: ask for more than is missing.
			want = uint64(min(max(2*(limit-len(out))+1, 64), 4096))
		}
		evs, err := s.readAll(ctx, esdb.Forwards, allPosition(from), want)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			pos := position(ev)
			if !from.IsZero() && !from.Less(pos) {
				continue // the server reads from a position inclusively
			}
			rec, ok, err := s.toRecord(ev)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, rec)
				if limit > 0 && len(out) == limit {
					return out, nil
				}
			}
		}
		if uint64(len(evs)) < want {
			return out, nil
		}
		from = position(evs[len(evs)-1])
	}
}

// Head is the position of the last Felles event (zero when there is none).
func (s *Store) Head(ctx context.Context) (eventstore.Position, error) {
	var from esdb.AllPosition = esdb.End{}
	var before *eventstore.Position
	for {
		evs, err := s.readAll(ctx, esdb.Backwards, from, 64)
		if err != nil {
			return eventstore.Position{}, err
		}
		for _, ev := range evs {
			pos := position(ev)
			if before != nil && !pos.Less(*before) {
				continue
			}
			if _, ok, err := s.toRecord(ev); err != nil {
				return eventstore.Position{}, err
			} else if ok {
				return pos, nil
			}
		}
		if len(evs) < 64 {
			return eventstore.Position{}, nil
		}
		last := position(evs[len(evs)-1])
		before, from = &last, esdb.Position{Commit: last.Commit, Prepare: last.Prepare}
	}
}

func allPosition(p eventstore.Position) esdb.AllPosition {
	if p.IsZero() {
		return esdb.Start{}
	}
	return esdb.Position{Commit: p.Commit, Prepare: p.Prepare}
}

// readStream reads raw events of the Store's stream (the prefix is added here).
func (s *Store) readStream(ctx context.Context, stream string, dir esdb.Direction, from esdb.StreamPosition, count uint64) ([]*esdb.ResolvedEvent, error) {
	return s.readRaw(ctx, "read "+stream, func(ctx context.Context, c *esdb.Client) (*esdb.ReadStream, error) {
		return c.ReadStream(ctx, s.opts.prefix+stream, esdb.ReadStreamOptions{Direction: dir, From: from}, count)
	})
}

// readRawStream reads a stream by its server-side name (claims).
func (s *Store) readRawStream(ctx context.Context, name string, from esdb.StreamPosition, count uint64) ([]*esdb.ResolvedEvent, error) {
	return s.readRaw(ctx, "read "+name, func(ctx context.Context, c *esdb.Client) (*esdb.ReadStream, error) {
		return c.ReadStream(ctx, name, esdb.ReadStreamOptions{Direction: esdb.Forwards, From: from}, count)
	})
}

func (s *Store) readAll(ctx context.Context, dir esdb.Direction, from esdb.AllPosition, count uint64) ([]*esdb.ResolvedEvent, error) {
	return s.readRaw(ctx, "read $all", func(ctx context.Context, c *esdb.Client) (*esdb.ReadStream, error) {
		return c.ReadAll(ctx, esdb.ReadAllOptions{Direction: dir, From: from}, count)
	})
}

// readRaw runs one read to its end. A missing stream is reported by the first
// Recv, not by the read itself, and reads as empty.
func (s *Store) readRaw(ctx context.Context, what string, open func(context.Context, *esdb.Client) (*esdb.ReadStream, error)) ([]*esdb.ResolvedEvent, error) {
	var out []*esdb.ResolvedEvent
	err := s.call(ctx, func(ctx context.Context, c *esdb.Client) error {
		out = out[:0]
		rs, err := open(ctx, c)
		if err != nil {
			return err
		}
		defer rs.Close()
		for {
			ev, err := rs.Recv()
			switch {
			case errors.Is(err, io.EOF):
				return nil
			case notFound(err):
				out = out[:0]
				return nil
			case err != nil:
				return err
			}
			out = append(out, ev)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("kurrentdb: %s: %w", what, err)
	}
	return out, nil
}
