package ocds

import (
	"slices"
	"sort"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// award maps award decisions, the standstill and reviews (DOMAIN.md §6, rows
// award, awardUpdate, awardCancellation). A decision is published with its
// notification, never before the tenderers concerned are told.
func (b *caseBuilder) award(r *Release, _ eventstore.Record, ev procurement.Event) string {
	switch e := ev.(type) {
	case procurement.AwardDecided:
		b.awards[e.AwardID] = e
		return ""
	case procurement.AwardNotificationSent:
		return b.notified(r, e)
	case procurement.StandstillEnded:
		for _, id := range b.awardIDs("pending") {
			b.awardStatus[id] = "active"
			r.Awards = append(r.Awards, Award{ID: id, Status: "active"})
		}
		if len(r.Awards) == 0 {
			return ""
		}
		return "awardUpdate"
	case procurement.AwardRevoked:
		if _, published := b.awardStatus[e.AwardID]; !published {
			return "" // never published: nothing to cancel
		}
		b.awardStatus[e.AwardID] = "cancelled"
		r.Awards = []Award{{ID: e.AwardID, Status: "cancelled", Description: "Revoked: " + e.Reason}}
		return "awardCancellation"
	case procurement.ComplaintReceived:
		// The complainant is not named; the forum is a party when it is not the buyers themselves.
		title := "A complaint was received by the buyers"
		if e.Forum != procurement.ForumInternal {
			title = "A complaint was lodged with " + forumName(e.Forum)
			b.addRole(b.reviewBody(e.Forum), "reviewBody")
		}
		if e.Suspensive {
			title += "; it suspends the conclusion of the contract"
		}
		r.Tender = &Tender{ID: b.caseID, Documents: []Document{{ID: "complaint-" + e.ComplaintID, DocumentType: "complaints",
			Title: title, DatePublished: stamp(e.ReceivedAt)}}}
		return "awardUpdate"
	case procurement.ContractingSuspended:
		r.Tender = &Tender{ID: b.caseID, Documents: []Document{{ID: "suspension-" + e.ComplaintID, DocumentType: "complaints",
			Title: "The conclusion of the contract is suspended pending review", Description: e.Ruling,
			DatePublished: stamp(e.SuspendedAt)}}}
		return "awardUpdate"
	case procurement.ReviewResolved:
		r.Tender = &Tender{ID: b.caseID, Documents: []Document{{ID: "review-" + e.ComplaintID, DocumentType: "complaints",
			Title: "The review is resolved: " + reviewOutcome(e.Outcome), Description: e.Ruling, DatePublished: stamp(e.ResolvedAt)}}}
		return "awardUpdate"
	}
	return ""
}

// notified publishes the awards a notification told the tenderers of, the
// tenderers (named from now on) and the standstill as the award period.
func (b *caseBuilder) notified(r *Release, e procurement.AwardNotificationSent) string {
	ids := slices.Clone(e.Awards)
	sort.Strings(ids)
	var start string
	for _, id := range ids {
		a, ok := b.awards[id]
		if !ok {
			continue
		}
		b.awardStatus[id] = "pending"
		b.addRole(a.Supplier, "supplier")
		date := stamp(a.DecidedAt)
		if start == "" || date < start {
			start = date
		}
		award := Award{ID: id, Status: "pending", Date: date, Value: b.money(a.Value),
			Suppliers: []OrgRef{*b.ref(a.Supplier)}}
		if a.Lot != "" {
			award.RelatedLots = []string{a.Lot}
		}
		if a.Mode == procurement.AwardPerMember {
			award.Title = "Award for " + joinNames(b, a.For)
		}
		r.Awards = append(r.Awards, award)
	}
	if len(r.Awards) == 0 {
		return ""
	}
	for _, s := range b.tenderers {
		b.addRole(s, "tenderer")
	}
	r.Tender = &Tender{ID: b.caseID, Tenderers: b.refs(b.tenderers),
		AwardPeriod: &Period{StartDate: start, EndDate: stamp(e.StandstillEnd)}}
	r.WithheldInformation = []Withheld{{ID: "evaluation", Field: "awards/documents", Name: "The evaluation report and every score",
		Rationale: "Each tenderer receives the reasons for the award; the evaluators' individual scores are not published."}}
	return "award"
}

// awardIDs are the published awards of a status, in ID order.
func (b *caseBuilder) awardIDs(status string) []string {
	var out []string
	for id, s := range b.awardStatus {
		if s == status {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// reviewBody is the party of a review forum.
func (b *caseBuilder) reviewBody(f procurement.Forum) string {
	id := "review-" + string(f)
	b.extra[id] = Org{ID: id, Name: forumName(f)}
	return id
}

func forumName(f procurement.Forum) string {
	switch f {
	case procurement.ForumKOFA:
		return "Klagenemnda for offentlige anskaffelser (KOFA)"
	case procurement.ForumForvaltningsratt:
		return "Förvaltningsrätten"
	case procurement.ForumMarkkinaoikeus:
		return "Markkinaoikeus"
	case procurement.ForumCourt:
		return "The courts"
	}
	return string(f)
}

func reviewOutcome(o procurement.ReviewOutcome) string {
	switch o {
	case procurement.ReviewContinue:
		return "the procurement continues"
	case procurement.ReviewRedecide:
		return "the award is to be decided again"
	case procurement.ReviewReevaluate:
		return "the tenders are to be evaluated again"
	}
	return string(o)
}

func joinNames(b *caseBuilder, orgs []string) string {
	out := ""
	for i, o := range orgs {
		if i > 0 {
			out += ", "
		}
		name := b.partyID(o).Name
		if name == "" {
			name = o
		}
		out += name
	}
	return out
}
