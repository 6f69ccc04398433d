package kurrentdb_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/felles/felles/eventstore"
	"github.com/google/uuid"
)

// Run with:
//
//	go test -run '^$' -bench . -benchtime 5s ./eventstore/kurrentdb/
//
// Both benchmarks talk to the gRPC double over loopback, so they measure the
// adapter and the client, not a node's disk. The raw-client figure is the
// ceiling the adapter is compared with in the same run: an append with the
// esdb client alone, without event-ID claims, hash chain or envelope.

const inFlight = 16

// BenchmarkAppend: one-event appends, 16 in flight, each writer on its own
// stream chaining expected revisions, as command dispatch does.
func BenchmarkAppend(b *testing.B) {
	srv := startServer(b)

	b.Run("adapter_16_in_flight", func(b *testing.B) {
		s := open(b, srv.ConnString())
		run := fmt.Sprint(time.Now().UnixNano())
		perWriter(b, func(w int) func() error {
			stream := fmt.Sprintf("procurement-bench-%s-%d", run, w)
			expected, i := eventstore.NoStream, 0
			return func() error {
				res, err := s.Append(context.Background(), stream, expected, []eventstore.EventData{event(stream, i)})
				expected, i = eventstore.At(res.Revision), i+1
				return err
			}
		})
	})

	b.Run("raw_client_16_in_flight", func(b *testing.B) {
		cfg, err := esdb.ParseConnectionString(srv.ConnString())
		if err != nil {
			b.Fatal(err)
		}
		cfg.Logger = esdb.NoopLogging()
		c, err := esdb.NewClient(cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		run := fmt.Sprint(time.Now().UnixNano())
		perWriter(b, func(w int) func() error {
			stream := fmt.Sprintf("raw-bench-%s-%d", run, w)
			var expected esdb.ExpectedRevision = esdb.NoStream{}
			return func() error {
				wr, err := c.AppendToStream(context.Background(), stream, esdb.AppendToStreamOptions{ExpectedRevision: expected},
					esdb.EventData{EventID: uuid.New(), EventType: "Happened", ContentType: esdb.ContentTypeJson, Data: []byte(`{"n":1}`)})
				if err == nil {
					expected = esdb.Revision(wr.NextExpectedVersion)
				}
				return err
			}
		})
	})
}

// perWriter runs b.N operations spread over inFlight writers and reports them
// per second.
func perWriter(b *testing.B, writer func(w int) func() error) {
	var left atomic.Int64
	left.Store(int64(b.N))
	ops := make([]func() error, inFlight)
	for w := range ops {
		ops[w] = writer(w)
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, inFlight)
	for _, op := range ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := op(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
}

// BenchmarkCatchUp: a subscription from the start of a log of 20,000 events,
// read to its end; what a projection rebuild costs.
func BenchmarkCatchUp(b *testing.B) {
	const total, batch = 20_000, 100
	srv := startServer(b)
	s := open(b, srv.ConnString())
	ctx := context.Background()
	for n := 0; n < total/batch; n++ {
		stream := fmt.Sprintf("procurement-catchup-%d", n)
		evs := make([]eventstore.EventData, batch)
		for i := range evs {
			evs[i] = event(stream, i)
		}
		if _, err := s.Append(ctx, stream, eventstore.NoStream, evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		sub, err := s.Subscribe(ctx, eventstore.Position{})
		if err != nil {
			b.Fatal(err)
		}
		var last eventstore.Position
		for n := 0; n < total; n++ {
			r, err := sub.Next(ctx)
			if err != nil {
				b.Fatalf("after %d events: %v", n, err)
			}
			if !last.Less(r.Position) {
				b.Fatalf("out of order at %d", n)
			}
			last = r.Position
		}
		sub.Close()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(total*b.N)/elapsed.Seconds(), "events/s")
}
