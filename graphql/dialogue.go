package graphql

import (
	"context"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/casework"
	"github.com/felles/felles/projections/tendering"
)

// Field rules of the market dialogue and the tendering (DOMAIN.md §5). Every
// field works out who the principal is in the case (platform-wide reader,
// case organisation, the lead) and filters itself, whichever way the object
// was reached:
//
//   - PUBLIC (the notices, anonymised answers, the published design, the
//     deadline in force): every signed-in organisation, through PublicTender.
//   - SUPPLIER (dialogue events, public minutes, the closing, amendments):
//     registered suppliers and the case's organisations.
//   - CASE_INTERNAL (who asked what, who registered, attendees, evaluators,
//     votes, mandates, reminders): the case's organisations (hub, members,
//     lead), auditors among them, and platform-wide readers.
//   - SEALED metadata: the lead's officers, signatories and auditors and platform-wide readers
//     before receipt of a round closes, the case's organisations after; a
//     supplier its own. Content only through app.Bids.Content.

// tenderAccess is what the principal is in one case.
type tenderAccess struct {
	p          app.Principal
	everything bool // platform-wide reader (auditors)
	caseOrg    bool // the hub or an invited member, or a platform-wide reader
	lead       bool // acts for the designated lead
	leadSealed bool // acts for the lead in a role that reads sealed submissions (lead officer, lead signatory, auditor)
}

// sealedReader: sees sealed metadata before receipt closes, opening protocols
// and the access log (DOMAIN.md §5: LO and AU) — the lead's people whose role
// reads sealed submissions, not everyone of the lead municipality.
func (a tenderAccess) sealedReader() bool { return a.everything || a.leadSealed }

func (r *resolver) tenderAccess(ctx context.Context, caseID, hub string) (tenderAccess, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return tenderAccess{}, err
	}
	everything, err := r.Dispatcher.ReadScope(p, app.ObjectProcurement)
	if err != nil {
		return tenderAccess{}, toAPI(err)
	}
	status, err := cases.MemberStatus(ctx, r.db(), caseID, p.Org)
	if err != nil {
		return tenderAccess{}, toAPI(err)
	}
	a := tenderAccess{p: p, everything: everything, caseOrg: app.CaseVisible(p, everything, hub, status)}
	if a.caseOrg {
		ag, err := casework.AgreementOf(ctx, r.db(), caseID)
		if err != nil {
			return tenderAccess{}, toAPI(err)
		}
		a.lead = ag != nil && ag.Lead != "" && ag.Lead == p.Org
		a.leadSealed = a.lead && r.Dispatcher.Authorize(p, app.ObjectProcurement, app.ActionReadSealedRecords) == nil
	}
	return a, nil
}

func (p procurementResolver) tenderAccess(ctx context.Context) (tenderAccess, error) {
	return p.r.tenderAccess(ctx, p.s.ID, p.s.Hub)
}

// --- dialogue ---

// dialogueResolver shows the dialogue; internal adds what is CASE_INTERNAL
// (attendees, annex hashes), supplierView what registered suppliers get
// (events, minutes, the closing).
type dialogueResolver struct {
	r            *resolver
	caseID       string
	d            tendering.Dialogue
	internal     bool
	supplierView bool
}

func (p procurementResolver) Dialogue(ctx context.Context) (*dialogueResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return nil, err
	}
	d, err := tendering.DialogueOf(ctx, p.r.db(), p.s.ID)
	if err != nil || d == nil {
		return nil, toAPI(err)
	}
	return &dialogueResolver{r: p.r, caseID: p.s.ID, d: *d, internal: true, supplierView: true}, nil
}

func (d dialogueResolver) Notice() dialogueNoticeResolver { return dialogueNoticeResolver{d.d} }

func (d dialogueResolver) Events(ctx context.Context) ([]dialogueEventResolver, error) {
	out := []dialogueEventResolver{}
	if !d.supplierView {
		return out, nil
	}
	evs, err := tendering.DialogueEvents(ctx, d.r.db(), d.caseID)
	if err != nil {
		return nil, toAPI(err)
	}
	for _, e := range evs {
		out = append(out, dialogueEventResolver{r: d.r, e: e, internal: d.internal})
	}
	return out, nil
}

func (d dialogueResolver) Answers(ctx context.Context) ([]answerResolver, error) {
	as, err := tendering.Answers(ctx, d.r.db(), d.caseID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]answerResolver, len(as))
	for i, a := range as {
		out[i] = answerResolver{a}
	}
	return out, nil
}

func (d dialogueResolver) Closing() *dialogueClosingResolver {
	if !d.supplierView || d.d.ClosedAt.IsZero() {
		return nil
	}
	return &dialogueClosingResolver{d.d}
}

type dialogueNoticeResolver struct{ d tendering.Dialogue }

func (n dialogueNoticeResolver) Channel() string          { return string(n.d.Channel) }
func (n dialogueNoticeResolver) ExternalNoticeID() string { return n.d.ExternalNoticeID }
func (n dialogueNoticeResolver) Text() string             { return n.d.Text }
func (n dialogueNoticeResolver) RegistrationDeadline() DateTime {
	return DateTime{n.d.RegistrationDeadline}
}
func (n dialogueNoticeResolver) PublishedAt() DateTime { return DateTime{n.d.PublishedAt} }

type dialogueClosingResolver struct{ d tendering.Dialogue }

