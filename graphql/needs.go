package graphql

import (
	"context"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/casework"
)

type needResolver struct{ n procurement.Need }

func (n needResolver) ID() gql.ID              { return gql.ID(n.n.ID) }
func (n needResolver) Statement() string       { return n.n.Statement }
func (n needResolver) UserGroup() string       { return n.n.UserGroup }
func (n needResolver) CurrentSolution() string { return n.n.CurrentSolution }
func (n needResolver) SuccessCriteria() string { return n.n.SuccessCriteria }

func needResolvers(ns []procurement.Need) []needResolver {
	out := make([]needResolver, len(ns))
	for i, n := range ns {
		out[i] = needResolver{n}
	}
	return out
}

type draftResolver struct {
	orgRef
	d casework.Draft
}

func (d draftResolver) Version() int32        { return int32(d.d.Version) }
func (d draftResolver) Needs() []needResolver { return needResolvers(d.d.Needs) }
func (d draftResolver) Notes() string         { return d.d.Notes }
func (d draftResolver) SavedAt() DateTime     { return DateTime{d.d.SavedAt} }

// MyNeedsDraft is the only field that reads drafts, and it reads only the
// acting organisation's own, for the roles that may (ReadNeedsDraft). No
// role, platform-wide ones included, reads another organisation's draft.
func (p procurementResolver) MyNeedsDraft(ctx context.Context) (*draftResolver, error) {
	pr, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if p.r.Dispatcher.Authorize(pr, app.ObjectProcurement, "ReadNeedsDraft") != nil {
		return nil, nil
	}
	status, err := cases.MemberStatus(ctx, p.r.db(), p.s.ID, pr.Org)
	if err != nil || status == "" {
		return nil, toAPI(err)
	}
	d, err := casework.DraftOf(ctx, p.r.db(), p.s.ID, pr.Org)
	if err != nil || d == nil || d.Org != pr.Org {
		return nil, toAPI(err)
	}
	return &draftResolver{p.org(d.Org), *d}, nil
}

type submissionResolver struct {
	orgRef
	s casework.Submission
}

func (s submissionResolver) Version() int32        { return int32(s.s.Version) }
func (s submissionResolver) Needs() []needResolver { return needResolvers(s.s.Needs) }
func (s submissionResolver) AdoptCommonNeed() bool { return s.s.AdoptCommonNeed }
func (s submissionResolver) SubmittedAt() DateTime { return DateTime{s.s.SubmittedAt} }

func (p procurementResolver) NeedsSubmissions(ctx context.Context) ([]submissionResolver, error) {
	a, err := p.access(ctx)
	if err != nil {
		return nil, err
	}
	var subs []casework.Submission
	if a.seesAllSubmissions() {
		subs, err = casework.Submissions(ctx, p.r.db(), p.s.ID)
	} else {
		var own *casework.Submission
		own, err = casework.SubmissionOf(ctx, p.r.db(), p.s.ID, a.p.Org)
		if own != nil {
			subs = []casework.Submission{*own}
		}
	}
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]submissionResolver, len(subs))
	for i, s := range subs {
		out[i] = submissionResolver{p.org(s.Org), s}
	}
	return out, nil
}

type consolidationResolver struct {
	p procurementResolver
	c casework.Consolidation
}

func (p procurementResolver) ConsolidatedNeeds(ctx context.Context) ([]consolidationResolver, error) {
	cs, err := casework.Consolidations(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]consolidationResolver, len(cs))
	for i, c := range cs {
		out[i] = consolidationResolver{p, c}
	}
	return out, nil
}

func (c consolidationResolver) Version() int32           { return int32(c.c.Version) }
func (c consolidationResolver) ConsolidatedAt() DateTime { return DateTime{c.c.ConsolidatedAt} }
func (c consolidationResolver) DecidedAt() *DateTime {
	if c.c.DecidedAt == nil {
		return nil
	}
	return &DateTime{*c.c.DecidedAt}
}
func (c consolidationResolver) Outcome() *string {
	if c.c.Outcome == "" {
		return nil
	}
	return &c.c.Outcome
}

func (c consolidationResolver) Sources() []submissionRefResolver {
	out := make([]submissionRefResolver, len(c.c.Sources))
	for i, s := range c.c.Sources {
		out[i] = submissionRefResolver{c.p.org(s.Org), s.Version}
	}
	return out
}

func (c consolidationResolver) CommonNeeds() []commonNeedResolver {
	out := make([]commonNeedResolver, len(c.c.CommonNeeds))
	for i, n := range c.c.CommonNeeds {
		out[i] = commonNeedResolver{c.p, n}
	}
	return out
}

func (c consolidationResolver) Divergences() []divergenceResolver {
	out := make([]divergenceResolver, len(c.c.Divergences))
	for i, d := range c.c.Divergences {
		out[i] = divergenceResolver{c.p, d}
	}
	return out
}

func (c consolidationResolver) Votes() []voteResolver {
	out := make([]voteResolver, len(c.c.Votes))
	for i, v := range c.c.Votes {
		out[i] = voteResolver{c.p.org(v.Org), v}
	}
	return out
}

