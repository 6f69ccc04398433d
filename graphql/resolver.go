package graphql

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections"
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
	Bids       *app.Bids      // sealed submissions and their opening
	Access     *app.AccessLog // reads of sealed and confidential data; from the Dispatcher when nil
	AuditKey   string         // the public key tree heads are signed with ("" when no notary runs)
	// ReadModels are the views the server runs, for time travel (built in
	// memory as of a moment); nil switches time travel off.
	ReadModels func() []projections.ReadModel
	OpenData   OpenData // the case as OCDS open data; nil when the server publishes none
	Views      Views
	Roles      Roles
	Tokens     *Tokens
	Log        *slog.Logger
	Limits     Limits
	Origins    []string // browser origins (scheme://host[:port]) besides the server's own that may open the subscription WebSocket
}

func (d Deps) validate() error {
	if d.Dispatcher == nil || d.Cases == nil || d.Orgs == nil || d.Bids == nil || d.Views == nil || d.Roles == nil || d.Tokens == nil || d.Log == nil {
		return errors.New("graphql: every dependency is required")
	}
	return nil
}

// resolver is the root resolver of queries and mutations.
type resolver struct {
	Deps
	asOf *asOfCache // time travel's built views
}

// ReadYourWritesTimeout bounds how long a mutation waits for the views to
// include its own events before answering.
const ReadYourWritesTimeout = 5 * time.Second

func (r *resolver) db() *sql.DB { return r.Views.DB() }

// settle waits until the views include the command's result. When they do not
// catch up in time the command is nevertheless stored: the error says so, with
// the command ID to retry with (a retry appends nothing and answers once the
// views have caught up), never as if the command had been refused.
func (r *resolver) settle(ctx context.Context, m app.CommandMeta, res app.Result) error {
	c, cancel := context.WithTimeout(ctx, ReadYourWritesTimeout)
	defer cancel()
	if err := r.Views.WaitFor(c, res.Position); err != nil {
		r.Log.WarnContext(ctx, "views behind a committed command", "position", res.Position.String(), "command_id", m.CommandID, "correlation_id", m.CorrelationID)
		return &apiError{code: CodeInternal, reason: "views.behind",
			message: fmt.Sprintf("your command was saved (position %s) but the shared views did not catch up in time; "+
				"send it again with commandId %q to get the result: it will not be applied twice", res.Position, m.CommandID),
			extra: map[string]any{"committed": true, "commandId": m.CommandID, "position": res.Position.String()}}
	}
	return nil
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

// meta is a command's metadata. The resolver chooses the command ID when the
// client did not, so it can always tell the client which ID to retry with.
func meta(ctx context.Context, commandID *string) app.CommandMeta {
	m := app.CommandMeta{CorrelationID: correlationFrom(ctx)}
	if commandID != nil && *commandID != "" {
		m.CommandID = *commandID
	} else {
		m.CommandID = uuid.NewString()
	}
	return m
}

type correlationKey struct{}

func correlationFrom(ctx context.Context) string {
	s, _ := ctx.Value(correlationKey{}).(string)
	return s
}
