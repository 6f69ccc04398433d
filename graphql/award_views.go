package graphql

import (
	"context"
	"strings"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Qualification, evaluation and the ranking on Procurement; the rules are in
// award_access.go.

// --- qualification and negotiation ---

type qualificationViewResolver struct {
	r *resolver
	a awardAccess
}

func (p procurementResolver) Qualification(ctx context.Context) (*qualificationViewResolver, error) {
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok {
		return nil, err
	}
	q := a.s.Qualification
	if len(q.Assessments) == 0 && q.Invitation == nil && len(q.Rounds) == 0 && q.FinalCall == nil {
		return nil, nil
	}
	if err := p.r.recordQualificationReads(ctx, a); err != nil {
		return nil, err
	}
	return &qualificationViewResolver{r: p.r, a: a}, nil
}

func (q qualificationViewResolver) Assessments() []assessmentResolver {
	out := []assessmentResolver{}
	if !q.a.seesAssessments() {
		return out
	}
	out = oldestFirst(q.a.s.Qualification.Assessments, nil,
		func(e procurement.QualificationAssessed) time.Time { return e.AssessedAt },
		func(e procurement.QualificationAssessed) assessmentResolver {
			return assessmentResolver{orgRef{q.r, e.Supplier}, e}
		})
	return out
}

func (q qualificationViewResolver) Invitation() *invitationResolver {
	if q.a.s.Qualification.Invitation == nil {
		return nil
	}
	return &invitationResolver{q.r, *q.a.s.Qualification.Invitation}
}

func (q qualificationViewResolver) NegotiationRounds() []negotiationRoundResolver {
	out := []negotiationRoundResolver{}
	if !q.a.leadOrAuditor() {
		return out
	}
	for _, e := range q.a.s.Qualification.Rounds {
		out = append(out, negotiationRoundResolver{q.r, e})
	}
	return out
}

func (q qualificationViewResolver) Eliminated() []eliminatedResolver {
	es := q.a.s.Qualification.Eliminated
	out := make([]eliminatedResolver, 0, len(es))
	for _, s := range sortedKeys(es) {
		out = append(out, eliminatedResolver{orgRef{q.r, s}, es[s]})
	}
	return out
}

func (q qualificationViewResolver) FinalTendersCall() *finalCallResolver {
	if q.a.s.Qualification.FinalCall == nil {
		return nil
	}
	return &finalCallResolver{q.r, *q.a.s.Qualification.FinalCall}
}

type assessmentResolver struct {
	orgRef
	e procurement.QualificationAssessed
}

func (a assessmentResolver) SubmissionID() gql.ID { return gql.ID(a.e.SubmissionID) }
func (a assessmentResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return a.Organisation(ctx)
}
func (a assessmentResolver) Qualified() bool     { return a.e.Qualified }
func (a assessmentResolver) Grounds() *string    { return optString(a.e.Grounds) }
func (a assessmentResolver) LegalBasis() *string { return optString(a.e.LegalBasis) }
func (a assessmentResolver) AssessedAt() DateTime {
	return DateTime{a.e.AssessedAt}
}
func (a assessmentResolver) Results() []selectionResultResolver {
	out := make([]selectionResultResolver, len(a.e.Results))
	for i, c := range a.e.Results {
		out[i] = selectionResultResolver{c}
	}
	return out
}

type selectionResultResolver struct{ c procurement.CriterionResult }

func (s selectionResultResolver) Criterion() gql.ID { return gql.ID(s.c.Criterion) }
func (s selectionResultResolver) Met() bool         { return s.c.Met }
func (s selectionResultResolver) Note() *string     { return optString(s.c.Note) }

type invitationResolver struct {
	r *resolver
	e procurement.CandidatesInvited
}

func (i invitationResolver) Invited(ctx context.Context) ([]organisationResolver, error) {
	return i.r.organisationsOf(ctx, i.e.Invited)
}
func (i invitationResolver) NotInvited() []notInvitedResolver {
	out := make([]notInvitedResolver, len(i.e.NotInvited))
	for k, n := range i.e.NotInvited {
		out[k] = notInvitedResolver{orgRef{i.r, n.Supplier}, n.Reason}
	}
	return out
}
func (i invitationResolver) MinCandidates() int32      { return int32(i.e.MinCandidates) }
func (i invitationResolver) Next() string              { return string(i.e.Next) }
func (i invitationResolver) TenderDeadline() *DateTime { return optTime(i.e.TenderDeadline) }
func (i invitationResolver) Minimum() *minimumResolver { return optMinimum(i.e.Minimum) }
func (i invitationResolver) InvitedAt() DateTime       { return DateTime{i.e.InvitedAt} }

type notInvitedResolver struct {
	orgRef
	reason string
}

func (n notInvitedResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return n.Organisation(ctx)
}
func (n notInvitedResolver) Reason() string { return n.reason }

type negotiationRoundResolver struct {
	r *resolver
	e procurement.NegotiationRoundHeld
}

func (n negotiationRoundResolver) Round() int32        { return int32(n.e.Round) }
func (n negotiationRoundResolver) MinutesHash() string { return n.e.MinutesHash }
func (n negotiationRoundResolver) RequirementsChanged() []string {
	return nonNilStrings(n.e.RequirementsChanged)
}
func (n negotiationRoundResolver) HeldAt() DateTime { return DateTime{n.e.HeldAt} }
func (n negotiationRoundResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return n.r.organisationOf(ctx, n.e.Supplier)
}
func (n negotiationRoundResolver) SentTo(ctx context.Context) ([]organisationResolver, error) {
	return n.r.organisationsOf(ctx, n.e.SentTo)
}

type eliminatedResolver struct {
	orgRef
	e procurement.ParticipantEliminated
}

func (e eliminatedResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return e.Organisation(ctx)
}
func (e eliminatedResolver) Reason() string         { return e.e.Reason }
func (e eliminatedResolver) EliminatedAt() DateTime { return DateTime{e.e.EliminatedAt} }

type finalCallResolver struct {
	r *resolver
	e procurement.FinalTendersCalled
}

func (f finalCallResolver) Deadline() DateTime        { return DateTime{f.e.Deadline} }
func (f finalCallResolver) Minimum() *minimumResolver { return optMinimum(f.e.Minimum) }
func (f finalCallResolver) CalledAt() DateTime        { return DateTime{f.e.CalledAt} }
func (f finalCallResolver) Recipients(ctx context.Context) ([]organisationResolver, error) {
	return f.r.organisationsOf(ctx, f.e.Recipients)
}

// --- evaluation ---

type evaluationViewResolver struct {
	r *resolver
	a awardAccess
}

func (p procurementResolver) Evaluation(ctx context.Context) (*evaluationViewResolver, error) {
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok {
		return nil, err
	}
	if _, opened := a.s.Tendering.Openings[procurement.RoundTenders]; !opened {
		return nil, nil
	}
	if err := p.r.recordEvaluationReads(ctx, a); err != nil {
		return nil, err
	}
	return &evaluationViewResolver{r: p.r, a: a}, nil
}

// criteriaFor is the award criteria set that applies to a lot: its own, or
// the default set.
func criteriaFor(s procurement.State, lot string) procurement.AwardCriteriaDefined {
	if set, ok := s.Design.AwardCriteria[lot]; ok {
		return set
	}
	return s.Design.AwardCriteria[""]
}

func (e evaluationViewResolver) Columns() []columnResolver {
	var out []columnResolver
	for _, lot := range sortedKeys(e.a.s.Design.AwardCriteria) {
		for _, c := range e.a.s.Design.AwardCriteria[lot].Criteria {
			out = append(out, columnResolver{lot, c})
		}
	}
	if out == nil {
		out = []columnResolver{}
	}
	return out
}

func (e evaluationViewResolver) Tenders() []tenderRowResolver {
	bids := e.a.s.Tendering.Openings[procurement.RoundTenders].Bids
	out := make([]tenderRowResolver, len(bids))
	for i, b := range bids {
		out[i] = tenderRowResolver{r: e.r, a: e.a, b: b}
	}
	return out
}

func (e evaluationViewResolver) Declarations() []declarationResolver {
	ds := e.a.s.Evaluation.Declarations
	out := make([]declarationResolver, 0, len(ds))
	for _, p := range sortedKeys(ds) {
		out = append(out, declarationResolver{e.r, ds[p]})
	}
	return out
}

func (e evaluationViewResolver) Recusals() []recusalResolver {
	rs := e.a.s.Evaluation.Recused
	out := make([]recusalResolver, 0, len(rs))
	for _, p := range sortedKeys(rs) {
		out = append(out, recusalResolver{e.r, rs[p]})
	}
	return out
}

func (e evaluationViewResolver) Locks() []lockResolver {
	ls := e.a.s.Evaluation.Locked
	out := make([]lockResolver, 0, len(ls))
	for _, p := range sortedKeys(ls) {
		out = append(out, lockResolver{orgRef{e.r, e.a.s.Design.Evaluators[p].Org}, ls[p]})
	}
	return out
}

func (e evaluationViewResolver) Clarifications() []clarificationResolver {
	out := []clarificationResolver{}
	if !e.a.leadOrAuditor() {
		return out
	}
	out = oldestFirst(e.a.s.Evaluation.Clarifications, nil,
		func(c procurement.Clarification) time.Time { return c.RequestedAt },
		func(c procurement.Clarification) clarificationResolver {
			return clarificationResolver{orgRef{e.r, c.Supplier}, c}
		})
	return out
}

func (e evaluationViewResolver) Rejections() []rejectionResolver {
	return oldestFirst(e.a.s.Evaluation.Rejected, nil,
		func(b procurement.BidRejected) time.Time { return b.RejectedAt },
		func(b procurement.BidRejected) rejectionResolver {
			return rejectionResolver{orgRef{e.r, b.Supplier}, b}
		})
}

func (e evaluationViewResolver) Report() *reportResolver {
	if e.a.s.Evaluation.Report == nil {
		return nil
	}
	return &reportResolver{*e.a.s.Evaluation.Report}
}

type columnResolver struct {
	lot string
	c   procurement.AwardCriterion
}

func (c columnResolver) Lot() *gql.ID {
	if c.lot == "" {
		return nil
	}
	id := gql.ID(c.lot)
	return &id
}
func (c columnResolver) Criterion() criterionResolver { return criterionResolver{c.c} }

type tenderRowResolver struct {
	r *resolver
	a awardAccess
	b procurement.OpenedBid
}

func (t tenderRowResolver) BidID() gql.ID        { return gql.ID(t.b.BidID) }
func (t tenderRowResolver) Lots() []gql.ID       { return ids(t.b.Lots) }
func (t tenderRowResolver) ReceivedAt() DateTime { return DateTime{t.b.ReceivedAt} }
func (t tenderRowResolver) Rejected() bool {
	_, rejected := t.a.s.Evaluation.Rejected[t.b.BidID]
	return rejected
}
func (t tenderRowResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return t.r.organisationOf(ctx, t.b.Supplier)
}

// Cells are the criteria of the tender's lots, each once, in the order the
// lots define them.
func (t tenderRowResolver) Cells() []cellResolver {
	out := []cellResolver{}
	seen := map[string]bool{}
	for _, lot := range t.b.Lots {
		for _, c := range criteriaFor(t.a.s, lot).Criteria {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, cellResolver{r: t.r, a: t.a, bid: t.b.BidID, criterion: c.ID})
			}
		}
	}
	return out
}

