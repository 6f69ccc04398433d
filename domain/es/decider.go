package es

// Decider is the pure shape of an aggregate: Decide turns a command into events
// (or a typed error) without I/O, clock or randomness, and Evolve folds one event
// into the state. Evolve must be total: an event it does not know leaves the state
// as it was, so old code can still fold a stream written by newer code.
type Decider[S, C, E any] struct {
	Initial func() S
	Decide  func(state S, cmd C) ([]E, error)
	Evolve  func(state S, ev E) S
}

// Fold replays events onto the initial state.
func (d Decider[S, C, E]) Fold(events []E) S {
	s := d.Initial()
	for _, e := range events {
		s = d.Evolve(s, e)
	}
	return s
}
