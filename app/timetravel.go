package app

import (
	"context"
	"fmt"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// CaseRecords reads a case's whole stream (for time travel: the cut is chosen
// from it).
func (s *Procurements) CaseRecords(ctx context.Context, caseID string) ([]eventstore.Record, error) {
	if !procurement.ValidID(caseID) {
		return nil, procurement.ErrInvalidCaseID
	}
	return readFrom(ctx, s.d.store, procurement.StreamID(caseID), 0)
}

// StateAt folds a case's stream up to and including revision: the case as it
// was then. Later events are not read.
func (s *Procurements) StateAt(ctx context.Context, caseID string, revision uint64) (procurement.State, error) {
	recs, err := s.CaseRecords(ctx, caseID)
	if err != nil {
		return procurement.State{}, err
	}
	if revision >= uint64(len(recs)) {
		return procurement.State{}, fmt.Errorf("app: case %s has no revision %d", caseID, revision)
	}
	st, err := ProcurementAggregate.fold(ProcurementAggregate.initial(), recs[:revision+1])
	if err != nil {
		return procurement.State{}, err
	}
	return st.(procurement.State), nil
}

// StreamRecords reads a whole stream (the organisations' streams for time travel).
func (d *Dispatcher) StreamRecords(ctx context.Context, stream string) ([]eventstore.Record, error) {
	return readFrom(ctx, d.store, stream, 0)
}
