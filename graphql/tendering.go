package graphql

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/projections/tendering"
)

// The competition design and the tendering on Procurement; the rules are in
// dialogue.go.

// --- design ---

// designResolver shows the design; internal adds the evaluation committee.
type designResolver struct {
	r        *resolver
	caseID   string
	d        tendering.Design
	internal bool
}

func (p procurementResolver) Design(ctx context.Context) (*designResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return nil, err
	}
	return p.r.designOf(ctx, p.s.ID, true)
}

func (r *resolver) designOf(ctx context.Context, caseID string, internal bool) (*designResolver, error) {
	d, err := tendering.DesignOf(ctx, r.db(), caseID)
	if err != nil || d == nil {
		return nil, toAPI(err)
	}
	return &designResolver{r: r, caseID: caseID, d: *d, internal: internal}, nil
}

func (d designResolver) Procedure() *procedureResolver {
	if d.d.Procedure == nil {
		return nil
	}
	return &procedureResolver{*d.d.Procedure, d.d.ProcedureAt}
}

func (d designResolver) LotsVersion() int32 { return int32(d.d.Lots.Version) }
func (d designResolver) Lots() []lotResolver {
	out := make([]lotResolver, len(d.d.Lots.Lots))
	for i, l := range d.d.Lots.Lots {
		out[i] = lotResolver{d.r, l}
	}
	return out
}

func (d designResolver) RequirementsVersion() int32 { return int32(d.d.Requirements.Version) }
func (d designResolver) Requirements() []requirementResolver {
	out := make([]requirementResolver, len(d.d.Requirements.Requirements))
	for i, q := range d.d.Requirements.Requirements {
		out[i] = requirementResolver{q}
	}
	return out
}

func (d designResolver) Qualification() *qualificationResolver {
	if d.d.Qualification.Version == 0 {
		return nil
	}
	return &qualificationResolver{d.d.Qualification}
}

func (d designResolver) AwardCriteria(ctx context.Context) ([]lotCriteriaResolver, error) {
	cs, err := tendering.AwardCriteriaOf(ctx, d.r.db(), d.caseID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]lotCriteriaResolver, len(cs))
	for i, c := range cs {
		out[i] = lotCriteriaResolver{c}
	}
	return out, nil
}

func (d designResolver) Partnership() *partnershipResolver {
	if d.d.Partnership == nil {
		return nil
	}
	return &partnershipResolver{*d.d.Partnership}
}

func (d designResolver) Evaluators(ctx context.Context) ([]evaluatorResolver, error) {
	out := []evaluatorResolver{}
	if !d.internal {
		return out, nil
	}
	es, err := tendering.Evaluators(ctx, d.r.db(), d.caseID)
	if err != nil {
		return nil, toAPI(err)
	}
	for _, e := range es {
		out = append(out, evaluatorResolver{orgRef{d.r, e.Org}, e})
	}
	return out, nil
}

type procedureResolver struct {
	p  procurement.ProcedureSelected
	at time.Time
}

func (p procedureResolver) SelectedAt() DateTime { return DateTime{p.at} }

func (p procedureResolver) Procedure() string      { return string(p.p.Procedure) }
func (p procedureResolver) Regime() string         { return string(p.p.Regime) }
func (p procedureResolver) LegalBasis() string     { return p.p.LegalBasis }
func (p procedureResolver) Justification() *string { return optString(p.p.Justification) }
func (p procedureResolver) TwoStage() bool         { return procurement.TwoStage(p.p.Procedure) }
func (p procedureResolver) Conditions() []string   { return conditions(p.p.Conditions) }
func (p procedureResolver) MinCandidates() *int32  { return optInt(p.p.MinCandidates) }
func (p procedureResolver) MaxCandidates() *int32  { return optInt(p.p.MaxCandidates) }

func conditions(cs []timelimits.Condition) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func optInt(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(n)
	return &v
}

type lotResolver struct {
	r *resolver
	l procurement.Lot
}