type submissionRefResolver struct {
	orgRef
	version int
}

func (s submissionRefResolver) Version() int32 { return int32(s.version) }

type commonNeedResolver struct {
	p procurementResolver
	n procurement.CommonNeed
}

func (c commonNeedResolver) ID() gql.ID        { return gql.ID(c.n.ID) }
func (c commonNeedResolver) Statement() string { return c.n.Statement }
func (c commonNeedResolver) Sources() []needRefResolver {
	out := make([]needRefResolver, len(c.n.Sources))
	for i, s := range c.n.Sources {
		out[i] = needRefResolver{c.p.org(s.Org), s.NeedID}
	}
	return out
}

type needRefResolver struct {
	orgRef
	needID string
}

func (n needRefResolver) NeedID() gql.ID { return gql.ID(n.needID) }

type divergenceResolver struct {
	p procurementResolver
	d procurement.Divergence
}

func (d divergenceResolver) Topic() string       { return d.d.Topic }
func (d divergenceResolver) Description() string { return d.d.Description }
func (d divergenceResolver) Organisations(ctx context.Context) ([]organisationResolver, error) {
	out := make([]organisationResolver, len(d.d.Orgs))
	for i, org := range d.d.Orgs {
		o, err := d.p.r.organisationOf(ctx, org)
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

type voteResolver struct {
	orgRef
	v casework.Vote
}

func (v voteResolver) Approve() bool   { return v.v.Approve }
func (v voteResolver) Comment() string { return v.v.Comment }
func (v voteResolver) At() DateTime    { return DateTime{v.v.At} }

// --- commitments and joint value ---

type commitmentResolver struct {
	orgRef
	c casework.Commitment
}

func (p procurementResolver) Commitments(ctx context.Context) ([]commitmentResolver, error) {
	cs, err := casework.Commitments(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]commitmentResolver, len(cs))
	for i, c := range cs {
		out[i] = commitmentResolver{p.org(c.Org), c}
	}
	return out, nil
}

func (c commitmentResolver) Lot() gql.ID      { return gql.ID(c.c.Lot) }
func (c commitmentResolver) Type() string     { return string(c.c.Type) }
func (c commitmentResolver) Quantity() string { return c.c.Quantity }
func (c commitmentResolver) Unit() string     { return c.c.Unit }
func (c commitmentResolver) EstimatedValue() string {
	return procurement.FormatMoney(c.c.EstimatedValue)
}
func (c commitmentResolver) Currency() string      { return c.c.Currency }
func (c commitmentResolver) CommittedAt() DateTime { return DateTime{c.c.CommittedAt} }
func (c commitmentResolver) UpdatedAt() DateTime   { return DateTime{c.c.UpdatedAt} }
func (c commitmentResolver) BudgetYears() []int32 {
	out := make([]int32, len(c.c.BudgetYears))
	for i, y := range c.c.BudgetYears {
		out[i] = int32(y)
	}
	return out
}

type jointValueResolver struct {
	p procurementResolver
	v procurement.JointValue
}

func (p procurementResolver) JointEstimatedValue(ctx context.Context) (jointValueResolver, error) {
	v, err := casework.JointValue(ctx, p.r.db(), p.s.ID, procurement.CurrencyOf(procurement.Jurisdiction(p.s.Jurisdiction)))
	if err != nil {
		return jointValueResolver{}, toAPI(err)
	}
	return jointValueResolver{p, v}, nil
}

func (j jointValueResolver) Currency() string   { return j.v.Currency }
func (j jointValueResolver) Binding() string    { return procurement.FormatMoney(j.v.Binding) }
func (j jointValueResolver) Indicative() string { return procurement.FormatMoney(j.v.Indicative) }
func (j jointValueResolver) Option() string     { return procurement.FormatMoney(j.v.Option) }
func (j jointValueResolver) Total() string      { return procurement.FormatMoney(j.v.Total()) }
func (j jointValueResolver) PerMember() []memberValueResolver {
	out := []memberValueResolver{}
	for _, org := range sortedKeys(j.v.PerMember) {
		out = append(out, memberValueResolver{j.p.org(org), j.v.PerMember[org]})
	}
	return out
}

type memberValueResolver struct {
	orgRef
	value int64
}

func (m memberValueResolver) Value() string { return procurement.FormatMoney(m.value) }

// --- cost-sharing keys and shares ---

type costKeyResolver struct {
	p procurementResolver
	k casework.CostKey
}

func (p procurementResolver) CostSharingKey(ctx context.Context) (*costKeyResolver, error) {
	k, err := casework.CostKeyOf(ctx, p.r.db(), p.s.ID)
	if err != nil || k == nil {
		return nil, toAPI(err)
	}
	return &costKeyResolver{p, *k}, nil
}

func (k costKeyResolver) Version() int32     { return int32(k.k.Version) }
func (k costKeyResolver) Method() string     { return string(k.k.Key.Method) }
func (k costKeyResolver) CountOptions() bool { return k.k.Key.CountOptions }
func (k costKeyResolver) SetAt() DateTime    { return DateTime{k.k.SetAt} }
func (k costKeyResolver) EqualWeight() float64 {
	return float64(k.k.Key.Weights.Equal) / float64(costshare.One)
}
func (k costKeyResolver) PopulationWeight() float64 {
	return float64(k.k.Key.Weights.Population) / float64(costshare.One)
}
func (k costKeyResolver) VolumeWeight() float64 {
	return float64(k.k.Key.Weights.Volume) / float64(costshare.One)
}
func (k costKeyResolver) Populations() []populationResolver {
	out := make([]populationResolver, len(k.k.Key.Populations))
	for i, f := range k.k.Key.Populations {
		out[i] = populationResolver{k.p.org(f.Org), f}
	}
	return out
}

type populationResolver struct {
	orgRef
	f procurement.PopulationFigure
}

func (p populationResolver) Population() int32 { return int32(p.f.Population) }
func (p populationResolver) Source() string    { return p.f.Source }
func (p populationResolver) RefDate() string   { return p.f.RefDate }

type costSharesResolver struct {
	p procurementResolver
	c casework.CostShares
}

func (p procurementResolver) CostShares(ctx context.Context, args struct{ AsOf *string }) (*costSharesResolver, error) {
	at := p.now()
	if args.AsOf != nil {
		var err error
		if at, err = parseAsOf(*args.AsOf, procurement.Jurisdiction(p.s.Jurisdiction)); err != nil {
			return nil, err
		}
	}
	c, err := casework.CostSharesAsOf(ctx, p.r.db(), p.s.ID, at)
	if err != nil || c == nil {
		return nil, toAPI(err)
	}
	return &costSharesResolver{p, *c}, nil
}

func (p procurementResolver) CostShareHistory(ctx context.Context) ([]costSharesResolver, error) {
	cs, err := casework.CostShareHistory(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]costSharesResolver, len(cs))
	for i, c := range cs {
		out[i] = costSharesResolver{p, c}
	}
	return out, nil
}

