package graphql

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/organisations"
)

// Time travel: procurement(id, asOf) and procurement(id, atRevision) answer
// with the same fields as the live view, as they were after that event of the
// case's stream. The views of that moment are built in memory from the log
// (the organisations' streams, then the case's stream up to the cut, in log
// order) by the same read models the server runs, and every field that reads
// the case as the domain folds it folds only up to the cut; "now" is the time
// the cut event happened (its occurred-at). Who may look is decided on the live case: a
// case you see today, as it was. Sealed content and mutations are not
// reached through a historic case; the history field still lists the whole
// stream.

// historicCut is where a historic case stops.
type historicCut struct {
	revision uint64
	at       time.Time // when the cut event happened (its occurred-at, the clock commands are decided on)
}

// state is the case as the domain folds it: up to the cut when there is one.
func (p procurementResolver) state(ctx context.Context) (procurement.State, error) {
	if p.at != nil {
		return p.r.Cases.StateAt(ctx, p.s.ID, p.at.revision)
	}
	return p.r.Cases.State(ctx, p.s.ID)
}

// now is the moment the case is shown at.
func (p procurementResolver) now() time.Time {
	if p.at != nil {
		return p.at.at
	}
	return p.r.Dispatcher.Now()
}

// historicViews is a views database built for one moment.
type historicViews struct{ db *sql.DB }

func (h historicViews) DB() *sql.DB                                        { return h.db }
func (h historicViews) WaitFor(context.Context, eventstore.Position) error { return nil }

// asOfCache keeps the last few built views: graphql-go has no end-of-request
// hook to close them by, and one request resolves many fields on the same one.
type asOfCache struct {
	mu      sync.Mutex
	entries []asOfEntry // most recent last
}

type asOfEntry struct {
	key string
	db  *sql.DB
}

const asOfCacheSize = 8

func (c *asOfCache) get(key string) (*sql.DB, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e.db, true
		}
	}
	return nil, false
}

// put keeps db, closing the least recently used beyond the size. A closed
// database that a request still reads answers an error to that request.
func (c *asOfCache) put(key string, db *sql.DB) *sql.DB {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.key == key { // built twice at once: keep the first
			db.Close()
			return e.db
		}
	}
	c.entries = append(c.entries, asOfEntry{key, db})
	for len(c.entries) > asOfCacheSize {
		c.entries[0].db.Close()
		c.entries = c.entries[1:]
	}
	return db
}

// historicCase is the case id as it was at the cut named by asOf or atRevision.
func (r *resolver) historicCase(ctx context.Context, p app.Principal, id string, asOf *DateTime, atRevision *int32) (*procurementResolver, error) {
	if asOf != nil && atRevision != nil {
		return nil, badInput("as_of.both", "give asOf or atRevision, not both")
	}
	if r.ReadModels == nil {
		return nil, &apiError{code: CodeInternal, reason: "as_of.not_configured", message: "time travel is not configured on this server"}
	}
	live, err := r.visibleCase(ctx, p, id)
	if err != nil || live == nil {
		return nil, err
	}
	recs, err := r.Cases.CaseRecords(ctx, id)
	if err != nil {
		return nil, toAPI(err)
	}
	cut := -1
	switch {
	case atRevision != nil:
		if *atRevision < 0 || int(*atRevision) >= len(recs) {
			return nil, badInput("at_revision.out_of_range", fmt.Sprintf("the case has revisions 0 to %d, not %d", len(recs)-1, *atRevision))
		}
		cut = int(*atRevision)
	default:
		for i, rec := range recs {
			if !rec.RecordedAt.After(asOf.Time) {
				cut = i
			}
		}
		if cut < 0 {
			return nil, nil // the case did not exist yet
		}
	}
	key := fmt.Sprintf("%s@%d", id, cut)
	db, ok := r.asOf.get(key)
	if !ok {
		if db, err = r.buildAsOf(ctx, recs[:cut+1]); err != nil {
			return nil, toAPI(err)
		}
		db = r.asOf.put(key, db)
	}
	hist := &resolver{Deps: r.Deps, asOf: r.asOf}
	hist.Views = historicViews{db}
	s, err := cases.Get(ctx, db, id)
	if err != nil || s == nil {
		return nil, toAPI(err)
	}
	return &procurementResolver{r: hist, s: *s, at: &historicCut{revision: uint64(cut), at: recs[cut].Metadata.OccurredAt}}, nil
}

// buildAsOf projects the organisations' streams and the case's records into
// an in-memory views database, in log order.
func (r *resolver) buildAsOf(ctx context.Context, caseRecs []eventstore.Record) (*sql.DB, error) {
	orgs, err := organisations.All(ctx, r.db())
	if err != nil {
		return nil, err
	}
	recs := append([]eventstore.Record(nil), caseRecs...)
	for _, o := range orgs {
		more, err := r.Dispatcher.StreamRecords(ctx, "organisation-"+o.ID)
		if err != nil {
			return nil, err
		}
		recs = append(recs, more...)
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Position.Less(recs[j].Position) })
	return projections.BuildInMemory(ctx, r.ReadModels(), recs)
}
