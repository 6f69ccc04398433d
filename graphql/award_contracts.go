package graphql

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/domain/procurement"
)

// Contracting and follow-up, cancellation votes and withdrawal requests on
// Procurement. Contracts, milestones, deviations, gates and the award notice
// are for the case; call-offs, payments and effects per member are for the
// member itself and for the hub, the lead and auditors (award_access.go).

type contractingResolver struct {
	r   *resolver
	a   awardAccess
	now time.Time
}

func (p procurementResolver) Contracting(ctx context.Context) (*contractingResolver, error) {
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok {
		return nil, err
	}
	switch {
	case len(a.s.Contracting.Contracts) > 0, a.s.Contracting.AwardNotice != nil:
	case a.s.Phase == procurement.PhaseContracting, a.s.Phase == procurement.PhaseContractActive,
		a.s.Phase == procurement.PhaseFollowUp, a.s.Phase == procurement.PhaseClosed:
	default:
		return nil, nil
	}
	return &contractingResolver{r: p.r, a: a, now: p.now()}, nil
}

func (c contractingResolver) SigningModel() *string {
	return optString(string(c.a.s.Agreement.Terms.SigningModel))
}

func (c contractingResolver) Contracts(args struct{ Buyer *gql.ID }) []contractResolver {
	ks := c.a.s.Contracting.Contracts
	out := []contractResolver{}
	for _, id := range sortedKeys(ks) {
		if args.Buyer != nil && !slices.Contains(ks[id].Buyers, string(*args.Buyer)) {
			continue
		}
		out = append(out, contractResolver{c: c, k: ks[id]})
	}
	return out
}

// signerFor is who must sign for buyer under the agreement's signing model:
// under LEAD_SIGNS_ALL the lead for itself and for every buyer whose active
// signContract mandate it holds, otherwise each buyer itself.
func (c contractingResolver) signerFor(buyer string) string {
	s := c.a.s
	if s.Agreement.Terms.SigningModel != procurement.SigningLeadSignsAll || s.Lead == "" || buyer == s.Lead {
		return buyer
	}
	if _, ok := s.MandateCovers(buyer, s.Lead, procurement.ScopeSignContract, c.now); ok {
		return s.Lead
	}
	return buyer
}

// PendingSignatures lists every (active award, joined buyer) no signature
// covers yet, with the contract when one has been started.
func (c contractingResolver) PendingSignatures() []pendingSignatureResolver {
	s := c.a.s
	out := []pendingSignatureResolver{}
	for _, a := range s.ActiveAwards() {
		for _, m := range a.For {
			if s.Members[m] != procurement.MemberJoined {
				continue
			}
			contract, covered := "", false
			for _, id := range sortedKeys(s.Contracting.Contracts) {
				k := s.Contracting.Contracts[id]
				if k.AwardID != a.AwardID || !slices.Contains(k.Buyers, m) {
					continue
				}
				_, signed := k.Signatures[m]
				covered = covered || signed || k.Signed != nil
				contract = k.ID
			}
			if !covered {
				out = append(out, pendingSignatureResolver{r: c.r, award: a.AwardID, lot: a.Lot, contract: contract, buyer: m, signer: c.signerFor(m)})
			}
		}
	}
	return out
}

func (c contractingResolver) CallOffs() []callOffResolver {
	out := oldestFirst(c.a.s.Contracting.CallOffs,
		func(e procurement.CallOffPlaced) bool { return c.a.seesOwnOrAll(e.Org) },
		func(e procurement.CallOffPlaced) time.Time { return e.PlacedAt },
		func(e procurement.CallOffPlaced) callOffResolver { return callOffResolver{orgRef{c.r, e.Org}, e} })
	return out
}

func (c contractingResolver) Milestones() []milestoneResolver {
	return oldestFirst(c.a.s.Contracting.Milestones, nil,
		func(e procurement.MilestoneRecorded) time.Time { return e.RecordedAt },
		func(e procurement.MilestoneRecorded) milestoneResolver { return milestoneResolver{e} })
}

func (c contractingResolver) Deviations() []deviationResolver {
	return oldestFirst(c.a.s.Contracting.Deviations, nil,
		func(e procurement.ContractDeviationRecorded) time.Time { return e.RecordedAt },
		func(e procurement.ContractDeviationRecorded) deviationResolver {
			return deviationResolver{orgRef{c.r, e.RecordedBy}, e}
		})
}

