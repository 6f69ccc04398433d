package app_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

const (
	benchWriters        = 64
	benchWindow         = 5 * time.Second // of 64 writers per iteration
	benchMunicipalities = 64
	benchHotActive      = 4   // shared cases receiving invitations at the same time
	benchHotCases       = 512 // pre-created; room for benchHotCases × benchMunicipalities invitations
)

// BenchmarkDispatch64Writers appends through the whole command path (authorize,
// load, decide, append with the expected revision, retry on conflict) from 64
// goroutines into the embedded SQLite store, and compares the event rate with
// the fsync rate of the same disk measured in the same run.
//
// Each worker repeats a cycle of 8 commands: 6 CreateCase (a new stream each),
// 1 InviteMunicipality into its own newest case and 1 InviteMunicipality into
// one of a few shared cases, where concurrent invitations conflict and retry.
// Every command appends exactly one event.
//
//	go test ./app/ -run '^$' -bench Dispatch64Writers -benchtime=1x -count=3
func BenchmarkDispatch64Writers(b *testing.B) {
	// own_cases is the workload DOMAIN.md describes (one case per stream, low
	// contention); contended adds the worst case of 64 writers inviting into
	// four shared cases at once.
	b.Run("own_cases", func(b *testing.B) { benchDispatch(b, false) })
	b.Run("contended", func(b *testing.B) { benchDispatch(b, true) })
}

func benchDispatch(b *testing.B, contended bool) {
	ctx := context.Background()
	dir := b.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	counted := &benchCountingStore{Store: store}
	d, err := app.NewDispatcher(counted, benchAllowAll{}, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	w := &benchWorkload{orgs: app.NewOrganisations(d), cases: app.NewProcurements(d),
		hub: app.Principal{User: "hub-coordinator", Org: "hub"}, contended: contended}
	w.setup(b, ctx)

	fsyncBefore := benchFsyncRate(b, dir, time.Second)
	single := benchAppendRate(b, dir, 1, 1500*time.Millisecond)
	direct := benchAppendRate(b, dir, benchWriters, 2*time.Second)

	var (
		latencies []time.Duration // every command
		hotLat    []time.Duration // invitations into a shared case
		events    uint64
		elapsed   time.Duration
		failures  benchFailures
	)
	counted.reset()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before, _ := store.Head(ctx)
		start := time.Now()
		lat, hot := w.run(b, ctx, i, &failures)
		elapsed += time.Since(start)
		after, _ := store.Head(ctx)
		events += after.Commit - before.Commit
		latencies = append(latencies, lat...)
		hotLat = append(hotLat, hot...)
	}
	b.StopTimer()
	fsyncAfter := benchFsyncRate(b, dir, time.Second)

	fsync := (fsyncBefore + fsyncAfter) / 2
	rate := float64(events) / elapsed.Seconds()
	slices.Sort(latencies)
	slices.Sort(hotLat)
	b.ReportMetric(0, "ns/op") // an iteration is a fixed window: its duration says nothing
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(benchPercentile(latencies, 0.50), "p50_ms")
	b.ReportMetric(benchPercentile(latencies, 0.99), "p99_ms")
	b.ReportMetric(fsync, "fsync/s")
	b.ReportMetric(rate/fsync, "ratio")
	b.ReportMetric(single, "1writer_events/s")
	b.ReportMetric(direct, "append64_events/s")
	b.ReportMetric(float64(counted.conflicts.Load()), "conflicts")
	b.ReportMetric(float64(failures.contention.Load()), "contention_errs")
	b.Logf("%d commands, %d events in %v; fsync/s %.0f before, %.0f after; %d appends, %d conflicts, %d gave up (ErrContention); "+
		"%d shared-case invitations: p50 %.1f ms, p99 %.1f ms",
		len(latencies), events, elapsed.Round(time.Millisecond), fsyncBefore, fsyncAfter,
		counted.appends.Load(), counted.conflicts.Load(), failures.contention.Load(),
		len(hotLat), benchPercentile(hotLat, 0.50), benchPercentile(hotLat, 0.99))
}

// benchAllowAll allows everything: the policy's cost is benchmarked in policies/.
type benchAllowAll struct{}

func (benchAllowAll) Allowed(_, _, _, _ string) bool { return true }

// benchCountingStore counts appends and the conflicts Dispatch retries.
type benchCountingStore struct {
	eventstore.Store
	appends, conflicts atomic.Int64
}

func (s *benchCountingStore) Append(ctx context.Context, stream string, e eventstore.Expected, evs []eventstore.EventData) (eventstore.AppendResult, error) {
	s.appends.Add(1)
	res, err := s.Store.Append(ctx, stream, e, evs)
	if errors.Is(err, eventstore.ErrWrongRevision) {
		s.conflicts.Add(1)
	}
	return res, err
}