type cellResolver struct {
	r              *resolver
	a              awardAccess
	bid, criterion string
}

func (c cellResolver) Criterion() gql.ID { return gql.ID(c.criterion) }

// Scores shows each evaluator's score only where seesScoresOf allows it: the
// rule is applied per evaluator, so one evaluator's lock never reveals another's.
func (c cellResolver) Scores() []scoreResolver {
	out := []scoreResolver{}
	scores := c.a.s.Evaluation.Scores
	for _, k := range sortedKeys(scores) { // by evaluator
		sc := scores[k]
		if sc.BidID != c.bid || sc.Criterion != c.criterion || !c.a.seesScoresOf(sc.Evaluator) {
			continue
		}
		_, locked := c.a.s.Evaluation.Locked[sc.Evaluator]
		out = append(out, scoreResolver{orgRef{c.r, c.a.s.Design.Evaluators[sc.Evaluator].Org}, sc, locked})
	}
	return out
}

func (c cellResolver) Consensus() *consensusResolver {
	if !c.a.seesConsensus() {
		return nil
	}
	for _, k := range sortedKeys(c.a.s.Evaluation.Consensus) {
		if e := c.a.s.Evaluation.Consensus[k]; e.BidID == c.bid && e.Criterion == c.criterion {
			return &consensusResolver{e}
		}
	}
	return nil
}

