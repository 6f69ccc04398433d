package graphql

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections/organisations"
)

// The case timeline: the case's own stream, read from the log in order, one
// plain-language line per event the caller may see. An event is shown only
// when its confidentiality class admits the caller (procurement.VisibilityOf)
// and, where a field shows the same fact more narrowly, when that field would
// show it too: the timeline must never be a way round a field's rule.

type timelineEntryResolver struct {
	r        *resolver
	rec      eventstore.Record
	class    procurement.Visibility
	sentence string
}

func (p procurementResolver) Timeline(ctx context.Context) ([]timelineEntryResolver, error) {
	out := []timelineEntryResolver{}
	ta, err := p.tenderAccess(ctx)
	if err != nil || !ta.caseOrg {
		return out, err
	}
	if !procurement.ValidID(p.s.ID) {
		return out, nil
	}
	s, records, err := app.Load(ctx, p.r.Dispatcher.Store(), app.ProcurementAggregate, procurement.StreamID(p.s.ID))
	if err != nil {
		return nil, toAPI(err)
	}
	if p.at != nil { // time travel: the timeline stops where the case is shown
		records = records[:min(len(records), int(p.at.revision)+1)]
		if s, err = p.state(ctx); err != nil {
			return nil, toAPI(err)
		}
	}
	a := newAwardAccess(ta, s)
	orgs, err := organisations.All(ctx, p.r.db())
	if err != nil {
		return nil, toAPI(err)
	}
	w := newSentenceWriter(s, orgs)
	reg := procurement.Events()
	for _, rec := range records {
		ev, ok, err := reg.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return nil, toAPI(err)
		}
		if !ok || !a.seesEvent(ev) {
			continue // a type this build does not know cannot be classified, so it is not shown
		}
		line, ok := w.sentence(ev, rec.Metadata.Org, rec.Metadata.OccurredAt)
		if !ok {
			continue
		}
		class, _ := procurement.VisibilityOf(ev)
		out = append(out, timelineEntryResolver{r: p.r, rec: rec, class: class, sentence: line})
	}
	return out, nil
}

func (t timelineEntryResolver) Revision() int32    { return int32(t.rec.Revision) }
func (t timelineEntryResolver) Position() string   { return t.rec.Position.String() }
func (t timelineEntryResolver) Type() string       { return t.rec.Type }
func (t timelineEntryResolver) At() DateTime       { return DateTime{t.rec.Metadata.OccurredAt} }
func (t timelineEntryResolver) Visibility() string { return string(t.class) }
func (t timelineEntryResolver) Sentence() string   { return t.sentence }
func (t timelineEntryResolver) Actor(ctx context.Context) (*organisationResolver, error) {
	if t.rec.Metadata.Org == "" || t.rec.Metadata.Org == actor.Platform {
		return nil, nil
	}
	o, err := t.r.organisationOf(ctx, t.rec.Metadata.Org)
	return &o, err
}

// seesEvent applies the event's confidentiality class, then the narrower
// rule of the field that shows the same fact.
func (a awardAccess) seesEvent(ev procurement.Event) bool {
	if _, ok := ev.(procurement.ConsensusScoreRecorded); ok {
		return a.seesConsensus() // the sentence leaves the individual scores out
	}
	class, owner := procurement.VisibilityOf(ev)
	switch class {
	case procurement.VisibilityMemberRecord:
		return a.seesOwnOrAll(owner)
	case procurement.VisibilityOrgPrivate:
		return owner != "" && owner == a.p.Org // the owner only: not the hub, the lead or auditors
	case procurement.VisibilityEvaluatorPrivate:
		_, locked := a.s.Evaluation.Locked[owner]
		return locked && a.seesScoresOf(owner) // never before the lock, not even for the evaluator
	case procurement.VisibilityCommercialConf:
		return a.leadOrAuditor()
	case procurement.VisibilitySealed:
		return a.seesSealed(a.roundOf(ev))
	}
	switch ev.(type) {
	case procurement.QualificationAssessed:
		return a.seesAssessments()
	}
	return true
}

