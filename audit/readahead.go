package audit

import (
	"context"
	"fmt"
	"runtime"

	"github.com/felles/felles/eventstore"
)

// page is a run of the log with every event's hash recomputed.
type page struct {
	recs     []eventstore.Record
	hashes   []string
	hashErrs []error
	err      error
}

// verifyPage is how many events a reader takes at a time.
const verifyPage = 4096

// readAhead reads the log in order into pages, recomputing every hash on the
// reading goroutines: reading and hashing are most of a verification's work
// and, unlike the chain and the tree, need no order. A gapless log is read by
// one goroutine per CPU, each taking every n-th page by position; any other by
// one goroutine, still ahead of the checker. The channel closes after the last
// page, after an error, or when ctx ends.
func readAhead(ctx context.Context, store eventstore.Store, gapless bool) <-chan page {
	out := make(chan page)
	readers := 1
	if gapless {
		readers = max(1, min(runtime.GOMAXPROCS(0), 4))
	}
	slots := make(chan chan page, 2*readers) // pages in log order, each filled by its reader
	go func() {
		defer close(out)
		for s := range slots {
			select {
			case p := <-s:
				select {
				case out <- p:
				case <-ctx.Done():
					return
				}
				if p.err != nil || len(p.recs) < verifyPage {
					return // the end of the log, or an error
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	if !gapless {
		go func() {
			defer close(slots)
			after := eventstore.Position{}
			for {
				s := make(chan page, 1)
				select {
				case slots <- s:
				case <-ctx.Done():
					return
				}
				p := readVerifyPage(ctx, store, after)
				s <- p
				if p.err != nil || len(p.recs) < verifyPage {
					return
				}
				after = p.recs[len(p.recs)-1].Position
			}
		}()
		return out
	}
	type job struct {
		after eventstore.Position
		slot  chan page
	}
	jobs := make(chan job)
	for range readers {
		go func() {
			for j := range jobs {
				j.slot <- readVerifyPage(ctx, store, j.after)
			}
		}()
	}
	go func() {
		defer close(slots)
		defer close(jobs)
		for k := uint64(0); ; k++ {
			s := make(chan page, 1)
			select {
			case slots <- s:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{eventstore.Seq(k * verifyPage), s}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func readVerifyPage(ctx context.Context, store eventstore.Store, after eventstore.Position) page {
	recs, err := store.ReadAll(ctx, after, verifyPage)
	if err != nil {
		return page{err: fmt.Errorf("audit: read the log after %s: %w", after, err)}
	}
	p := page{recs: recs, hashes: make([]string, len(recs)), hashErrs: make([]error, len(recs))}
	for i, rec := range recs {
		p.hashes[i], p.hashErrs[i] = eventstore.HashOf(rec)
	}
	return p
}
