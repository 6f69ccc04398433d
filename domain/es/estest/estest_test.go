package estest_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
)

// A scratch decider: a tally that counts "add" commands, refuses "bad", ignores
// "noop" and, to prove the harness catches it, misbehaves on "sloppy" by
// returning an event together with an error.

var errBad = es.Rule("tally.bad", "bad command")

type added struct{ N int }

var tally = es.Decider[int, string, added]{
	Initial: func() int { return 0 },
	Decide: func(s int, c string) ([]added, error) {
		switch c {
		case "add":
			return []added{{N: s + 1}}, nil
		case "bad":
			return nil, errBad.With("at %d", s)
		case "sloppy":
			return []added{{N: -1}}, errBad
		case "boom":
			return nil, fmt.Errorf("plain error")
		}
		return nil, nil
	},
	Evolve: func(s int, e added) int { return e.N },
}

// recorder stands in for *testing.T: it remembers a failure and stops the
// scenario the way t.Fatal does, so the harness itself can be tested.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.failed, r.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// outcome runs scenario against a recorder in its own goroutine, as Goexit needs.
func outcome(scenario func(t testing.TB)) *recorder {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		scenario(r)
	}()
	<-done
	return r
}

func passes(t *testing.T, scenario func(t testing.TB)) {
	t.Helper()
	if r := outcome(scenario); r.failed {
		t.Fatalf("want the scenario to pass, it failed: %s", r.msg)
	}
}

func fails(t *testing.T, scenario func(t testing.TB)) {
	t.Helper()
	if r := outcome(scenario); !r.failed {
		t.Fatal("want the scenario to fail, it passed")
	}
}

func TestScenario(t *testing.T) {
	t.Run("then_passes_on_exactly_the_expected_events", func(t *testing.T) {
		passes(t, func(t testing.TB) {
			estest.For(t, tally).Given(added{1}, added{2}).When("add").Then(added{3})
		})
	})

	t.Run("then_fails_on_other_events", func(t *testing.T) {
		fails(t, func(t testing.TB) { estest.For(t, tally).When("add").Then(added{2}) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("add").Then(added{1}, added{2}) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("noop").Then(added{1}) })
	})

	t.Run("then_fails_when_the_command_is_rejected", func(t *testing.T) {
		fails(t, func(t testing.TB) { estest.For(t, tally).When("bad").Then(added{1}) })
	})

	t.Run("then_nothing_passes_on_an_idempotent_no_op", func(t *testing.T) {
		passes(t, func(t testing.TB) { estest.For(t, tally).Given(added{4}).When("noop").ThenNothing() })
	})

	t.Run("then_nothing_fails_on_events_or_an_error", func(t *testing.T) {
		fails(t, func(t testing.TB) { estest.For(t, tally).When("add").ThenNothing() })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("bad").ThenNothing() })
	})

	t.Run("then_error_matches_a_sentinel_with_added_detail", func(t *testing.T) {
		passes(t, func(t testing.TB) { estest.For(t, tally).Given(added{2}).When("bad").ThenError(errBad) })
	})

	t.Run("then_error_fails_on_success_on_another_error_and_on_events_with_an_error", func(t *testing.T) {
		other := es.Rule("tally.other", "other")
		fails(t, func(t testing.TB) { estest.For(t, tally).When("add").ThenError(errBad) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("bad").ThenError(other) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("noop").ThenError(errBad) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("sloppy").ThenError(errBad) })
	})

	t.Run("then_kind_classifies_the_rejection", func(t *testing.T) {
		passes(t, func(t testing.TB) { estest.For(t, tally).When("bad").ThenKind(es.KindRule) })
		passes(t, func(t testing.TB) { estest.For(t, tally).When("boom").ThenKind(es.KindInternal) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("bad").ThenKind(es.KindInvalid) })
		fails(t, func(t testing.TB) { estest.For(t, tally).When("add").ThenKind(es.KindRule) })
	})

	t.Run("then_state_sees_the_history_and_the_new_events_folded", func(t *testing.T) {
		var seen int
		passes(t, func(t testing.TB) {
			estest.For(t, tally).Given(added{1}, added{7}).When("add").ThenState(func(_ testing.TB, s int) { seen = s })
		})
		if seen != 8 {
			t.Fatalf("state %d, want 8", seen)
		}
	})

	t.Run("then_state_fails_when_the_command_is_rejected", func(t *testing.T) {
		fails(t, func(t testing.TB) {
			estest.For(t, tally).When("bad").ThenState(func(testing.TB, int) {})
		})
	})

	t.Run("given_accumulates_over_several_calls", func(t *testing.T) {
		passes(t, func(t testing.TB) {
			estest.For(t, tally).Given(added{1}).Given(added{5}).When("add").Then(added{6})
		})
	})

	t.Run("a_scenario_without_a_command_fails", func(t *testing.T) {
		fails(t, func(t testing.TB) { estest.For(t, tally).Given(added{1}).ThenNothing() })
	})
}
