package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/graphql"
)

func TestDemoUsersHoldTheirRoles(t *testing.T) {
	f := startFelles(t)
	type user struct{ name, org, roles string }
	users := []user{
		{"hub-coordinator", "hub", "[hub-coordinator]"},
		{"oslo-lead", "oslo", "[lead-officer]"},
		{"oslo-lead-signatory", "oslo", "[lead-signatory]"},
		{"acme-sales", "acme", "[supplier-user]"},
		{"nordic-sales", "nordic", "[supplier-user]"},
		{"auditor", "hub", "[auditor]"},
	}
	for _, org := range []string{"oslo", "bergen", "trondheim", "stavanger", "kristiansand"} {
		users = append(users,
			user{org + "-admin", org, "[municipality-admin]"},
			user{org + "-needs", org, "[needs-owner]"},
			user{org + "-budget", org, "[budget-holder]"},
			user{org + "-signatory", org, "[signatory]"},
			user{"auditor", org, "[auditor]"},
		)
	}
	for _, u := range users {
		t.Run(u.name+"_in_"+u.org, func(t *testing.T) {
			r := f.with(t).ok(f.token(u.name, u.org), `{ viewer { roles } }`, nil)
			if got := fmt.Sprint(r.get("viewer.roles")); got != u.roles {
				t.Errorf("%s acting for %s holds %s, want %s", u.name, u.org, got, u.roles)
			}
		})
	}
	t.Run("a_demo_user_holds_nothing_in_another_municipality", func(t *testing.T) {
		r := f.with(t).ok(f.token("oslo-lead", "bergen"), `{ viewer { roles } }`, nil)
		if got := fmt.Sprint(r.get("viewer.roles")); got != "[]" {
			t.Errorf("oslo-lead acting for bergen holds %s", got)
		}
	})
}

func TestDemoLoadsAgainWithoutAppending(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	// headOf counts the log's events but the notary's signed tree heads: the
	// notary signs what the demo appended (at the latest when the server
	// stops), which is not the demo appending again.
	headOf := func(srv *server) string {
		t.Helper()
		recs, err := srv.sys.store.ReadAll(ctx, eventstore.Position{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range recs {
			if !audit.IsHead(r) {
				n++
			}
		}
		return strconv.Itoa(n)
	}

	first, err := start(ctx, serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true}, log)
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	head := headOf(first)
	if err := loadDemo(ctx, first.sys); err != nil {
		t.Fatalf("loading the demo a second time in the same process: %v", err)
	}
	if again := headOf(first); again != head {
		t.Fatalf("loading the demo again appended events: head %s, was %s", again, head)
	}
	first.stop()

	second, err := start(ctx, serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true}, log)
	if err != nil {
		t.Fatalf("restart with --demo: %v", err)
	}
	defer second.stop()
	if again := headOf(second); again != head {
		t.Fatalf("restarting with --demo appended events: head %s, was %s", again, head)
	}
	tokens, err := graphql.LoadTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &felles{t: t, srv: second, tokens: tokens}
	if r := f.ok(f.token("bergen-signatory", "bergen"), `{ viewer { roles } }`, nil); fmt.Sprint(r.get("viewer.roles")) != "[signatory]" {
		t.Fatalf("after a restart bergen-signatory holds %v", r.get("viewer.roles"))
	}
}