func (l lotResolver) ID() gql.ID              { return gql.ID(l.l.ID) }
func (l lotResolver) Title() string           { return l.l.Title }
func (l lotResolver) EstimatedValue() *string { return optString(l.l.EstimatedValue) }
func (l lotResolver) Members(ctx context.Context) ([]organisationResolver, error) {
	return l.r.organisationsOf(ctx, l.l.Members)
}

type requirementResolver struct{ q procurement.Requirement }

func (q requirementResolver) ID() gql.ID     { return gql.ID(q.q.ID) }
func (q requirementResolver) Kind() string   { return string(q.q.Kind) }
func (q requirementResolver) Text() string   { return q.q.Text }
func (q requirementResolver) Lots() []gql.ID { return ids(q.q.Lots) }

type qualificationResolver struct {
	q procurement.QualificationCriteriaDefined
}

func (q qualificationResolver) Version() int32 { return int32(q.q.Version) }
func (q qualificationResolver) ExclusionGrounds() []string {
	return nonNilStrings(q.q.ExclusionGrounds)
}
func (q qualificationResolver) SelectionCriteria() []selectionResolver {
	out := make([]selectionResolver, len(q.q.SelectionCriteria))
	for i, c := range q.q.SelectionCriteria {
		out[i] = selectionResolver{c}
	}
	return out
}

type selectionResolver struct {
	c procurement.SelectionCriterion
}

func (s selectionResolver) ID() gql.ID       { return gql.ID(s.c.ID) }
func (s selectionResolver) Text() string     { return s.c.Text }
func (s selectionResolver) Evidence() string { return s.c.Evidence }

type lotCriteriaResolver struct{ c tendering.AwardCriteria }

func (l lotCriteriaResolver) Lot() *gql.ID {
	if l.c.Lot == "" {
		return nil
	}
	id := gql.ID(l.c.Lot)
	return &id
}
func (l lotCriteriaResolver) Version() int32      { return int32(l.c.Version) }
func (l lotCriteriaResolver) DefinedAt() DateTime { return DateTime{l.c.DefinedAt} }
func (l lotCriteriaResolver) Criteria() []criterionResolver {
	out := make([]criterionResolver, len(l.c.Criteria))
	for i, c := range l.c.Criteria {
		out[i] = criterionResolver{c}
	}
	return out
}

type criterionResolver struct{ c procurement.AwardCriterion }

func (c criterionResolver) ID() gql.ID               { return gql.ID(c.c.ID) }
func (c criterionResolver) Name() string             { return c.c.Name }
func (c criterionResolver) Type() string             { return string(c.c.Type) }
func (c criterionResolver) Weight() string           { return c.c.Weight }
func (c criterionResolver) WeightBasisPoints() int32 { return int32(c.c.WeightBP) }
func (c criterionResolver) ScaleMin() int32          { return int32(c.c.ScaleMin) }
func (c criterionResolver) ScaleMax() int32          { return int32(c.c.ScaleMax) }
func (c criterionResolver) ScoringMethod() string    { return c.c.ScoringMethod }
func (c criterionResolver) PriceFormula() *string    { return optString(c.c.PriceFormula) }

type partnershipResolver struct {
	p procurement.PartnershipPhasesDefined
}

func (p partnershipResolver) Version() int32 { return int32(p.p.Version) }
func (p partnershipResolver) Phases() []phaseResolver {
	out := make([]phaseResolver, len(p.p.Phases))
	for i, ph := range p.p.Phases {
		out[i] = phaseResolver{ph}
	}
	return out
}
func (p partnershipResolver) PurchaseConditions() purchaseResolver {
	return purchaseResolver{p.p.PurchaseConditions}
}

type phaseResolver struct{ p procurement.PartnershipPhase }

func (p phaseResolver) ID() gql.ID   { return gql.ID(p.p.ID) }
func (p phaseResolver) Goal() string { return p.p.Goal }
func (p phaseResolver) IntermediateTargets() []string {
	return nonNilStrings(p.p.IntermediateTargets)
}
func (p phaseResolver) MaxCost() string { return p.p.MaxCost }
func (p phaseResolver) Due() string     { return p.p.Due }