func (c contractingResolver) PhaseGates() []gateResolver {
	out := oldestFirst(c.a.s.Contracting.Gates, nil,
		func(e procurement.PartnershipPhaseCompleted) time.Time { return e.DecidedAt },
		func(e procurement.PartnershipPhaseCompleted) gateResolver { return gateResolver{e} })
	return out
}

func (c contractingResolver) PartnershipTermination() *terminationResolver {
	if c.a.s.Contracting.Terminated == nil {
		return nil
	}
	return &terminationResolver{*c.a.s.Contracting.Terminated}
}

func (c contractingResolver) Payments() []paymentResolver {
	out := []paymentResolver{}
	ps := c.a.s.Contracting.Payments
	for _, id := range sortedKeys(ps) {
		if c.a.seesOwnOrAll(ps[id].Org) {
			out = append(out, paymentResolver{orgRef{c.r, ps[id].Org}, ps[id]})
		}
	}
	slices.SortStableFunc(out, func(x, y paymentResolver) int { return cmp.Compare(x.e.PaidOn, y.e.PaidOn) })
	return out
}

func (c contractingResolver) Effects() ([]effectResolver, error) {
	out := []effectResolver{}
	es := c.a.s.Contracting.Effects
	for _, id := range sortedKeys(es) {
		if !c.a.seesOwnOrAll(es[id].Org) {
			continue
		}
		change, err := effectChange(es[id])
		if err != nil {
			return nil, err
		}
		out = append(out, effectResolver{orgRef{c.r, es[id].Org}, es[id], change})
	}
	slices.SortStableFunc(out, func(x, y effectResolver) int {
		return cmp.Or(cmp.Compare(x.e.Org, y.e.Org), cmp.Compare(x.e.KPI, y.e.KPI), cmp.Compare(x.e.PeriodFrom, y.e.PeriodFrom))
	})
	return out, nil
}

// effectChange is value − baseline in ten-thousandths, exactly.
func effectChange(e procurement.EffectMeasured) (int64, error) {
	base, err := procurement.ParseDecimal(e.Baseline)
	if err != nil {
		return 0, &internalError{cause: fmt.Errorf("effect %s: baseline %q: %w", e.MeasurementID, e.Baseline, err)}
	}
	val, err := procurement.ParseDecimal(e.Value)
	if err != nil {
		return 0, &internalError{cause: fmt.Errorf("effect %s: value %q: %w", e.MeasurementID, e.Value, err)}
	}
	return val - base, nil
}

// EffectTotals sums every member's measurements per KPI and unit, whoever
// reads: a member sees the joint result, not the others' rows.
func (c contractingResolver) EffectTotals() ([]effectTotalResolver, error) {
	type key struct{ kpi, unit string }
	totals := map[key]*effectTotalResolver{}
	var order []key
	for _, e := range c.a.s.Contracting.Effects {
		change, err := effectChange(e)
		if err != nil {
			return nil, err
		}
		k := key{e.KPI, e.Unit}
		t, ok := totals[k]
		if !ok {
			t = &effectTotalResolver{kpi: e.KPI, unit: e.Unit, orgs: map[string]bool{}}
			totals[k] = t
			order = append(order, k)
		}
		t.count++
		t.sum += change
		t.orgs[e.Org] = true
	}
	slices.SortFunc(order, func(x, y key) int { return cmp.Or(cmp.Compare(x.kpi, y.kpi), cmp.Compare(x.unit, y.unit)) })
	out := make([]effectTotalResolver, len(order))
	for i, k := range order {
		out[i] = *totals[k]
	}
	return out, nil
}

func (c contractingResolver) AwardNotice() *awardNoticeResolver {
	if c.a.s.Contracting.AwardNotice == nil {
		return nil
	}
	return &awardNoticeResolver{*c.a.s.Contracting.AwardNotice}
}

func (c contractingResolver) CaseClosing() *caseClosingResolver {
	if c.a.s.Contracting.Closed == nil {
		return nil
	}
	return &caseClosingResolver{*c.a.s.Contracting.Closed}
}

type contractResolver struct {
	c contractingResolver
	k procurement.Contract
}