func (c dialogueClosingResolver) SummaryReportHash() string { return c.d.SummaryReportHash }
func (c dialogueClosingResolver) ClosedAt() DateTime        { return DateTime{c.d.ClosedAt} }
func (c dialogueClosingResolver) LevellingMeasures() []string {
	return nonNilStrings(c.d.LevellingMeasures)
}

type dialogueEventResolver struct {
	r        *resolver
	e        tendering.DialogueEvent
	internal bool
}

func (e dialogueEventResolver) ID() gql.ID            { return gql.ID(e.e.EventID) }
func (e dialogueEventResolver) Type() string          { return string(e.e.Type) }
func (e dialogueEventResolver) Title() string         { return e.e.Title }
func (e dialogueEventResolver) StartsAt() DateTime    { return DateTime{e.e.StartsAt} }
func (e dialogueEventResolver) OfferedToCount() int32 { return int32(len(e.e.OfferedTo)) }
func (e dialogueEventResolver) Cancelled() bool       { return e.e.Cancelled }
func (e dialogueEventResolver) CancelReason() *string { return optString(e.e.CancelReason) }
func (e dialogueEventResolver) CancelledAt() *DateTime {
	if !e.e.Cancelled {
		return nil
	}
	return &DateTime{e.e.CancelledAt}
}
func (e dialogueEventResolver) Minutes() *minutesResolver {
	if !e.e.Minuted {
		return nil
	}
	return &minutesResolver{r: e.r, e: e.e, internal: e.internal}
}

type minutesResolver struct {
	r        *resolver
	e        tendering.DialogueEvent
	internal bool
}

func (m minutesResolver) PublicSummary() string { return m.e.PublicSummary }
func (m minutesResolver) AttendeeCount() int32  { return int32(len(m.e.Attendees)) }
func (m minutesResolver) RecordedAt() DateTime  { return DateTime{m.e.MinutedAt} }
func (m minutesResolver) ConfidentialAnnexHash() *string {
	if !m.internal {
		return nil
	}
	return optString(m.e.AnnexHash)
}
func (m minutesResolver) Attendees(ctx context.Context) ([]organisationResolver, error) {
	if !m.internal {
		return []organisationResolver{}, nil
	}
	return m.r.organisationsOf(ctx, m.e.Attendees)
}

type answerResolver struct{ a tendering.Answer }

func (a answerResolver) Number() int32              { return int32(a.a.Number) }
func (a answerResolver) AnonymisedQuestion() string { return a.a.AnonymisedQuestion }
func (a answerResolver) Answer() string             { return a.a.Answer }
func (a answerResolver) PublishedAt() DateTime      { return DateTime{a.a.PublishedAt} }
func (a answerResolver) RecipientCount() int32      { return int32(a.a.RecipientCount) }

// --- questions and the supplier register (CASE_INTERNAL) ---

type questionResolver struct {
	r *resolver
	q tendering.Question
}

func (q questionResolver) ID() gql.ID           { return gql.ID(q.q.QuestionID) }
func (q questionResolver) Text() string         { return q.q.Text }
func (q questionResolver) Stage() string        { return string(q.q.Stage) }
func (q questionResolver) ReceivedAt() DateTime { return DateTime{q.q.ReceivedAt} }
func (q questionResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return q.r.organisationOf(ctx, q.q.Supplier)
}
func (q questionResolver) RecordedBy(ctx context.Context) (organisationResolver, error) {
	return q.r.organisationOf(ctx, q.q.RecordedBy)
}
func (q questionResolver) Answer() *answerResolver {
	if q.q.Answer == nil {
		return nil
	}
	return &answerResolver{*q.q.Answer}
}

func questionResolvers(r *resolver, qs []tendering.Question) []questionResolver {
	out := make([]questionResolver, len(qs))
	for i, q := range qs {
		out[i] = questionResolver{r, q}
	}
	return out
}

func (p procurementResolver) Questions(ctx context.Context) ([]questionResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return []questionResolver{}, err
	}
	qs, err := tendering.Questions(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	return questionResolvers(p.r, qs), nil
}

type registrationResolver struct {
	r *resolver
	g tendering.Registration
}

func (g registrationResolver) Stage() string          { return string(g.g.Stage) }
func (g registrationResolver) RegisteredAt() DateTime { return DateTime{g.g.RegisteredAt} }
func (g registrationResolver) OfferedEvents() []gql.ID {
	return ids(g.g.OfferedEvents)
}
func (g registrationResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return g.r.organisationOf(ctx, g.g.Supplier)
}
func (g registrationResolver) RecordedBy(ctx context.Context) (organisationResolver, error) {
	return g.r.organisationOf(ctx, g.g.RecordedBy)
}

func (p procurementResolver) SupplierRegister(ctx context.Context) ([]registrationResolver, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return []registrationResolver{}, err
	}
	gs, err := tendering.Suppliers(ctx, p.r.db(), p.s.ID)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]registrationResolver, len(gs))
	for i, g := range gs {
		out[i] = registrationResolver{p.r, g}
	}
	return out, nil
}

// --- small helpers ---

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ids(s []string) []gql.ID {
	out := make([]gql.ID, len(s))
	for i, x := range s {
		out[i] = gql.ID(x)
	}
	return out
}

func (r *resolver) organisationsOf(ctx context.Context, orgs []string) ([]organisationResolver, error) {
	out := make([]organisationResolver, 0, len(orgs))
	for _, id := range orgs {
		o, err := r.organisationOf(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}
