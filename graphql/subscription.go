package graphql

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	gql "github.com/graph-gophers/graphql-go"
	graphqlws "github.com/graph-gophers/graphql-transport-ws"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// Subscriptions (issue 9; docs/api.md "Subscriptions"): `procurementEvents(id)`
// streams a case's events as they are committed, over the graphql-transport-ws
// protocol on the same /graphql path that answers POST.
//
//   - Authentication happens at the upgrade, with the bearer tokens the POST
//     API takes: the Authorization header, or `?token=` for browsers (which
//     cannot set headers on a WebSocket). No token or a bad one is refused
//     with 401 before the upgrade; the connection_init payload is not read.
//   - The Origin must be the server's own or one of Deps.Origins (403
//     otherwise); a request without Origin is not a browser's and passes.
//   - The socket serves subscriptions only: the connection's principal is
//     kept where only the subscription resolver reads it, so a query or a
//     mutation sent over the socket runs as anonymous and answers
//     UNAUTHENTICATED. Those go over POST, with its deadline and limits.
//   - Each event of the case's stream is passed through the case's history
//     (procurementResolver.History, one entry at a time), so it arrives exactly
//     as `history` would show it to the connection's principal at that moment:
//     withheld where history withholds it, never skipped, so revisions arrive
//     without gaps; confidential data is recorded in the case's access log
//     first, like a history page.
//   - A subscription ends (complete) when the client completes it or goes
//     away, when the token expires, when the principal may no longer read the
//     case, or on an error, which is logged. Its goroutine ends with it.

const (
	// maxSubscriptionsPerConnection caps a socket's concurrent subscriptions.
	maxSubscriptionsPerConnection = 20
	// subscriptionWriteTimeout bounds each write to a socket; a client that
	// does not read for that long loses its connection.
	subscriptionWriteTimeout = 10 * time.Second
	// subscriptionSendTimeout is how long graphql-go waits for the transport
	// to take a resolved event before it drops it (its default is one second):
	// longer than a write may take, so an event is only lost together with its
	// connection, never silently from a live one.
	subscriptionSendTimeout = 3 * subscriptionWriteTimeout
	// subscriptionReadSlack is what a client message may carry besides the
	// query text (variables, the protocol's JSON).
	subscriptionReadSlack = 16 << 10
	// subscriptionPurpose is the access log's purpose for confidential data a
	// subscription delivers.
	subscriptionPurpose = "procurementEvents subscription"
)

// wsSession is who opened a socket, and until when the token says so.
type wsSession struct {
	p       app.Principal
	expires time.Time // zero: the token names no expiry
}

type wsSessionKey struct{}

// subscribedHook, when set, is told each time a subscription listens to the
// log (tests wait for it before they append).
var subscribedHook atomic.Pointer[func(caseID string)]