type purchaseResolver struct {
	c procurement.PurchaseConditions
}

func (c purchaseResolver) PerformanceLevel() string { return c.c.PerformanceLevel }
func (c purchaseResolver) MaxCost() string          { return c.c.MaxCost }

type evaluatorResolver struct {
	orgRef
	e tendering.Evaluator
}

func (e evaluatorResolver) Person() string        { return e.e.Person }
func (e evaluatorResolver) Criteria() []gql.ID    { return ids(e.e.Criteria) }
func (e evaluatorResolver) Lots() []gql.ID        { return ids(e.e.Lots) }
func (e evaluatorResolver) AppointedAt() DateTime { return DateTime{e.e.AppointedAt} }

// --- timetable and legal minima ---

type timetableResolver struct{ t tendering.Timetable }

func (p procurementResolver) Timetable(ctx context.Context) (*timetableResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return nil, err
	}
	return p.r.timetableOf(ctx, p.s.ID)
}

func (r *resolver) timetableOf(ctx context.Context, caseID string) (*timetableResolver, error) {
	t, err := tendering.TimetableOf(ctx, r.db(), caseID)
	if err != nil || t == nil {
		return nil, toAPI(err)
	}
	return &timetableResolver{*t}, nil
}

func (t timetableResolver) Version() int32           { return int32(t.t.Version) }
func (t timetableResolver) NoticeAt() DateTime       { return DateTime{t.t.Plan.NoticeAt} }
func (t timetableResolver) QaCutoff() DateTime       { return DateTime{t.t.Plan.QACutoff} }
func (t timetableResolver) TenderDeadline() DateTime { return DateTime{t.t.Plan.TenderDeadline} }
func (t timetableResolver) OpeningAt() DateTime      { return DateTime{t.t.Plan.OpeningAt} }
func (t timetableResolver) FourEyesOpening() bool    { return t.t.Plan.FourEyesOpening }
func (t timetableResolver) TimeZone() string         { return t.t.TimeZone }
func (t timetableResolver) SetAt() DateTime          { return DateTime{t.t.SetAt} }
func (t timetableResolver) Minima() []minimumResolver {
	return minima(t.t.Minima)
}
func (t timetableResolver) RequestDeadline() *DateTime {
	if t.t.Plan.RequestDeadline.IsZero() {
		return nil
	}
	return &DateTime{t.t.Plan.RequestDeadline}
}

func minima(cs []timelimits.Computation) []minimumResolver {
	out := make([]minimumResolver, len(cs))
	for i, c := range cs {
		out[i] = minimumResolver{c}
	}
	return out
}

type minimumResolver struct{ c timelimits.Computation }

func (m minimumResolver) Rule() string         { return m.c.Rule }
func (m minimumResolver) Name() string         { return m.c.Name }
func (m minimumResolver) Table() string        { return m.c.Table }
func (m minimumResolver) Sources() []string    { return nonNilStrings(m.c.Sources) }
func (m minimumResolver) Unverified() bool     { return m.c.Unverified }
func (m minimumResolver) Bound() string        { return string(m.c.Bound) }
func (m minimumResolver) HasLimit() bool       { return m.c.HasLimit }
func (m minimumResolver) BaseDays() int32      { return int32(m.c.BaseDays) }
func (m minimumResolver) Days() int32          { return int32(m.c.Days) }
func (m minimumResolver) Reductions() []string { return conditions(m.c.Reductions) }
func (m minimumResolver) RollForward() bool    { return m.c.RollForward }
func (m minimumResolver) TimeZone() string     { return m.c.TimeZone }
func (m minimumResolver) SentAt() DateTime     { return DateTime{m.c.SentAt} }
func (m minimumResolver) SentDate() string     { return m.c.SentDate }
func (m minimumResolver) LastDay() *string     { return optString(m.c.LastDay) }
func (m minimumResolver) EndDate() string      { return m.c.EndDate }
func (m minimumResolver) End() DateTime        { return DateTime{m.c.End} }
func (m minimumResolver) Skipped() []skippedResolver {
	out := make([]skippedResolver, len(m.c.Skipped))
	for i, s := range m.c.Skipped {
		out[i] = skippedResolver{s}
	}
	return out
}

