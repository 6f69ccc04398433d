package ocds

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// tender maps the contract notice and what follows it until the award
// (DOMAIN.md §6, rows tender, tenderUpdate, tenderAmendment, tenderCancellation).
func (b *caseBuilder) tender(r *Release, rec eventstore.Record, ev procurement.Event) string {
	if b.design.keep(ev) {
		return "" // a draft until the notice publishes it
	}
	switch e := ev.(type) {
	case procurement.ContractNoticePublished:
		b.noticePublished = true
		r.Tender = b.notice(e)
		return "tender"
	case procurement.QuestionReceived:
		b.questions[e.QuestionID] = e.ReceivedAt // who asked stays internal
		return ""
	case procurement.AnswerPublished:
		if e.Answer == "" {
			return ""
		}
		q := Enquiry{ID: e.QuestionID, Description: e.AnonymisedQuestion, Answer: e.Answer, DateAnswered: stamp(e.PublishedAt)}
		if at, ok := b.questions[e.QuestionID]; ok {
			q.Date = stamp(at)
		}
		yes := true
		r.Tender = &Tender{ID: b.caseID, HasEnquiries: &yes, Enquiries: []Enquiry{q}}
		if !b.noticePublished {
			// an answer of the market dialogue: a planning matter
			r.Tender = nil
			r.Planning = &Planning{Documents: []Document{{ID: "dialogue-answer-" + e.QuestionID, DocumentType: "clarifications",
				Title: "Answer to a question of the market dialogue", Description: e.AnonymisedQuestion + "\n\n" + e.Answer,
				DatePublished: stamp(e.PublishedAt)}}}
			return "planningUpdate"
		}
		return "tenderUpdate"
	case procurement.TenderAmended:
		r.Tender = &Tender{ID: b.caseID, Amendments: []Amendment{{ID: fmt.Sprintf("amendment-%d", e.Number),
			Date: stamp(e.AmendedAt), Rationale: e.Rationale, Description: strings.Join(e.Changes, "\n")}}}
		return "tenderAmendment"
	case procurement.TenderDeadlineExtended:
		t := &Tender{ID: b.caseID, Amendments: []Amendment{{ID: "deadline-" + rec.ID, Date: r.Date,
			Rationale:   "The deadline was extended.",
			Description: fmt.Sprintf("Deadline for %s moved from %s to %s.", roundName(e.Round), stamp(e.From), stamp(e.To))}}}
		if e.Round == procurement.RoundTenders {
			t.TenderPeriod = &Period{EndDate: stamp(e.To)}
		} else {
			t.Milestones = []Milestone{{ID: "requests-deadline", DueDate: stamp(e.To)}}
		}
		r.Tender = t
		return "tenderAmendment"
	case procurement.TenderingClosed:
		return b.closed(r, e)
	case procurement.BidsOpened:
		if e.Round != procurement.RoundTenders {
			return ""
		}
		for _, bid := range e.Bids {
			if !slices.Contains(b.tenderers, bid.Supplier) {
				b.tenderers = append(b.tenderers, bid.Supplier)
			}
		}
		n := len(b.tenderers)
		r.Tender = &Tender{ID: b.caseID, NumberOfTenderers: &n}
		return "tenderUpdate"
	case procurement.QualificationAssessed:
		status := "valid"
		if !e.Qualified {
			status = "disqualified" // the grounds go to the supplier, not the public
		}
		r.Bids = &Bids{Details: []BidDetail{{ID: e.SubmissionID, Date: stamp(e.AssessedAt), Status: status}}}
		return "tenderUpdate"
	case procurement.BidRejected:
		r.Bids = &Bids{Details: []BidDetail{{ID: e.BidID, Date: stamp(e.RejectedAt), Status: "disqualified"}}}
		return "tenderUpdate"
	case procurement.FinalTendersCalled:
		r.Tender = &Tender{ID: b.caseID, Milestones: []Milestone{{ID: "final-tenders-" + rec.ID, Title: "Deadline for final tenders",
			Type: "engagement", DueDate: stamp(e.Deadline), Status: "scheduled"}}}
		return "tenderUpdate"
	case procurement.ProcurementCancelled:
		r.Tender = &Tender{ID: b.caseID, Status: "cancelled", Documents: []Document{{ID: "cancellation",
			DocumentType: "cancellationDetails", Title: "Why the procurement was cancelled", Description: e.Reason, DatePublished: r.Date}}}
		return "tenderCancellation"
	case procurement.ProcurementUnsuccessful:
		t := &Tender{ID: b.caseID, Status: "unsuccessful", Documents: []Document{{ID: "unsuccessful",
			DocumentType: "cancellationDetails", Title: unsuccessfulTitle(e.Reason), Description: e.Explanation,
			DatePublished: stamp(e.DeclaredAt)}}}
		r.Tender = t
		if e.SuccessorCaseID != "" {
			r.RelatedProcesses = []Related{{ID: "successor", Relationship: []string{"replacementProcess"},
				Title: "The procurement that replaces this one", Scheme: "ocid", Identifier: b.cfg.OCID(e.SuccessorCaseID)}}
		}
		return "tenderUpdate"
	}
	return ""
}