func (c costSharesResolver) KeyVersion() int32     { return int32(c.c.KeyVersion) }
func (c costSharesResolver) EffectiveAt() DateTime { return DateTime{c.c.EffectiveAt} }
func (c costSharesResolver) Reason() string        { return c.c.Reason }
func (c costSharesResolver) Shares() []shareResolver {
	out := make([]shareResolver, len(c.c.Shares))
	for i, s := range c.c.Shares {
		out[i] = shareResolver{c.p.org(s.Org), s.BasisPoints}
	}
	return out
}

type shareResolver struct {
	orgRef
	bp int64
}

func (s shareResolver) BasisPoints() int32 { return int32(s.bp) }
func (s shareResolver) Percent() string    { return costshare.Format(s.bp) }

// --- tasks ---

type taskResolver struct{ t procurement.Task }

func (t taskResolver) Kind() string { return string(t.t.Kind) }
func (t taskResolver) Text() string { return t.t.Text }
func (t taskResolver) Version() *int32 {
	if t.t.Version == 0 {
		return nil
	}
	v := int32(t.t.Version)
	return &v
}

// Tasks reads the case from the log so the list is never behind the case.
func (p procurementResolver) Tasks(ctx context.Context) ([]taskResolver, error) {
	pr, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	s, err := p.state(ctx)
	if err != nil {
		return nil, toAPI(err)
	}
	ts := s.Tasks(pr.Org, p.now())
	out := make([]taskResolver, len(ts))
	for i, t := range ts {
		out[i] = taskResolver{t}
	}
	return out, nil
}

type caseTaskResolver struct {
	taskResolver
	p procurementResolver
}

func (c caseTaskResolver) Procurement() procurementResolver { return c.p }

// myTasksCases caps how many cases MyTasks looks at.
const myTasksCases = 500

func (r *resolver) MyTasks(ctx context.Context) ([]caseTaskResolver, error) {
	pr, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := r.Dispatcher.ReadScope(pr, app.ObjectProcurement); err != nil {
		return nil, toAPI(err)
	}
	out := []caseTaskResolver{}
	var before int64
	for seen := 0; seen < myTasksCases; {
		page, more, err := cases.Page(ctx, r.db(), pr.Org, before, MaxPageSize)
		if err != nil {
			return nil, toAPI(err)
		}
		for _, sum := range page {
			p := procurementResolver{r: r, s: sum}
			ts, err := p.Tasks(ctx)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				out = append(out, caseTaskResolver{t, p})
			}
			before = sum.CreatedSeq
		}
		seen += len(page)
		if !more {
			break
		}
	}
	return out, nil
}

// parseAsOf reads an RFC 3339 time, or a date meaning the end of that day in
// the case's legal time zone (DOMAIN.md §4.6).
func parseAsOf(s string, j procurement.Jurisdiction) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, badInput("asof.invalid", "asOf is an RFC 3339 time like 2026-03-01T12:00:00Z or a date like 2026-03-01")
	}
	loc, err := timelimits.Jurisdiction(j).Location()
	if err != nil {
		return time.Time{}, toAPI(err)
	}
	y, m, day := d.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond), nil
}