func (k contractResolver) ID() gql.ID                   { return gql.ID(k.k.ID) }
func (k contractResolver) AwardID() gql.ID              { return gql.ID(k.k.AwardID) }
func (k contractResolver) Lot() gql.ID                  { return gql.ID(k.k.Lot) }
func (k contractResolver) Terms() contractTermsResolver { return contractTermsResolver{k.k.Terms} }
func (k contractResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return k.c.r.organisationOf(ctx, k.k.Supplier)
}
func (k contractResolver) Buyers(ctx context.Context) ([]organisationResolver, error) {
	return k.c.r.organisationsOf(ctx, k.k.Buyers)
}
func (k contractResolver) SignedAt() *DateTime {
	if k.k.Signed == nil {
		return nil
	}
	return &DateTime{k.k.Signed.SignedAt}
}
func (k contractResolver) Closing() *contractClosingResolver {
	if k.k.Closed == nil {
		return nil
	}
	return &contractClosingResolver{*k.k.Closed}
}

// Signatures are the signature events, once each (one may cover several
// buyers), in the order signed.
func (k contractResolver) Signatures() []signatureEventResolver {
	var out []signatureEventResolver
	for _, m := range sortedKeys(k.k.Signatures) {
		sig := k.k.Signatures[m]
		same := func(x signatureEventResolver) bool {
			return x.e.Org == sig.Org && x.e.SignatureRef == sig.SignatureRef && x.e.SignedAt.Equal(sig.SignedAt)
		}
		if !slices.ContainsFunc(out, same) {
			out = append(out, signatureEventResolver{k.c.r, sig})
		}
	}
	slices.SortStableFunc(out, func(x, y signatureEventResolver) int { return x.e.SignedAt.Compare(y.e.SignedAt) })
	if out == nil {
		out = []signatureEventResolver{}
	}
	return out
}

func (k contractResolver) StillToSign() []pendingSignatureResolver {
	out := []pendingSignatureResolver{}
	if k.k.Signed != nil {
		return out
	}
	for _, m := range k.k.Buyers {
		if _, signed := k.k.Signatures[m]; !signed {
			out = append(out, pendingSignatureResolver{r: k.c.r, award: k.k.AwardID, lot: k.k.Lot, contract: k.k.ID, buyer: m, signer: k.c.signerFor(m)})
		}
	}
	return out
}

type contractTermsResolver struct{ t procurement.ContractTerms }

func (t contractTermsResolver) Value() string     { return t.t.Value }
func (t contractTermsResolver) StartDate() string { return t.t.StartDate }
func (t contractTermsResolver) EndDate() string   { return t.t.EndDate }
func (t contractTermsResolver) Framework() bool   { return t.t.Framework }

type signatureEventResolver struct {
	r *resolver
	e procurement.ContractSignatureRecorded
}

func (s signatureEventResolver) Signatory() string    { return s.e.Signatory }
func (s signatureEventResolver) MandateIds() []gql.ID { return ids(s.e.Mandates) }
func (s signatureEventResolver) SignatureRef() string { return s.e.SignatureRef }
func (s signatureEventResolver) SignedAt() DateTime   { return DateTime{s.e.SignedAt} }
func (s signatureEventResolver) Organisation(ctx context.Context) (organisationResolver, error) {
	return s.r.organisationOf(ctx, s.e.Org)
}
func (s signatureEventResolver) Covers(ctx context.Context) ([]organisationResolver, error) {
	return s.r.organisationsOf(ctx, s.e.For)
}

type pendingSignatureResolver struct {
	r                                   *resolver
	award, lot, contract, buyer, signer string
}

func (p pendingSignatureResolver) AwardID() gql.ID { return gql.ID(p.award) }
func (p pendingSignatureResolver) Lot() gql.ID     { return gql.ID(p.lot) }
func (p pendingSignatureResolver) ContractID() *gql.ID {
	if p.contract == "" {
		return nil
	}
	id := gql.ID(p.contract)
	return &id
}
func (p pendingSignatureResolver) Buyer(ctx context.Context) (organisationResolver, error) {
	return p.r.organisationOf(ctx, p.buyer)
}
func (p pendingSignatureResolver) Signer(ctx context.Context) (organisationResolver, error) {
	return p.r.organisationOf(ctx, p.signer)
}

type contractClosingResolver struct{ e procurement.ContractClosed }

