package graphql

import (
	"context"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/projections/cases"
)

type procurementPayload struct {
	p   procurementResolver
	res app.Result
}

func (p procurementPayload) Procurement() procurementResolver { return p.p }
func (p procurementPayload) Revision() int32                  { return int32(p.res.Revision) }
func (p procurementPayload) Position() string                 { return p.res.Position.String() }

// casePayload waits until the views include the command's events and reads the
// case back: the client sees its own write.
func (r *resolver) casePayload(ctx context.Context, m app.CommandMeta, id string, res app.Result) (procurementPayload, error) {
	if err := r.settle(ctx, m, res); err != nil {
		return procurementPayload{}, err
	}
	s, err := cases.Get(ctx, r.db(), id)
	if err != nil {
		return procurementPayload{}, toAPI(err)
	}
	if s == nil {
		return procurementPayload{}, toAPI(procurement.ErrNotFound)
	}
	return procurementPayload{p: procurementResolver{r: r, s: *s}, res: res}, nil
}

// caseCommand runs one case command for the principal and answers with the case.
func (r *resolver) caseCommand(ctx context.Context, id gql.ID, commandID *gql.ID, run func(p app.Principal, m app.CommandMeta, caseID string) (app.Result, error)) (procurementPayload, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return procurementPayload{}, err
	}
	m := meta(ctx, idString(commandID))
	res, err := run(p, m, string(id))
	if err != nil {
		return procurementPayload{}, toAPI(err)
	}
	return r.casePayload(ctx, m, string(id), res)
}

func (r *resolver) CreateProcurement(ctx context.Context, args struct {
	Input struct {
		Title        string
		Description  *string
		Jurisdiction string
		Cpv          *[]string
		CommandID    *gql.ID
	}
}) (procurementPayload, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return procurementPayload{}, err
	}
	in := app.CreateInput{Title: args.Input.Title, Jurisdiction: procurement.Jurisdiction(args.Input.Jurisdiction)}
	if args.Input.Description != nil {
		in.Description = *args.Input.Description
	}
	if args.Input.Cpv != nil {
		in.CPV = *args.Input.Cpv
	}
	m := meta(ctx, idString(args.Input.CommandID))
	id, res, err := r.Cases.Create(ctx, p, m, in)
	if err != nil {
		return procurementPayload{}, toAPI(err)
	}
	return r.casePayload(ctx, m, id, res)
}

func idString(id *gql.ID) *string {
	if id == nil {
		return nil
	}
	s := string(*id)
	return &s
}

func (r *resolver) InviteMunicipality(ctx context.Context, args struct {
	Input struct {
		ProcurementID  gql.ID
		OrganisationID gql.ID
		CommandID      *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.Invite(ctx, p, m, id, string(in.OrganisationID))
	})
}

func (r *resolver) AcceptInvitation(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.Accept(ctx, p, m, id)
	})
}

func (r *resolver) DeclineInvitation(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Reason        *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	reason := ""
	if in.Reason != nil {
		reason = *in.Reason
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.Decline(ctx, p, m, id, reason)
	})
}

type reasonInput struct {
	ProcurementID gql.ID
	Reason        string
	CommandID     *gql.ID
}

func (r *resolver) WithdrawMunicipality(ctx context.Context, args struct {
	Input struct {
		ProcurementID  gql.ID
		Reason         string
		AssessmentHash *string // schema_award.graphql: required after the contract notice
		CommandID      *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.Withdraw(ctx, p, m, id, in.Reason, deref(in.AssessmentHash))
	})
}

func (r *resolver) CancelProcurement(ctx context.Context, args struct{ Input reasonInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.Cancel(ctx, p, m, id, in.Reason)
	})
}

type recruitmentInput struct {
	ProcurementID gql.ID
	CommandID     *gql.ID
}

func (r *resolver) OpenRecruitment(ctx context.Context, args struct{ Input recruitmentInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.OpenRecruitment(ctx, p, m, id)
	})
}

func (r *resolver) CloseRecruitment(ctx context.Context, args struct{ Input recruitmentInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.CloseRecruitment(ctx, p, m, id)
	})
}

func (r *resolver) RecordAnchoringDecision(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		DecidingBody  string
		DecisionDate  string
		CaseRef       string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RecordAnchoring(ctx, p, m, id, app.AnchoringInput{DecidingBody: in.DecidingBody, DecisionDate: in.DecisionDate, CaseRef: in.CaseRef})
	})
}

func (r *resolver) GrantMandate(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		MandateID     gql.ID
		To            gql.ID
		Scope         []string
		ValidUntil    string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.GrantMandate(ctx, p, m, id, app.MandateInput{MandateID: string(in.MandateID), To: string(in.To), Scope: in.Scope, ValidUntil: in.ValidUntil})
	})
}

func (r *resolver) RevokeMandate(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		MandateID     gql.ID
		Reason        string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RevokeMandate(ctx, p, m, id, string(in.MandateID), in.Reason)
	})
}

type organisationPayload struct {
	o   organisationResolver
	res app.Result
}

func (p organisationPayload) Organisation() organisationResolver { return p.o }
func (p organisationPayload) Revision() int32                    { return int32(p.res.Revision) }
func (p organisationPayload) Position() string                   { return p.res.Position.String() }

func (r *resolver) organisationCommand(ctx context.Context, org string, commandID *gql.ID, run func(p app.Principal, m app.CommandMeta) (app.Result, error)) (organisationPayload, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return organisationPayload{}, err
	}
	m := meta(ctx, idString(commandID))
	res, err := run(p, m)
	if err != nil {
		return organisationPayload{}, toAPI(err)
	}
	if err := r.settle(ctx, m, res); err != nil {
		return organisationPayload{}, err
	}
	o, err := r.organisationOf(ctx, org)
	return organisationPayload{o: o, res: res}, err
}

func (r *resolver) RegisterOrganisation(ctx context.Context, args struct {
	Input struct {
		ID        gql.ID
		Kind      string
		Name      string
		OrgNumber string
		CommandID *gql.ID
	}
}) (organisationPayload, error) {
	in := args.Input
	return r.organisationCommand(ctx, string(in.ID), in.CommandID, func(p app.Principal, m app.CommandMeta) (app.Result, error) {
		return r.Orgs.Register(ctx, p, m, app.RegisterInput{
			ID: string(in.ID), Kind: organisation.Kind(in.Kind), Name: in.Name, OrgNumber: in.OrgNumber,
		})
	})
}

type roleInput struct {
	OrganisationID gql.ID
	User           string
	Role           string
	CommandID      *gql.ID
}

func (r *resolver) GrantRole(ctx context.Context, args struct{ Input roleInput }) (organisationPayload, error) {
	in := args.Input
	return r.organisationCommand(ctx, string(in.OrganisationID), in.CommandID, func(p app.Principal, m app.CommandMeta) (app.Result, error) {
		return r.Orgs.GrantRole(ctx, p, m, string(in.OrganisationID), in.User, organisation.Role(in.Role))
	})
}

func (r *resolver) RevokeRole(ctx context.Context, args struct{ Input roleInput }) (organisationPayload, error) {
	in := args.Input
	return r.organisationCommand(ctx, string(in.OrganisationID), in.CommandID, func(p app.Principal, m app.CommandMeta) (app.Result, error) {
		return r.Orgs.RevokeRole(ctx, p, m, string(in.OrganisationID), in.User, organisation.Role(in.Role))
	})
}
