package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/policies"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/organisations"
	"github.com/felles/felles/projections/rolegrants"
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
	close         func()
}

// openSystem locks the data folder and wires the embedded store, the views and
// the policy enforcer.
func openSystem(ctx context.Context, dir string, log *slog.Logger) (*system, error) {
	release, err := lockDataDir(dir)
	if err != nil {
		return nil, err
	}
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
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
	closeAll := func() { views.Close(); store.Close(); release() }
	runner, err := projections.NewRunner(ctx, views, viewsConsumer, log,
		cases.ReadModel{}, organisations.ReadModel{}, rolegrants.ReadModel{})
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
	dispatcher, err := app.NewDispatcher(store, enforcer, time.Now, log)
	if err != nil {
		closeAll()
		return nil, err
	}
	return &system{
		store: store, views: views, runner: runner, enforcer: enforcer, dispatcher: dispatcher,
		procurements: app.NewProcurements(dispatcher), organisations: app.NewOrganisations(dispatcher),
		close: closeAll,
	}, nil
}

func (s *system) String() string {
	return fmt.Sprintf("felles system (views at %v)", s.runner.Position())
}