// roundOf is the round a sealed event belongs to.
func (a awardAccess) roundOf(ev procurement.Event) procurement.Round {
	bid := ""
	switch e := ev.(type) {
	case procurement.RequestToParticipateReceived:
		return procurement.RoundRequests
	case procurement.BidSubmitted:
		bid = e.BidID
	case procurement.BidReplaced:
		bid = e.BidID
	case procurement.BidWithdrawn:
		bid = e.BidID
	case procurement.BidConfirmed:
		bid = e.BidID
	case procurement.BidsRequireConfirmation:
		if len(e.BidIDs) > 0 {
			bid = e.BidIDs[0]
		}
	}
	if b, ok := a.s.Tendering.Bids[bid]; ok {
		return b.Round
	}
	return a.s.Tendering.Round
}

// sentenceWriter words events: names of organisations from the directory,
// dates in the case's legal time zone, amounts in its currency.
type sentenceWriter struct {
	names    map[string]string
	bidders  map[string]string // bid → supplier, for "the tender of …"
	loc      *time.Location
	currency string
}

func newSentenceWriter(s procurement.State, orgs []organisations.Organisation) sentenceWriter {
	j := s.Jurisdiction
	w := sentenceWriter{names: map[string]string{}, bidders: map[string]string{}, loc: time.UTC, currency: procurement.CurrencyOf(j)}
	for id, b := range s.Tendering.Bids {
		w.bidders[id] = b.Supplier
	}
	if loc, err := timelimits.Jurisdiction(j).Location(); err == nil {
		w.loc = loc
	}
	for _, o := range orgs {
		w.names[o.ID] = o.Name
	}
	return w
}

// platformName is who acts when the platform does (the workflow clock).
const platformName = "Felles"

func (w sentenceWriter) name(org string) string {
	switch {
	case org == "" || org == actor.Platform:
		return platformName
	case w.names[org] != "":
		return w.names[org]
	}
	return org
}

func (w sentenceWriter) namesOf(orgs []string) string {
	out := make([]string, len(orgs))
	for i, o := range orgs {
		out[i] = w.name(o)
	}
	return joinNames(out)
}

// tender names a submission by its supplier. Only events after the opening
// use it, when who bid is known to the case.
func (w sentenceWriter) tender(bid string) string {
	if s, ok := w.bidders[bid]; ok {
		return "the tender of " + w.name(s)
	}
	return "tender " + bid
}

func (w sentenceWriter) day(t time.Time) string { return t.In(w.loc).Format("2 January 2006") }

func (w sentenceWriter) moment(t time.Time) string {
	return t.In(w.loc).Format("2 January 2006 15:04 MST")
}

func (w sentenceWriter) money(v string) string { return v + " " + w.currency }

