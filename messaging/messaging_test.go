package messaging_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/messaging"
)

type fixedCheckpoint eventstore.Position

func (f fixedCheckpoint) Checkpoint(context.Context, string) (eventstore.Position, error) {
	return eventstore.Position(f), nil
}

func TestAMessageCarriesTheWholeEnvelope(t *testing.T) {
	rec := eventstore.Record{
		ID: "0193a5f0-7c1e-7000-8000-000000000001", Stream: "procurement-x", Revision: 4,
		Position: eventstore.Position{Commit: 900, Prepare: 899}, Type: "MunicipalityJoined", SchemaVersion: 2,
		Data: json.RawMessage(`{"org":"bergen"}`),
		Metadata: eventstore.Metadata{User: "u", Org: "bergen", CommandID: "c", CommandHash: "h", CorrelationID: "corr", CausationID: "cause",
			OccurredAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)},
		RecordedAt: time.Date(2026, 1, 2, 3, 4, 6, 7, time.UTC), PrevHash: "ab", Hash: "cd",
	}
	got, err := messaging.FromMessage(messaging.ToMessage(rec))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, rec)
	}
}

func TestTheSubscriberDeliversInOrderAndRedeliversANack(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 1; i <= 6; i++ {
		s.Append(context.Background(), "s-1", eventstore.Any, []eventstore.EventData{{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Type: "E", SchemaVersion: 1, Data: json.RawMessage(`{}`)}})
	}
	sub, err := messaging.NewSubscriber(s, fixedCheckpoint(eventstore.Seq(2)), watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := sub.Subscribe(ctx, "views")
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	nacked := false
	for len(seen) < 4 {
		m := <-msgs
		pos := m.Metadata.Get("position")
		if pos == "4" && !nacked {
			nacked = true
			m.Nack()
			continue
		}
		seen = append(seen, pos)
		m.Ack()
	}
	if fmt.Sprint(seen) != "[3 4 5 6]" {
		t.Fatalf("want positions 3..6 in order with 4 redelivered, got %v", seen)
	}
}

// flakyStore's first subscription fails after two events.
type flakyStore struct {
	eventstore.Store
	failed bool
}

type flakySub struct {
	eventstore.Subscription
	n    int
	fail bool
}

func (f *flakySub) Next(ctx context.Context) (eventstore.Record, error) {
	if f.fail && f.n == 2 {
		return eventstore.Record{}, fmt.Errorf("connection reset")
	}
	f.n++
	return f.Subscription.Next(ctx)
}

func (f *flakyStore) Subscribe(ctx context.Context, after eventstore.Position) (eventstore.Subscription, error) {
	sub, err := f.Store.Subscribe(ctx, after)
	fail := !f.failed
	f.failed = true
	return &flakySub{Subscription: sub, fail: fail}, err
}

func TestTheSubscriberSubscribesAgainAfterAFailure(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 1; i <= 5; i++ {
		s.Append(context.Background(), "s-1", eventstore.Any, []eventstore.EventData{{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Type: "E", SchemaVersion: 1, Data: json.RawMessage(`{}`)}})
	}
	sub, _ := messaging.NewSubscriber(&flakyStore{Store: s}, fixedCheckpoint(eventstore.Position{}), watermill.NopLogger{})
	defer sub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, _ := sub.Subscribe(ctx, "views")
	var seen []string
	for len(seen) < 5 {
		select {
		case m := <-msgs:
			seen = append(seen, m.Metadata.Get("position"))
			m.Ack()
		case <-ctx.Done():
			t.Fatalf("the consumer stopped after %v", seen)
		}
	}
	if fmt.Sprint(seen) != "[1 2 3 4 5]" {
		t.Fatalf("want every event once, in order, across the failure: %v", seen)
	}
}
