package graphql

import (
	"context"
	"slices"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/casework"
)

// Field-level rules (DOMAIN.md §5): a case's overview is visible to its hub
// and members; some fields are narrower still. A member's needs draft is its
// own (ORG_PRIVATE): no other organisation sees it through any field, and the
// submissions of all members are for the hub, the lead's officers and
// auditors, while a member sees its own.

// orgRef resolves an organisation ID lazily; embedding it gives a type its
// organisation field.
type orgRef struct {
	r  *resolver
	id string
}

// Organisation is promoted to every resolver that embeds an orgRef.
func (o orgRef) Organisation(ctx context.Context) (organisationResolver, error) {
	return o.r.organisationOf(ctx, o.id)
}

func (p procurementResolver) org(id string) orgRef { return orgRef{r: p.r, id: id} }

type agreementResolver struct {
	p procurementResolver
	a casework.Agreement
}

func (p procurementResolver) Agreement(ctx context.Context) (*agreementResolver, error) {
	a, err := casework.AgreementOf(ctx, p.r.db(), p.s.ID)
	if err != nil || a == nil || a.Version == 0 { // a lead can be designated before the draft
		return nil, toAPI(err)
	}
	return &agreementResolver{p: p, a: *a}, nil
}

func (a agreementResolver) Version() int32       { return int32(a.a.Version) }
func (a agreementResolver) UpdatedAt() DateTime  { return DateTime{a.a.UpdatedAt} }
func (a agreementResolver) Terms() termsResolver { return termsResolver{a.a.Terms} }
func (a agreementResolver) signatures(ctx context.Context) ([]casework.Signature, error) {
	sigs, err := casework.Signatures(ctx, a.p.r.db(), a.p.s.ID)
	return sigs, toAPI(err)
}

func (a agreementResolver) Signatures(ctx context.Context) ([]signatureResolver, error) {
	sigs, err := a.signatures(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]signatureResolver, len(sigs))
	for i, s := range sigs {
		out[i] = signatureResolver{a.p.org(s.Org), s}
	}
	return out, nil
}

// SignedBy lists the signatures of the current version by members still joined.
func (a agreementResolver) SignedBy(ctx context.Context) ([]signatureResolver, error) {
	sigs, err := a.signatures(ctx)
	if err != nil {
		return nil, err
	}
	joined, err := a.joined(ctx)
	if err != nil {
		return nil, err
	}
	var out []signatureResolver
	for _, s := range sigs {
		if s.Version == a.a.Version && slices.Contains(joined, s.Org) {
			out = append(out, signatureResolver{a.p.org(s.Org), s})
		}
	}
	return out, nil
}

