package graphql

import (
	"context"
	"errors"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/procurement"
)

// Reads of confidential data through the API (DOMAIN.md §5 "Reads of
// SEALED/CONF data emit AccessLogged"). A field that returns COMMERCIAL_CONF
// or EVALUATOR_PRIVATE data to someone who does not own it records the read
// in the case's access log before it answers: one record per field
// resolution (not per row), naming the field's path, the class and the case.
// The records are made where the object holding those fields is resolved
// (Procurement.qualification, Procurement.evaluation), from what the request
// selects below it; a read that cannot be recorded answers an error there,
// so the object and its data are withheld. Sealed content is recorded by
// app.Bids itself (Bid.content). ORG_PRIVATE needs drafts need no record:
// Procurement.myNeedsDraft serves the owner alone. The timeline (history)
// filters by class and records nothing here. Reading the access log is not
// recorded: it would record itself without end.

// Field paths recorded as the resource of a read.
const (
	resNegotiationRounds = "Procurement.qualification.negotiationRounds"
	resClarifications    = "Procurement.evaluation.clarifications"
	resScores            = "Procurement.evaluation.tenders.cells.scores"
)

// graphqlReadPurpose is why a field was read: the API does not ask, so the
// record says it was a read through the API; its metadata carries the
// request's correlation ID (X-Correlation-ID), which leads to the request.
const graphqlReadPurpose = "graphql read"

// recordRead appends one granted read of resource (a field path) of class by
// p to the case's access log; subject is the record read, or the case.
func (r *resolver) recordRead(ctx context.Context, p app.Principal, caseID, resource, class, subject string) error {
	err := r.Access.RecordRequest(ctx, p, correlationFrom(ctx), accesslog.Logged{CaseID: caseID, Resource: resource,
		Subject: subject, Class: class, Purpose: graphqlReadPurpose, Granted: true})
	if err != nil {
		return toAPI(err)
	}
	return nil
}

// selects says whether the field being resolved selects path below it. When
// the server cannot tell (no selection information), it answers true: a read
// is then recorded rather than missed.
func selects(ctx context.Context, path string) bool {
	return len(gql.SelectedFieldNames(ctx)) == 0 || gql.HasSelectedField(ctx, path)
}

// recordQualificationReads records, before Procurement.qualification
// answers, the read of the negotiation rounds (COMMERCIAL_CONF) when the
// request selects them and they show the caller any.
func (r *resolver) recordQualificationReads(ctx context.Context, a awardAccess) error {
	if len(a.s.Qualification.Rounds) > 0 && a.leadOrAuditor() && selects(ctx, "negotiationRounds") {
		return r.recordRead(ctx, a.p, a.s.ID, resNegotiationRounds, string(procurement.VisibilityCommercialConf), a.s.ID)
	}
	return nil
}

// recordEvaluationReads records, before Procurement.evaluation answers, the
// reads of the clarifications (COMMERCIAL_CONF) and of other evaluators'
// individual scores (EVALUATOR_PRIVATE) that the request selects and that
// show the caller anything: one record per field for the whole table, not
// one per row or cell.
func (r *resolver) recordEvaluationReads(ctx context.Context, a awardAccess) error {
	if len(a.s.Evaluation.Clarifications) > 0 && a.leadOrAuditor() && selects(ctx, "clarifications") {
		if err := r.recordRead(ctx, a.p, a.s.ID, resClarifications, string(procurement.VisibilityCommercialConf), a.s.ID); err != nil {
			return err
		}
	}
	if len(a.s.Tendering.Openings[procurement.RoundTenders].Bids) > 0 && a.othersScoresShown() && selects(ctx, "tenders.cells.scores") {
		return r.recordRead(ctx, a.p, a.s.ID, resScores, string(procurement.VisibilityEvaluatorPrivate), a.s.ID)
	}
	return nil
}

// othersScoresShown says whether the evaluation's score cells show the
// caller anyone's individual scores other than its own (the owner's reads of
// its own scores are not recorded).
func (a awardAccess) othersScoresShown() bool {
	for _, sc := range a.s.Evaluation.Scores {
		if sc.Evaluator != a.evaluator && a.seesScoresOf(sc.Evaluator) {
			return true
		}
	}
	return false
}

// AccessLog is the case's access log for the lead's sealed readers and
// auditors (app.Bids.AccessLog), empty for everyone else.
func (p procurementResolver) AccessLog(ctx context.Context) ([]accessRecordResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.sealedReader() {
		return []accessRecordResolver{}, err
	}
	log, err := p.r.Bids.AccessLog(ctx, a.p, p.s.ID)
	if errors.Is(err, app.ErrNoContentAccess) {
		return []accessRecordResolver{}, nil // the view's lead is ahead of the log
	}
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]accessRecordResolver, len(log))
	for i, x := range log {
		out[i] = accessRecordResolver{orgRef{p.r, x.Org}, x}
	}
	return out, nil
}

type accessRecordResolver struct {
	orgRef
	e app.AccessEntry
}

func (a accessRecordResolver) User() string     { return a.e.User }
func (a accessRecordResolver) Resource() string { return a.e.Resource }
func (a accessRecordResolver) Subject() *string { return optString(a.e.Subject) }
func (a accessRecordResolver) Class() *string   { return optString(a.e.Class) }
func (a accessRecordResolver) Purpose() string  { return a.e.Purpose }
func (a accessRecordResolver) Granted() bool    { return a.e.Granted }
func (a accessRecordResolver) At() DateTime     { return DateTime{a.e.At} }
func (a accessRecordResolver) EventID() gql.ID  { return gql.ID(a.e.EventID) }
func (a accessRecordResolver) Revision() int32  { return int32(a.e.Revision) }
func (a accessRecordResolver) Position() string { return a.e.Position.String() }
func (a accessRecordResolver) Hash() string     { return a.e.Hash }
func (a accessRecordResolver) PrevHash() string { return a.e.PrevHash }
