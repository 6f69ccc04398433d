package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
)

// deterministicUUID shapes a SHA-256 into a version-8 UUID string.
func deterministicUUID(s string) string {
	h := sha256.Sum256([]byte(s))
	h[6] = (h[6] & 0x0f) | 0x80
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// concurrentWriters runs many writers at once, each on its own stream and all
// on one shared stream (retrying conflicts as Dispatch does), while a subscriber
// follows the log live. The log must come out complete, in one global order that
// every reader agrees on, and per stream in revision order.
func concurrentWriters(t *testing.T, s eventstore.Store, o Options) {
	const perWriter = 12
	shared := "procurement-shared"
	total := o.Writers * perWriter

	subCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	sub, err := s.Subscribe(subCtx, eventstore.Position{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	live := make(chan []eventstore.Record, 1)
	go func() {
		var got []eventstore.Record
		for len(got) < total {
			r, err := sub.Next(subCtx)
			if err != nil {
				break
			}
			got = append(got, r)
		}
		live <- got
	}()

	var wg sync.WaitGroup
	errs := make(chan error, o.Writers)
	for w := 0; w < o.Writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			own := fmt.Sprintf("procurement-writer-%d", w)
			expected := eventstore.NoStream
			for i := 0; i < perWriter; i++ {
				if i%3 == 2 {
					if err := appendShared(s, shared, fmt.Sprintf("w%d-%d", w, i)); err != nil {
						errs <- err
						return
					}
					continue
				}
				res, err := s.Append(ctx, own, expected, []eventstore.EventData{ev(own, i, "Written")})
				if err != nil {
					errs <- fmt.Errorf("writer %d append %d: %w", w, i, err)
					return
				}
				expected = eventstore.At(res.Revision)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	all := readAll(t, s)
	if len(all) != total {
		t.Fatalf("want %d events in the log, got %d", total, len(all))
	}
	seen := map[string]bool{}
	nextRev := map[string]uint64{}
	for i, r := range all {
		if seen[r.ID] {
			t.Fatalf("event %s stored twice", r.ID)
		}
		seen[r.ID] = true
		if i > 0 && !all[i-1].Position.Less(r.Position) {
			t.Fatalf("global order broken at %d", i)
		}
		if o.Gapless && r.Position != eventstore.Seq(uint64(i+1)) {
			t.Fatalf("gap in the log: event %d at %v", i, r.Position)
		}
		if r.Revision != nextRev[r.Stream] {
			t.Fatalf("%s: revision %d appears where %d was due: the log is not commit-ordered", r.Stream, r.Revision, nextRev[r.Stream])
		}
		nextRev[r.Stream]++
	}
	if n := nextRev[shared]; n != uint64(o.Writers*(perWriter/3)) {
		t.Fatalf("shared stream: want %d events, got %d", o.Writers*(perWriter/3), n)
	}
	got := <-live
	if len(got) != total {
		t.Fatalf("live subscriber saw %d of %d events", len(got), total)
	}
	for i := range got {
		if got[i].ID != all[i].ID || got[i].Position != all[i].Position {
			t.Fatalf("live subscriber order differs from the log at %d: %v vs %v", i, got[i].Position, all[i].Position)
		}
	}
}

// appendShared appends one event to a contended stream, re-reading the head and
// retrying on conflict like a command dispatcher does.
func appendShared(s eventstore.Store, stream, key string) error {
	e := ev(stream, 0, "Shared")
	e.ID = deterministicUUID(key + fmt.Sprint(runNonce))
	for attempt := 0; attempt < 1000; attempt++ {
		recs, err := s.ReadStream(ctx, stream, 0, 0)
		if err != nil {
			return err
		}
		expected := eventstore.NoStream
		if len(recs) > 0 {
			expected = eventstore.At(recs[len(recs)-1].Revision)
		}
		_, err = s.Append(ctx, stream, expected, []eventstore.EventData{e})
		if errors.Is(err, eventstore.ErrWrongRevision) {
			continue
		}
		return err
	}
	return fmt.Errorf("shared append %s: too many conflicts", key)
}

func collect(t *testing.T, sub eventstore.Subscription, n int) []eventstore.Record {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var out []eventstore.Record
	for len(out) < n {
		r, err := sub.Next(c)
		if err != nil {
			t.Fatalf("subscription after %d of %d events: %v", len(out), n, err)
		}
		out = append(out, r)
	}
	return out
}

func subscribeHistoryThenLive(t *testing.T, s eventstore.Store, _ Options) {
	appendN(t, s, "procurement-sub", 0, 3, eventstore.NoStream)
	sub, err := s.Subscribe(ctx, eventstore.Position{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	history := collect(t, sub, 3)
	go func() {
		time.Sleep(50 * time.Millisecond)
		appendN(t, s, "procurement-sub", 3, 2, eventstore.At(2))
	}()
	liveEvents := collect(t, sub, 2)
	for i, r := range append(history, liveEvents...) {
		if r.Revision != uint64(i) {
			t.Fatalf("event %d has revision %d", i, r.Revision)
		}
	}
	c, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if r, err := sub.Next(c); err == nil {
		t.Fatalf("no more events were appended, got %+v", r)
	}
}

func subscribeFromPosition(t *testing.T, s eventstore.Store, _ Options) {
	appendN(t, s, "procurement-from", 0, 5, eventstore.NoStream)
	recs := readStream(t, s, "procurement-from")
	sub, err := s.Subscribe(ctx, recs[1].Position)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	got := collect(t, sub, 3)
	if got[0].ID != recs[2].ID || got[2].ID != recs[4].ID {
		t.Fatalf("subscription from %v must start at revision 2: got revision %d", recs[1].Position, got[0].Revision)
	}
	appendN(t, s, "procurement-from", 5, 1, eventstore.At(4))
	if r := collect(t, sub, 1)[0]; r.Revision != 5 {
		t.Fatalf("live event: want revision 5, got %d", r.Revision)
	}
}

func hashChain(t *testing.T, s eventstore.Store, _ Options) {
	stream := "procurement-chain"
	appendN(t, s, stream, 0, 3, eventstore.NoStream)
	appendN(t, s, stream, 3, 2, eventstore.At(2))
	recs := readStream(t, s, stream)
	if err := eventstore.VerifyChain(recs); err != nil {
		t.Fatalf("chain of a clean stream: %v", err)
	}
	if recs[0].PrevHash != "" {
		t.Fatalf("first event must have an empty previous hash")
	}
	tampered := append([]eventstore.Record{}, recs...)
	tampered[2].Data = []byte(`{"n":999}`)
	if err := eventstore.VerifyChain(tampered); err == nil {
		t.Fatal("a changed payload must break the chain")
	}
	tampered = append([]eventstore.Record{}, recs...)
	tampered[3].Metadata.User = "mallory"
	if err := eventstore.VerifyChain(tampered); err == nil {
		t.Fatal("changed metadata must break the chain")
	}
	dropped := append(append([]eventstore.Record{}, recs[:2]...), recs[3:]...)
	if err := eventstore.VerifyChain(dropped); err == nil {
		t.Fatal("a deleted event must break the chain")
	}
}