type skippedResolver struct{ s timelimits.Skipped }

func (s skippedResolver) Date() string   { return s.s.Date }
func (s skippedResolver) Reason() string { return s.s.Reason }

// --- tender documents (CASE_INTERNAL) ---

func (p procurementResolver) TenderDocuments(ctx context.Context) ([]documentsResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return []documentsResolver{}, err
	}
	ds, err := tendering.Documents(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]documentsResolver, len(ds))
	for i, d := range ds {
		out[i] = documentsResolver{p.r, d}
	}
	return out, nil
}

type documentsResolver struct {
	r *resolver
	d tendering.DocumentsVersion
}

func (d documentsResolver) Version() int32        { return int32(d.d.Version) }
func (d documentsResolver) DocumentHash() string  { return d.d.DocumentHash }
func (d documentsResolver) SubmittedAt() DateTime { return DateTime{d.d.SubmittedAt} }
func (d documentsResolver) Outcome() *string      { return optString(string(d.d.Outcome)) }
func (d documentsResolver) Rule() *string         { return optString(string(d.d.Rule)) }
func (d documentsResolver) DecidedAt() *DateTime {
	if d.d.DecidedAt.IsZero() {
		return nil
	}
	return &DateTime{d.d.DecidedAt}
}
func (d documentsResolver) Votes() []docVoteResolver {
	out := make([]docVoteResolver, len(d.d.Votes))
	for i, v := range d.d.Votes {
		out[i] = docVoteResolver{orgRef{d.r, v.Org}, v}
	}
	return out
}

type docVoteResolver struct {
	orgRef
	v tendering.DocumentsVote
}

func (v docVoteResolver) Approve() bool         { return v.v.Approve }
func (v docVoteResolver) DocumentHash() *string { return optString(v.v.DocumentHash) }
func (v docVoteResolver) Comment() string       { return v.v.Comment }
func (v docVoteResolver) At() DateTime          { return DateTime{v.v.At} }

// --- contract notice and amendments ---

// noticeResolver shows the contract notice; internal adds the mandates.
type noticeResolver struct {
	r        *resolver
	n        tendering.Notice
	internal bool
}

func (p procurementResolver) ContractNotice(ctx context.Context) (*noticeResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return nil, err
	}
	return p.r.noticeOf(ctx, p.s.ID, true)
}

func (r *resolver) noticeOf(ctx context.Context, caseID string, internal bool) (*noticeResolver, error) {
	n, err := tendering.NoticeOf(ctx, r.db(), caseID)
	if err != nil || n == nil {
		return nil, toAPI(err)
	}
	return &noticeResolver{r: r, n: *n, internal: internal}, nil
}

func (n noticeResolver) Channel() string           { return string(n.n.Channel) }
func (n noticeResolver) ExternalNoticeID() string  { return n.n.ExternalNoticeID }
func (n noticeResolver) DocumentsVersion() int32   { return int32(n.n.DocumentsVersion) }
func (n noticeResolver) DocumentHash() string      { return n.n.DocumentHash }
func (n noticeResolver) PublishedAt() DateTime     { return DateTime{n.n.PublishedAt} }
func (n noticeResolver) Round() string             { return string(n.n.Round) }
func (n noticeResolver) FirstDeadline() DateTime   { return DateTime{n.n.FirstDeadline} }
func (n noticeResolver) Deadline() DateTime        { return DateTime{n.n.Deadline} }
func (n noticeResolver) Minima() []minimumResolver { return minima(n.n.Minima) }
func (n noticeResolver) Buyers(ctx context.Context) ([]organisationResolver, error) {
	return n.r.organisationsOf(ctx, n.n.Buyers)
}
func (n noticeResolver) MandateIds() []gql.ID {
	if !n.internal {
		return []gql.ID{}
	}
	return ids(n.n.MandateIDs)
}

