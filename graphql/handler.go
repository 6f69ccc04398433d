package graphql

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/felles/felles/app"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	gql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// The schema is schema.graphql followed by the other *.graphql files in name
// order; those extend its types (`extend type Mutation { … }`), one file per
// part of the procurement.
//
//go:embed *.graphql
var schemaFiles embed.FS

var schemaSDL = loadSchema()

func loadSchema() string {
	names, err := fs.Glob(schemaFiles, "*.graphql")
	if err != nil {
		panic(err)
	}
	sort.SliceStable(names, func(i, j int) bool {
		return names[i] == "schema.graphql" || (names[j] != "schema.graphql" && names[i] < names[j])
	})
	var b strings.Builder
	for _, n := range names {
		body, err := schemaFiles.ReadFile(n)
		if err != nil {
			panic(err)
		}
		b.Write(body)
		b.WriteString("\n")
	}
	return b.String()
}

// SchemaSDL is the schema the API serves.
func SchemaSDL() string { return schemaSDL }

// Limits protect the server from expensive or oversized requests.
type Limits struct {
	MaxBodyBytes   int64
	MaxQueryLength int
	MaxDepth       int
	Deadline       time.Duration
	Introspection  bool
}

// DefaultLimits suit the embedded default, where introspection feeds GraphiQL.
// The depth limit counts introspection too, and GraphiQL's introspection query
// nests `ofType` eight deep (depth 15): any less and GraphiQL shows no schema.
// The body limit is 8 MiB because a sealed submission (submitBid, replaceBid)
// travels in the body as base64: app.MaxSubmissionBytes (5 MiB) is 6.67 MiB
// of base64, and JSON escaping, line breaks and the rest of the request need
// room too. The query text stays at 20,000 characters, so the content must be
// a variable.
var DefaultLimits = Limits{MaxBodyBytes: 8 << 20, MaxQueryLength: 20_000, MaxDepth: 15, Deadline: 15 * time.Second, Introspection: true}

// Server is the HTTP face of the API: POST /graphql, GraphiQL at /.
type Server struct {
	schema *gql.Schema
	deps   Deps
}

// NewServer parses the schema against the resolvers (a mismatch fails here, at
// start, not at the first request).
func NewServer(d Deps) (*Server, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	if d.Limits == (Limits{}) {
		d.Limits = DefaultLimits
	}
	if d.Access == nil {
		d.Access = app.NewAccessLog(d.Dispatcher)
	}
	opts := []gql.SchemaOpt{
		gql.MaxDepth(d.Limits.MaxDepth), gql.MaxQueryLength(d.Limits.MaxQueryLength), gql.MaxParallelism(8),
		gql.UseStringDescriptions(), gql.PanicHandler(panicHandler{d.Log}), gql.SubscribeResolverTimeout(subscriptionSendTimeout),
	}
	if !d.Limits.Introspection {
		opts = append(opts, gql.DisableIntrospection())
	}
	schema, err := gql.ParseSchema(schemaSDL, &resolver{Deps: d, asOf: &asOfCache{}}, opts...)
	if err != nil {
		return nil, fmt.Errorf("graphql: schema: %w", err)
	}
	return &Server{schema: schema, deps: d}, nil
}

// Routes mounts the API and GraphiQL on mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.Handle("/graphql", s.withSubscriptions()) // POST, and the subscriptions' WebSocket
	mux.Handle("/", GraphiQLHandler("/graphql"))
}

type request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

type response struct {
	Data   json.RawMessage         `json:"data,omitempty"`
	Errors []*gqlerrors.QueryError `json:"errors,omitempty"`
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A client's correlation ID ends up in every event's metadata, in the
	// tamper-evident log for good: take only a plain token, else make one.
	correlation := r.Header.Get("X-Correlation-ID")
	if !correlationPattern.MatchString(correlation) {
		correlation = uuid.NewString()
	}
	w.Header().Set("X-Correlation-ID", correlation)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeErrors(w, http.StatusMethodNotAllowed, CodeBadUserInput, "use POST with a JSON body {query, variables}")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.deps.Limits.Deadline)
	defer cancel()
	ctx = context.WithValue(ctx, correlationKey{}, correlation)

	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			writeErrors(w, http.StatusUnauthorized, CodeUnauthenticated, "the Authorization header must be 'Bearer <token>'")
			return
		}
		token = strings.TrimSpace(token)
		// GraphiQL's headers pane starts with a "<paste a token…>" placeholder;
		// a request carrying it (or nothing) is anonymous, so the schema still
		// loads before a token is pasted. Nothing else may look like that.
		if token != "" && !(strings.HasPrefix(token, "<") && strings.HasSuffix(token, ">")) {
			p, err := s.deps.Tokens.Verify(token)
			if err != nil {
				writeErrors(w, http.StatusUnauthorized, CodeUnauthenticated, "the bearer token is not valid: "+err.Error())
				return
			}
			ctx = withPrincipal(ctx, p)
		}
	}

	var req request
	body := http.MaxBytesReader(w, r.Body, s.deps.Limits.MaxBodyBytes)
	dec := json.NewDecoder(body)
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeErrors(w, http.StatusRequestEntityTooLarge, CodeBadUserInput, fmt.Sprintf("the request body is larger than %d bytes", s.deps.Limits.MaxBodyBytes))
			return
		}
		writeErrors(w, http.StatusBadRequest, CodeBadUserInput, "the request body is not JSON of the form {query, operationName, variables}: "+err.Error())
		return
	}
	if strings.TrimSpace(req.Query) == "" {
		writeErrors(w, http.StatusBadRequest, CodeBadUserInput, "the request has no query")
		return
	}
	res := s.schema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	s.classify(ctx, res.Errors, correlation)
	if ctx.Err() != nil && len(res.Errors) > 0 {
		s.deps.Log.WarnContext(ctx, "request deadline exceeded", "correlation_id", correlation)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(response{Data: res.Data, Errors: res.Errors})
}

// classify gives every error a code: resolver errors carry theirs (internal
// ones are logged and hidden); errors graphql-go raises before resolving
// (syntax, validation, variables, limits) are the caller's input.
func (s *Server) classify(ctx context.Context, errs []*gqlerrors.QueryError, correlation string) {
	for _, e := range errs {
		if errors.Is(e.Err, errInternal) || (e.ResolverError != nil && e.Extensions == nil) {
			s.deps.Log.ErrorContext(ctx, "internal error", "error", e.Error(), "path", e.Path, "correlation_id", correlation)
			e.Message = "internal error; quote correlation ID " + correlation
			e.Extensions = map[string]any{"code": CodeInternal}
			continue
		}
		if e.Extensions == nil {
			e.Extensions = map[string]any{"code": CodeBadUserInput}
		}
	}
}

var correlationPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// panicHandler turns a resolver panic into an INTERNAL error that says nothing
// of the panic, and logs it.
type panicHandler struct{ log *slog.Logger }

func (h panicHandler) MakePanicError(ctx context.Context, value any) *gqlerrors.QueryError {
	corr := correlationFrom(ctx)
	h.log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(value), "correlation_id", corr)
	return &gqlerrors.QueryError{Message: "internal error; quote correlation ID " + corr, Extensions: map[string]any{"code": CodeInternal}}
}

func writeErrors(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}}})
}