func (c contractClosingResolver) FinalStatus() string  { return string(c.e.FinalStatus) }
func (c contractClosingResolver) LessonsHash() *string { return optString(c.e.LessonsHash) }
func (c contractClosingResolver) ClosedAt() DateTime   { return DateTime{c.e.ClosedAt} }

type callOffResolver struct {
	orgRef
	e procurement.CallOffPlaced
}

func (c callOffResolver) ID() gql.ID          { return gql.ID(c.e.CallOffID) }
func (c callOffResolver) ContractID() gql.ID  { return gql.ID(c.e.ContractID) }
func (c callOffResolver) Description() string { return c.e.Description }
func (c callOffResolver) Value() string       { return c.e.Value }
func (c callOffResolver) Competitive() bool   { return c.e.Competitive }
func (c callOffResolver) PlacedAt() DateTime  { return DateTime{c.e.PlacedAt} }

type milestoneResolver struct{ e procurement.MilestoneRecorded }

func (m milestoneResolver) ID() gql.ID           { return gql.ID(m.e.MilestoneID) }
func (m milestoneResolver) ContractID() gql.ID   { return gql.ID(m.e.ContractID) }
func (m milestoneResolver) Title() string        { return m.e.Title }
func (m milestoneResolver) Status() string       { return string(m.e.Status) }
func (m milestoneResolver) Note() *string        { return optString(m.e.Note) }
func (m milestoneResolver) RecordedAt() DateTime { return DateTime{m.e.RecordedAt} }

type deviationResolver struct {
	orgRef
	e procurement.ContractDeviationRecorded
}

func (d deviationResolver) ID() gql.ID           { return gql.ID(d.e.DeviationID) }
func (d deviationResolver) ContractID() gql.ID   { return gql.ID(d.e.ContractID) }
func (d deviationResolver) Severity() string     { return string(d.e.Severity) }
func (d deviationResolver) Description() string  { return d.e.Description }
func (d deviationResolver) RecordedAt() DateTime { return DateTime{d.e.RecordedAt} }
func (d deviationResolver) RecordedBy(ctx context.Context) (organisationResolver, error) {
	return d.Organisation(ctx)
}

type gateResolver struct {
	e procurement.PartnershipPhaseCompleted
}

func (g gateResolver) PhaseID() gql.ID         { return gql.ID(g.e.PhaseID) }
func (g gateResolver) TargetsMet() []string    { return nonNilStrings(g.e.TargetsMet) }
func (g gateResolver) TargetsMissed() []string { return nonNilStrings(g.e.TargetsMissed) }
func (g gateResolver) AssessmentHash() string  { return g.e.AssessmentHash }
func (g gateResolver) Decision() string        { return string(g.e.Decision) }
func (g gateResolver) MandateIds() []gql.ID    { return ids(g.e.Mandates) }
func (g gateResolver) DecidedAt() DateTime     { return DateTime{g.e.DecidedAt} }

type terminationResolver struct {
	e procurement.PartnershipTerminated
}

func (t terminationResolver) PhaseID() gql.ID        { return gql.ID(t.e.PhaseID) }
func (t terminationResolver) Reason() string         { return t.e.Reason }
func (t terminationResolver) TerminatedAt() DateTime { return DateTime{t.e.TerminatedAt} }

type paymentResolver struct {
	orgRef
	e procurement.PaymentRecorded
}

func (p paymentResolver) ID() gql.ID         { return gql.ID(p.e.PaymentID) }
func (p paymentResolver) ContractID() gql.ID { return gql.ID(p.e.ContractID) }
func (p paymentResolver) Amount() string     { return p.e.Amount }
func (p paymentResolver) PaidOn() string     { return p.e.PaidOn }

type effectResolver struct {
	orgRef
	e      procurement.EffectMeasured
	change int64
}

func (e effectResolver) ID() gql.ID         { return gql.ID(e.e.MeasurementID) }
func (e effectResolver) Kpi() string        { return e.e.KPI }
func (e effectResolver) Unit() string       { return e.e.Unit }
func (e effectResolver) Baseline() string   { return e.e.Baseline }
func (e effectResolver) Value() string      { return e.e.Value }
func (e effectResolver) Change() string     { return procurement.FormatDecimal(e.change) }
func (e effectResolver) PeriodFrom() string { return e.e.PeriodFrom }
func (e effectResolver) PeriodTo() string   { return e.e.PeriodTo }
func (e effectResolver) Method() string     { return e.e.Method }