func (p procurementResolver) Amendments(ctx context.Context) ([]amendmentResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return []amendmentResolver{}, err
	}
	return p.r.amendmentsOf(ctx, p.s.ID)
}

func (r *resolver) amendmentsOf(ctx context.Context, caseID string) ([]amendmentResolver, error) {
	as, err := tendering.Amendments(ctx, r.db(), caseID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]amendmentResolver, len(as))
	for i, a := range as {
		out[i] = amendmentResolver{a}
	}
	return out, nil
}

type amendmentResolver struct{ a tendering.Amendment }

func (a amendmentResolver) Number() int32         { return int32(a.a.Number) }
func (a amendmentResolver) Changes() []string     { return nonNilStrings(a.a.Changes) }
func (a amendmentResolver) Rationale() string     { return a.a.Rationale }
func (a amendmentResolver) Material() bool        { return a.a.Material }
func (a amendmentResolver) DocumentHash() *string { return optString(a.a.DocumentHash) }
func (a amendmentResolver) RecipientCount() int32 { return int32(a.a.RecipientCount) }
func (a amendmentResolver) AmendedAt() DateTime   { return DateTime{a.a.AmendedAt} }
func (a amendmentResolver) DeadlineExtension() *extensionResolver {
	if a.a.Extension == nil {
		return nil
	}
	return &extensionResolver{*a.a.Extension}
}

type extensionResolver struct{ x tendering.Extension }

func (x extensionResolver) Round() string                { return string(x.x.Round) }
func (x extensionResolver) From() DateTime               { return DateTime{x.x.From} }
func (x extensionResolver) To() DateTime                 { return DateTime{x.x.To} }
func (x extensionResolver) Computation() minimumResolver { return minimumResolver{x.x.Computation} }

// --- sealed submissions ---

// Bids shows each submission's metadata to whom it is visible now: the lead's
// organisation and platform-wide readers always, the case's organisations
// once receipt of the submission's round has closed (DOMAIN.md §5).
func (p procurementResolver) Bids(ctx context.Context) ([]bidResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return []bidResolver{}, err
	}
	bs, err := tendering.Bids(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	closed := map[procurement.Round]bool{}
	if !a.sealedReader() && len(bs) > 0 {
		cs, err := tendering.Closings(ctx, p.r.db(), p.s.ID)
		if err != nil {
			return nil, toAPI(err)
		}
		for _, c := range cs {
			closed[c.Round] = true
		}
	}
	out := []bidResolver{}
	for _, b := range bs {
		if a.sealedReader() || closed[b.Round] {
			out = append(out, bidResolver{r: p.r, caseID: p.s.ID, b: b})
		}
	}
	return out, nil
}

type bidResolver struct {
	r      *resolver
	caseID string
	b      tendering.Bid
}

func (b bidResolver) ID() gql.ID              { return gql.ID(b.b.BidID) }
func (b bidResolver) Round() string           { return string(b.b.Round) }
func (b bidResolver) Lots() []gql.ID          { return ids(b.b.Lots) }
func (b bidResolver) SubmittedAt() DateTime   { return DateTime{b.b.SubmittedAt} }
func (b bidResolver) ReceivedAt() DateTime    { return DateTime{b.b.ReceivedAt} }
func (b bidResolver) Sha256() string          { return b.b.SHA256 }
func (b bidResolver) SizeBytes() int32        { return int32(b.b.SizeBytes) }
func (b bidResolver) Version() int32          { return int32(b.b.Version) }
func (b bidResolver) Withdrawn() bool         { return b.b.Withdrawn }
func (b bidResolver) NeedsConfirmation() bool { return b.b.NeedsConfirmation }
func (b bidResolver) Opened() bool            { return b.b.Opened }
func (b bidResolver) WithdrawnAt() *DateTime {
	if !b.b.Withdrawn {
		return nil
	}
	return &DateTime{b.b.WithdrawnAt}
}
func (b bidResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return b.r.organisationOf(ctx, b.b.Supplier)
}