// withSubscriptions is the /graphql handler: POST as ServeHTTP, and the
// graphql-transport-ws WebSocket once the upgrade passes the origin check and
// carries a valid token.
func (s *Server) withSubscriptions() http.Handler {
	allowed := map[string]bool{}
	for _, o := range s.deps.Origins {
		allowed[normaliseOrigin(o)] = true
	}
	sameOrAllowed := func(r *http.Request) bool { return originAllowed(r, allowed) }
	ws := graphqlws.NewHandlerFunc(wsSubscriber{s}, s,
		graphqlws.WithContextGenerator(graphqlws.ContextGeneratorFunc(wsContext)),
		graphqlws.WithCheckOrigin(sameOrAllowed), // the library's default accepts every origin
		graphqlws.WithMaxSubscriptions(maxSubscriptionsPerConnection),
		graphqlws.WithReadLimit(int64(s.deps.Limits.MaxQueryLength)+subscriptionReadSlack),
		graphqlws.WithWriteTimeout(subscriptionWriteTimeout))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !websocket.IsWebSocketUpgrade(r) {
			s.ServeHTTP(w, r)
			return
		}
		if !sameOrAllowed(r) {
			writeErrors(w, http.StatusForbidden, CodeForbidden, "this origin may not open a subscription socket")
			return
		}
		sess, problem := s.authenticateUpgrade(r)
		if problem != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="felles"`)
			writeErrors(w, http.StatusUnauthorized, CodeUnauthenticated, problem)
			return
		}
		correlation := r.Header.Get("X-Correlation-ID")
		if !correlationPattern.MatchString(correlation) {
			correlation = uuid.NewString()
		}
		ctx := context.WithValue(r.Context(), wsSessionKey{}, sess)
		ws(w, r.WithContext(context.WithValue(ctx, correlationKey{}, correlation)))
	})
}

// wsContext carries the session and correlation ID of the upgrade request
// over to the connection (graphqlws starts it from a fresh context).
func wsContext(ctx context.Context, r *http.Request) (context.Context, error) {
	sess, ok := r.Context().Value(wsSessionKey{}).(wsSession)
	if !ok {
		return nil, errors.New("graphql: a WebSocket upgrade without a session")
	}
	ctx = context.WithValue(ctx, wsSessionKey{}, sess)
	return context.WithValue(ctx, correlationKey{}, correlationFrom(r.Context())), nil
}

// authenticateUpgrade reads the token of an upgrade request from the
// Authorization header or the `token` query parameter; problem says why there
// is no session.
func (s *Server) authenticateUpgrade(r *http.Request) (sess wsSession, problem string) {
	header, query := r.Header.Get("Authorization"), r.URL.Query()["token"]
	var token string
	switch {
	case header != "" && len(query) > 0:
		return sess, "give the token once: the Authorization header or ?token=, not both"
	case header != "":
		t, ok := strings.CutPrefix(header, "Bearer ")
		if !ok {
			return sess, "the Authorization header must be 'Bearer <token>'"
		}
		token = strings.TrimSpace(t)
	case len(query) > 1:
		return sess, "give ?token= once"
	case len(query) == 1:
		token = strings.TrimSpace(query[0])
	}
	if token == "" || (strings.HasPrefix(token, "<") && strings.HasSuffix(token, ">")) {
		return sess, "a subscription needs a bearer token: the Authorization header, or ?token= from a browser"
	}
	p, err := s.deps.Tokens.Verify(token)
	if err != nil {
		return sess, "the bearer token is not valid: " + err.Error()
	}
	// Verify has checked the signature; this only reads when it runs out.
	var c jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err == nil && c.ExpiresAt != nil {
		sess.expires = c.ExpiresAt.Time
	}
	sess.p = p
	return sess, ""
}

// originAllowed: no Origin (not a browser), the server's own host (as
// gorilla's same-origin check compares it), or one of the allowed origins.
func originAllowed(r *http.Request, allowed map[string]bool) bool {
	origin := r.Header["Origin"]
	if len(origin) == 0 {
		return true
	}
	u, err := url.Parse(origin[0])
	if err != nil || u.Host == "" {
		return false // "null" (sandboxed frames, files) included
	}
	return strings.EqualFold(u.Host, r.Host) || allowed[normaliseOrigin(origin[0])]
}

// normaliseOrigin is scheme://host[:port] in lower case, without a path.
func normaliseOrigin(o string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
}

// wsSubscriber runs the socket's operations on the schema and gives their
// errors codes as the POST handler does (internal ones logged and hidden).
type wsSubscriber struct{ s *Server }

func (w wsSubscriber) Subscribe(ctx context.Context, doc, op string, vars map[string]any) (<-chan any, error) {
	in, err := w.s.schema.Subscribe(ctx, doc, op, vars)
	if err != nil {
		return nil, err
	}
	out := make(chan any)
	go func() {
		defer close(out)
		// graphql-go closes in when ctx ends, so this range ends too
		for v := range in {
			if res, ok := v.(*gql.Response); ok {
				for _, e := range res.Errors {
					// graphql-go leaves the extensions of the subscription
					// field's own error out; take them as for any field
					var ext interface{ Extensions() map[string]any }
					if e.Extensions == nil && errors.As(e.ResolverError, &ext) {
						e.Extensions = ext.Extensions()
					}
				}
				w.s.classify(ctx, res.Errors, correlationFrom(ctx))
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// ProcurementEvents is the subscription: the case's events committed from
// now on, each as history shows it to the connection's principal.
func (r *resolver) ProcurementEvents(ctx context.Context, args struct{ ID gql.ID }) (<-chan historyEntry, error) {
	sess, ok := ctx.Value(wsSessionKey{}).(wsSession)
	if !ok {
		return nil, &apiError{code: CodeUnauthenticated, reason: "subscription.websocket_only",
			message: "subscriptions are served over the graphql-transport-ws WebSocket at /graphql, authenticated at the upgrade"}
	}
	if !sess.expires.IsZero() && !time.Now().Before(sess.expires) {
		return nil, &apiError{code: CodeUnauthenticated, reason: "token.expired",
			message: "the token of this connection has expired: connect again with a new one"}
	}
	ctx = withPrincipal(ctx, sess.p)
	id := string(args.ID)
	if !procurement.ValidID(id) {
		return nil, toAPI(procurement.ErrNotFound)
	}
	// the same check as procurement(id); a case you may not read and one that
	// does not exist answer alike
	s, err := r.visibleCase(ctx, sess.p, id)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, toAPI(procurement.ErrNotFound)
	}
	store := r.Dispatcher.Store()
	head, err := store.Head(ctx)
	if err != nil {
		return nil, toAPI(err)
	}
	sub, err := store.Subscribe(ctx, head)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make(chan historyEntry)
	go r.deliverCase(ctx, sess, procurementResolver{r: r, s: *s}, sub, out)
	if hook := subscribedHook.Load(); hook != nil {
		(*hook)(id)
	}
	return out, nil
}

// deliverCase sends the case's events from sub to out until ctx ends (the
// client completed or went away), the token expires, the principal may no
// longer read the case, or an error; then it closes out.
func (r *resolver) deliverCase(ctx context.Context, sess wsSession, c procurementResolver, sub eventstore.Subscription, out chan<- historyEntry) {
	defer close(out)
	defer sub.Close()
	defer func() { // out of graphql-go's reach: a panic here would end the server
		if v := recover(); v != nil {
			r.Log.ErrorContext(ctx, "subscription panic", "case", c.s.ID, "panic", fmt.Sprint(v), "correlation_id", correlationFrom(ctx))
		}
	}()
	if !sess.expires.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, sess.expires)
		defer cancel()
	}
	stream := procurement.StreamID(c.s.ID)
	stop := func(why string, err error) {
		if ctx.Err() == nil {
			r.Log.WarnContext(ctx, "subscription ended", "case", c.s.ID, "user", sess.p.User, "org", sess.p.Org,
				"why", why, "error", err, "correlation_id", correlationFrom(ctx))
		}
	}
	for {
		rec, err := sub.Next(ctx)
		if err != nil {
			stop("reading the log", err)
			return
		}
		if rec.Stream != stream {
			continue
		}
		// decide on the views that include the event, as history asked
		// right after it would
		if err := r.Views.WaitFor(ctx, rec.Position); err != nil {
			stop("waiting for the views", err)
			return
		}
		e, ok, err := c.entryOf(ctx, rec)
		if err != nil {
			stop("showing the event", err)
			return
		}
		if !ok {
			r.Log.InfoContext(ctx, "subscription ended: the principal no longer reads the case", "case", c.s.ID,
				"user", sess.p.User, "org", sess.p.Org, "correlation_id", correlationFrom(ctx))
			return
		}
		select {
		case out <- e:
		case <-ctx.Done():
			return
		}
	}
}

// entryOf is rec as the case's history shows it to the principal in ctx: the
// page of one entry at rec's revision. ok is false when the principal may no
// longer read the case.
func (p procurementResolver) entryOf(ctx context.Context, rec eventstore.Record) (historyEntry, bool, error) {
	one, purpose := int32(1), subscriptionPurpose
	args := historyArgs{First: &one, Reason: &purpose}
	if rec.Revision > 0 {
		after := numberCursor("rev", rec.Revision-1)
		args.After = &after
	}
	page, err := p.History(ctx, args)
	if err != nil || len(page.entries) == 0 {
		return historyEntry{}, false, err
	}
	if e := page.entries[0]; e.rec.ID == rec.ID {
		return e, true, nil
	}
	return historyEntry{}, false, fmt.Errorf("graphql: revision %d of %s is event %s in the stream but %s in the log",
		rec.Revision, rec.Stream, page.entries[0].rec.ID, rec.ID)
}