type scoreResolver struct {
	orgRef
	e      procurement.BidScored
	locked bool
}

func (s scoreResolver) Evaluator() string      { return s.e.Evaluator }
func (s scoreResolver) Score() int32           { return int32(s.e.Score) }
func (s scoreResolver) Justification() *string { return optString(s.e.Justification) }
func (s scoreResolver) ScoredAt() DateTime     { return DateTime{s.e.ScoredAt} }
func (s scoreResolver) Locked() bool           { return s.locked }

type consensusResolver struct {
	e procurement.ConsensusScoreRecorded
}

func (c consensusResolver) Score() int32      { return int32(c.e.Score) }
func (c consensusResolver) Rationale() string { return c.e.Rationale }

type declarationResolver struct {
	r *resolver
	e procurement.ConflictOfInterestDeclared
}

func (d declarationResolver) Evaluator() string   { return d.e.Evaluator }
func (d declarationResolver) HasConflict() bool   { return d.e.HasConflict }
func (d declarationResolver) Relations() []string { return nonNilStrings(d.e.Relations) }
func (d declarationResolver) DeclaredAt() DateTime {
	return DateTime{d.e.DeclaredAt}
}
func (d declarationResolver) Organisation(ctx context.Context) (organisationResolver, error) {
	return d.r.organisationOf(ctx, d.e.Org)
}
func (d declarationResolver) BiddersSeen(ctx context.Context) ([]organisationResolver, error) {
	return d.r.organisationsOf(ctx, d.e.BiddersSeen)
}