// defaultReadPurpose is logged when a reader gives no purpose.
const defaultReadPurpose = "read through the API"

// Content goes through app.Bids.Content, which decides (after the opening:
// the lead's sealed readers and auditors, and an appointed evaluator who has
// declared no conflict of interest, for the tenders it evaluates), reads the
// log rather than this view, and logs every attempt. Before the opening the
// answer is bid.sealed for everyone: no one learns more about a sealed
// submission than that it is sealed.
func (b bidResolver) Content(ctx context.Context, args struct{ Purpose *string }) (*string, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	purpose := defaultReadPurpose
	if args.Purpose != nil && *args.Purpose != "" {
		if len(*args.Purpose) > 500 {
			return nil, badInput("bid.purpose_too_long", "a purpose is at most 500 characters")
		}
		purpose = *args.Purpose
	}
	content, err := b.r.Bids.Content(ctx, p, b.caseID, b.b.BidID, purpose)
	if err != nil {
		if !b.b.Opened && errors.Is(err, app.ErrNoContentAccess) {
			err = app.ErrSealed
		}
		return nil, toAPI(err)
	}
	s := base64.StdEncoding.EncodeToString(content)
	return &s, nil
}

// --- receipt, opening, access log, reminders ---

func (p procurementResolver) ReceiptClosings(ctx context.Context) ([]closingResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.sealedReader() {
		return []closingResolver{}, err
	}
	cs, err := tendering.Closings(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]closingResolver, len(cs))
	for i, c := range cs {
		out[i] = closingResolver{c}
	}
	return out, nil
}

type closingResolver struct{ c tendering.Closing }

func (c closingResolver) Round() string          { return string(c.c.Round) }
func (c closingResolver) Deadline() DateTime     { return DateTime{c.c.Deadline} }
func (c closingResolver) ClosedAt() DateTime     { return DateTime{c.c.ClosedAt} }
func (c closingResolver) SubmissionCount() int32 { return int32(len(c.c.Submissions)) }
func (c closingResolver) PerLot() []lotCountResolver {
	out := make([]lotCountResolver, 0, len(c.c.PerLot))
	for _, lot := range sortedKeys(c.c.PerLot) {
		out = append(out, lotCountResolver{lot, c.c.PerLot[lot]})
	}
	return out
}

type lotCountResolver struct {
	lot   string
	count int
}

func (l lotCountResolver) Lot() gql.ID  { return gql.ID(l.lot) }
func (l lotCountResolver) Count() int32 { return int32(l.count) }