func (s *benchCountingStore) reset() { s.appends.Store(0); s.conflicts.Store(0) }

type benchFailures struct{ contention atomic.Int64 }

type benchWorkload struct {
	orgs      *app.Organisations
	cases     *app.Procurements
	hub       app.Principal
	hot       []string      // shared cases, invited into benchHotActive at a time
	contended bool          // every 8th command invites into a shared case
	next      atomic.Int64  // the next invitation into a shared case
	munis     []string      // registered municipalities
	seq       atomic.Uint64 // makes command IDs unique across iterations
}

// setup registers the hub and the municipalities and opens the shared cases.
func (w *benchWorkload) setup(b *testing.B, ctx context.Context) {
	b.Helper()
	reg := []app.RegisterInput{{ID: "hub", Kind: organisation.KindHub, Name: "Innkjøpssamarbeid", OrgNumber: "999000001"}}
	for i := range benchMunicipalities {
		id := fmt.Sprintf("kommune-%02d", i)
		w.munis = append(w.munis, id)
		reg = append(reg, app.RegisterInput{ID: id, Kind: organisation.KindMunicipality, Name: "Kommune " + id,
			OrgNumber: fmt.Sprintf("9640%05d", i)})
	}
	for _, in := range reg {
		if _, err := w.orgs.Register(ctx, app.System, app.CommandMeta{}, in); err != nil {
			b.Fatal(err)
		}
	}
	w.hot = make([]string, benchHotCases)
	var wg sync.WaitGroup
	errs := make(chan error, benchWriters)
	for g := range benchWriters {
		wg.Go(func() {
			for i := g; i < benchHotCases; i += benchWriters {
				id, _, err := w.cases.Create(ctx, w.hub, app.CommandMeta{CommandID: fmt.Sprintf("hot-%d", i)}, benchCase("Delt sak"))
				if err != nil {
					errs <- err
					return
				}
				w.hot[i] = id
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// run lets benchWriters goroutines dispatch commands for benchWindow and
// returns the ack latency of every command and, separately, of the invitations
// into shared cases.
func (w *benchWorkload) run(b *testing.B, ctx context.Context, iteration int, failures *benchFailures) (all, shared []time.Duration) {
	deadline := time.Now().Add(benchWindow)
	per := make([][]time.Duration, benchWriters)
	perHot := make([][]time.Duration, benchWriters)
	var wg sync.WaitGroup
	for g := range benchWriters {
		wg.Go(func() {
			lat, hotLat := make([]time.Duration, 0, 4096), []time.Duration(nil)
			own := ""
			for i := 0; time.Now().Before(deadline); i++ {
				meta := app.CommandMeta{CommandID: fmt.Sprintf("w%d-%d-%d", g, iteration, w.seq.Add(1))}
				hotCase, hotOrg, hot := "", "", false
				if i%8 == 7 && w.contended {
					hotCase, hotOrg, hot = w.hotTarget()
				}
				start := time.Now()
				var err error
				switch {
				case hot:
					_, err = w.cases.Invite(ctx, w.hub, meta, hotCase, hotOrg)
				case i%8 == 3 && own != "":
					_, err = w.cases.Invite(ctx, w.hub, meta, own, w.munis[g%benchMunicipalities])
				default:
					own, _, err = w.cases.Create(ctx, w.hub, meta, benchCase("Egen sak"))
				}
				lat = append(lat, time.Since(start))
				if hot {
					hotLat = append(hotLat, lat[len(lat)-1])
				}
				if errors.Is(err, app.ErrContention) {
					failures.contention.Add(1)
				} else if err != nil {
					b.Error(err)
					break
				}
			}
			per[g], perHot[g] = lat, hotLat
		})
	}
	wg.Wait()
	return slices.Concat(per...), slices.Concat(perHot...)
}

// hotTarget picks the next invitation into a shared case: benchHotActive cases
// take turns, each invitation names a municipality not yet invited there. It
// reports false once every shared case has invited every municipality.
func (w *benchWorkload) hotTarget() (caseID, org string, ok bool) {
	k := int(w.next.Add(1) - 1)
	round := k / (benchHotActive * benchMunicipalities)
	c := benchHotActive*round + k%benchHotActive
	if c >= len(w.hot) {
		return "", "", false
	}
	return w.hot[c], w.munis[(k/benchHotActive)%benchMunicipalities], true
}

func benchCase(title string) app.CreateInput {
	return app.CreateInput{Title: title, Description: "Rammeavtale for velferdsteknologi",
		Jurisdiction: procurement.JurisdictionNO, CPV: []string{"33196200"}}
}

// benchPercentile is the nearest-rank percentile of sorted latencies, in ms.
func benchPercentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return float64(sorted[max(i, 0)]) / float64(time.Millisecond)
}