type recusalResolver struct {
	r *resolver
	e procurement.EvaluatorRecused
}

func (x recusalResolver) Evaluator() string    { return x.e.Evaluator }
func (x recusalResolver) Reason() string       { return x.e.Reason }
func (x recusalResolver) Replacement() *string { return optString(x.e.Replacement) }
func (x recusalResolver) ReplacementOrganisation(ctx context.Context) (*organisationResolver, error) {
	if x.e.ReplacementOrg == "" {
		return nil, nil
	}
	o, err := x.r.organisationOf(ctx, x.e.ReplacementOrg)
	return &o, err
}

type lockResolver struct {
	orgRef
	e procurement.EvaluatorScoresLocked
}

func (l lockResolver) Evaluator() string    { return l.e.Evaluator }
func (l lockResolver) ScoreSetHash() string { return l.e.ScoreSetHash }
func (l lockResolver) Scores() int32        { return int32(l.e.Scores) }
func (l lockResolver) LockedAt() DateTime   { return DateTime{l.e.LockedAt} }

type clarificationResolver struct {
	orgRef
	c procurement.Clarification
}

func (c clarificationResolver) ID() gql.ID              { return gql.ID(c.c.ClarificationID) }
func (c clarificationResolver) BidID() gql.ID           { return gql.ID(c.c.BidID) }
func (c clarificationResolver) Question() string        { return c.c.Question }
func (c clarificationResolver) SameQuestionToAll() bool { return c.c.SameQuestionToAll }
func (c clarificationResolver) RequestedAt() DateTime   { return DateTime{c.c.RequestedAt} }
func (c clarificationResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return c.Organisation(ctx)
}
func (c clarificationResolver) Answer() *string {
	if c.c.Answer == nil {
		return nil
	}
	return &c.c.Answer.Answer
}
func (c clarificationResolver) AnsweredAt() *DateTime {
	if c.c.Answer == nil {
		return nil
	}
	return &DateTime{c.c.Answer.ReceivedAt}
}

