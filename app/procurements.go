package app

import (
	"context"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// ProcurementAggregate is the case decider as Dispatch runs it.
var ProcurementAggregate = Aggregate[procurement.State, procurement.Command, procurement.Event]{
	Object: ObjectProcurement, Decider: procurement.Decider, Events: procurement.Events(),
}

// Procurements runs case commands.
type Procurements struct {
	d      *Dispatcher
	limits *timelimits.Table // the legal time limits in force
}

// NewProcurements needs a dispatcher; the time limits are the embedded
// default table until WithTimeLimits replaces them.
func NewProcurements(d *Dispatcher) *Procurements {
	if d == nil {
		panic("app: NewProcurements needs a dispatcher")
	}
	limits, err := timelimits.Default()
	if err != nil {
		panic("app: the embedded time-limit table is invalid: " + err.Error())
	}
	return &Procurements{d: d, limits: limits}
}

// WithTimeLimits replaces the time-limit table (an operator's corrected copy,
// `serve --time-limits`).
func (s *Procurements) WithTimeLimits(t *timelimits.Table) *Procurements {
	if t == nil {
		panic("app: WithTimeLimits needs a table")
	}
	s.limits = t
	return s
}

// TimeLimits is the table in force.
func (s *Procurements) TimeLimits() *timelimits.Table { return s.limits }

// CreateInput is what creating a case needs.
type CreateInput struct {
	Title, Description string
	Jurisdiction       procurement.Jurisdiction
	CPV                []string
}

// Create opens a case for the acting hub. The case ID is derived from the
// command ID, so a retried create lands on the same case.
func (s *Procurements) Create(ctx context.Context, p Principal, meta CommandMeta, in CreateInput) (string, Result, error) {
	if meta.CommandID == "" {
		meta.CommandID = newCommandID()
	}
	id := DeriveID(p, meta, "procurement")
	res, err := Dispatch(ctx, s.d, ProcurementAggregate, p, meta, "CreateCase", procurement.StreamID(id),
		func(at time.Time) (procurement.Command, error) {
			kind, err := kindOf(ctx, s.d, p.Org)
			if err != nil {
				return nil, err
			}
			return procurement.CreateCase{ID: id, Title: in.Title, Description: in.Description, Jurisdiction: in.Jurisdiction,
				CPV: in.CPV, HubKind: kind, By: p, At: at}, nil
		})
	return id, res, err
}

func (s *Procurements) run(ctx context.Context, p Principal, meta CommandMeta, action, caseID string,
	build func(at time.Time) (procurement.Command, error)) (Result, error) {
	if !procurement.ValidID(caseID) {
		return Result{}, procurement.ErrInvalidCaseID
	}
	return Dispatch(ctx, s.d, ProcurementAggregate, p, meta, action, procurement.StreamID(caseID), build)
}

// Invite invites a municipality.
func (s *Procurements) Invite(ctx context.Context, p Principal, meta CommandMeta, caseID, org string) (Result, error) {
	return s.run(ctx, p, meta, "InviteMunicipality", caseID, func(at time.Time) (procurement.Command, error) {
		kind, err := kindOf(ctx, s.d, org)
		if err != nil {
			return nil, err
		}
		return procurement.InviteMunicipality{Org: org, InviteeKind: kind, By: p, At: at}, nil
	})
}

// Accept answers the acting organisation's own invitation with yes.
func (s *Procurements) Accept(ctx context.Context, p Principal, meta CommandMeta, caseID string) (Result, error) {
	return s.run(ctx, p, meta, "AcceptInvitation", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.AcceptInvitation{By: p, At: at}, nil
	})
}

// Decline answers the acting organisation's own invitation with no.
func (s *Procurements) Decline(ctx context.Context, p Principal, meta CommandMeta, caseID, reason string) (Result, error) {
	return s.run(ctx, p, meta, "DeclineInvitation", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DeclineInvitation{Reason: reason, By: p, At: at}, nil
	})
}

// Cancel cancels the case.
func (s *Procurements) Cancel(ctx context.Context, p Principal, meta CommandMeta, caseID, reason string) (Result, error) {
	return s.run(ctx, p, meta, "CancelProcurement", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CancelProcurement{Reason: reason, By: p, At: at}, nil
	})
}

// OpenRecruitment opens recruitment of members.
func (s *Procurements) OpenRecruitment(ctx context.Context, p Principal, meta CommandMeta, caseID string) (Result, error) {
	return s.run(ctx, p, meta, "OpenRecruitment", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.OpenRecruitment{By: p, At: at}, nil
	})
}

// CloseRecruitment fixes the members for the cooperation agreement.
func (s *Procurements) CloseRecruitment(ctx context.Context, p Principal, meta CommandMeta, caseID string) (Result, error) {
	return s.run(ctx, p, meta, "CloseRecruitment", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CloseRecruitment{By: p, At: at}, nil
	})
}

// AnchoringInput is a member's decision to take part.
type AnchoringInput struct {
	DecidingBody, DecisionDate, CaseRef string
}

// RecordAnchoring records the acting member's anchoring decision.
func (s *Procurements) RecordAnchoring(ctx context.Context, p Principal, meta CommandMeta, caseID string, in AnchoringInput) (Result, error) {
	return s.run(ctx, p, meta, "RecordAnchoringDecision", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RecordAnchoringDecision{DecidingBody: in.DecidingBody, DecisionDate: in.DecisionDate, CaseRef: in.CaseRef, By: p, At: at}, nil
	})
}

// MandateInput is a mandate a member grants.
type MandateInput struct {
	MandateID, To, ValidUntil string
	Scope                     []string
}

// GrantMandate lets the acting member authorise another member.
func (s *Procurements) GrantMandate(ctx context.Context, p Principal, meta CommandMeta, caseID string, in MandateInput) (Result, error) {
	return s.run(ctx, p, meta, "GrantMandate", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.GrantMandate{MandateID: in.MandateID, To: in.To, Scope: in.Scope, ValidUntil: in.ValidUntil, By: p, At: at}, nil
	})
}

// RevokeMandate withdraws one of the acting member's mandates.
func (s *Procurements) RevokeMandate(ctx context.Context, p Principal, meta CommandMeta, caseID, mandateID, reason string) (Result, error) {
	return s.run(ctx, p, meta, "RevokeMandate", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RevokeMandate{MandateID: mandateID, Reason: reason, By: p, At: at}, nil
	})
}

// State folds a case from the log (for time travel and checks that must not
// lag behind the views).
func (s *Procurements) State(ctx context.Context, caseID string) (procurement.State, error) {
	if !procurement.ValidID(caseID) {
		return procurement.State{}, procurement.ErrInvalidCaseID
	}
	state, _, err := Load(ctx, s.d.store, ProcurementAggregate, procurement.StreamID(caseID))
	return state, err
}
