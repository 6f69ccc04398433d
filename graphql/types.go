package graphql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/organisations"
)

// DateTime is the RFC 3339 scalar.
type DateTime struct{ time.Time }

func (DateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

func (t *DateTime) UnmarshalGraphQL(in any) error {
	s, ok := in.(string)
	if !ok {
		return fmt.Errorf("DateTime must be an RFC 3339 string")
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	t.Time = v
	return err
}

func (t DateTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}

type organisationResolver struct{ o organisations.Organisation }

func (o organisationResolver) ID() gql.ID        { return gql.ID(o.o.ID) }
func (o organisationResolver) Name() string      { return o.o.Name }
func (o organisationResolver) Kind() string      { return o.o.Kind }
func (o organisationResolver) OrgNumber() string { return o.o.OrgNumber }

// organisationOf resolves an organisation from the directory; one that is not
// (yet) registered still answers with its ID so a case never breaks on it.
func (r *resolver) organisationOf(ctx context.Context, id string) (organisationResolver, error) {
	o, err := organisations.Get(ctx, r.db(), id)
	if err != nil {
		return organisationResolver{}, toAPI(err)
	}
	if o == nil {
		return organisationResolver{organisations.Organisation{ID: id, Name: id, Kind: "OTHER"}}, nil
	}
	return organisationResolver{*o}, nil
}

type procurementResolver struct {
	r  *resolver
	s  cases.Summary
	at *historicCut // set when the case is shown as it was (time travel)
}

func (p procurementResolver) ID() gql.ID           { return gql.ID(p.s.ID) }
func (p procurementResolver) Title() string        { return p.s.Title }
func (p procurementResolver) Jurisdiction() string { return p.s.Jurisdiction }
func (p procurementResolver) Phase() string        { return p.s.Phase }
func (p procurementResolver) Revision() int32      { return int32(p.s.Revision) }
func (p procurementResolver) CreatedAt() DateTime  { return DateTime{p.s.CreatedAt} }
func (p procurementResolver) UpdatedAt() DateTime  { return DateTime{p.s.UpdatedAt} }

func (p procurementResolver) Cpv() []string {
	if p.s.CPV == nil {
		return []string{}
	}
	return p.s.CPV
}

func (p procurementResolver) Description() *string {
	if p.s.Description == "" {
		return nil
	}
	return &p.s.Description
}

func (p procurementResolver) Hub(ctx context.Context) (organisationResolver, error) {
	return p.r.organisationOf(ctx, p.s.Hub)
}

type mandateResolver struct {
	r *resolver
	m cases.Mandate
}

func (m mandateResolver) ID() gql.ID          { return gql.ID(m.m.ID) }
func (m mandateResolver) Scope() []string     { return m.m.Scope }
func (m mandateResolver) ValidUntil() string  { return m.m.ValidUntil }
func (m mandateResolver) GrantedAt() DateTime { return DateTime{m.m.GrantedAt} }
func (m mandateResolver) From(ctx context.Context) (organisationResolver, error) {
	return m.r.organisationOf(ctx, m.m.From)
}
func (m mandateResolver) To(ctx context.Context) (organisationResolver, error) {
	return m.r.organisationOf(ctx, m.m.To)
}
func (m mandateResolver) RevokedAt() *DateTime {
	if m.m.RevokedAt == nil {
		return nil
	}
	return &DateTime{*m.m.RevokedAt}
}

func (p procurementResolver) Mandates(ctx context.Context) ([]mandateResolver, error) {
	ms, err := cases.Mandates(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]mandateResolver, len(ms))
	for i, m := range ms {
		out[i] = mandateResolver{r: p.r, m: m}
	}
	return out, nil
}

type memberCounts struct{ s cases.Summary }

func (m memberCounts) Invited() int32   { return int32(m.s.Invited) }
func (m memberCounts) Joined() int32    { return int32(m.s.Joined) }
func (m memberCounts) Declined() int32  { return int32(m.s.Declined) }
func (m memberCounts) Withdrawn() int32 { return int32(m.s.Withdrawn) }

func (p procurementResolver) MemberCounts() memberCounts { return memberCounts{p.s} }

type memberResolver struct {
	r   *resolver
	org organisationResolver
	m   cases.Member
}

func (m memberResolver) Organisation() organisationResolver { return m.org }
func (m memberResolver) Status() string                     { return m.m.Status }
func (m memberResolver) InvitedAt() DateTime                { return DateTime{m.m.InvitedAt} }
func (m memberResolver) UpdatedAt() DateTime                { return DateTime{m.m.UpdatedAt} }

func (m memberResolver) Anchoring(ctx context.Context) (*anchoringResolver, error) {
	a, err := cases.AnchoringOf(ctx, m.r.db(), m.m.CaseID, m.m.Org)
	if err != nil || a == nil {
		return nil, toAPI(err)
	}
	return &anchoringResolver{*a}, nil
}

type anchoringResolver struct{ a cases.Anchoring }

func (a anchoringResolver) DecidingBody() string { return a.a.DecidingBody }
func (a anchoringResolver) DecisionDate() string { return a.a.DecisionDate }
func (a anchoringResolver) CaseRef() string      { return a.a.CaseRef }
func (a anchoringResolver) RecordedAt() DateTime { return DateTime{a.a.RecordedAt} }

func (p procurementResolver) Members(ctx context.Context) ([]memberResolver, error) {
	ms, err := cases.Members(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]memberResolver, 0, len(ms))
	for _, m := range ms {
		org, err := p.r.organisationOf(ctx, m.Org)
		if err != nil {
			return nil, err
		}
		out = append(out, memberResolver{r: p.r, org: org, m: m})
	}
	return out, nil
}
