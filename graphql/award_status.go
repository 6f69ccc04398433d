package graphql

import (
	"context"
	"fmt"
	"slices"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/domain/procurement"
)

// The award decisions, the notification, the standstill and the complaints
// on Procurement: CASE_INTERNAL, except the notification's recipients (the
// lead and auditors).

type awardStatusResolver struct {
	r   *resolver
	a   awardAccess
	now time.Time
}

func (p procurementResolver) Award(ctx context.Context) (*awardStatusResolver, error) {
	a, ok, err := p.awardAccess(ctx)
	if err != nil || !ok {
		return nil, err
	}
	if len(a.s.Award.Decisions) == 0 && len(a.s.Award.Complaints) == 0 {
		return nil, nil
	}
	return &awardStatusResolver{r: p.r, a: a, now: p.now()}, nil
}

func (w awardStatusResolver) Mode() string { return string(w.a.s.AwardMode()) }

func (w awardStatusResolver) Decisions() []awardDecisionResolver {
	ds := w.a.s.Award.Decisions
	out := make([]awardDecisionResolver, 0, len(ds))
	for _, id := range sortedKeys(ds) {
		d := awardDecisionResolver{r: w.r, e: ds[id]}
		if x, revoked := w.a.s.Award.Revoked[id]; revoked {
			d.revoked = &revocationResolver{x}
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(x, y awardDecisionResolver) int { return x.e.DecidedAt.Compare(y.e.DecidedAt) })
	return out
}

func (w awardStatusResolver) Notification() *notificationResolver {
	if w.a.s.Award.Notification == nil {
		return nil
	}
	return &notificationResolver{r: w.r, e: *w.a.s.Award.Notification, recipients: w.a.leadOrAuditor()}
}

func (w awardStatusResolver) Standstill() *standstillResolver {
	if w.a.s.Award.Standstill == nil {
		return nil
	}
	st := standstillResolver{e: *w.a.s.Award.Standstill, startedAt: w.a.s.Award.Standstill.Computation.SentAt}
	if n := w.a.s.Award.Notification; n != nil {
		st.startedAt = n.SentAt
	}
	if e := w.a.s.Award.Ended; e != nil {
		st.endedAt = &DateTime{e.EndedAt}
	}
	return &st
}

// ContractingMayStart mirrors the decider: signing is open in CONTRACTING
// only, which the workflow clock enters once the standstill is over and
// nothing suspends it.
func (w awardStatusResolver) ContractingMayStart() bool {
	return w.a.s.Phase == procurement.PhaseContracting
}

func (w awardStatusResolver) ContractingBlockedBy() *string {
	s := w.a.s
	var why string
	switch s.Phase {
	case procurement.PhaseContracting, procurement.PhaseContractActive, procurement.PhaseFollowUp, procurement.PhaseClosed:
		return nil
	case procurement.PhaseStandstill:
		if s.Award.Standstill == nil {
			why = "the standstill runs"
			break
		}
		end := s.Award.Standstill.EndsAt
		if w.now.After(end) {
			why = "the standstill ended at " + end.Format(time.RFC3339) + "; the workflow clock has yet to open contracting"
		} else {
			c := s.Award.Standstill.Computation
			why = fmt.Sprintf("the standstill runs until the end of %s (%s), %s", c.EndDate, c.TimeZone, end.Format(time.RFC3339))
		}
	case procurement.PhaseSuspended:
		why = "contracting is suspended"
		for _, c := range w.complaints() {
			if c.c.Suspension != nil && c.c.Resolution == nil {
				why += fmt.Sprintf("; complaint %s: %s", c.c.ComplaintID, c.c.Suspension.Ruling)
			}
		}
	case procurement.PhaseAwardDecided:
		why = "the award notification has not been sent"
	case procurement.PhaseCancelled:
		why = "the procurement is cancelled"
	case procurement.PhaseUnsuccessful:
		why = "the procurement ended without a contract"
	default:
		why = "the award is not decided"
		if len(s.ActiveAwards()) > 0 {
			why = "not every award is decided yet"
		}
	}
	return &why
}

func (w awardStatusResolver) complaints() []complaintResolver {
	out := oldestFirst(w.a.s.Award.Complaints, nil,
		func(c procurement.Complaint) time.Time { return c.ReceivedAt },
		func(c procurement.Complaint) complaintResolver { return complaintResolver{c} })
	return out
}

func (w awardStatusResolver) Complaints() []complaintResolver { return w.complaints() }

func (w awardStatusResolver) Revocations() []revocationResolver {
	rs := w.a.s.Award.Revoked
	out := make([]revocationResolver, 0, len(rs))
	for _, id := range sortedKeys(rs) {
		out = append(out, revocationResolver{rs[id]})
	}
	return out
}

type awardDecisionResolver struct {
	r       *resolver
	e       procurement.AwardDecided
	revoked *revocationResolver
}

func (d awardDecisionResolver) AwardID() gql.ID              { return gql.ID(d.e.AwardID) }
func (d awardDecisionResolver) Lot() gql.ID                  { return gql.ID(d.e.Lot) }
func (d awardDecisionResolver) BidID() gql.ID                { return gql.ID(d.e.BidID) }
func (d awardDecisionResolver) Value() string                { return d.e.Value }
func (d awardDecisionResolver) Mode() string                 { return string(d.e.Mode) }
func (d awardDecisionResolver) MandateIds() []gql.ID         { return ids(d.e.Mandates) }
func (d awardDecisionResolver) DecisionDocHash() string      { return d.e.DecisionDocHash }
func (d awardDecisionResolver) DecidedAt() DateTime          { return DateTime{d.e.DecidedAt} }
func (d awardDecisionResolver) Revoked() *revocationResolver { return d.revoked }
func (d awardDecisionResolver) Supplier(ctx context.Context) (organisationResolver, error) {
	return d.r.organisationOf(ctx, d.e.Supplier)
}
func (d awardDecisionResolver) DecidedBy(ctx context.Context) (organisationResolver, error) {
	return d.r.organisationOf(ctx, d.e.DecidedBy)
}
func (d awardDecisionResolver) Buyers(ctx context.Context) ([]organisationResolver, error) {
	return d.r.organisationsOf(ctx, d.e.For)
}

type revocationResolver struct{ e procurement.AwardRevoked }

func (x revocationResolver) AwardID() gql.ID      { return gql.ID(x.e.AwardID) }
func (x revocationResolver) Reason() string       { return x.e.Reason }
func (x revocationResolver) RevokedAt() *DateTime { return optTime(x.e.RevokedAt) }

type notificationResolver struct {
	r          *resolver
	e          procurement.AwardNotificationSent
	recipients bool // the caller may see who was notified
}

func (n notificationResolver) SentAt() DateTime        { return DateTime{n.e.SentAt} }
func (n notificationResolver) Channel() string         { return string(n.e.Channel) }
func (n notificationResolver) ReasonsHash() string     { return n.e.ReasonsHash }
func (n notificationResolver) AwardIds() []gql.ID      { return ids(n.e.Awards) }
func (n notificationResolver) StandstillEnd() DateTime { return DateTime{n.e.StandstillEnd} }
func (n notificationResolver) RecipientCount() int32   { return int32(len(n.e.Recipients)) }
func (n notificationResolver) Recipients(ctx context.Context) ([]organisationResolver, error) {
	if !n.recipients {
		return []organisationResolver{}, nil
	}
	return n.r.organisationsOf(ctx, n.e.Recipients)
}

type standstillResolver struct {
	e         procurement.StandstillStarted
	startedAt time.Time
	endedAt   *DateTime
}

func (s standstillResolver) StartedAt() DateTime          { return DateTime{s.startedAt} }
func (s standstillResolver) EndsAt() DateTime             { return DateTime{s.e.EndsAt} }
func (s standstillResolver) EndDate() string              { return s.e.Computation.EndDate }
func (s standstillResolver) TimeZone() string             { return s.e.Computation.TimeZone }
func (s standstillResolver) Why() string                  { return s.e.Why() }
func (s standstillResolver) Computation() minimumResolver { return minimumResolver{s.e.Computation} }
func (s standstillResolver) EndedAt() *DateTime           { return s.endedAt }

type complaintResolver struct{ c procurement.Complaint }

func (c complaintResolver) ID() gql.ID           { return gql.ID(c.c.ComplaintID) }
func (c complaintResolver) Complainant() string  { return c.c.Complainant }
func (c complaintResolver) Forum() string        { return string(c.c.Forum) }
func (c complaintResolver) Grounds() string      { return c.c.Grounds }
func (c complaintResolver) Suspensive() bool     { return c.c.Suspensive }
func (c complaintResolver) ReceivedAt() DateTime { return DateTime{c.c.ReceivedAt} }
func (c complaintResolver) Suspension() *suspensionResolver {
	if c.c.Suspension == nil {
		return nil
	}
	return &suspensionResolver{*c.c.Suspension}
}
func (c complaintResolver) Resolution() *resolutionResolver {
	if c.c.Resolution == nil {
		return nil
	}
	return &resolutionResolver{*c.c.Resolution}
}

type suspensionResolver struct {
	e procurement.ContractingSuspended
}

func (s suspensionResolver) Ruling() string        { return s.e.Ruling }
func (s suspensionResolver) DocHash() *string      { return optString(s.e.DocHash) }
func (s suspensionResolver) PreviousPhase() string { return string(s.e.Previous) }
func (s suspensionResolver) SuspendedAt() DateTime { return DateTime{s.e.SuspendedAt} }

type resolutionResolver struct{ e procurement.ReviewResolved }

func (r resolutionResolver) Outcome() string      { return string(r.e.Outcome) }
func (r resolutionResolver) Ruling() string       { return r.e.Ruling }
func (r resolutionResolver) DocHash() *string     { return optString(r.e.DocHash) }
func (r resolutionResolver) NextPhase() string    { return string(r.e.Next) }
func (r resolutionResolver) ResolvedAt() DateTime { return DateTime{r.e.ResolvedAt} }
