package graphql

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/felles/felles/app"
	"github.com/felles/felles/eventstore"
)

type stuckViews struct{}

func (stuckViews) DB() *sql.DB { return nil }
func (stuckViews) WaitFor(context.Context, eventstore.Position) error {
	return errors.New("views did not reach the position in time")
}

func TestACommittedCommandWhoseViewLagsIsNotReportedAsRefused(t *testing.T) {
	r := &resolver{Deps: Deps{Views: stuckViews{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	m := meta(context.Background(), nil)
	if m.CommandID == "" {
		t.Fatal("the resolver must choose a command ID the client can retry with")
	}
	err := r.settle(context.Background(), m, app.Result{Position: eventstore.Seq(42)})
	var api *apiError
	if !errors.As(err, &api) {
		t.Fatalf("want an API error, got %v", err)
	}
	ext := api.Extensions()
	if ext["committed"] != true || ext["commandId"] != m.CommandID || ext["position"] != "42" || ext["reason"] != "views.behind" {
		t.Fatalf("the error must say the command was saved and how to retry: %v", ext)
	}
}

func TestPanicsAreReportedWithoutTheirText(t *testing.T) {
	h := panicHandler{slog.New(slog.NewTextHandler(io.Discard, nil))}
	qe := h.MakePanicError(context.WithValue(context.Background(), correlationKey{}, "c-1"), "runtime error: secret detail")
	if qe.Extensions["code"] != CodeInternal || qe.Message != "internal error; quote correlation ID c-1" {
		t.Fatalf("panic error: %+v", qe)
	}
}
