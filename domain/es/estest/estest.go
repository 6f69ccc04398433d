// Package estest runs given/when/then scenarios against a Decider, so tests of
// business rules read like the business: given these events, when this command,
// then these events (or this error).
package estest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/felles/felles/domain/es"
)

// Scenario is one given/when/then test of a decider.
type Scenario[S, C, E any] struct {
	t       testing.TB
	decider es.Decider[S, C, E]
	given   []E
	cmd     C
	hasCmd  bool
}

// For starts a scenario.
func For[S, C, E any](t testing.TB, d es.Decider[S, C, E]) *Scenario[S, C, E] {
	t.Helper()
	return &Scenario[S, C, E]{t: t, decider: d}
}

// Given sets the history the command is decided against.
func (s *Scenario[S, C, E]) Given(events ...E) *Scenario[S, C, E] {
	s.given = append(s.given, events...)
	return s
}

// When sets the command.
func (s *Scenario[S, C, E]) When(cmd C) *Scenario[S, C, E] {
	s.cmd, s.hasCmd = cmd, true
	return s
}

func (s *Scenario[S, C, E]) run() ([]E, error) {
	s.t.Helper()
	if !s.hasCmd {
		s.t.Fatal("estest: When was not called")
	}
	return s.decider.Decide(s.decider.Fold(s.given), s.cmd)
}

// Then asserts the command succeeds with exactly these events, and that folding
// them does not panic.
func (s *Scenario[S, C, E]) Then(want ...E) {
	s.t.Helper()
	got, err := s.run()
	if err != nil {
		s.t.Fatalf("want events %v, got error %v", want, err)
	}
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		s.t.Fatalf("events differ\n got: %#v\nwant: %#v", got, want)
	}
	s.decider.Fold(append(append([]E{}, s.given...), got...))
}

// ThenNothing asserts an idempotent no-op: no events and no error.
func (s *Scenario[S, C, E]) ThenNothing() { s.t.Helper(); s.Then() }

// ThenError asserts the command is rejected with an error matching want by errors.Is.
func (s *Scenario[S, C, E]) ThenError(want error) {
	s.t.Helper()
	got, err := s.run()
	if err == nil {
		s.t.Fatalf("want error %v, got events %#v", want, got)
	}
	if !errors.Is(err, want) {
		s.t.Fatalf("want error %v (%s), got %v (%s)", want, es.CodeOf(want), err, es.CodeOf(err))
	}
	if len(got) != 0 {
		s.t.Fatalf("a rejected command must produce no events, got %#v", got)
	}
}

// ThenKind asserts a rejection of the given kind, whatever its code.
func (s *Scenario[S, C, E]) ThenKind(want es.Kind) {
	s.t.Helper()
	got, err := s.run()
	if err == nil {
		s.t.Fatalf("want a %v error, got events %#v", want, got)
	}
	if k := es.KindOf(err); k != want {
		s.t.Fatalf("want a %v error, got %v: %v", want, k, err)
	}
	if len(got) != 0 {
		s.t.Fatalf("a rejected command must produce no events, got %#v", got)
	}
}

// ThenState asserts on the state after folding the given events and the command's.
func (s *Scenario[S, C, E]) ThenState(check func(t testing.TB, state S)) {
	s.t.Helper()
	got, err := s.run()
	if err != nil {
		s.t.Fatalf("want success, got error %v", err)
	}
	check(s.t, s.decider.Fold(append(append([]E{}, s.given...), got...)))
}
