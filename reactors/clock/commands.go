package clock

import (
	"context"
	"errors"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
)

// AppCases runs the clock's commands through the app layer: CloseReceipt and
// SendReminder are app.Procurements' own; EndStandstill, a command no resolver
// sends and so without a method there, is dispatched the way app.Procurements
// dispatches its commands (authorize, load, decide, append under the command
// ID).
func AppCases(cases *app.Procurements, d *app.Dispatcher) (Cases, error) {
	if cases == nil || d == nil {
		return nil, errors.New("clock: AppCases needs the case commands and their dispatcher")
	}
	return appCases{Procurements: cases, d: d}, nil
}

type appCases struct {
	*app.Procurements
	d *app.Dispatcher
}

// EndStandstill ends the case's standstill once it is over.
func (c appCases) EndStandstill(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string) (app.Result, error) {
	if !procurement.ValidID(caseID) {
		return app.Result{}, procurement.ErrInvalidCaseID
	}
	return app.Dispatch(ctx, c.d, app.ProcurementAggregate, p, meta, "EndStandstill", procurement.StreamID(caseID),
		func(at time.Time) (procurement.Command, error) { return procurement.EndStandstill{By: p, At: at}, nil })
}