func (a agreementResolver) NotSignedBy(ctx context.Context) ([]organisationResolver, error) {
	sigs, err := a.signatures(ctx)
	if err != nil {
		return nil, err
	}
	joined, err := a.joined(ctx)
	if err != nil {
		return nil, err
	}
	out := []organisationResolver{}
	for _, org := range joined {
		if !slices.ContainsFunc(sigs, func(s casework.Signature) bool { return s.Org == org && s.Version == a.a.Version }) {
			o, err := a.p.r.organisationOf(ctx, org)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	}
	return out, nil
}

func (a agreementResolver) joined(ctx context.Context) ([]string, error) {
	ms, err := cases.Members(ctx, a.p.r.db(), a.p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	var out []string
	for _, m := range ms {
		if m.Status == "JOINED" {
			out = append(out, m.Org)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (a agreementResolver) Versions(ctx context.Context) ([]versionResolver, error) {
	vs, err := casework.AgreementVersions(ctx, a.p.r.db(), a.p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]versionResolver, len(vs))
	for i, v := range vs {
		out[i] = versionResolver{v}
	}
	return out, nil
}

type versionResolver struct{ v casework.AgreementVersion }

func (v versionResolver) Version() int32       { return int32(v.v.Version) }
func (v versionResolver) Terms() termsResolver { return termsResolver{v.v.Terms} }
func (v versionResolver) At() DateTime         { return DateTime{v.v.At} }

type signatureResolver struct {
	orgRef
	s casework.Signature
}

func (s signatureResolver) Version() int32       { return int32(s.s.Version) }
func (s signatureResolver) Signatory() string    { return s.s.Signatory }
func (s signatureResolver) SignatureRef() string { return s.s.SignatureRef }
func (s signatureResolver) SignedAt() DateTime   { return DateTime{s.s.SignedAt} }

func (p procurementResolver) Lead(ctx context.Context) (*organisationResolver, error) {
	a, err := casework.AgreementOf(ctx, p.r.db(), p.s.ID)
	if err != nil || a == nil || a.Lead == "" {
		return nil, toAPI(err)
	}
	o, err := p.r.organisationOf(ctx, a.Lead)
	return &o, err
}

type consentResolver struct {
	p procurementResolver
	c casework.LeadConsent
}

func (c consentResolver) Organisation(ctx context.Context) (organisationResolver, error) {
	return c.p.r.organisationOf(ctx, c.c.Org)
}
func (c consentResolver) Lead(ctx context.Context) (organisationResolver, error) {
	return c.p.r.organisationOf(ctx, c.c.Lead)
}
func (c consentResolver) At() DateTime { return DateTime{c.c.At} }

func (p procurementResolver) LeadConsents(ctx context.Context) ([]consentResolver, error) {
	cs, err := casework.LeadConsents(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]consentResolver, len(cs))
	for i, c := range cs {
		out[i] = consentResolver{p, c}
	}
	return out, nil
}

// AgreementGaps reads the case from the log, which the views may lag behind.
func (p procurementResolver) AgreementGaps(ctx context.Context) ([]string, error) {
	if p.s.Phase != "AGREEMENT" {
		return []string{}, nil
	}
	s, err := p.state(ctx)
	if err != nil {
		return nil, toAPI(err)
	}
	gaps := s.AgreementGaps(p.now())
	if gaps == nil {
		gaps = []string{}
	}
	return gaps, nil
}

// termsResolver shows one version's terms.
type termsResolver struct{ t procurement.AgreementTerms }

func (t termsResolver) DocumentHash() string         { return t.t.DocumentHash }
func (t termsResolver) SigningModel() string         { return string(t.t.SigningModel) }
func (t termsResolver) LiabilityTerms() string       { return t.t.LiabilityTerms }
func (t termsResolver) WithdrawalTerms() string      { return t.t.WithdrawalTerms }
func (t termsResolver) DecisionRules() rulesResolver { return rulesResolver{t.t.DecisionRules} }

type rulesResolver struct{ r procurement.DecisionRules }

func (r rulesResolver) Procedure() string { return string(r.r.Procedure) }
func (r rulesResolver) Approval() string  { return string(r.r.Approval) }
func (r rulesResolver) Award() string     { return string(r.r.Award) }

// principalAccess is what the principal is in a case, for the field rules.
type principalAccess struct {
	p           app.Principal
	everything  bool // platform-wide read (auditors, platform admins)
	hub         bool
	leadOfficer bool // acts for the lead with the right to consolidate
}

func (p procurementResolver) access(ctx context.Context) (principalAccess, error) {
	pr, err := principalFrom(ctx)
	if err != nil {
		return principalAccess{}, err
	}
	everything, err := p.r.Dispatcher.ReadScope(pr, app.ObjectProcurement)
	if err != nil {
		return principalAccess{}, toAPI(err)
	}
	a := principalAccess{p: pr, everything: everything, hub: pr.Org == p.s.Hub}
	if ag, err := casework.AgreementOf(ctx, p.r.db(), p.s.ID); err != nil {
		return principalAccess{}, toAPI(err)
	} else if ag != nil && ag.Lead == pr.Org {
		a.leadOfficer = p.r.Dispatcher.Authorize(pr, app.ObjectProcurement, "ConsolidateNeeds") == nil
	}
	return a, nil
}

// seesAllSubmissions: the hub, the lead's officers and auditors (DOMAIN.md §5).
func (a principalAccess) seesAllSubmissions() bool { return a.everything || a.hub || a.leadOfficer }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
