package messaging_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/messaging"
)

type noCases struct{}

func (noCases) StateAt(context.Context, string, uint64) (procurement.State, error) {
	return procurement.State{}, fmt.Errorf("no cases here")
}

// forwarding is a forwarder over an embedded log, to a real NATS.
type forwarding struct {
	store  *sqlite.Store
	cp     *messaging.FileCheckpoint
	prefix string
	url    string
	stop   func()
}

func natsOrSkip(b testing.TB) string {
	url := os.Getenv("FELLES_NATS_URL")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "nats://"), time.Second)
	if err != nil {
		b.Skipf("SKIPPED: no NATS server at %s (%v)", url, err)
	}
	c.Close()
	return url
}

func startForwarding(b testing.TB, before int) *forwarding {
	url := natsOrSkip(b)
	dir := b.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		b.Fatal(err)
	}
	rnd := make([]byte, 4)
	rand.Read(rnd)
	f := &forwarding{store: store, prefix: "b" + hex.EncodeToString(rnd), url: url}
	f.appendBatch(b, before, 0)
	log := watermill.NopLogger{}
	broker, err := messaging.ConnectNATS(url, f.prefix, time.Minute, log)
	if err != nil {
		b.Fatal(err)
	}
	f.cp, err = messaging.NewFileCheckpoint(filepath.Join(dir, "forwarder.checkpoint"))
	if err != nil {
		b.Fatal(err)
	}
	fwd, err := messaging.NewForwarder(f.prefix, broker.Publisher(), broker, noCases{}, f.cp, log)
	if err != nil {
		b.Fatal(err)
	}
	sub, err := messaging.NewSubscriber(store, f.cp, log)
	if err != nil {
		b.Fatal(err)
	}
	router, err := message.NewRouter(message.RouterConfig{}, log)
	if err != nil {
		b.Fatal(err)
	}
	router.AddConsumerHandler("forwarder", "forwarder", sub, fwd.Handle)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); router.Run(ctx) }()
	<-router.Running()
	f.stop = func() {
		cancel()
		<-done
		broker.Close()
		nc, err := nats.Connect(url)
		if err == nil {
			js, _ := nc.JetStream()
			js.DeleteStream(messaging.StreamName(f.prefix, "bench"))
			nc.Close()
		}
		store.Close()
	}
	return f
}

// appendEvents writes n events of organisation "bench" (one recipient each).
func (f *forwarding) appendEvents(b testing.TB, n int, from int) {
	for i := range n {
		id := fmt.Sprintf("0193e1a4-7c2b-7d3e-9f00-%012d", from+i)
		_, err := f.store.Append(context.Background(), "organisation-bench", eventstore.Any, []eventstore.EventData{{
			ID: id, Type: "Noted", SchemaVersion: 1, Data: json.RawMessage(`{}`),
			Metadata: eventstore.Metadata{User: "u", Org: "bench", CommandID: id, CorrelationID: "c", OccurredAt: time.Now()}}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func (f *forwarding) waitCaughtUp(b testing.TB) {
	head, _ := f.store.Head(context.Background())
	for {
		at, _ := f.cp.Checkpoint(context.Background(), "")
		if at == head {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// appendBatch writes n events in appends of 100 (fast to set up a backlog).
func (f *forwarding) appendBatch(b testing.TB, n, from int) {
	for done := 0; done < n; {
		var batch []eventstore.EventData
		for ; done < n && len(batch) < 100; done++ {
			id := fmt.Sprintf("0193e1a4-7c2b-7d3e-9f00-%012d", from+done)
			batch = append(batch, eventstore.EventData{ID: id, Type: "Noted", SchemaVersion: 1, Data: json.RawMessage(`{}`),
				Metadata: eventstore.Metadata{User: "u", Org: "bench", CommandID: id, CorrelationID: "c", OccurredAt: time.Now()}})
		}
		if _, err := f.store.Append(context.Background(), "organisation-bench", eventstore.Any, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForwarderThroughput: a backlog of 20,000 events of the log
// published to JetStream (one recipient each, each publish acknowledged
// before the next) per second, from the forwarder's start; the limit beside
// it is plain acknowledged JetStream publishes of the same payloads, one at a
// time, measured in the same run.
func BenchmarkForwarderThroughput(b *testing.B) {
	const n = 20000
	var rate, limit float64
	for range b.N {
		b.StopTimer()
		f := startForwarding(b, n) // the forwarder starts reading at once
		b.StartTimer()
		began := time.Now()
		f.waitCaughtUp(b)
		rate = float64(n) / time.Since(began).Seconds()
		b.StopTimer()
		limit = rawPublishRate(b, f.url, f.prefix, n)
		f.stop()
	}
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(limit, "raw-publish/s")
	b.ReportMetric(rate/limit, "ratio")
}

// rawPublishRate publishes n contract-sized messages with acknowledgement.
func rawPublishRate(b *testing.B, url, prefix string, n int) float64 {
	nc, err := nats.Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, _ := nc.JetStream()
	name := messaging.StreamName(prefix, "raw")
	if _, err := js.AddStream(&nats.StreamConfig{Name: name, Subjects: []string{prefix + ".raw.>"}}); err != nil {
		b.Fatal(err)
	}
	defer js.DeleteStream(name)
	payload := make([]byte, 420)
	start := time.Now()
	for i := range n {
		if _, err := js.Publish(prefix+".raw.x", payload, nats.MsgId(fmt.Sprint(i))); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkForwarderLagAt1000PerSecond: the time from an event's commit to its
// arrival at a NATS subscriber of the organisation's subjects, while the log
// grows by 1,000 events a second for 5 s.
func BenchmarkForwarderLagAt1000PerSecond(b *testing.B) {
	f := startForwarding(b, 0)
	defer f.stop()
	f.appendEvents(b, 1, 0) // creates the stream
	f.waitCaughtUp(b)
	nc, err := nats.Connect(f.url)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	lags := make(chan time.Duration, 100000)
	sub, err := nc.Subscribe(f.prefix+".v1.bench.>", func(m *nats.Msg) {
		var ev messaging.IntegrationEvent
		if json.Unmarshal(m.Data, &ev) == nil {
			lags <- time.Since(ev.OccurredAt)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Unsubscribe()
	b.ResetTimer()
	for i := range b.N {
		tick := time.NewTicker(time.Millisecond)
		for j := range 5000 {
			<-tick.C
			f.appendEvents(b, 1, 1+i*5000+j)
		}
		tick.Stop()
	}
	f.waitCaughtUp(b)
	time.Sleep(100 * time.Millisecond)
	b.StopTimer()
	close(lags)
	var all []time.Duration
	for l := range lags {
		all = append(all, l)
	}
	if len(all) == 0 {
		b.Fatal("no event arrived")
	}
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/float64(b.N), "events/run")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
}