// notice is the tender as the contract notice publishes it.
func (b *caseBuilder) notice(e procurement.ContractNoticePublished) *Tender {
	d := &b.design
	t := &Tender{ID: b.caseID, Title: b.title, Description: b.description, Status: "active", Items: b.items(),
		MainProcurementCategory: category(b.cpv), SubmissionMethod: []string{"electronicSubmission"},
		TenderPeriod:        &Period{StartDate: stamp(e.PublishedAt), EndDate: stamp(e.Deadline)},
		EligibilityCriteria: d.eligibility(), Lots: b.lots()}
	if b.lead != "" {
		t.ProcuringEntity = b.ref(b.lead)
		b.addRole(b.lead, "procuringEntity")
	}
	for _, org := range e.Buyers {
		b.addRole(org, "buyer")
	}
	if d.procedure != nil {
		t.ProcurementMethod, t.ProcurementMethodDetails = method(d.procedure.Procedure)
		t.ProcurementMethodRationale = strings.TrimSpace(strings.Join([]string{d.procedure.LegalBasis, d.procedure.Justification}, " "))
	}
	if len(d.criteria) > 0 {
		t.AwardCriteria = "ratedCriteria"
	}
	if v := b.lotsValue(); v != nil {
		t.Value = v
	}
	if tt := d.timetable; tt != nil {
		if !tt.QACutoff.IsZero() {
			t.EnquiryPeriod = &Period{StartDate: stamp(e.PublishedAt), EndDate: stamp(tt.QACutoff)}
		}
		if e.Round == procurement.RoundRequests {
			t.Milestones = append(t.Milestones, Milestone{ID: "requests-deadline", Title: "Deadline for requests to participate",
				Type: "engagement", DueDate: stamp(e.Deadline), Status: "scheduled"})
			t.TenderPeriod.EndDate = ""
			if !tt.TenderDeadline.IsZero() {
				t.TenderPeriod.EndDate = stamp(tt.TenderDeadline)
			}
		}
	}
	for _, p := range d.phases {
		t.Milestones = append(t.Milestones, Milestone{ID: "phase-" + p.ID, Title: p.Goal, Type: "delivery",
			Description: strings.Join(p.IntermediateTargets, "\n"), DueDate: b.day(p.Due), Status: "scheduled"})
	}
	t.Documents = []Document{
		{ID: "contract-notice", DocumentType: "tenderNotice", Title: noticeTitle("Contract notice", e.Channel, e.ExternalNoticeID),
			DatePublished: stamp(e.PublishedAt)},
		{ID: fmt.Sprintf("tender-documents-%d", e.DocumentsVersion), DocumentType: "biddingDocuments",
			Title: fmt.Sprintf("Tender documents, version %d", e.DocumentsVersion), Description: "SHA-256 " + e.DocumentHash,
			DatePublished: stamp(e.PublishedAt)},
	}
	return t
}

// lotsValue is the sum of the lots' estimated values, nil unless every lot has one.
func (b *caseBuilder) lotsValue() *Value {
	if len(b.design.lots) == 0 {
		return nil
	}
	var cents int64
	for _, l := range b.design.lots {
		c, ok := toMinor(l.EstimatedValue)
		if !ok {
			return nil
		}
		cents += c
	}
	return b.minor(cents)
}

// closed publishes how many submissions a round received, in all and per lot.
func (b *caseBuilder) closed(r *Release, e procurement.TenderingClosed) string {
	measure := "bids"
	if e.Round == procurement.RoundRequests {
		measure = "requests"
	}
	id := strings.ToLower(string(e.Round))
	stats := []Statistic{{ID: id, Measure: measure, Value: len(e.Submissions), Date: stamp(e.ClosedAt)}}
	lots := make([]string, 0, len(e.PerLot))
	for lot := range e.PerLot {
		lots = append(lots, lot)
	}
	sort.Strings(lots)
	for _, lot := range lots {
		stats = append(stats, Statistic{ID: id + "-" + lot, Measure: measure, Value: e.PerLot[lot], Date: stamp(e.ClosedAt), RelatedLot: lot})
	}
	r.Bids = &Bids{Statistics: stats}
	if e.Round == procurement.RoundTenders {
		r.Tender = &Tender{ID: b.caseID, Status: "complete"} // OCDS 1.1: the tender period is over
	}
	return "tenderUpdate"
}

func roundName(r procurement.Round) string {
	if r == procurement.RoundRequests {
		return "requests to participate"
	}
	return "tenders"
}

func unsuccessfulTitle(r procurement.UnsuccessfulReason) string {
	switch r {
	case procurement.UnsuccessfulNoBids:
		return "Unsuccessful: no tenders were received"
	case procurement.UnsuccessfulAllRejected:
		return "Unsuccessful: every tender was rejected"
	}
	return "Unsuccessful"
}

// toMinor reads a decimal with at most two places as minor units.
func toMinor(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if !decimal.MatchString(s) || strings.HasPrefix(s, "-") {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	var v int64
	for _, c := range whole + frac {
		if v > (1<<62)/10 {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}