func (p procurementResolver) PendingOpenings(ctx context.Context) ([]pendingOpeningResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.sealedReader() {
		return []pendingOpeningResolver{}, err
	}
	starts, err := tendering.OpeningStarts(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := []pendingOpeningResolver{}
	if len(starts) == 0 {
		return out, nil
	}
	opened, err := tendering.Openings(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	for _, s := range starts {
		done := false
		for _, o := range opened {
			done = done || o.Round == s.Round
		}
		if !done {
			out = append(out, pendingOpeningResolver{s})
		}
	}
	return out, nil
}

type pendingOpeningResolver struct{ s tendering.OpeningStart }

func (o pendingOpeningResolver) Round() string       { return string(o.s.Round) }
func (o pendingOpeningResolver) StartedBy() string   { return o.s.StartedBy }
func (o pendingOpeningResolver) StartedAt() DateTime { return DateTime{o.s.StartedAt} }

func (p procurementResolver) OpeningProtocol(ctx context.Context, args struct{ Round *string }) (*openingResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.sealedReader() {
		return nil, err
	}
	os, err := tendering.Openings(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	for i := len(os) - 1; i >= 0; i-- {
		if args.Round == nil || string(os[i].Round) == *args.Round {
			return &openingResolver{p.r, os[i]}, nil
		}
	}
	return nil, nil
}

type openingResolver struct {
	r *resolver
	o tendering.Opening
}

func (o openingResolver) Round() string        { return string(o.o.Round) }
func (o openingResolver) OpenedAt() DateTime   { return DateTime{o.o.OpenedAt} }
func (o openingResolver) OpenedBy() []string   { return nonNilStrings(o.o.OpenedBy) }
func (o openingResolver) HashesVerified() bool { return o.o.HashesVerified }
func (o openingResolver) ProtocolHash() string { return o.o.ProtocolHash }
func (o openingResolver) Bids() []openedBidResolver {
	out := make([]openedBidResolver, len(o.o.Bids))
	for i, b := range o.o.Bids {
		out[i] = openedBidResolver{o.r, b}
	}
	return out
}

type openedBidResolver struct {
	r *resolver
	b procurement.OpenedBid
}

func (b openedBidResolver) BidID() gql.ID           { return gql.ID(b.b.BidID) }
func (b openedBidResolver) Lots() []gql.ID          { return ids(b.b.Lots) }
func (b openedBidResolver) ReceivedAt() DateTime    { return DateTime{b.b.ReceivedAt} }
func (b openedBidResolver) Sha256() string          { return b.b.SHA256 }
func (b openedBidResolver) HashVerified() bool      { return b.b.HashVerified }
func (b openedBidResolver) NeedsConfirmation() bool { return b.b.NeedsConfirmation }

func (b openedBidResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return b.r.organisationOf(ctx, b.b.Supplier)
}

// SealedAccessLog is app.Bids.AccessLog for those it serves (the lead's
// organisation and platform-wide readers), empty for everyone else: the
// access log's records of reads of sealed content (bid/<id>/content), from the
// event log.
func (p procurementResolver) SealedAccessLog(ctx context.Context) ([]accessResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.sealedReader() {
		return []accessResolver{}, err
	}
	log, err := p.r.Bids.AccessLog(ctx, a.p, p.s.ID)
	if errors.Is(err, app.ErrNoContentAccess) {
		return []accessResolver{}, nil // the view's lead is ahead of the log
	}
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]accessResolver, 0, len(log))
	for _, x := range log {
		if strings.HasPrefix(x.Resource, "bid/") { // reads of a submission's content, not of the history
			out = append(out, accessResolver{orgRef{p.r, x.Org}, x})
		}
	}
	return out, nil
}

type accessResolver struct {
	orgRef
	a app.AccessEntry
}

func (a accessResolver) User() string     { return a.a.User }
func (a accessResolver) BidID() gql.ID    { return gql.ID(a.a.Subject) }
func (a accessResolver) Resource() string { return a.a.Resource }
func (a accessResolver) Class() string    { return a.a.Class }
func (a accessResolver) Purpose() string  { return a.a.Purpose }
func (a accessResolver) Granted() bool    { return a.a.Granted }
func (a accessResolver) At() DateTime     { return DateTime{a.a.At} }

func (p procurementResolver) Reminders(ctx context.Context) ([]reminderResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return []reminderResolver{}, err
	}
	rs, err := tendering.Reminders(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]reminderResolver, len(rs))
	for i, m := range rs {
		out[i] = reminderResolver{p.r, m}
	}
	return out, nil
}

type reminderResolver struct {
	r *resolver
	m tendering.Reminder
}

func (m reminderResolver) Kind() string     { return string(m.m.Kind) }
func (m reminderResolver) Subject() string  { return m.m.Subject }
func (m reminderResolver) Day() string      { return m.m.Day }
func (m reminderResolver) SentAt() DateTime { return DateTime{m.m.SentAt} }
func (m reminderResolver) Recipients(ctx context.Context) ([]organisationResolver, error) {
	return m.r.organisationsOf(ctx, m.m.Recipients)
}