func lotsPhrase(lots []string) string {
	if len(lots) == 1 {
		return "lot " + lots[0]
	}
	return "lots " + joinNames(lots)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func lower(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", " ")) }

// sentence words one event done by organisation `by` at `at`; false for a
// type it does not know (every registered type is known: a test checks).
// Clauses start as they are written: a person's ID is never capitalised.
func (w sentenceWriter) sentence(ev procurement.Event, by string, at time.Time) (string, bool) {
	clause, ok := w.clause(ev, w.name(by))
	if !ok {
		return "", false
	}
	return clause + " on " + w.day(at), true
}

func (w sentenceWriter) clause(ev procurement.Event, by string) (string, bool) {
	n := w.name
	switch e := ev.(type) {
	// recruitment and the cooperation agreement
	case procurement.CaseCreated:
		return fmt.Sprintf("%s created the procurement %q", by, e.Title), true
	case procurement.MunicipalityInvited:
		return by + " invited " + n(e.Org), true
	case procurement.MunicipalityJoined:
		return n(e.Org) + " joined the procurement", true
	case procurement.InvitationDeclined:
		return n(e.Org) + " declined the invitation", true
	case procurement.MunicipalityWithdrawn:
		return n(e.Org) + " withdrew from the procurement", true
	case procurement.ProcurementCancelled:
		if e.Proposal > 0 {
			return fmt.Sprintf("The procurement was cancelled by the members' vote on proposal %d: %s", e.Proposal, e.Reason), true
		}
		return "The procurement was cancelled: " + e.Reason, true
	case procurement.RecruitmentOpened:
		return by + " opened the recruitment of members", true
	case procurement.RecruitmentClosed:
		return fmt.Sprintf("%s closed the recruitment with %s: %s", by, plural(len(e.Members), "member", "members"), w.namesOf(e.Members)), true
	case procurement.AnchoringDecisionRecorded:
		return fmt.Sprintf("%s recorded its decision to take part (%s, %s)", n(e.Org), e.DecidingBody, e.DecisionDate), true
	case procurement.MandateGranted:
		scope := make([]string, len(e.Scope))
		for i, s := range e.Scope {
			scope[i] = string(s)
		}
		return fmt.Sprintf("%s granted %s mandate %s to %s until %s", n(e.From), n(e.To), e.MandateID, joinNames(scope), e.ValidUntil), true
	case procurement.MandateRevoked:
		return fmt.Sprintf("%s revoked mandate %s", n(e.From), e.MandateID), true
	case procurement.CooperationAgreementDrafted:
		return fmt.Sprintf("%s drafted the cooperation agreement v%d", by, e.Version), true
	case procurement.CooperationAgreementAmended:
		return fmt.Sprintf("%s amended the cooperation agreement to v%d", by, e.Version), true
	case procurement.CooperationAgreementSigned:
		return fmt.Sprintf("%s signed the cooperation agreement v%d", n(e.Org), e.Version), true
	case procurement.LeadConsentGiven:
		return fmt.Sprintf("%s consented to %s as the lead", n(e.Org), n(e.Lead)), true
	case procurement.LeadAuthorityDesignated:
		return fmt.Sprintf("%s designated %s as the lead", by, n(e.Lead)), true
	case procurement.CostSharingKeySet:
		return fmt.Sprintf("%s set cost-sharing key v%d (%s)", by, e.Version, lower(string(e.Key.Method))), true
	case procurement.CostSharesCalculated:
		shares := make([]string, len(e.Shares))
		for i, s := range e.Shares {
			shares[i] = fmt.Sprintf("%s %d.%02d %%", n(s.Org), s.BasisPoints/100, s.BasisPoints%100)
		}
		return "The cost shares were calculated: " + joinNames(shares), true
	case procurement.AgreementConcluded:
		return fmt.Sprintf("The cooperation agreement v%d was concluded with %s as the lead", e.Version, n(e.Lead)), true

	// needs and volumes
	case procurement.NeedsDraftSaved:
		return fmt.Sprintf("%s saved its needs draft v%d", n(e.Org), e.DraftVersion), true
	case procurement.NeedsSubmitted:
		return fmt.Sprintf("%s submitted its needs v%d", n(e.Org), e.Version), true
	case procurement.NeedsConsolidated:
		return fmt.Sprintf("%s consolidated the needs into version %d with %s", by, e.Version, plural(len(e.CommonNeeds), "common need", "common needs")), true
	case procurement.ConsolidatedNeedsApproved:
		return fmt.Sprintf("%s approved the consolidated needs v%d", n(e.Org), e.Version), true
	case procurement.ConsolidatedNeedsRejected:
		return fmt.Sprintf("%s rejected the consolidated needs v%d", n(e.Org), e.Version), true
	case procurement.ConsolidatedNeedsDecided:
		return fmt.Sprintf("The consolidated needs v%d were %s (%s)", e.Version, lower(string(e.Outcome)), lower(string(e.Rule))), true
	case procurement.VolumeCommitted:
		return fmt.Sprintf("%s committed %s %s (%s) in lot %s", n(e.Org), e.Quantity, e.Unit, lower(string(e.Type)), e.Lot), true
	case procurement.VolumeCommitmentChanged:
		return fmt.Sprintf("%s changed its %s commitment in lot %s to %s %s", n(e.Org), lower(string(e.Type)), e.Lot, e.Quantity, e.Unit), true

	// market dialogue and design
	case procurement.DialogueNoticePublished:
		return fmt.Sprintf("%s published the market dialogue notice in %s", by, e.Channel), true
	case procurement.SupplierRegistered:
		stage := "tendering"
		if e.Stage == procurement.StageDialogue {
			stage = "market dialogue"
		}
		return fmt.Sprintf("%s registered for the %s", n(e.Supplier), stage), true
	case procurement.DialogueEventScheduled:
		return fmt.Sprintf("%s scheduled the %s %q for %s", by, lower(string(e.Type)), e.Title, w.moment(e.StartsAt)), true
	case procurement.DialogueEventCancelled:
		return fmt.Sprintf("%s cancelled dialogue event %s", by, e.EventID), true
	case procurement.DialogueMeetingMinuted:
		return fmt.Sprintf("%s recorded the minutes of dialogue event %s", by, e.EventID), true
	case procurement.QuestionReceived:
		return fmt.Sprintf("%s asked question %s", n(e.Supplier), e.QuestionID), true
	case procurement.AnswerPublished:
		return fmt.Sprintf("%s published an answer to %s", by, plural(e.RecipientCount, "supplier", "suppliers")), true
	case procurement.MarketDialogueClosed:
		return by + " closed the market dialogue", true
	case procurement.ProcedureSelected:
		return fmt.Sprintf("%s selected the %s procedure (%s)", by, lower(string(e.Procedure)), e.Regime), true
	case procurement.LotsDefined:
		return fmt.Sprintf("%s defined %s", by, plural(len(e.Lots), "lot", "lots")), true
	case procurement.RequirementsDefined:
		return fmt.Sprintf("%s defined %s", by, plural(len(e.Requirements), "requirement", "requirements")), true
	case procurement.QualificationCriteriaDefined:
		return fmt.Sprintf("%s defined the qualification criteria (v%d)", by, e.Version), true
	case procurement.AwardCriteriaDefined:
		if e.Lot == "" {
			return fmt.Sprintf("%s defined the award criteria for every lot", by), true
		}
		return fmt.Sprintf("%s defined the award criteria for lot %s", by, e.Lot), true
	case procurement.PartnershipPhasesDefined:
		return fmt.Sprintf("%s defined %s", by, plural(len(e.Phases), "partnership phase", "partnership phases")), true
	case procurement.EvaluatorAppointed:
		return fmt.Sprintf("%s appointed %s (%s) as evaluator", by, e.Person, n(e.Org)), true
	case procurement.TimetableSet:
		return fmt.Sprintf("%s set timetable v%d with the tender deadline %s", by, e.Version, w.moment(e.Timetable.TenderDeadline)), true
	case procurement.TenderDocumentsSubmitted:
		return fmt.Sprintf("%s put version %d of the tender documents to the members", by, e.Version), true
	case procurement.TenderDocumentsApproved:
		return fmt.Sprintf("%s approved the tender documents v%d", n(e.Org), e.Version), true
	case procurement.TenderDocumentsRejected:
		return fmt.Sprintf("%s rejected the tender documents v%d", n(e.Org), e.Version), true
	case procurement.TenderDocumentsDecided:
		return fmt.Sprintf("The tender documents v%d were %s (%s)", e.Version, lower(string(e.Outcome)), lower(string(e.Rule))), true

	// tendering and sealed submissions
	case procurement.ContractNoticePublished:
		return fmt.Sprintf("%s published the contract notice in %s with the deadline %s", by, e.Channel, w.moment(e.Deadline)), true
	case procurement.TenderAmended:
		kind := "a minor"
		if e.Material {
			kind = "a material"
		}
		return fmt.Sprintf("%s made %s amendment (%d) to the tender", by, kind, e.Number), true
	case procurement.TenderDeadlineExtended:
		return fmt.Sprintf("The deadline for %s was extended to %s", lower(string(e.Round)), w.moment(e.To)), true
	case procurement.BidsRequireConfirmation:
		return fmt.Sprintf("%s asked to confirm amendment %d", plural(len(e.BidIDs), "submission was", "submissions were"), e.Amendment), true
	case procurement.RequestToParticipateReceived:
		return n(e.Supplier) + " handed in a sealed request to participate", true
	case procurement.BidSubmitted:
		return n(e.Supplier) + " handed in a sealed tender for " + lotsPhrase(e.Lots), true
	case procurement.BidReplaced:
		return fmt.Sprintf("%s replaced its sealed submission (version %d)", by, e.Version), true
	case procurement.BidWithdrawn:
		return by + " withdrew its sealed submission", true
	case procurement.BidConfirmed:
		return fmt.Sprintf("%s confirmed its submission against amendment %d", by, e.Amendment), true
	case procurement.TenderingClosed:
		return fmt.Sprintf("Receipt of %s closed with %s", lower(string(e.Round)), plural(len(e.Submissions), "submission", "submissions")), true
	case procurement.BidOpeningStarted:
		return fmt.Sprintf("%s started the four-eyes opening of the %s", by, lower(string(e.Round))), true
	case procurement.BidsOpened:
		return fmt.Sprintf("%s opened the %s: %s", by, lower(string(e.Round)), plural(len(e.Bids), "submission", "submissions")), true
	case procurement.ReminderSent:
		return fmt.Sprintf("A reminder (%s) was sent to %s", lower(string(e.Kind)), plural(len(e.Recipients), "organisation", "organisations")), true

	// qualification and negotiation
	case procurement.QualificationAssessed:
		verdict := "qualified"
		if !e.Qualified {
			verdict = "not qualified"
		}
		return fmt.Sprintf("%s assessed the request of %s: %s", by, n(e.Supplier), verdict), true
	case procurement.CandidatesInvited:
		to := "negotiate"
		if e.Next == procurement.PhaseTendering {
			to = "tender"
		}
		return fmt.Sprintf("%s invited %s to %s: %s", by, plural(len(e.Invited), "candidate", "candidates"), to, w.namesOf(e.Invited)), true
	case procurement.NegotiationRoundHeld:
		return fmt.Sprintf("%s held negotiation round %d with %s", by, e.Round, n(e.Supplier)), true
	case procurement.ParticipantEliminated:
		return fmt.Sprintf("%s eliminated %s from the negotiation", by, n(e.Supplier)), true
	case procurement.FinalTendersCalled:
		return fmt.Sprintf("%s called for final tenders by %s", by, w.moment(e.Deadline)), true

	// evaluation
	case procurement.ConflictOfInterestDeclared:
		if e.HasConflict {
			return fmt.Sprintf("%s (%s) declared a conflict of interest", e.Evaluator, n(e.Org)), true
		}
		return fmt.Sprintf("%s (%s) declared no conflict of interest", e.Evaluator, n(e.Org)), true
	case procurement.EvaluatorRecused:
		if e.Replacement != "" {
			return fmt.Sprintf("%s was recused and replaced by %s (%s)", e.Evaluator, e.Replacement, n(e.ReplacementOrg)), true
		}
		return e.Evaluator + " was recused", true
	case procurement.BidScored:
		return fmt.Sprintf("%s scored %s on %s: %d", e.Evaluator, w.tender(e.BidID), e.Criterion, e.Score), true
	case procurement.EvaluatorScoresLocked:
		return fmt.Sprintf("%s locked %s", e.Evaluator, plural(e.Scores, "score", "scores")), true
	case procurement.ConsensusScoreRecorded:
		return fmt.Sprintf("%s recorded the consensus score of %s on %s", by, w.tender(e.BidID), e.Criterion), true
	case procurement.ClarificationRequested:
		return fmt.Sprintf("%s asked %s to clarify its tender", by, n(e.Supplier)), true
	case procurement.ClarificationReceived:
		return fmt.Sprintf("%s answered clarification %s", by, e.ClarificationID), true
	case procurement.BidRejected:
		return fmt.Sprintf("%s rejected the tender of %s (%s)", by, n(e.Supplier), e.LegalBasis), true
	case procurement.EvaluationReportFinalized:
		return fmt.Sprintf("%s finalised the evaluation report v%d", by, e.Version), true

	// award, standstill, review
	case procurement.AwardDecided:
		return fmt.Sprintf("%s decided the award of lot %s to %s", n(e.DecidedBy), e.Lot, n(e.Supplier)), true
	case procurement.AwardNotificationSent:
		return fmt.Sprintf("%s notified %s of the award decision", by, plural(len(e.Recipients), "tenderer", "tenderers")), true
	case procurement.StandstillStarted:
		return fmt.Sprintf("The standstill started; it ends at midnight at the end of %s (%s)", e.Computation.EndDate, e.Computation.TimeZone), true
	case procurement.StandstillEnded:
		return "The standstill ended and contracting opened", true
	case procurement.ComplaintReceived:
		suspensive := ""
		if e.Suspensive {
			suspensive = " with suspensive effect"
		}
		return fmt.Sprintf("%s registered a complaint by %s to %s%s", by, e.Complainant, e.Forum, suspensive), true
	case procurement.ContractingSuspended:
		return fmt.Sprintf("Contracting was suspended (complaint %s)", e.ComplaintID), true
	case procurement.ReviewResolved:
		return fmt.Sprintf("The review of complaint %s was resolved: %s", e.ComplaintID, lower(string(e.Outcome))), true
	case procurement.AwardRevoked:
		return fmt.Sprintf("%s revoked award %s", by, e.AwardID), true

	// contracting and follow-up
	case procurement.ContractSignatureRecorded:
		return fmt.Sprintf("%s signed contract %s for %s", n(e.Org), e.ContractID, w.namesOf(e.For)), true
	case procurement.ContractSigned:
		return fmt.Sprintf("Contract %s with %s for lot %s was signed by every buyer", e.ContractID, n(e.Supplier), e.Lot), true
	case procurement.AwardNoticePublished:
		return fmt.Sprintf("%s published the award notice in %s", by, e.Channel), true
	case procurement.CallOffPlaced:
		return fmt.Sprintf("%s placed call-off %s of %s under contract %s", n(e.Org), e.CallOffID, w.money(e.Value), e.ContractID), true
	case procurement.MilestoneRecorded:
		return fmt.Sprintf("%s recorded milestone %q of contract %s as %s", by, e.Title, e.ContractID, lower(string(e.Status))), true
	case procurement.ContractDeviationRecorded:
		return fmt.Sprintf("%s recorded a %s deviation from contract %s", n(e.RecordedBy), lower(string(e.Severity)), e.ContractID), true
	case procurement.PartnershipPhaseCompleted:
		return fmt.Sprintf("%s decided to %s after partnership phase %s", by, lower(string(e.Decision)), e.PhaseID), true
	case procurement.PartnershipTerminated:
		return fmt.Sprintf("The partnership was terminated after phase %s", e.PhaseID), true
	case procurement.PaymentRecorded:
		return fmt.Sprintf("%s recorded a payment of %s under contract %s", n(e.Org), w.money(e.Amount), e.ContractID), true
	case procurement.EffectMeasured:
		return fmt.Sprintf("%s measured %s at %s %s against a baseline of %s", n(e.Org), e.KPI, e.Value, e.Unit, e.Baseline), true
	case procurement.ContractClosed:
		return fmt.Sprintf("%s closed contract %s (%s)", by, e.ContractID, lower(string(e.FinalStatus))), true
	case procurement.CaseClosed:
		return by + " closed the case", true

	// cancellation, unsuccessful procedures, withdrawal
	case procurement.CancellationProposed:
		return fmt.Sprintf("%s proposed to cancel the procurement (proposal %d): %s", n(e.ProposedBy), e.Version, e.Reason), true
	case procurement.CancellationApproved:
		return fmt.Sprintf("%s voted for cancellation proposal %d", n(e.Org), e.Version), true
	case procurement.CancellationRejected:
		return fmt.Sprintf("%s voted against cancellation proposal %d", n(e.Org), e.Version), true
	case procurement.CancellationDeclined:
		return fmt.Sprintf("The members declined cancellation proposal %d", e.Version), true
	case procurement.ProcurementUnsuccessful:
		return fmt.Sprintf("%s declared the procurement unsuccessful (%s)", by, lower(string(e.Reason))), true
	case procurement.WithdrawalRequested:
		return n(e.Org) + " asked to withdraw from the procurement", true
	case procurement.WithdrawalApproved:
		return fmt.Sprintf("%s approved the withdrawal of %s", n(e.By), n(e.Org)), true
	}
	return "", false
}
