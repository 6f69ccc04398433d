package ocds

import (
	"fmt"
	"sort"
	"strings"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// planning maps the events of recruitment, agreement, needs and market
// dialogue (DOMAIN.md §6, rows planning and planningUpdate).
func (b *caseBuilder) planning(r *Release, rec eventstore.Record, ev procurement.Event) string {
	switch e := ev.(type) {
	case procurement.CaseCreated:
		b.addRole(b.hub, "procurementServiceProvider")
		r.Tender = &Tender{ID: b.caseID, Title: b.title, Description: b.description, Status: "planning",
			Items: b.items()}
		return "planning"
	case procurement.MunicipalityJoined:
		b.joined = append(b.joined, e.Org)
		b.addRole(e.Org, "buyer")
		return "planningUpdate"
	case procurement.MunicipalityWithdrawn:
		b.dropRole(e.Org, "buyer")
		b.dropRole(e.Org, "leadBuyer")
		return b.stageUpdate()
	case procurement.LeadAuthorityDesignated:
		if b.lead != "" && b.lead != e.Lead {
			b.dropRole(b.lead, "leadBuyer")
		}
		b.lead = e.Lead
		b.addRole(e.Lead, "buyer")
		b.addRole(e.Lead, "leadBuyer")
		return "planningUpdate"
	case procurement.CostSharesCalculated:
		// DOMAIN.md §6: cost shares are not exported; say that they exist.
		r.WithheldInformation = []Withheld{{ID: "cost-shares", Field: "planning/budget/budgetBreakdown",
			Name:      "Each member's share of the joint cost",
			Rationale: "The members' cost-sharing key is part of their cooperation agreement and is not published."}}
		return "planningUpdate"
	case procurement.NeedsConsolidated:
		b.design.consolidated[e.Version] = e.CommonNeeds
		return ""
	case procurement.ConsolidatedNeedsDecided:
		if e.Outcome != procurement.NeedsApproved {
			return ""
		}
		// Published once the members approved them; a proposal under vote is internal.
		r.Planning = &Planning{Rationale: rationale(b.design.consolidated[e.Version]),
			Documents: []Document{{ID: fmt.Sprintf("needs-%d", e.Version), DocumentType: "needsAssessment",
				Title: fmt.Sprintf("Common needs, version %d, approved by the members", e.Version), DatePublished: r.Date}}}
		return "planningUpdate"
	case procurement.VolumeCommitted:
		return b.commit(r, e.Commitment)
	case procurement.VolumeCommitmentChanged:
		return b.commit(r, e.Commitment)
	}
	return b.dialogue(r, rec, ev)
}

// commit republishes the joint estimate: the sum of every member's
// commitments, never one member's figure.
func (b *caseBuilder) commit(r *Release, c procurement.Commitment) string {
	b.commitments[c.Org+"\x00"+c.Lot+"\x00"+string(c.Type)] = c.EstimatedValue
	var total int64
	for _, v := range b.commitments {
		total += v
	}
	r.Planning = &Planning{Budget: &Budget{Amount: b.minor(total),
		Description: "The members' joint estimated value: the sum of their committed volumes."}}
	return "planningUpdate"
}

// dialogue maps the market dialogue: the notice, its events and what the
// public may know of them. Attendees, questioners and registered suppliers are
// not named.
func (b *caseBuilder) dialogue(r *Release, _ eventstore.Record, ev procurement.Event) string {
	switch e := ev.(type) {
	case procurement.DialogueNoticePublished:
		r.Planning = &Planning{
			Documents: []Document{{ID: "dialogue-notice", DocumentType: "plannedProcurementNotice",
				Title: noticeTitle("Market dialogue notice", e.Channel, e.ExternalNoticeID), Description: e.Text,
				DatePublished: stamp(e.PublishedAt)}},
			Milestones: []Milestone{{ID: "dialogue-registration", Title: "Registration for the market dialogue",
				Type: "engagement", DueDate: stamp(e.RegistrationDeadline), Status: "scheduled"}},
		}
		return "planningUpdate"
	case procurement.DialogueEventScheduled:
		r.Planning = &Planning{Milestones: []Milestone{{ID: "dialogue-" + e.EventID, Title: e.Title, Type: "engagement",
			Description: dialogueKind(e.Type), DueDate: stamp(e.StartsAt), Status: "scheduled"}}}
		return "planningUpdate"
	case procurement.DialogueEventCancelled:
		r.Planning = &Planning{Milestones: []Milestone{{ID: "dialogue-" + e.EventID, Status: "notMet",
			Description: "Cancelled: " + e.Reason}}}
		return "planningUpdate"
	case procurement.DialogueMeetingMinuted:
		r.Planning = &Planning{
			Milestones: []Milestone{{ID: "dialogue-" + e.EventID, Status: "met", DateMet: r.Date}},
			Documents: []Document{{ID: "dialogue-minutes-" + e.EventID, DocumentType: "marketStudies",
				Title: "Public summary of a market dialogue meeting", Description: e.PublicSummary, DatePublished: r.Date}},
		}
		return "planningUpdate"
	case procurement.MarketDialogueClosed:
		desc := "The market dialogue is closed."
		if len(e.LevellingMeasures) > 0 {
			desc += " Measures levelling the field for every supplier: " + strings.Join(e.LevellingMeasures, "; ") + "."
		}
		r.Planning = &Planning{Documents: []Document{{ID: "dialogue-summary", DocumentType: "marketStudies",
			Title: "Summary report of the market dialogue", Description: desc, DatePublished: stamp(e.ClosedAt)}}}
		return "planningUpdate"
	}
	return ""
}

func dialogueKind(t procurement.DialogueEventType) string {
	switch t {
	case procurement.DialogueConference:
		return "Supplier conference"
	case procurement.DialogueOneToOne:
		return "One-to-one meetings offered to every registered supplier"
	case procurement.DialogueWebinar:
		return "Webinar"
	case procurement.DialogueRFI:
		return "Request for information"
	case procurement.DialogueDocHearing:
		return "Hearing of the draft tender documents"
	}
	return string(t)
}

func noticeTitle(what string, channel procurement.NoticeChannel, id string) string {
	if id == "" {
		return what
	}
	return fmt.Sprintf("%s (%s %s)", what, channel, id)
}

// rationale states the approved common needs.
func rationale(needs []procurement.CommonNeed) string {
	lines := make([]string, 0, len(needs))
	for _, n := range needs {
		lines = append(lines, n.Statement)
	}
	return strings.Join(lines, "\n")
}

// items are the case's CPV codes, one item each, in code order.
func (b *caseBuilder) items() []Item {
	cpv := append([]string(nil), b.cpv...)
	sort.Strings(cpv)
	out := make([]Item, 0, len(cpv))
	for _, c := range cpv {
		out = append(out, Item{ID: "cpv-" + c, Classification: &Classification{Scheme: "CPV", ID: c}})
	}
	return out
}