type effectTotalResolver struct {
	kpi, unit string
	count     int
	sum       int64
	orgs      map[string]bool
}

func (t effectTotalResolver) Kpi() string         { return t.kpi }
func (t effectTotalResolver) Unit() string        { return t.unit }
func (t effectTotalResolver) Count() int32        { return int32(t.count) }
func (t effectTotalResolver) Members() int32      { return int32(len(t.orgs)) }
func (t effectTotalResolver) TotalChange() string { return procurement.FormatDecimal(t.sum) }

type awardNoticeResolver struct {
	e procurement.AwardNoticePublished
}

func (n awardNoticeResolver) Channel() string          { return string(n.e.Channel) }
func (n awardNoticeResolver) ExternalNoticeID() string { return n.e.ExternalNoticeID }
func (n awardNoticeResolver) ContractIds() []gql.ID    { return ids(n.e.Contracts) }
func (n awardNoticeResolver) PublishedAt() DateTime    { return DateTime{n.e.PublishedAt} }
func (n awardNoticeResolver) Limit() *minimumResolver  { return optMinimum(n.e.Limit) }

type caseClosingResolver struct{ e procurement.CaseClosed }

func (c caseClosingResolver) LessonsHash() *string { return optString(c.e.LessonsHash) }
func (c caseClosingResolver) ClosedAt() DateTime   { return DateTime{c.e.ClosedAt} }

// --- cancellation votes and withdrawal requests (CASE_INTERNAL) ---

func (p procurementResolver) CancellationProposals(ctx context.Context) ([]cancellationResolver, error) {
	out := []cancellationResolver{}
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok {
		return out, err
	}
	for _, v := range a.s.Cancellations { // only the last can be undecided: a new proposal waits for the last
		status := "OPEN"
		switch {
		case v.Declined:
			status = "DECLINED"
		case a.s.Phase == procurement.PhaseCancelled:
			status = "CARRIED"
		case a.s.Phase.Terminal():
			status = "LAPSED"
		}
		out = append(out, cancellationResolver{p.r, v, status})
	}
	return out, nil
}

type cancellationResolver struct {
	r      *resolver
	v      procurement.CancellationVote
	status string
}

func (c cancellationResolver) Version() int32       { return int32(c.v.Version) }
func (c cancellationResolver) Reason() string       { return c.v.Reason }
func (c cancellationResolver) Rule() string         { return string(c.v.Rule) }
func (c cancellationResolver) ProposedAt() DateTime { return DateTime{c.v.ProposedAt} }
func (c cancellationResolver) Status() string       { return c.status }
func (c cancellationResolver) ProposedBy(ctx context.Context) (organisationResolver, error) {
	return c.r.organisationOf(ctx, c.v.ProposedBy)
}
func (c cancellationResolver) Approvals(ctx context.Context) ([]organisationResolver, error) {
	return c.r.organisationsOf(ctx, c.v.Approvals)
}
func (c cancellationResolver) Rejections(ctx context.Context) ([]organisationResolver, error) {
	return c.r.organisationsOf(ctx, c.v.Rejections)
}

func (p procurementResolver) WithdrawalRequests(ctx context.Context) ([]withdrawalResolver, error) {
	out := []withdrawalResolver{}
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok {
		return out, err
	}
	for _, org := range sortedKeys(a.s.Withdrawals) {
		out = append(out, withdrawalResolver{orgRef{p.r, org}, a.s.Withdrawals[org], a.s.Members[org] == procurement.MemberWithdrawn})
	}
	slices.SortStableFunc(out, func(x, y withdrawalResolver) int { return x.w.RequestedAt.Compare(y.w.RequestedAt) })
	return out, nil
}

type withdrawalResolver struct {
	orgRef
	w         procurement.WithdrawalRequest
	withdrawn bool
}

func (w withdrawalResolver) Reason() string         { return w.w.Reason }
func (w withdrawalResolver) AssessmentHash() string { return w.w.AssessmentHash }
func (w withdrawalResolver) RequestedAt() DateTime  { return DateTime{w.w.RequestedAt} }
func (w withdrawalResolver) Withdrawn() bool        { return w.withdrawn }
func (w withdrawalResolver) ApprovedBy(ctx context.Context) ([]organisationResolver, error) {
	return w.r.organisationsOf(ctx, w.w.ApprovedBy)
}
