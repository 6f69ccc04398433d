package graphql

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/eventstore"
)

// Views is what resolvers need of the projections: the views database and a
// way to wait until it includes a position (read-your-writes).
type Views interface {
	DB() *sql.DB
	WaitFor(ctx context.Context, p eventstore.Position) error
}

// Roles lists the roles a user holds in an organisation (for viewer.roles).
type Roles interface {
	RolesFor(user, org string) []string
}

// Deps are the resolvers' collaborators.
type Deps struct {
	Dispatcher *app.Dispatcher
	Cases      *app.Procurements
	Orgs       *app.Organisations
	Views      Views
	Roles      Roles
	Tokens     *Tokens
	Log        *slog.Logger
	Limits     Limits
}

func (d Deps) validate() error {
	if d.Dispatcher == nil || d.Cases == nil || d.Orgs == nil || d.Views == nil || d.Roles == nil || d.Tokens == nil || d.Log == nil {
		return errors.New("graphql: every dependency is required")
	}
	return nil
}

// resolver is the root resolver of queries and mutations.
type resolver struct {
	Deps
}

// ReadYourWritesTimeout bounds how long a mutation waits for the views to
// include its own events before answering.
const ReadYourWritesTimeout = 5 * time.Second

func (r *resolver) db() *sql.DB { return r.Views.DB() }

// settle waits until the views include the command's result.
func (r *resolver) settle(ctx context.Context, res app.Result) error {
	c, cancel := context.WithTimeout(ctx, ReadYourWritesTimeout)
	defer cancel()
	return r.Views.WaitFor(c, res.Position)
}

func principalFrom(ctx context.Context) (app.Principal, error) {
	p, ok := ctx.Value(principalKey{}).(app.Principal)
	if !ok {
		return app.Principal{}, toAPI(app.ErrUnauthenticated)
	}
	return p, nil
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p app.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func meta(ctx context.Context, commandID *string) app.CommandMeta {
	m := app.CommandMeta{CorrelationID: correlationFrom(ctx)}
	if commandID != nil {
		m.CommandID = *commandID
	}
	return m
}

type correlationKey struct{}

func correlationFrom(ctx context.Context) string {
	s, _ := ctx.Value(correlationKey{}).(string)
	return s
}
