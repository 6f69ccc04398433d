package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/kurrentdb"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/policies"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/casework"
	"github.com/felles/felles/projections/merkle"
	"github.com/felles/felles/projections/organisations"
	"github.com/felles/felles/projections/rolegrants"
	"github.com/felles/felles/projections/tendering"
	"github.com/felles/felles/vault"
)

// viewsConsumer is the name the views runner subscribes and checkpoints under.
const viewsConsumer = "views"

// system is everything one Felles process runs on.
type system struct {
	store         eventstore.Store
	views         *sql.DB
	runner        *projections.Runner
	enforcer      *policies.Enforcer
	dispatcher    *app.Dispatcher
	procurements  *app.Procurements
	organisations *app.Organisations
	bids          *app.Bids
	viewsRunning  atomic.Bool // the views consumer is running (for /readyz)
	close         func()
}

// openSystem locks the data folder and wires the embedded store, the views and
// the policy enforcer.
func openSystem(ctx context.Context, dir, storeURL string, log *slog.Logger) (*system, error) {
	return openSystemAt(ctx, dir, storeURL, time.Now, log)
}

// openSystemAt is openSystem on a given clock: tests move it across deadlines.
func openSystemAt(ctx context.Context, dir, storeURL string, now func() time.Time, log *slog.Logger) (*system, error) {
	release, err := lockDataDir(dir)
	if err != nil {
		return nil, err
	}
	store, err := openStore(ctx, dir, storeURL, log)
	if err != nil {
		release()
		return nil, err
	}
	views, err := projections.OpenViews(filepath.Join(dir, "views.db"))
	if err != nil {
		store.Close()
		release()
		return nil, err
	}
	// Sealed submissions stay in this machine's vault, apart from the log
	// (also when the log is in KurrentDB).
	sealed, err := vault.Open(filepath.Join(dir, "vault"))
	if err != nil {
		views.Close()
		store.Close()
		release()
		return nil, err
	}
	closeAll := func() { sealed.Close(); views.Close(); store.Close(); release() }
	source, err := logIdentity(ctx, store, storeURL)
	if err != nil {
		closeAll()
		return nil, err
	}
	runner, err := projections.NewRunner(ctx, views, viewsConsumer, source, log, readModels()...)
	if err != nil {
		closeAll()
		return nil, err
	}
	head, err := store.Head(ctx)
	if err == nil {
		_, err = runner.ResetIfAhead(ctx, head)
	}
	if err != nil {
		closeAll()
		return nil, err
	}
	enforcer, err := policies.NewEnforcer(ctx, policies.GrantSourceFunc(func(ctx context.Context) ([]policies.Grant, error) {
		rows, err := rolegrants.All(ctx, views)
		out := make([]policies.Grant, len(rows))
		for i, g := range rows {
			out[i] = policies.Grant{User: g.User, Role: g.Role, Org: g.Org}
		}
		return out, err
	}), log)
	if err != nil {
		closeAll()
		return nil, err
	}
	// Grants committed to the views after start reach the enforcer before any
	// read-your-writes waiter is released.
	runner.OnCommitted(func(rec eventstore.Record) {
		c, ok, err := rolegrants.Decode(rec)
		if err != nil || !ok {
			return
		}
		g := policies.Grant{User: c.User, Role: c.Role, Org: c.Org}
		if c.Granted {
			err = enforcer.Grant(g)
		} else {
			err = enforcer.Revoke(g)
		}
		if err != nil {
			log.Error("policy update from role event failed", "event_id", rec.ID, "error", err)
		}
	})
	dispatcher, err := app.NewDispatcher(store, enforcer, now, log)
	if err != nil {
		closeAll()
		return nil, err
	}
	procurements := app.NewProcurements(dispatcher)
	return &system{
		store: store, views: views, runner: runner, enforcer: enforcer, dispatcher: dispatcher,
		procurements: procurements, organisations: app.NewOrganisations(dispatcher),
		bids: app.NewBids(procurements, sealed), close: closeAll,
	}, nil
}

// readModels are every view the server keeps, in the order they are applied.
func readModels() []projections.ReadModel {
	return append(caseReadModels(), merkle.ReadModel{})
}

// caseReadModels are the views the API's fields read, which time travel
// builds as of a moment (the Merkle tree is always the live one).
func caseReadModels() []projections.ReadModel {
	return []projections.ReadModel{cases.ReadModel{}, casework.ReadModel{}, organisations.ReadModel{},
		rolegrants.ReadModel{}, tendering.ReadModel{}}
}

// openStore is the one place an adapter is chosen: the embedded log in the data
// folder, or KurrentDB when a connection string names one.
func openStore(ctx context.Context, dir, storeURL string, log *slog.Logger) (eventstore.Store, error) {
	if storeURL == "" {
		return sqlite.Open(filepath.Join(dir, "events.db"))
	}
	return kurrentdb.Open(ctx, storeURL, kurrentdb.WithLogger(log))
}

// logIdentity names the log the views are fed from: the kind of store and the
// log's first event. Pointing a data folder at another log (after a migration,
// or at another cluster) then rebuilds the views instead of trusting a
// checkpoint from elsewhere.
func logIdentity(ctx context.Context, store eventstore.Store, storeURL string) (string, error) {
	kind := "embedded"
	if storeURL != "" {
		kind = "kurrentdb"
	}
	first, err := store.ReadAll(ctx, eventstore.Position{}, 1)
	if err != nil {
		return "", fmt.Errorf("read the log's first event: %w", err)
	}
	if len(first) == 0 {
		return kind + ":empty", nil
	}
	return kind + ":" + first[0].ID, nil
}

func (s *system) String() string {
	return fmt.Sprintf("felles system (views at %v)", s.runner.Position())
}