type rejectionResolver struct {
	orgRef
	e procurement.BidRejected
}

func (x rejectionResolver) BidID() gql.ID        { return gql.ID(x.e.BidID) }
func (x rejectionResolver) Grounds() string      { return x.e.Grounds }
func (x rejectionResolver) LegalBasis() string   { return x.e.LegalBasis }
func (x rejectionResolver) RejectedAt() DateTime { return DateTime{x.e.RejectedAt} }
func (x rejectionResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return x.Organisation(ctx)
}

type reportResolver struct {
	e procurement.EvaluationReportFinalized
}

func (r reportResolver) Version() int32        { return int32(r.e.Version) }
func (r reportResolver) ReportHash() string    { return r.e.ReportHash }
func (r reportResolver) SignedBy() []string    { return nonNilStrings(r.e.SignedBy) }
func (r reportResolver) FinalizedAt() DateTime { return DateTime{r.e.FinalizedAt} }

// --- ranking ---

func (p procurementResolver) Rankings(ctx context.Context) ([]lotRankingResolver, error) {
	out := []lotRankingResolver{}
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok || !a.seesRanking() {
		return out, err
	}
	report := a.s.Evaluation.Report
	for _, l := range report.Lots {
		out = append(out, lotRankingResolver{p.r, l, report.Version})
	}
	return out, nil
}

type lotRankingResolver struct {
	r       *resolver
	l       procurement.LotRanking
	version int
}

func (l lotRankingResolver) Lot() gql.ID          { return gql.ID(l.l.Lot) }
func (l lotRankingResolver) TieRule() string      { return string(l.l.TieRule) }
func (l lotRankingResolver) ReportVersion() int32 { return int32(l.version) }
func (l lotRankingResolver) Ranking() []rankedResolver {
	out := make([]rankedResolver, len(l.l.Ranking))
	for i, b := range l.l.Ranking {
		out[i] = rankedResolver{orgRef{l.r, b.Supplier}, b}
	}
	return out
}

type rankedResolver struct {
	orgRef
	b procurement.RankedBid
}

func (b rankedResolver) Rank() int32     { return int32(b.b.Rank) }
func (b rankedResolver) BidID() gql.ID   { return gql.ID(b.b.BidID) }
func (b rankedResolver) Total() string   { return b.b.Total }
func (b rankedResolver) Quality() string { return b.b.Quality }
func (b rankedResolver) Price() string   { return b.b.Price }
func (b rankedResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return b.Organisation(ctx)
}

// --- small helpers ---

func optTime(t time.Time) *DateTime {
	if t.IsZero() {
		return nil
	}
	return &DateTime{t}
}

func optMinimum(c *timelimits.Computation) *minimumResolver {
	if c == nil {
		return nil
	}
	return &minimumResolver{*c}
}

// joinNames writes a list of names in prose: "a", "a and b", "a, b and c".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
