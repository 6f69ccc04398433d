package app

import (
	"context"
	"time"

	"github.com/felles/felles/domain/organisation"
)

// Object names shared with the policy templates.
const (
	ObjectOrganisation = "organisation"
	ObjectProcurement  = "procurement"
	ActionRead         = "Read"
)

// OrganisationAggregate is the organisation decider as Dispatch runs it.
var OrganisationAggregate = Aggregate[organisation.State, organisation.Command, organisation.Event]{
	Object: ObjectOrganisation, Decider: organisation.Decider, Events: organisation.Events(),
}

// Organisations runs organisation commands.
type Organisations struct{ d *Dispatcher }

// NewOrganisations needs a dispatcher.
func NewOrganisations(d *Dispatcher) *Organisations {
	if d == nil {
		panic("app: NewOrganisations needs a dispatcher")
	}
	return &Organisations{d: d}
}

// RegisterInput is what registering an organisation needs.
type RegisterInput struct {
	ID, Name, OrgNumber string
	Kind                organisation.Kind
}

// Register registers an organisation.
func (o *Organisations) Register(ctx context.Context, p Principal, meta CommandMeta, in RegisterInput) (Result, error) {
	if !organisation.ValidID(in.ID) {
		return Result{}, organisation.ErrInvalidID
	}
	return Dispatch(ctx, o.d, OrganisationAggregate, p, meta, "RegisterOrganisation", organisation.StreamID(in.ID),
		func(at time.Time) (organisation.Command, error) {
			return organisation.RegisterOrganisation{ID: in.ID, Kind: in.Kind, Name: in.Name, OrgNumber: in.OrgNumber, By: p, At: at}, nil
		})
}

// GrantRole grants a role in org.
func (o *Organisations) GrantRole(ctx context.Context, p Principal, meta CommandMeta, org, user string, role organisation.Role) (Result, error) {
	if !organisation.ValidID(org) {
		return Result{}, organisation.ErrInvalidID
	}
	return Dispatch(ctx, o.d, OrganisationAggregate, p, meta, "GrantRole", organisation.StreamID(org),
		func(at time.Time) (organisation.Command, error) {
			return organisation.GrantRole{Org: org, User: user, Role: role, By: p, At: at}, nil
		})
}

// RevokeRole revokes a role in org.
func (o *Organisations) RevokeRole(ctx context.Context, p Principal, meta CommandMeta, org, user string, role organisation.Role) (Result, error) {
	if !organisation.ValidID(org) {
		return Result{}, organisation.ErrInvalidID
	}
	return Dispatch(ctx, o.d, OrganisationAggregate, p, meta, "RevokeRole", organisation.StreamID(org),
		func(at time.Time) (organisation.Command, error) {
			return organisation.RevokeRole{Org: org, User: user, Role: role, By: p, At: at}, nil
		})
}

// kindOf reads an organisation's registered kind from its stream ("" when it is
// not registered). The log, not a view, is the source: the decision must not
// depend on how far a projection has come. A registered kind never changes (a
// re-registration with other details is refused), so it is cached once seen.
func kindOf(ctx context.Context, d *Dispatcher, org string) (organisation.Kind, error) {
	if !organisation.ValidID(org) {
		return "", nil
	}
	if k, ok := d.kinds.Load(org); ok {
		return k.(organisation.Kind), nil
	}
	state, _, err := Load(ctx, d.store, OrganisationAggregate, organisation.StreamID(org))
	if err != nil || !state.Registered {
		return "", err
	}
	d.kinds.Store(org, state.Kind)
	return state.Kind, nil
}
