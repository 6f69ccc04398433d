package procurement_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// legalMove is the member sub-machine as far as this slice goes: "" is a
// municipality the case has never invited.
var legalMove = map[[2]procurement.MemberStatus]bool{
	{"", procurement.MemberInvited}:                          true,
	{procurement.MemberInvited, procurement.MemberJoined}:    true,
	{procurement.MemberInvited, procurement.MemberDeclined}:  true,
	{procurement.MemberJoined, procurement.MemberWithdrawn}:  true,
	{procurement.MemberDeclined, procurement.MemberInvited}:  true,
	{procurement.MemberWithdrawn, procurement.MemberInvited}: true,
}

// world is the cast the random commands draw from: hubs, municipalities, a
// supplier, a research body, an unregistered name and the platform. Actors and
// invitees lean towards the case's hub and the municipalities, so that runs
// reach joins, declines and withdrawals rather than mostly rejections.
type world struct {
	rng            *rand.Rand
	orgs           []string
	municipalities []string
	suppliers      []string          // the suppliers that take part in dialogue and tendering
	limits         *timelimits.Table // the time-limit table in force
}

func (w world) pick(from []string) string { return from[w.rng.Intn(len(from))] }

func (w world) actor(caseHub string) actor.Actor {
	switch n := w.rng.Intn(100); {
	case n < 8:
		return platform
	case n < 35 && caseHub != "":
		return by(caseHub)
	case n < 85:
		return by(w.pick(w.municipalities))
	}
	return by(w.pick(w.orgs))
}

func (w world) invitee() string {
	if w.rng.Intn(4) == 0 {
		return w.pick(w.orgs)
	}
	return w.pick(w.municipalities)
}

func (w world) reason() string {
	switch w.rng.Intn(12) {
	case 0:
		return ""
	case 1:
		return "   "
	case 2:
		return runes(2001)
	}
	return "a reason"
}

// command draws one command against the case s at moment at. Creation and
// cancellation are rare so that most runs stay open long enough to be
// interesting; the agreement, needs and volume commands lean towards what the
// case expects next (its current version and hash, the lead the members lean
// to, needs with fixed IDs a consolidation can cite), so that runs reach the
// needs phase and its votes rather than mostly rejections. Once the needs are
// approved, most draws are the dialogue, design and tendering commands
// (tenderCommand) and the happy path is taken more often, so that runs get
// through the notice and the deadline to the opening.
func (w world) command(s procurement.State, at time.Time) procurement.Command {
	late := propertyLate(s)
	p := 35
	if late {
		p = 50
	}
	if w.rng.Intn(100) < p {
		if c := w.progress(s, at); c != nil {
			return c
		}
	}
	if late && w.rng.Intn(100) < 75 {
		return w.tenderCommand(s, at)
	}
	caseHub := s.Hub
	switch n := w.rng.Intn(1000); {
	case n < 20:
		a := w.actor(caseHub)
		if w.rng.Intn(2) == 0 {
			a = by(w.pick([]string{hub, otherHub}))
		}
		c := newCase()
		c.By, c.HubKind = a, registered[a.Org]
		if w.rng.Intn(8) == 0 {
			c.Title = ""
		}
		return c
	case n < 220:
		c := inviteBy(w.actor(caseHub), w.invitee())
		c.At = at
		return c
	case n < 370:
		return procurement.AcceptInvitation{By: w.actor(caseHub), At: at}
	case n < 450:
		return procurement.DeclineInvitation{Reason: w.reason(), By: w.actor(caseHub), At: at}
	case n < 465:
		return procurement.WithdrawMunicipality{Reason: w.reason(), By: w.actor(caseHub), At: at}
	case n < 510:
		a := w.memberActor(s)
		id := "m-" + a.Org
		if w.rng.Intn(5) == 0 {
			id = fmt.Sprintf("m-%d", w.rng.Intn(2))
		}
		scope := []string{"prepare", "publish"}
		if w.rng.Intn(6) == 0 {
			scope = []string{"prepare"}
		}
		until := "2026-12-31"
		if w.rng.Intn(10) == 0 {
			until = "2025-04-15"
		}
		return procurement.GrantMandate{MandateID: id, To: w.leadChoice(s), Scope: scope, ValidUntil: until, By: a, At: at}
	case n < 520:
		// A revocation only takes from the member that granted: draw members.
		a := by(w.pick(w.municipalities))
		id := "m-" + a.Org
		if w.rng.Intn(2) == 0 {
			id = fmt.Sprintf("m-%d", w.rng.Intn(2))
		}
		return procurement.RevokeMandate{MandateID: id, Reason: "new lead", By: a, At: at}
	case n < 545:
		return procurement.OpenRecruitment{By: w.actor(caseHub), At: at}
	case n < 575:
		return procurement.CloseRecruitment{By: w.actor(caseHub), At: at}
	case n < 590:
		return procurement.RecordAnchoringDecision{DecidingBody: "bystyret", DecisionDate: "2025-03-01",
			CaseRef: fmt.Sprintf("25/%d", w.rng.Intn(3)), By: w.actor(caseHub), At: at}
	case n < 615:
		return procurement.DraftCooperationAgreement{Terms: w.terms(), By: w.coordinator(s), At: at}
	case n < 625:
		from := s.Agreement.Version
		if w.rng.Intn(5) == 0 {
			from--
		}
		next := propertyTerms[0]
		if s.Agreement.Terms == next {
			next = propertyTerms[1]
		}
		return procurement.AmendCooperationAgreement{FromVersion: from, Terms: next, By: w.coordinator(s), At: at}
	case n < 680:
		version, hash := s.Agreement.Version, s.Agreement.Terms.DocumentHash
		if w.rng.Intn(10) == 0 {
			version = 1
		}
		if w.rng.Intn(10) == 0 || hash == "" {
			hash = w.terms().DocumentHash
		}
		return procurement.SignCooperationAgreement{Version: version, DocumentHash: hash, SignatureRef: "bankid-1", By: w.memberActor(s), At: at}
	case n < 715:
		return procurement.ConsentToLead{Lead: w.leadChoice(s), By: w.memberActor(s), At: at}
	case n < 740:
		return procurement.DesignateLeadAuthority{Lead: w.leadChoice(s), By: w.coordinator(s), At: at}
	case n < 770:
		return procurement.SetCostSharingKey{Key: w.costKey(s), By: w.coordinator(s), At: at}
	case n < 785:
		return procurement.SaveNeedsDraft{Needs: []procurement.Need{{ID: "n1", Statement: fmt.Sprintf("draft %d", w.rng.Intn(3))}},
			By: w.memberActor(s), At: at}
	case n < 835:
		needs := []procurement.Need{propertyNeed("n1", w.rng.Intn(2))}
		if w.rng.Intn(3) == 0 {
			needs = append(needs, propertyNeed("n2", 0))
		}
		adopt := w.rng.Intn(4) == 0
		if adopt && w.rng.Intn(2) == 0 {
			needs = nil
		}
		return procurement.SubmitNeeds{Needs: needs, AdoptCommonNeed: adopt, By: w.memberActor(s), At: at}
	case n < 865:
		var sources []procurement.NeedRef
		for org, sub := range s.Submissions {
			if s.Members[org] == procurement.MemberJoined && len(sub.Needs) > 0 {
				sources = append(sources, procurement.NeedRef{Org: org, NeedID: "n1"})
			}
		}
		slices.SortFunc(sources, func(a, b procurement.NeedRef) int { return strings.Compare(a.Org, b.Org) })
		common := []procurement.CommonNeed{{ID: "c1", Statement: fmt.Sprintf("Warn drivers, take %d", w.rng.Intn(3)), Sources: sources}}
		return procurement.ConsolidateNeeds{CommonNeeds: common, By: w.coordinator(s), At: at}
	case n < 925:
		version := len(s.Consolidations)
		if w.rng.Intn(10) == 0 {
			version = 1
		}
		if n < 905 {
			return procurement.ApproveConsolidatedNeeds{Version: version, By: w.memberActor(s), At: at}
		}
		return procurement.RejectConsolidatedNeeds{Version: version, Comment: "too broad", By: w.memberActor(s), At: at}
	case n < 995:
		types := []procurement.CommitmentType{procurement.CommitmentBinding, procurement.CommitmentIndicative, procurement.CommitmentOption}
		currency := "NOK"
		if w.rng.Intn(20) == 0 {
			currency = "SEK"
		}
		return procurement.CommitVolume{Lot: w.pick([]string{"L1", "L2"}), Type: types[w.rng.Intn(3)], Quantity: w.pick([]string{"10", "20", "0"}),
			Unit: "licences", EstimatedValue: w.pick([]string{"1000", "2500.50", "0"}), Currency: currency, BudgetYears: []int{2026},
			By: w.memberActor(s), At: at}
	}
	return procurement.CancelProcurement{Reason: w.reason(), By: w.actor(caseHub), At: at}
}

// progress is a command that takes the case one step further along the
// happy path, through the needs votes and the volumes and on to the opened
// bids (tenderProgress); nil when there is none. Without it, random draws
// seldom get a case through recruitment and every condition of the agreement.
func (w world) progress(s procurement.State, at time.Time) procurement.Command {
	if !s.Created || s.Phase == procurement.PhaseCancelled {
		return nil
	}
	joined := joinedOf(s)
	hubActor := by(s.Hub)
	switch s.Phase {
	case procurement.PhaseDraft:
		for _, org := range w.municipalities {
			if _, ok := s.Members[org]; !ok {
				c := inviteBy(hubActor, org)
				c.At = at
				return c
			}
		}
		return procurement.OpenRecruitment{By: hubActor, At: at}
	case procurement.PhaseRecruiting:
		for _, m := range s.MembersSorted() {
			if m.Status == procurement.MemberInvited {
				if w.rng.Intn(5) == 0 {
					return procurement.DeclineInvitation{Reason: "no budget", By: by(m.Org), At: at}
				}
				return procurement.AcceptInvitation{By: by(m.Org), At: at}
			}
		}
		return procurement.CloseRecruitment{By: hubActor, At: at}
	case procurement.PhaseAgreement:
		if s.Agreement.Version == 0 {
			return procurement.DraftCooperationAgreement{Terms: propertyTerms[w.rng.Intn(2)], By: hubActor, At: at}
		}
		for _, org := range joined {
			if !s.Agreement.SignedCurrent(org) {
				return procurement.SignCooperationAgreement{Version: s.Agreement.Version, DocumentHash: s.Agreement.Terms.DocumentHash,
					SignatureRef: "bankid-" + org, By: by(org), At: at}
			}
		}
		lead := w.leadChoice(s)
		if s.Lead == "" {
			for _, org := range joined {
				if s.LeadConsents[org] != lead {
					return procurement.ConsentToLead{Lead: lead, By: by(org), At: at}
				}
			}
			return procurement.DesignateLeadAuthority{Lead: lead, By: hubActor, At: at}
		}
		for _, org := range joined {
			if org == s.Lead {
				continue
			}
			if _, ok := s.MandateCovers(org, s.Lead, procurement.ScopePublish, at); !ok {
				return procurement.GrantMandate{MandateID: fmt.Sprintf("m-%s-%d", org, len(s.Mandates)), To: s.Lead,
					Scope: []string{"prepare", "publish"}, ValidUntil: "2026-12-31", By: by(org), At: at}
			}
		}
		return procurement.SetCostSharingKey{Key: w.costKey(s), By: hubActor, At: at}
	case procurement.PhaseNeeds:
		if len(joined) == 0 {
			return nil
		}
		org := w.pick(joined)
		if w.rng.Intn(3) == 0 {
			return procurement.CommitVolume{Lot: "L1", Type: procurement.CommitmentBinding, Quantity: w.pick([]string{"10", "20"}),
				Unit: "licences", EstimatedValue: w.pick([]string{"1000", "2000"}), Currency: "NOK", BudgetYears: []int{2026}, By: by(org), At: at}
		}
		for _, org := range joined {
			if _, ok := s.Submissions[org]; !ok {
				return procurement.SubmitNeeds{Needs: []procurement.Need{propertyNeed("n1", 0)}, By: by(org), At: at}
			}
		}
		last, ok := s.CurrentConsolidation()
		if !ok || last.Outcome == procurement.NeedsRejected {
			return w.command(s, at) // the random consolidation cites the submissions
		}
		if last.Outcome == "" {
			for _, org := range joined {
				if !slices.Contains(last.Approvals, org) && !slices.Contains(last.Rejections, org) {
					if w.rng.Intn(4) == 0 {
						return procurement.RejectConsolidatedNeeds{Version: last.Version, Comment: "too broad", By: by(org), At: at}
					}
					return procurement.ApproveConsolidatedNeeds{Version: last.Version, By: by(org), At: at}
				}
			}
		}
		if last.Outcome == procurement.NeedsApproved {
			return w.tenderProgress(s, at, joined)
		}
	case procurement.PhaseMarketDialogue, procurement.PhaseDesign, procurement.PhaseApproval, procurement.PhaseTendering,
		procurement.PhaseReceiptClosed, procurement.PhaseQualification:
		return w.tenderProgress(s, at, joined)
	}
	return nil
}

// memberActor is mostly a joined member of s, sometimes anyone.
func (w world) memberActor(s procurement.State) actor.Actor {
	var joined []string
	for _, m := range s.MembersSorted() {
		if m.Status == procurement.MemberJoined {
			joined = append(joined, m.Org)
		}
	}
	if len(joined) > 0 && w.rng.Intn(10) < 8 {
		return by(w.pick(joined))
	}
	return w.actor(s.Hub)
}

// coordinator is mostly the hub or the lead of s, sometimes anyone.
func (w world) coordinator(s procurement.State) actor.Actor {
	switch n := w.rng.Intn(10); {
	case n < 5 && s.Hub != "":
		return by(s.Hub)
	case n < 7 && s.Lead != "":
		return by(s.Lead)
	}
	return w.actor(s.Hub)
}

// leadChoice is the lead the members lean to: the designated one, else the
// first joined member, sometimes any municipality.
func (w world) leadChoice(s procurement.State) string {
	if w.rng.Intn(8) == 0 {
		return w.pick(w.municipalities)
	}
	if s.Lead != "" {
		return s.Lead
	}
	for _, m := range s.MembersSorted() {
		if m.Status == procurement.MemberJoined {
			return m.Org
		}
	}
	return w.pick(w.municipalities)
}

// propertyTerms are the two versions of the agreement the runs draft and
// amend between: unanimous approval of the needs, and majority.
var propertyTerms = func() [2]procurement.AgreementTerms {
	a, b := terms(hashV1), terms(hashV2)
	b.DecisionRules.Approval = procurement.RuleMajority
	return [2]procurement.AgreementTerms{a, b}
}()

func (w world) terms() procurement.AgreementTerms {
	switch n := w.rng.Intn(20); {
	case n == 0:
		t := terms(hashV1)
		t.DocumentHash = "not a hash"
		return t
	case n < 4:
		return propertyTerms[1]
	}
	return propertyTerms[0]
}

var propertyPopulations = map[string]int64{"bergen": 291940, "oslo": 717710, "tromso": 78745}

// costKey is one of a few keys, with the population of every joined member
// when the key reads it.
func (w world) costKey(s procurement.State) procurement.CostKey {
	var figures []procurement.PopulationFigure
	for _, m := range s.MembersSorted() {
		if m.Status == procurement.MemberJoined {
			figures = append(figures, pop(m.Org, propertyPopulations[m.Org]))
		}
	}
	switch w.rng.Intn(20) {
	case 0:
		return procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 5000, Population: 4000}, Populations: figures}
	case 1, 2, 3, 4:
		return procurement.CostKey{Method: costshare.Population, Populations: figures}
	case 5, 6, 7:
		return procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 3000, Population: 7000}, Populations: figures}
	case 8, 9, 10:
		return procurement.CostKey{Method: costshare.Volume}
	case 11, 12:
		return procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 2000, Volume: 8000}, CountOptions: true}
	}
	return procurement.CostKey{Method: costshare.Equal}
}

func propertyNeed(id string, variant int) procurement.Need {
	return procurement.Need{ID: id, Statement: fmt.Sprintf("Know about avalanches (%d)", variant), UserGroup: "road operators",
		SuccessCriteria: "warnings ahead"}
}

// --- the market dialogue, the design and the tendering (issue 5) ---

// propertyLate says whether the case has reached the market dialogue, or the
// needs are approved and it is about to: from then on the runs draw the
// commands of issue 5.
func propertyLate(s procurement.State) bool {
	switch s.Phase {
	case procurement.PhaseNeeds:
		return s.ApprovedNeeds()
	case procurement.PhaseMarketDialogue, procurement.PhaseDesign, procurement.PhaseApproval, procurement.PhaseTendering,
		procurement.PhaseReceiptClosed, procurement.PhaseQualification, procurement.PhaseEvaluation:
		return true
	}
	return false
}

// tick is the moment of the next command: a day later, one to three days
// while the competition waits for its deadline, and now and then exactly at,
// or a minute either side of, the deadline or the opening time, so the runs
// cross the boundaries.
func (w world) tick(s procurement.State, now time.Time) time.Time {
	next := now.Add(24 * time.Hour)
	var mark time.Time
	switch s.Phase {
	case procurement.PhaseTendering:
		next = now.Add(time.Duration(1+w.rng.Intn(3)) * 24 * time.Hour)
		mark = s.Tendering.Deadline
	case procurement.PhaseReceiptClosed:
		if tt := s.Design.Timetable; tt != nil {
			mark = tt.Timetable.OpeningAt
		}
	}
	if mark.After(now) && !mark.After(next) && w.rng.Intn(4) != 0 {
		next = mark.Add(time.Duration(w.rng.Intn(3)-1) * time.Minute)
		if !next.After(now) {
			next = mark
		}
	}
	return next
}

// propertyKind is an organisation's kind as the register knows it; nordic is
// a second supplier the fixtures' register does not list.
func propertyKind(org string) organisation.Kind {
	if org == "nordic" {
		return organisation.KindSupplier
	}
	return registered[org]
}

// propertySecond is the lead's second person, for four-eyes openings.
func propertySecond(lead string) actor.Actor {
	return actor.Actor{User: "signatory@" + lead, Org: lead}
}

// leadActor is mostly the lead, sometimes its second person, sometimes anyone.
func (w world) leadActor(s procurement.State) actor.Actor {
	switch n := w.rng.Intn(20); {
	case n < 14 && s.Lead != "":
		return by(s.Lead)
	case n < 16 && s.Lead != "":
		return propertySecond(s.Lead)
	case n < 18:
		return by(w.pick(w.suppliers))
	}
	return w.actor(s.Hub)
}

// supplierActor is mostly one of the suppliers, sometimes a research body or a member.
func (w world) supplierActor(s procurement.State) actor.Actor {
	switch n := w.rng.Intn(20); {
	case n < 17:
		return by(w.pick(w.suppliers))
	case n < 18:
		return by("sintef")
	}
	return w.memberActor(s)
}

func propertyKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// propertyCommitted says whether org has committed any volume.
func propertyCommitted(s procurement.State, org string) bool {
	for _, c := range s.Commitments {
		if c.Org == org {
			return true
		}
	}
	return false
}

// propertyLiveBid is supplier org's submission in the current round that is not withdrawn.
func propertyLiveBid(s procurement.State, org string) (procurement.Bid, bool) {
	for _, id := range s.Tendering.BidsByOrder {
		if b := s.Tendering.Bids[id]; b.Supplier == org && b.Round == s.Tendering.Round && !b.Withdrawn {
			return b, true
		}
	}
	return procurement.Bid{}, false
}

// procedure draws a procedure: mostly open, often two-stage.
func (w world) procedure(at time.Time) procurement.SelectProcedure {
	c := procurement.SelectProcedure{Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1", At: at}
	switch n := w.rng.Intn(20); {
	case n < 10:
		c.Procedure = timelimits.Open
	case n < 14:
		c.Procedure = timelimits.Restricted
	case n < 16:
		c.Procedure = timelimits.CompetitiveDialogue
	default:
		c.Procedure = timelimits.InnovationPartnership
	}
	if w.rng.Intn(10) < 7 {
		c.Conditions = []timelimits.Condition{timelimits.ESubmission}
	}
	if procurement.TwoStage(c.Procedure) {
		c.MinCandidates = 3
	}
	if c.Procedure == timelimits.CompetitiveDialogue || c.Procedure == timelimits.InnovationPartnership {
		c.Justification = "innovative solution not available on the market"
	}
	return c
}

// plan is a timetable from at with room for the legal minima and for the
// documents vote before the notice.
func (w world) plan(s procurement.State, at time.Time) procurement.TimetablePlan {
	notice := at.Add(48 * time.Hour).Truncate(time.Hour)
	dayN := func(n, hour int) time.Time { return notice.Add(time.Duration(n*24+hour) * time.Hour) }
	p := procurement.TimetablePlan{NoticeAt: notice, QACutoff: dayN(20, 0), TenderDeadline: dayN(56, 1), OpeningAt: dayN(56, 2),
		FourEyesOpening: w.rng.Intn(2) == 0}
	if d := s.Design.Procedure; d != nil && procurement.TwoStage(d.Procedure) {
		p.RequestDeadline, p.TenderDeadline, p.OpeningAt = dayN(50, 1), dayN(90, 1), dayN(90, 2)
	}
	return p
}

// propertyStale says whether a timetable leaves too little time for the vote and the
// notice: the longest first period (35 days for an open procedure without
// e-submission, 30 for requests) and a week to spare.
func propertyStale(g procurement.Design, at time.Time) bool {
	p := g.Timetable.Timetable
	first, need := p.TenderDeadline, 44*24*time.Hour
	if !p.RequestDeadline.IsZero() {
		first, need = p.RequestDeadline, 39*24*time.Hour
	}
	return first.Sub(at) < need
}

// propertyCriteria are award criteria of price and quality; weights (in percent)
// sum to 100 unless the run draws otherwise.
func propertyCriteria(price, quality string) []procurement.AwardCriterion {
	out := []procurement.AwardCriterion{{ID: "price", Name: "Price", Type: procurement.CriterionPrice, Weight: price, ScoringMethod: "linear",
		PriceFormula: "lowest/offered*10"}}
	if quality != "" {
		out = append(out, procurement.AwardCriterion{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: quality,
			ScoringMethod: "panel consensus"})
	}
	return out
}

// propertyHasQuality says whether a set of criteria has a quality criterion.
func propertyHasQuality(cs []procurement.AwardCriterion) bool {
	return slices.ContainsFunc(cs, func(c procurement.AwardCriterion) bool { return c.Type == procurement.CriterionQuality })
}

// propertyPhases is a partnership phase plan falling due after at.
func propertyPhases(at time.Time) procurement.DefinePartnershipPhases {
	due := func(months int) string { return at.AddDate(0, months, 0).Format(time.DateOnly) }
	return procurement.DefinePartnershipPhases{Phases: []procurement.PartnershipPhase{
		{ID: "p1", Goal: "prototype", IntermediateTargets: []string{"works at -30 °C"}, MaxCost: "100000", Due: due(6)},
		{ID: "p2", Goal: "pilot", IntermediateTargets: []string{"one winter on a road"}, MaxCost: "200000", Due: due(12)},
	}, PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "detects 95 %", MaxCost: "500000"}}
}

// openBids is the lead opening the round to open, with the right content
// hashes unless the run draws a wrong or missing one.
func (w world) openBids(s procurement.State, a actor.Actor, at time.Time) procurement.OpenBids {
	verified := map[string]string{}
	for _, r := range []procurement.Round{procurement.RoundRequests, procurement.RoundTenders} {
		closed, ok := s.Tendering.Closed[r]
		if _, opened := s.Tendering.Openings[r]; !ok || opened {
			continue
		}
		for _, id := range closed.Submissions {
			switch w.rng.Intn(25) {
			case 0:
				verified[id] = tdHashOf("tampered")
			case 1:
				verified[id] = procurement.Unreadable
			case 2:
				// missing: the opening is refused
			default:
				verified[id] = s.Tendering.Bids[id].SHA256
			}
		}
	}
	return procurement.OpenBids{Verified: verified, By: a, At: at}
}

// tenderProgress takes a case whose needs are approved one step along the
// happy path to the opened bids; nil when it has to wait.
func (w world) tenderProgress(s procurement.State, at time.Time, joined []string) procurement.Command {
	if s.Lead == "" {
		return nil
	}
	lead := by(s.Lead)
	if s.Phase.BeforeNotice() || s.Phase == procurement.PhaseTendering {
		// A revoked or narrow mandate would leave the lead stuck: the member renews it.
		for _, org := range joined {
			if org == s.Lead {
				continue
			}
			for _, sc := range []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish, procurement.ScopeAnswerQuestions} {
				if _, ok := s.MandateCovers(org, s.Lead, sc, at); !ok {
					return procurement.GrantMandate{MandateID: fmt.Sprintf("m-%s-%d", org, len(s.Mandates)), To: s.Lead,
						Scope: []string{"prepare", "publish", "answerQuestions"}, ValidUntil: "2026-12-31", By: by(org), At: at}
				}
			}
		}
	}
	if s.Phase.BeforeNotice() {
		for _, org := range joined {
			if !propertyCommitted(s, org) || (org == s.Lead && s.JointEstimatedValue().Total() <= 0) {
				return procurement.CommitVolume{Lot: "L1", Type: procurement.CommitmentBinding, Quantity: "10", Unit: "licences",
					EstimatedValue: "1000", Currency: "NOK", BudgetYears: []int{2026}, By: by(org), At: at}
			}
		}
	}
	d, t := s.Dialogue, s.Tendering
	switch s.Phase {
	case procurement.PhaseNeeds:
		return procurement.PublishDialogueNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-1", Text: "Market dialogue",
			RegistrationDeadline: at.Add(10 * 24 * time.Hour), By: w.coordinator(s), At: at}
	case procurement.PhaseMarketDialogue:
		for _, sup := range w.suppliers {
			if _, ok := d.Suppliers[sup]; !ok && !at.After(d.Notice.RegistrationDeadline) {
				if w.rng.Intn(4) == 0 {
					return procurement.RegisterSupplier{Supplier: sup, SupplierKind: propertyKind(sup), By: lead, At: at}
				}
				return procurement.RegisterSupplier{SupplierKind: propertyKind(sup), By: by(sup), At: at}
			}
		}
		for _, id := range propertyKeys(d.Questions) {
			if d.Questions[id].Answer == nil {
				return procurement.AnswerQuestion{QuestionID: id, AnonymisedQuestion: "Does radar qualify?", Answer: "Yes", By: lead, At: at}
			}
		}
		if len(d.Questions) == 0 && len(d.Suppliers) > 0 {
			sup := w.pick(propertyKeys(d.Suppliers))
			return procurement.AskQuestion{QuestionID: "q-dialogue", Text: "Does radar qualify?", SupplierKind: propertyKind(sup), By: by(sup), At: at}
		}
		if len(d.Events) == 0 {
			types := []procurement.DialogueEventType{procurement.DialogueConference, procurement.DialogueOneToOne, procurement.DialogueWebinar}
			return procurement.ScheduleDialogueEvent{EventID: "e1", Type: types[w.rng.Intn(3)], Title: "Meet the buyers",
				StartsAt: at.Add(30 * time.Hour), By: w.coordinator(s), At: at}
		}
		for _, id := range propertyKeys(d.Events) {
			e := d.Events[id]
			if e.Cancelled || e.Minutes != nil {
				continue
			}
			if w.rng.Intn(5) == 0 {
				return procurement.CancelDialogueEvent{EventID: id, Reason: "nobody signed up", By: lead, At: at}
			}
			if at.Before(e.StartsAt) {
				return nil
			}
			return procurement.RecordMeetingNotes{EventID: id, Attendees: propertyKeys(d.Suppliers), PublicSummary: "We presented the needs.", By: lead, At: at}
		}
		return procurement.CloseMarketDialogue{SummaryReportHash: tdHashOf("summary"), LevellingMeasures: []string{"minutes published"}, By: lead, At: at}
	case procurement.PhaseDesign:
		g := s.Design
		switch {
		case g.Procedure == nil:
			c := w.procedure(at)
			c.By = lead
			return c
		case len(g.Lots.Lots) == 0 || slices.ContainsFunc(g.Lots.Lots, func(l procurement.Lot) bool {
			return slices.ContainsFunc(l.Members, func(m string) bool { return s.Members[m] != procurement.MemberJoined })
		}) || len(joined) > 0 && !slices.ContainsFunc(g.Lots.Lots, func(l procurement.Lot) bool { return slices.Equal(l.Members, joined) }):
			return procurement.DefineLots{Lots: []procurement.Lot{{ID: "L1", Title: "Sensors", Members: joined}}, By: lead, At: at}
		case len(g.Requirements.Requirements) == 0:
			return procurement.DefineRequirements{Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementFunctional,
				Text: "Warns drivers"}}, By: lead, At: at}
		case g.Qualification.Version == 0:
			return procurement.DefineQualificationCriteria{ExclusionGrounds: []string{"convictions"}, By: lead, At: at}
		}
		for _, lot := range append([]string{""}, propertyKeys(g.AwardCriteria)...) {
			set, ok := g.AwardCriteria[lot]
			if lot == "" && !ok || ok && !propertyHasQuality(set.Criteria) {
				return procurement.DefineAwardCriteria{Lot: lot, Criteria: propertyCriteria("40", "60"), By: lead, At: at}
			}
		}
		switch {
		case g.Procedure.Procedure == timelimits.InnovationPartnership && g.Partnership == nil:
			c := propertyPhases(at)
			c.By, c.At = lead, at
			return c
		case len(g.Evaluators) == 0:
			return procurement.AppointEvaluator{Person: "eva@bergen", Org: "bergen", By: lead, At: at}
		case g.Timetable == nil || propertyStale(g, at):
			// Without a timetable, or with one gone propertyStale, plan anew from now.
			return procurement.SetTimetable{Timetable: w.plan(s, at), Limits: w.limits, By: lead, At: at}
		}
		return procurement.SubmitTenderDocuments{DocumentHash: tdHashOf(fmt.Sprintf("documents %d", len(g.Documents)+1)), By: lead, At: at}
	case procurement.PhaseApproval:
		cur, _ := s.CurrentDocuments()
		if cur.Outcome == "" && w.rng.Intn(5) == 0 {
			return procurement.SendReminder{Kind: procurement.ReminderMissingApproval, Subject: procurement.DocsSubject(cur.Version), By: platform, At: at}
		}
		if cur.Outcome == "" {
			for _, org := range joined {
				if !slices.Contains(cur.Approvals, org) && !slices.Contains(cur.Rejections, org) {
					if w.rng.Intn(8) == 0 {
						return procurement.RejectTenderDocuments{Version: cur.Version, Comment: "too vague", By: by(org), At: at}
					}
					return procurement.ApproveTenderDocuments{Version: cur.Version, DocumentHash: cur.DocumentHash, By: by(org), At: at}
				}
			}
			return nil
		}
		channels := []procurement.NoticeChannel{procurement.ChannelDoffin, procurement.ChannelTED, procurement.ChannelHilma, procurement.ChannelOwn}
		return procurement.PublishContractNotice{Channel: channels[w.rng.Intn(4)], ExternalNoticeID: "2025-2", DocumentHash: cur.DocumentHash,
			Limits: w.limits, By: lead, At: at}
	case procurement.PhaseTendering:
		for _, id := range propertyKeys(d.Questions) {
			if d.Questions[id].Answer == nil {
				if w.rng.Intn(4) == 0 {
					return procurement.SendReminder{Kind: procurement.ReminderUnansweredQuestion, Subject: id, By: platform, At: at}
				}
				return procurement.AnswerQuestion{QuestionID: id, AnonymisedQuestion: "How cold is it?", Answer: "-40 °C", By: lead, At: at}
			}
		}
		if !at.Before(t.Deadline) {
			return procurement.CloseReceipt{By: platform, At: at}
		}
		for _, id := range t.BidsByOrder {
			if b := t.Bids[id]; b.NeedsConfirmation && !b.Withdrawn && w.rng.Intn(2) == 0 {
				return procurement.ConfirmBid{BidID: id, Amendment: len(t.Amendments), By: by(b.Supplier), At: at}
			}
		}
		for _, sup := range w.suppliers {
			if _, ok := propertyLiveBid(s, sup); !ok && w.rng.Intn(3) == 0 {
				return w.submitBid(sup, at)
			}
		}
	case procurement.PhaseReceiptClosed, procurement.PhaseQualification:
		if tt := s.Design.Timetable; tt != nil && s.Phase == procurement.PhaseReceiptClosed && at.Before(tt.Timetable.OpeningAt) &&
			w.rng.Intn(3) != 0 {
			return nil
		}
		a := by(s.Lead)
		for _, r := range []procurement.Round{procurement.RoundRequests, procurement.RoundTenders} {
			if first, started := t.OpeningBy[r]; started && first == a.User && w.rng.Intn(5) != 0 {
				a = propertySecond(s.Lead)
			}
		}
		return w.openBids(s, a, at)
	}
	return nil
}

// submitBid is supplier org's sealed submission: one of a few IDs and
// contents, so runs repeat and collide as well.
func (w world) submitBid(org string, at time.Time) procurement.SubmitBid {
	id := fmt.Sprintf("b-%s-%d", org, w.rng.Intn(3))
	lots := []string{"L1"}
	switch w.rng.Intn(12) {
	case 0:
		lots = []string{"L9"}
	case 1:
		lots = []string{"L1", "L2"}
	}
	return procurement.SubmitBid{BidID: id, Lots: lots, SHA256: tdHashOf(fmt.Sprintf("%s-%d", id, w.rng.Intn(2))), CiphertextRef: "sealed:" + id,
		SizeBytes: 100, SupplierKind: propertyKind(org), By: by(org), At: at}
}

// anyBid is one of the case's submissions, or an unknown one.
func (w world) anyBid(s procurement.State) (string, procurement.Bid) {
	if len(s.Tendering.BidsByOrder) == 0 || w.rng.Intn(10) == 0 {
		return "b-nobody-0", procurement.Bid{}
	}
	id := w.pick(s.Tendering.BidsByOrder)
	return id, s.Tendering.Bids[id]
}

// bidOwner is mostly the owner of b, sometimes another supplier.
func (w world) bidOwner(b procurement.Bid) actor.Actor {
	if b.Supplier == "" || w.rng.Intn(6) == 0 {
		return by(w.pick(w.suppliers))
	}
	return by(b.Supplier)
}

// tenderCommand draws one command of the market dialogue, the design or the
// tendering, leaning towards what the case can take but with wrong actors,
// propertyStale versions, bad values and late moments mixed in.
func (w world) tenderCommand(s procurement.State, at time.Time) procurement.Command {
	d, g, t := s.Dialogue, s.Design, s.Tendering
	lead := w.leadActor(s)
	switch n := w.rng.Intn(1000); {
	case n < 30:
		deadline := at.Add(10 * 24 * time.Hour)
		if w.rng.Intn(5) == 0 {
			deadline = at
		}
		return procurement.PublishDialogueNotice{Channel: procurement.ChannelOwn, ExternalNoticeID: "2025-1", Text: "Market dialogue",
			RegistrationDeadline: deadline, By: w.coordinator(s), At: at}
	case n < 80:
		a := w.supplierActor(s)
		if w.rng.Intn(6) == 0 {
			return procurement.RegisterSupplier{Supplier: w.pick(w.suppliers), SupplierKind: organisation.KindSupplier, By: w.coordinator(s), At: at}
		}
		return procurement.RegisterSupplier{SupplierKind: propertyKind(a.Org), By: a, At: at}
	case n < 110:
		types := []procurement.DialogueEventType{procurement.DialogueConference, procurement.DialogueOneToOne, procurement.DialogueRFI, "DINNER"}
		return procurement.ScheduleDialogueEvent{EventID: fmt.Sprintf("e%d", 1+w.rng.Intn(3)), Type: types[w.rng.Intn(4)], Title: "Meet the buyers",
			StartsAt: at.Add(time.Duration(w.rng.Intn(72)-12) * time.Hour), By: w.coordinator(s), At: at}
	case n < 125:
		return procurement.CancelDialogueEvent{EventID: fmt.Sprintf("e%d", 1+w.rng.Intn(3)), Reason: w.reason(), By: w.coordinator(s), At: at}
	case n < 145:
		attendees := propertyKeys(d.Suppliers)
		if w.rng.Intn(6) == 0 {
			attendees = append(attendees, "sintef")
		}
		return procurement.RecordMeetingNotes{EventID: fmt.Sprintf("e%d", 1+w.rng.Intn(3)), Attendees: attendees, PublicSummary: "Notes",
			By: w.coordinator(s), At: at}
	case n < 195:
		a := w.supplierActor(s)
		return procurement.AskQuestion{QuestionID: fmt.Sprintf("q%d", w.rng.Intn(4)), Text: "How cold is it?", SupplierKind: propertyKind(a.Org),
			By: a, At: at}
	case n < 235:
		id := fmt.Sprintf("q%d", w.rng.Intn(4))
		anon := "How cold does it get?"
		if q, ok := d.Questions[id]; ok && w.rng.Intn(8) == 0 {
			anon = "Does " + q.Supplier + " qualify?"
		}
		return procurement.AnswerQuestion{QuestionID: id, AnonymisedQuestion: anon, Answer: "-40 °C", By: lead, At: at}
	case n < 250:
		return procurement.CloseMarketDialogue{SummaryReportHash: tdHashOf("summary"), LevellingMeasures: []string{"minutes published"}, By: lead, At: at}
	case n < 270:
		c := w.procedure(at)
		c.By = lead
		return c
	case n < 285:
		members := joinedOf(s)
		if w.rng.Intn(4) == 0 {
			members = []string{w.pick(w.municipalities)}
		}
		return procurement.DefineLots{Lots: []procurement.Lot{{ID: "L1", Title: "Sensors", Members: members}}, By: lead, At: at}
	case n < 310:
		weights := [][2]string{{"40", "60"}, {"33.33", "66.67"}, {"100", ""}, {"50", "40"}, {"0", "100"}, {"12.5", "87.5"}}[w.rng.Intn(6)]
		lot := ""
		if w.rng.Intn(5) == 0 {
			lot = w.pick([]string{"L1", "L2"})
		}
		return procurement.DefineAwardCriteria{Lot: lot, Criteria: propertyCriteria(weights[0], weights[1]), By: lead, At: at}
	case n < 330:
		p := w.plan(s, at)
		switch w.rng.Intn(5) {
		case 0:
			p.TenderDeadline, p.OpeningAt = p.NoticeAt.Add(20*24*time.Hour), p.NoticeAt.Add(21*24*time.Hour)
			p.QACutoff = p.NoticeAt.Add(24 * time.Hour)
			if !p.RequestDeadline.IsZero() {
				p.RequestDeadline = p.NoticeAt.Add(10 * 24 * time.Hour)
			}
		case 1:
			p.RequestDeadline = time.Time{}
		}
		return procurement.SetTimetable{Timetable: p, Limits: w.limits, By: lead, At: at}
	case n < 340:
		switch w.rng.Intn(4) {
		case 0:
			c := propertyPhases(at)
			c.By, c.At = lead, at
			return c
		case 1:
			return procurement.DefineRequirements{Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementMinimum, Text: "Cold"}}, By: lead, At: at}
		case 2:
			return procurement.DefineQualificationCriteria{ExclusionGrounds: []string{"fraud"}, By: lead, At: at}
		}
		return procurement.AppointEvaluator{Person: "eve@oslo", Org: "oslo", By: lead, At: at}
	case n < 355:
		return procurement.SubmitTenderDocuments{DocumentHash: tdHashOf(fmt.Sprintf("documents %d", len(g.Documents)+w.rng.Intn(2))), By: lead, At: at}
	case n < 385:
		cur, _ := s.CurrentDocuments()
		version, hash := cur.Version, cur.DocumentHash
		if w.rng.Intn(8) == 0 {
			version = max(1, version-1)
		}
		if w.rng.Intn(8) == 0 || hash == "" {
			hash = tdHashOf("documents 0")
		}
		if w.rng.Intn(5) == 0 {
			return procurement.RejectTenderDocuments{Version: version, Comment: "too vague", By: w.memberActor(s), At: at}
		}
		return procurement.ApproveTenderDocuments{Version: version, DocumentHash: hash, By: w.memberActor(s), At: at}
	case n < 410:
		cur, _ := s.CurrentDocuments()
		hash := cur.DocumentHash
		if w.rng.Intn(6) == 0 || hash == "" {
			hash = tdHashOf("documents 0")
		}
		return procurement.PublishContractNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-2", DocumentHash: hash, Limits: w.limits,
			By: lead, At: at}
	case n < 470:
		material := w.rng.Intn(2) == 0
		var to time.Time
		switch k := w.rng.Intn(6); {
		case k == 0:
			to = t.Deadline.Add(-24 * time.Hour)
		case k < 3 && !material:
		default:
			to = t.Deadline.Add(time.Duration(w.rng.Intn(12)) * 24 * time.Hour)
		}
		return procurement.AmendTender{Changes: []string{fmt.Sprintf("change %d", w.rng.Intn(3))}, Rationale: "a member's need changed",
			Material: material, NewDeadline: to, Limits: w.limits, By: lead, At: at}
	case n < 600:
		return w.submitBid(w.supplierActor(s).Org, at)
	case n < 660:
		id, b := w.anyBid(s)
		a := w.bidOwner(b)
		return procurement.ReplaceBid{BidID: id, SHA256: tdHashOf(fmt.Sprintf("%s-%d", id, w.rng.Intn(3))), CiphertextRef: "sealed:" + id,
			SizeBytes: 200, By: a, At: at}
	case n < 700:
		id, b := w.anyBid(s)
		return procurement.WithdrawBid{BidID: id, By: w.bidOwner(b), At: at}
	case n < 740:
		id, b := w.anyBid(s)
		amendment := len(t.Amendments)
		if w.rng.Intn(5) == 0 {
			amendment--
		}
		return procurement.ConfirmBid{BidID: id, Amendment: amendment, By: w.bidOwner(b), At: at}
	case n < 800:
		a := platform
		if w.rng.Intn(5) == 0 {
			a = lead
		}
		return procurement.CloseReceipt{By: a, At: at}
	case n < 860:
		a := lead
		if s.Lead != "" && w.rng.Intn(3) == 0 {
			a = propertySecond(s.Lead)
		}
		return w.openBids(s, a, at)
	case n < 930:
		a := platform
		if w.rng.Intn(8) == 0 {
			a = lead
		}
		if w.rng.Intn(2) == 0 {
			cur, _ := s.CurrentDocuments()
			return procurement.SendReminder{Kind: procurement.ReminderMissingApproval, Subject: procurement.DocsSubject(cur.Version), By: a, At: at}
		}
		return procurement.SendReminder{Kind: procurement.ReminderUnansweredQuestion, Subject: fmt.Sprintf("q%d", w.rng.Intn(4)), By: a, At: at}
	}
	return procurement.RevokeMandate{MandateID: w.pick(append(propertyKeys(s.Mandates), "m-none")), Reason: "new lead", By: w.memberActor(s), At: at}
}

func TestRandomCommandSequencesKeepTheCaseConsistent(t *testing.T) {
	const runs, steps = 160, 260 // at most 41,600 commands
	w := world{
		rng:            rand.New(rand.NewSource(20250303)),
		orgs:           []string{hub, otherHub, "bergen", "oslo", "tromso", "acme", "sintef", "atlantis"},
		municipalities: []string{"bergen", "oslo", "tromso"},
		suppliers:      []string{"acme", "nordic"},
		limits:         tdLimits(t),
	}
	accepted := map[string]int{}
	rejected := map[string]int{}

	for run := range runs {
		var history []procurement.Event
		s := procurement.Decider.Initial()
		// Most runs start with the case being opened by its hub; the others
		// show what happens to commands on a case that does not exist.
		if run%10 != 0 {
			c := newCase()
			if run%3 == 0 {
				c.By = by(otherHub)
			}
			history, _ = procurement.Decider.Decide(s, c)
			s = procurement.Decider.Fold(history)
		}
		now := day(1)
		idle := 0 // steps since the case ended or reached evaluation
		for step := range steps {
			if s.Phase == procurement.PhaseCancelled || s.Phase == procurement.PhaseEvaluation {
				if idle++; idle > 20 {
					break // the rest of the run would only be refused
				}
			}
			now = w.tick(s, now)
			cmd := w.command(s, now)
			// Copying and comparing the whole case is most of the run's
			// time: every other step checks that Decide left it alone.
			check := (run+step)%2 == 0
			var before procurement.State
			if check {
				before = snapshot(s)
			}
			evs, err := procurement.Decider.Decide(s, cmd)
			again, err2 := procurement.Decider.Decide(s, cmd)
			where := func() string { return describe(run, step, cmd) }

			if check && !reflect.DeepEqual(s, before) {
				t.Fatalf("%s: Decide changed the state it was given", where())
			}
			if !reflect.DeepEqual(evs, again) || !errors.Is(err, err2) && (err != nil || err2 != nil) {
				t.Fatalf("%s: Decide is not deterministic", where())
			}
			if err != nil {
				if len(evs) != 0 {
					t.Fatalf("%s: rejected with %v yet produced %v", where(), err, evs)
				}
				if es.KindOf(err) == es.KindInternal {
					t.Fatalf("%s: untyped error %v", where(), err)
				}
				rejected[es.CodeOf(err)]++
				continue
			}
			next := s
			for _, ev := range evs {
				next = procurement.Decider.Evolve(next, ev)
				accepted[ev.EventType()]++
			}
			checkStep(t, where, s, cmd, evs, next)
			checkDecidedVotesStay(t, where, s, next)
			history = append(history, evs...)
			checkInvariants(t, where, next, history)
			s = next
		}
		if replay := procurement.Decider.Fold(history); !reflect.DeepEqual(replay, s) {
			t.Fatalf("run %d: replaying the history gives another state", run)
		}
	}

	t.Logf("accepted events: %v", accepted)
	t.Logf("rejections: %v", rejected)
	for _, name := range procurement.Events().Names() {
		if accepted[name] == 0 {
			t.Errorf("the random runs never produced %s: widen the generator", name)
		}
	}
	for _, want := range []error{
		procurement.ErrNotFound, procurement.ErrAlreadyExists, procurement.ErrHubRequired, procurement.ErrTitleRequired,
		procurement.ErrNotFound, procurement.ErrInviteeNotFound, procurement.ErrInviteeNotMunicipality,
		procurement.ErrHubCannotJoin, procurement.ErrCancelled, procurement.ErrNotFound, procurement.ErrAlreadyDeclined,
		procurement.ErrAlreadyJoined, procurement.ErrAlreadyWithdrawn, procurement.ErrNotMember,
		procurement.ErrReasonRequired, procurement.ErrReasonTooLong,
		procurement.ErrHubOrLeadOnly, procurement.ErrHubOnly, procurement.ErrAgreementAlreadyDrafted,
		procurement.ErrAgreementVersionOutdated, procurement.ErrAgreementHashMismatch, procurement.ErrLeadConsentMissing,
		procurement.ErrLeadNotMember, procurement.ErrLeadCannotWithdraw, procurement.ErrAgreementBeforeRecruitmentClosed,
		procurement.ErrCostKeyBeforeRecruitmentClosed, costshare.ErrWeightsNotOne, procurement.ErrAlreadyVoted,
		// The dialogue, the design and the tendering.
		procurement.ErrNotSupplier, procurement.ErrWeightsNotHundred, timelimits.ErrTooShort, procurement.ErrDeadlineShortened,
		procurement.ErrLateSubmission, procurement.ErrAlreadySubmitted, procurement.ErrBidIDTaken, procurement.ErrBidNotFound,
		procurement.ErrBidWithdrawn, procurement.ErrAmendmentOutdated, procurement.ErrSystemOnly, procurement.ErrDeadlineNotReached,
		procurement.ErrOpeningBeforeClose, procurement.ErrNoBids, procurement.ErrSecondOpenerRequired,
	} {
		if rejected[es.CodeOf(want)] == 0 {
			t.Errorf("the random runs never hit %s: widen the generator", es.CodeOf(want))
		}
	}
}

// snapshot copies the parts of a state a careless Decide could change in place.
func snapshot(s procurement.State) procurement.State {
	s.Members = maps.Clone(s.Members)
	s.CPV = append([]string(nil), s.CPV...)
	s.Anchoring = maps.Clone(s.Anchoring)
	s.Mandates = maps.Clone(s.Mandates)
	s.Agreement.Signed = maps.Clone(s.Agreement.Signed)
	s.LeadConsents = maps.Clone(s.LeadConsents)
	s.Drafts = maps.Clone(s.Drafts)
	s.Submissions = maps.Clone(s.Submissions)
	s.Commitments = maps.Clone(s.Commitments)
	s.CostShares = slices.Clone(s.CostShares)
	s.Consolidations = slices.Clone(s.Consolidations)
	for i, c := range s.Consolidations {
		c.Approvals, c.Rejections = slices.Clone(c.Approvals), slices.Clone(c.Rejections)
		s.Consolidations[i] = c
	}
	s.Dialogue.Suppliers = maps.Clone(s.Dialogue.Suppliers)
	s.Dialogue.Events = maps.Clone(s.Dialogue.Events)
	s.Dialogue.Questions = maps.Clone(s.Dialogue.Questions)
	s.Design.AwardCriteria = maps.Clone(s.Design.AwardCriteria)
	s.Design.Evaluators = maps.Clone(s.Design.Evaluators)
	s.Design.Documents = slices.Clone(s.Design.Documents)
	for i, d := range s.Design.Documents {
		d.Approvals, d.Rejections = slices.Clone(d.Approvals), slices.Clone(d.Rejections)
		s.Design.Documents[i] = d
	}
	if p := s.Design.Timetable; p != nil {
		c := *p
		c.Minima = slices.Clone(c.Minima)
		s.Design.Timetable = &c
	}
	if p := s.Design.Procedure; p != nil {
		c := *p
		s.Design.Procedure = &c
	}
	if p := s.Tendering.Notice; p != nil {
		c := *p
		c.Buyers = slices.Clone(c.Buyers)
		s.Tendering.Notice = &c
	}
	s.Tendering.Amendments = slices.Clone(s.Tendering.Amendments)
	s.Tendering.Bids = maps.Clone(s.Tendering.Bids)
	for id, b := range s.Tendering.Bids {
		b.Lots = slices.Clone(b.Lots)
		s.Tendering.Bids[id] = b
	}
	s.Tendering.Closed = maps.Clone(s.Tendering.Closed)
	s.Tendering.OpeningBy = maps.Clone(s.Tendering.OpeningBy)
	s.Tendering.Openings = maps.Clone(s.Tendering.Openings)
	s.Tendering.Reminders = maps.Clone(s.Tendering.Reminders)
	s.Tendering.BidsByOrder = slices.Clone(s.Tendering.BidsByOrder)
	return s
}

func describe(run, step int, cmd procurement.Command) string {
	return fmt.Sprintf("run %d step %d %T%+v", run, step, cmd, cmd)
}

// followers are the events that follow by rule from a command's own event.
var followers = map[string]bool{"CostSharesCalculated": true, "ConsolidatedNeedsDecided": true, "AgreementConcluded": true,
	"TenderDocumentsDecided": true, "TenderDeadlineExtended": true, "BidsRequireConfirmation": true}

func joinedOf(s procurement.State) []string {
	var out []string
	for _, m := range s.MembersSorted() {
		if m.Status == procurement.MemberJoined {
			out = append(out, m.Org)
		}
	}
	return out
}

// checkStep asserts what one accepted command may do to the case.
func checkStep(t *testing.T, where func() string, s procurement.State, cmd procurement.Command, evs []procurement.Event, next procurement.State) {
	t.Helper()
	for i, ev := range evs {
		_, setsKey := cmd.(procurement.SetCostSharingKey)
		if i > 0 && !followers[ev.EventType()] {
			t.Fatalf("%s: one command, one event and those that follow by rule; got %v", where(), evs)
		}
		if i == 0 && followers[ev.EventType()] && !setsKey {
			t.Fatalf("%s: %s cannot be a command's own event", where(), ev.EventType())
		}
	}
	if s.Phase == procurement.PhaseCancelled && !reflect.DeepEqual(next, s) {
		t.Fatalf("%s: a cancelled case changed", where())
	}
	if s.Created && (next.Hub != s.Hub || next.ID != s.ID) {
		t.Fatalf("%s: the case changed hands", where())
	}
	by := cmd.Actor()
	hubOrPlatform := by.Org == s.Hub || by.IsPlatform()
	// cur is the case just before each event: the command's own events see
	// s, those that follow see what came before them.
	cur := s
	for _, ev := range evs {
		switch e := ev.(type) {
		case procurement.CaseCreated:
			if cur.Created || e.Hub != by.Org {
				t.Fatalf("%s: %v on %+v", where(), e, cur)
			}
		case procurement.MunicipalityInvited:
			if _, ok := cmd.(procurement.InviteMunicipality); !ok || !hubOrPlatform {
				t.Fatalf("%s: %v invited by %v", where(), e, by)
			}
		case procurement.MunicipalityJoined:
			if e.Org != by.Org {
				t.Fatalf("%s: %v answered by %v", where(), e, by)
			}
		case procurement.InvitationDeclined:
			if e.Org != by.Org {
				t.Fatalf("%s: %v answered by %v", where(), e, by)
			}
		case procurement.MunicipalityWithdrawn:
			if e.Org != by.Org || e.Org == cur.Lead {
				t.Fatalf("%s: %v withdrawn by %v with lead %q", where(), e, by, cur.Lead)
			}
		case procurement.ProcurementCancelled:
			if !hubOrPlatform || e.PreviousPhase != cur.Phase {
				t.Fatalf("%s: %v by %v in %s", where(), e, by, cur.Phase)
			}
		case procurement.RecruitmentOpened:
			if !hubOrPlatform || cur.Phase != procurement.PhaseDraft {
				t.Fatalf("%s: %v by %v in %s", where(), e, by, cur.Phase)
			}
		case procurement.RecruitmentClosed:
			if !hubOrPlatform || cur.Phase != procurement.PhaseRecruiting || len(e.Members) < procurement.MinJoinedMembers ||
				cur.Count(procurement.MemberInvited) > 0 {
				t.Fatalf("%s: %v by %v in %s with %v", where(), e, by, cur.Phase, cur.Members)
			}
		case procurement.AnchoringDecisionRecorded:
			if e.Org != by.Org || cur.Members[e.Org] != procurement.MemberJoined {
				t.Fatalf("%s: %v recorded by %v", where(), e, by)
			}
		case procurement.MandateGranted:
			if e.From != by.Org || cur.Members[e.From] != procurement.MemberJoined || cur.Members[e.To] != procurement.MemberJoined || e.From == e.To {
				t.Fatalf("%s: %v granted by %v with %v", where(), e, by, cur.Members)
			}
		case procurement.MandateRevoked:
			if e.From != by.Org || cur.Mandates[e.MandateID].From != by.Org || cur.Mandates[e.MandateID].Revoked {
				t.Fatalf("%s: %v revoked by %v", where(), e, by)
			}
		case procurement.CooperationAgreementDrafted:
			if !hubOrPlatform && by.Org != cur.Lead || cur.Agreement.Version != 0 || e.Version != 1 {
				t.Fatalf("%s: %v by %v over version %d", where(), e, by, cur.Agreement.Version)
			}
		case procurement.CooperationAgreementAmended:
			if !hubOrPlatform && by.Org != cur.Lead || e.Version != cur.Agreement.Version+1 || e.Terms == cur.Agreement.Terms {
				t.Fatalf("%s: %v by %v over %+v", where(), e, by, cur.Agreement)
			}
		case procurement.CooperationAgreementSigned:
			if e.Org != by.Org || cur.Members[e.Org] != procurement.MemberJoined || e.Version != cur.Agreement.Version ||
				e.DocumentHash != cur.Agreement.Terms.DocumentHash {
				t.Fatalf("%s: %v by %v over %+v", where(), e, by, cur.Agreement)
			}
		case procurement.LeadConsentGiven:
			if e.Org != by.Org || cur.Members[e.Org] != procurement.MemberJoined || cur.Members[e.Lead] != procurement.MemberJoined {
				t.Fatalf("%s: %v by %v with %v", where(), e, by, cur.Members)
			}
		case procurement.LeadAuthorityDesignated:
			if !hubOrPlatform || cur.Members[e.Lead] != procurement.MemberJoined || !slices.Equal(e.ConsentFrom, joinedOf(cur)) {
				t.Fatalf("%s: %v by %v with %v", where(), e, by, cur.Members)
			}
			for _, org := range e.ConsentFrom {
				if cur.LeadConsents[org] != e.Lead {
					t.Fatalf("%s: %v without %s's consent", where(), e, org)
				}
			}
		case procurement.CostSharingKeySet:
			if !hubOrPlatform || e.Version != cur.CostKey.Version+1 {
				t.Fatalf("%s: %v by %v over version %d", where(), e, by, cur.CostKey.Version)
			}
		case procurement.CostSharesCalculated:
			var sum int64
			var orgs []string
			for _, sh := range e.Shares {
				if sh.BasisPoints < 0 {
					t.Fatalf("%s: a negative share in %v", where(), e)
				}
				sum += sh.BasisPoints
				orgs = append(orgs, sh.Org)
			}
			if sum != 10000 || !slices.Equal(orgs, joinedOf(cur)) || e.KeyVersion != cur.CostKey.Version || !e.EffectiveAt.Equal(cmd.When()) {
				t.Fatalf("%s: %v sums to %d for %v, key %d", where(), e, sum, joinedOf(cur), cur.CostKey.Version)
			}
		case procurement.AgreementConcluded:
			if cur.Phase != procurement.PhaseAgreement || len(cur.AgreementGaps(cmd.When())) > 0 || e.Lead != cur.Lead ||
				e.Version != cur.Agreement.Version || e.CostKeyVersion != cur.CostKey.Version || !slices.Equal(e.Members, joinedOf(cur)) {
				t.Fatalf("%s: %v in %s with gaps %v", where(), e, cur.Phase, cur.AgreementGaps(cmd.When()))
			}
		case procurement.NeedsDraftSaved:
			if e.Org != by.Org || cur.Members[e.Org] != procurement.MemberJoined {
				t.Fatalf("%s: %v by %v", where(), e, by)
			}
		case procurement.NeedsSubmitted:
			if e.Org != by.Org || cur.Members[e.Org] != procurement.MemberJoined || cur.Phase != procurement.PhaseNeeds || cur.ApprovedNeeds() {
				t.Fatalf("%s: %v by %v in %s", where(), e, by, cur.Phase)
			}
		case procurement.NeedsConsolidated:
			if !hubOrPlatform && by.Org != cur.Lead || cur.Phase != procurement.PhaseNeeds || cur.ApprovedNeeds() ||
				e.Version != len(cur.Consolidations)+1 || len(e.Sources) != len(joinedOf(cur)) {
				t.Fatalf("%s: %v by %v in %s", where(), e, by, cur.Phase)
			}
		case procurement.ConsolidatedNeedsApproved, procurement.ConsolidatedNeedsRejected:
			org, version := voteOf(e)
			last, ok := cur.CurrentConsolidation()
			if org != by.Org || cur.Members[org] != procurement.MemberJoined || !ok || version != last.Version || last.Outcome != "" ||
				slices.Contains(last.Approvals, org) || slices.Contains(last.Rejections, org) {
				t.Fatalf("%s: %v by %v on %+v", where(), e, by, last)
			}
		case procurement.ConsolidatedNeedsDecided:
			last, ok := cur.CurrentConsolidation()
			if !ok || e.Version != last.Version || last.Outcome != "" || e.Rule != cur.Agreement.Terms.DecisionRules.Approval {
				t.Fatalf("%s: %v on %+v", where(), e, last)
			}
		case procurement.VolumeCommitted, procurement.VolumeCommitmentChanged:
			var c procurement.Commitment
			if v, ok := e.(procurement.VolumeCommitted); ok {
				c = v.Commitment
			} else {
				c = e.(procurement.VolumeCommitmentChanged).Commitment
			}
			switch {
			case c.Org != by.Org || cur.Members[c.Org] != procurement.MemberJoined || c.EstimatedValue < 0:
				t.Fatalf("%s: %v by %v", where(), e, by)
			case cur.Phase == procurement.PhaseDraft || cur.Phase == procurement.PhaseRecruiting || cur.Phase == procurement.PhaseAgreement:
				t.Fatalf("%s: %v in %s", where(), e, cur.Phase)
			}
		default:
			checkTenderEvent(t, where, cur, cmd, ev)
		}
		cur = procurement.Decider.Evolve(cur, ev)
	}
	changed := 0
	for org := range maps.Keys(next.Members) {
		from, to := s.Members[org], next.Members[org]
		if from == to {
			continue
		}
		changed++
		if !legalMove[[2]procurement.MemberStatus{from, to}] {
			t.Fatalf("%s: %s moved from %q to %q", where(), org, from, to)
		}
	}
	for org := range maps.Keys(s.Members) {
		if _, ok := next.Members[org]; !ok {
			t.Fatalf("%s: %s vanished from the case", where(), org)
		}
	}
	if changed > 1 {
		t.Fatalf("%s: %d members changed at once", where(), changed)
	}
}

// checkTenderEvent asserts what an event of the dialogue, the design or the
// tendering may do to the case cur it is decided against.
func checkTenderEvent(t *testing.T, where func() string, cur procurement.State, cmd procurement.Command, ev procurement.Event) {
	t.Helper()
	by := cmd.Actor()
	at := cmd.When()
	isLead := cur.Lead != "" && by.Org == cur.Lead
	hubOrLead := isLead || by.Org == cur.Hub || by.IsPlatform()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: %s: %s", where(), ev.EventType(), fmt.Sprintf(format, args...))
	}
	tn := cur.Tendering
	registeredSuppliers := propertyKeys(cur.Dialogue.Suppliers)
	recipients := func() []string {
		out := slices.Clone(registeredSuppliers)
		for _, b := range tn.Bids {
			out = append(out, b.Supplier)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	ownBid := func(id string) procurement.Bid {
		t.Helper()
		b, ok := tn.Bids[id]
		if !ok || b.Supplier != by.Org || b.Withdrawn || cur.Phase != procurement.PhaseTendering || b.Round != tn.Round || !at.Before(tn.Deadline) {
			fail("by %v at %v on %+v (deadline %v, phase %s)", by, at, b, tn.Deadline, cur.Phase)
		}
		return b
	}
	design := func() {
		t.Helper()
		if !isLead || cur.Phase != procurement.PhaseDesign {
			fail("by %v in %s", by, cur.Phase)
		}
	}
	switch e := ev.(type) {
	case procurement.DialogueNoticePublished:
		if !hubOrLead || cur.Phase != procurement.PhaseNeeds || !cur.ApprovedNeeds() || !e.RegistrationDeadline.After(e.PublishedAt) {
			fail("by %v in %s", by, cur.Phase)
		}
	case procurement.SupplierRegistered:
		_, again := cur.Dialogue.Suppliers[e.Supplier]
		if again || e.RecordedBy != by.Org || e.Supplier != by.Org && !hubOrLead || propertyKind(e.Supplier) != organisation.KindSupplier {
			fail("%+v by %v", e, by)
		}
		if e.Stage == procurement.StageDialogue && (cur.Phase != procurement.PhaseMarketDialogue || at.After(cur.Dialogue.Notice.RegistrationDeadline)) ||
			e.Stage == procurement.StageTender && (cur.Phase != procurement.PhaseTendering || !at.Before(tn.Deadline)) {
			fail("%+v in %s", e, cur.Phase)
		}
	case procurement.DialogueEventScheduled:
		if !hubOrLead || cur.Phase != procurement.PhaseMarketDialogue || !e.StartsAt.After(at) || !slices.Equal(e.OfferedTo, registeredSuppliers) {
			fail("%+v by %v in %s, registered %v", e, by, cur.Phase, registeredSuppliers)
		}
	case procurement.DialogueEventCancelled:
		if ev, ok := cur.Dialogue.Events[e.EventID]; !hubOrLead || !ok || ev.Cancelled || ev.Minutes != nil || cur.Phase != procurement.PhaseMarketDialogue {
			fail("%+v by %v", e, by)
		}
	case procurement.DialogueMeetingMinuted:
		ev, ok := cur.Dialogue.Events[e.EventID]
		if !hubOrLead || !ok || ev.Cancelled || ev.Minutes != nil || at.Before(ev.StartsAt) || cur.Phase != procurement.PhaseMarketDialogue {
			fail("%+v by %v on %+v", e, by, ev)
		}
		for _, a := range e.Attendees {
			if _, ok := cur.Dialogue.Suppliers[a]; !ok {
				fail("%s attended without registering", a)
			}
		}
	case procurement.QuestionReceived:
		_, reg := cur.Dialogue.Suppliers[e.Supplier]
		_, again := cur.Dialogue.Questions[e.QuestionID]
		if !reg || again || e.RecordedBy != by.Org || e.Supplier != by.Org && !hubOrLead ||
			(e.Stage == procurement.StageTender) != (cur.Phase == procurement.PhaseTendering) {
			fail("%+v by %v in %s", e, by, cur.Phase)
		}
	case procurement.AnswerPublished:
		q, ok := cur.Dialogue.Questions[e.QuestionID]
		if !isLead || !ok || q.Answer != nil || e.RecipientCount != len(recipients()) ||
			strings.Contains(strings.ToLower(e.AnonymisedQuestion), strings.ToLower(q.Supplier)) {
			fail("%+v by %v on %+v", e, by, q)
		}
	case procurement.MarketDialogueClosed:
		if !isLead || cur.Phase != procurement.PhaseMarketDialogue {
			fail("by %v in %s", by, cur.Phase)
		}
		for id, q := range cur.Dialogue.Questions {
			if q.Answer == nil {
				fail("question %s is unanswered", id)
			}
		}
		for id, d := range cur.Dialogue.Events {
			if !d.Cancelled && d.Minutes == nil {
				fail("event %s is neither minuted nor cancelled", id)
			}
		}
	case procurement.ProcedureSelected, procurement.RequirementsDefined, procurement.QualificationCriteriaDefined:
		design()
	case procurement.LotsDefined:
		design()
		for _, l := range e.Lots {
			for _, m := range l.Members {
				if cur.Members[m] != procurement.MemberJoined {
					fail("lot %s names %s, which is %s", l.ID, m, cur.Members[m])
				}
			}
		}
	case procurement.AwardCriteriaDefined:
		design()
		if !propertyWeighsHundred(e.Criteria) {
			fail("the weights of %+v", e.Criteria)
		}
		if p := cur.Design.Procedure; p != nil && (p.Procedure == timelimits.CompetitiveDialogue || p.Procedure == timelimits.InnovationPartnership) &&
			!propertyHasQuality(e.Criteria) {
			fail("%s without a quality criterion", p.Procedure)
		}
	case procurement.PartnershipPhasesDefined:
		design()
		if cur.Design.Procedure.Procedure != timelimits.InnovationPartnership {
			fail("in a %s", cur.Design.Procedure.Procedure)
		}
	case procurement.TimetableSet:
		design()
		if !propertyMinimaMet(e.Timetable, e.Minima) || e.Timetable.NoticeAt.Before(at.Truncate(time.Minute)) ||
			(e.Timetable.RequestDeadline.IsZero() == procurement.TwoStage(cur.Design.Procedure.Procedure)) {
			fail("%+v set at %v breaks its minima", e, at)
		}
	case procurement.EvaluatorAppointed:
		if !isLead || !slices.Contains([]procurement.Phase{procurement.PhaseDesign, procurement.PhaseApproval, procurement.PhaseTendering,
			procurement.PhaseReceiptClosed, procurement.PhaseQualification}, cur.Phase) {
			fail("by %v in %s", by, cur.Phase)
		}
	case procurement.TenderDocumentsSubmitted:
		design()
		if e.Version != len(cur.Design.Documents)+1 {
			fail("version %d after %d", e.Version, len(cur.Design.Documents))
		}
	case procurement.TenderDocumentsApproved, procurement.TenderDocumentsRejected:
		org, version := propertyDocsVote(e)
		last, ok := cur.CurrentDocuments()
		if org != by.Org || cur.Members[org] != procurement.MemberJoined || cur.Phase != procurement.PhaseApproval || !ok ||
			version != last.Version || last.Outcome != "" || slices.Contains(last.Approvals, org) || slices.Contains(last.Rejections, org) {
			fail("by %v on %+v", by, last)
		}
	case procurement.TenderDocumentsDecided:
		if last, ok := cur.CurrentDocuments(); !ok || last.Outcome != "" || e.Version != last.Version {
			fail("on %+v", last)
		}
	case procurement.ContractNoticePublished:
		last, _ := cur.CurrentDocuments()
		plan := cur.Design.Timetable.Timetable
		two := procurement.TwoStage(cur.Design.Procedure.Procedure)
		first := plan.TenderDeadline
		if two {
			first = plan.RequestDeadline
		}
		switch {
		case !isLead || cur.Phase != procurement.PhaseApproval || last.Outcome != procurement.NeedsApproved || e.DocumentHash != last.DocumentHash:
			fail("by %v in %s over %+v", by, cur.Phase, last)
		case !slices.Equal(e.Buyers, joinedOf(cur)):
			fail("buyers %v, joined %v", e.Buyers, joinedOf(cur))
		case (e.Round == procurement.RoundRequests) != two || !e.Deadline.Equal(first) || !e.PublishedAt.Equal(at):
			fail("round %s deadline %v for %+v at %v", e.Round, e.Deadline, plan, at)
		case !propertyMinimaMet(plan, e.Minima) || !e.Minima[0].SentAt.Equal(at):
			fail("minima %+v for %+v sent at %v", e.Minima, plan, at)
		}
		for _, org := range joinedOf(cur) {
			if !propertyCommitted(cur, org) {
				fail("%s has no volumes", org)
			}
		}
	case procurement.TenderAmended:
		if !isLead || cur.Phase != procurement.PhaseTendering || e.Number != len(tn.Amendments)+1 || e.RecipientCount != len(recipients()) {
			fail("%+v by %v in %s", e, by, cur.Phase)
		}
	case procurement.TenderDeadlineExtended:
		if !e.From.Equal(tn.Deadline) || !e.To.After(e.From) || e.To.Before(e.Computation.End) || e.Round != tn.Round || !e.Computation.SentAt.Equal(at) {
			fail("%+v over the deadline %v", e, tn.Deadline)
		}
	case procurement.BidsRequireConfirmation:
		var live []string
		for _, id := range tn.BidsByOrder {
			if b := tn.Bids[id]; b.Round == tn.Round && !b.Withdrawn {
				live = append(live, id)
			}
		}
		if !slices.Equal(e.BidIDs, live) || e.Amendment != len(tn.Amendments) || !tn.Amendments[len(tn.Amendments)-1].Material {
			fail("%+v, live %v", e, live)
		}
	case procurement.RequestToParticipateReceived, procurement.BidSubmitted:
		sub, round := propertySealed(e)
		_, taken := tn.Bids[sub.BidID]
		_, other := propertyLiveBid(cur, sub.Supplier)
		switch {
		case sub.Supplier != by.Org || propertyKind(by.Org) != organisation.KindSupplier || taken || other:
			fail("%+v by %v", sub, by)
		case cur.Phase != procurement.PhaseTendering || round != tn.Round || !sub.ReceivedAt.Equal(at):
			fail("%+v in %s round %s", sub, cur.Phase, tn.Round)
		case !sub.ReceivedAt.Before(tn.Deadline):
			fail("received %v, the deadline is %v", sub.ReceivedAt, tn.Deadline)
		}
		for _, lot := range sub.Lots {
			if !slices.ContainsFunc(cur.Design.Lots.Lots, func(l procurement.Lot) bool { return l.ID == lot }) {
				fail("for the unknown lot %s", lot)
			}
		}
	case procurement.BidReplaced:
		if b := ownBid(e.BidID); e.Version != b.Version+1 || !e.ReceivedAt.Equal(at) {
			fail("%+v over %+v", e, b)
		}
	case procurement.BidWithdrawn:
		ownBid(e.BidID)
	case procurement.BidConfirmed:
		if b := ownBid(e.BidID); !b.NeedsConfirmation || e.Amendment != len(tn.Amendments) {
			fail("%+v over %+v", e, b)
		}
	case procurement.TenderingClosed:
		var live []string
		perLot := map[string]int{}
		for _, id := range tn.BidsByOrder {
			if b := tn.Bids[id]; b.Round == e.Round && !b.Withdrawn {
				live = append(live, id)
				for _, l := range b.Lots {
					perLot[l]++
				}
			}
		}
		switch {
		case !by.IsPlatform() || cur.Phase != procurement.PhaseTendering || e.Round != tn.Round:
			fail("by %v in %s", by, cur.Phase)
		case !e.Deadline.Equal(tn.Deadline) || e.ClosedAt.Before(e.Deadline):
			fail("%+v, the deadline is %v", e, tn.Deadline)
		case !slices.Equal(e.Submissions, live) || !maps.Equal(e.PerLot, perLot):
			fail("%+v, live %v per lot %v", e, live, perLot)
		}
		for id, q := range cur.Dialogue.Questions {
			if q.Stage == procurement.StageTender && q.Answer == nil {
				fail("question %s is unanswered", id)
			}
		}
	case procurement.BidOpeningStarted:
		_, closed := tn.Closed[e.Round]
		_, started := tn.OpeningBy[e.Round]
		if !isLead || !closed || started || !cur.Design.Timetable.Timetable.FourEyesOpening || e.By != by.User {
			fail("%+v by %v", e, by)
		}
	case procurement.BidsOpened:
		closed, ok := tn.Closed[e.Round]
		_, again := tn.Openings[e.Round]
		plan := cur.Design.Timetable.Timetable
		switch {
		case !isLead || !ok || again:
			fail("round %s by %v, closed %v, opened before %v", e.Round, by, ok, again)
		case procurement.ProtocolHash(e) != e.ProtocolHash:
			fail("the protocol hash %q does not hold", e.ProtocolHash)
		case e.Round == procurement.RoundTenders && e.OpenedAt.Before(plan.OpeningAt):
			fail("opened at %v, the opening is set for %v", e.OpenedAt, plan.OpeningAt)
		case plan.FourEyesOpening && (len(e.OpenedBy) != 2 || e.OpenedBy[0] == e.OpenedBy[1] || e.OpenedBy[0] != tn.OpeningBy[e.Round]):
			fail("four-eyes opening by %v", e.OpenedBy)
		case !plan.FourEyesOpening && !slices.Equal(e.OpenedBy, []string{by.User}):
			fail("opening by %v", e.OpenedBy)
		case len(e.Bids) != len(closed.Submissions) || len(e.Bids) == 0:
			fail("%d bids opened of %v", len(e.Bids), closed.Submissions)
		}
		verified := cmd.(procurement.OpenBids).Verified
		all := true
		for i, b := range e.Bids {
			want := strings.EqualFold(verified[b.BidID], tn.Bids[b.BidID].SHA256)
			if b.BidID != closed.Submissions[i] || b.HashVerified != want || b.SHA256 != tn.Bids[b.BidID].SHA256 {
				fail("line %+v", b)
			}
			all = all && want
		}
		if e.HashesVerified != all {
			fail("hashes verified %v, each %v", e.HashesVerified, all)
		}
	case procurement.ReminderSent:
		if !by.IsPlatform() || len(e.Recipients) == 0 {
			fail("%+v by %v", e, by)
		}
	}
}

func propertyDocsVote(ev procurement.Event) (string, int) {
	if a, ok := ev.(procurement.TenderDocumentsApproved); ok {
		return a.Org, a.Version
	}
	r := ev.(procurement.TenderDocumentsRejected)
	return r.Org, r.Version
}

func propertySealed(ev procurement.Event) (procurement.SealedSubmission, procurement.Round) {
	if r, ok := ev.(procurement.RequestToParticipateReceived); ok {
		return r.SealedSubmission, procurement.RoundRequests
	}
	return ev.(procurement.BidSubmitted).SealedSubmission, procurement.RoundTenders
}

func voteOf(ev procurement.Event) (string, int) {
	if a, ok := ev.(procurement.ConsolidatedNeedsApproved); ok {
		return a.Org, a.Version
	}
	r := ev.(procurement.ConsolidatedNeedsRejected)
	return r.Org, r.Version
}

// checkDecidedVotesStay asserts that a decided vote never changes: neither its
// outcome nor its votes.
func checkDecidedVotesStay(t *testing.T, where func() string, s, next procurement.State) {
	t.Helper()
	for i, c := range s.Consolidations {
		if c.Outcome == "" {
			continue
		}
		if i >= len(next.Consolidations) || !reflect.DeepEqual(next.Consolidations[i], c) {
			t.Fatalf("%s: the decided version %d changed from %+v", where(), c.Version, c)
		}
	}
}

// checkInvariants asserts what must hold of every state the case can reach.
func checkInvariants(t *testing.T, where func() string, s procurement.State, history []procurement.Event) {
	t.Helper()
	total := 0
	for _, st := range []procurement.MemberStatus{procurement.MemberInvited, procurement.MemberJoined, procurement.MemberDeclined, procurement.MemberWithdrawn} {
		total += s.Count(st)
	}
	if total != len(s.Members) || len(s.MembersSorted()) != len(s.Members) {
		t.Fatalf("%s: member counts add up to %d of %d", where(), total, len(s.Members))
	}
	joins, everInvited := 0, map[string]bool{}
	for _, ev := range history {
		switch e := ev.(type) {
		case procurement.MunicipalityInvited:
			everInvited[e.Org] = true
		case procurement.MunicipalityJoined:
			joins++
		case procurement.MunicipalityWithdrawn:
			joins--
		}
	}
	if s.Count(procurement.MemberJoined) != joins {
		t.Fatalf("%s: %d joined, but the history has %d joins net of withdrawals", where(), s.Count(procurement.MemberJoined), joins)
	}
	if len(everInvited) != len(s.Members) {
		t.Fatalf("%s: %d members, %d organisations ever invited", where(), len(s.Members), len(everInvited))
	}
	if _, in := s.Members[s.Hub]; in && s.Created {
		t.Fatalf("%s: the hub %s is a member", where(), s.Hub)
	}
	for org := range s.Members {
		if registered[org] != organisation.KindMunicipality {
			t.Fatalf("%s: %s is a member but not a municipality", where(), org)
		}
	}
	concluded := 0
	for _, ev := range history {
		if _, ok := ev.(procurement.AgreementConcluded); ok {
			concluded++
		}
	}
	if concluded > 1 {
		t.Fatalf("%s: the agreement concluded %d times", where(), concluded)
	}
	afterAgreement := slices.Contains(propertyAfterAgreement, s.Phase)
	if concluded == 1 && !afterAgreement && s.Phase != procurement.PhaseCancelled {
		t.Fatalf("%s: the agreement concluded but the case is in %s", where(), s.Phase)
	}
	switch {
	case s.Phase == procurement.PhaseDraft, s.Phase == procurement.PhaseRecruiting, s.Phase == procurement.PhaseCancelled:
	case s.Phase == procurement.PhaseAgreement, afterAgreement:
		if s.Count(procurement.MemberInvited) > 0 {
			t.Fatalf("%s: an invitation is pending after recruitment closed", where())
		}
		if afterAgreement && concluded == 0 {
			t.Fatalf("%s: the case is in %s without AgreementConcluded", where(), s.Phase)
		}
		if s.Phase == procurement.PhaseAgreement && len(s.Consolidations)+len(s.Submissions)+len(s.Commitments) > 0 {
			t.Fatalf("%s: needs or volumes before the needs phase", where())
		}
	default:
		if s.Created {
			t.Fatalf("%s: phase %s is reachable by no event yet", where(), s.Phase)
		}
	}
	if !s.Created && len(s.Members) != 0 {
		t.Fatalf("%s: members in a case that does not exist", where())
	}
	if s.Lead != "" && s.Members[s.Lead] != procurement.MemberJoined {
		t.Fatalf("%s: the lead %s is %s", where(), s.Lead, s.Members[s.Lead])
	}
	for org, v := range s.Agreement.Signed {
		if v < 1 || v > s.Agreement.Version {
			t.Fatalf("%s: %s signed version %d of %d", where(), org, v, s.Agreement.Version)
		}
	}
	for i, entry := range s.CostShares {
		var sum int64
		for _, sh := range entry.Shares {
			sum += sh.BasisPoints
		}
		if sum != 10000 {
			t.Fatalf("%s: the shares %+v sum to %d", where(), entry, sum)
		}
		if i > 0 && entry.EffectiveAt.Before(s.CostShares[i-1].EffectiveAt) {
			t.Fatalf("%s: the share history goes back in time: %+v", where(), s.CostShares)
		}
		if got, ok := s.SharesAsOf(entry.EffectiveAt); !ok || got.EffectiveAt != entry.EffectiveAt {
			t.Fatalf("%s: SharesAsOf(%v) = %+v", where(), entry.EffectiveAt, got)
		}
	}
	for i, c := range s.Consolidations {
		if c.Outcome == procurement.NeedsApproved && i != len(s.Consolidations)-1 {
			t.Fatalf("%s: version %d was approved yet consolidated again", where(), c.Version)
		}
	}
	checkTenderInvariants(t, where, s, history)
}

// propertyAfterAgreement are the phases a case reaches once its agreement concluded.
var propertyAfterAgreement = []procurement.Phase{procurement.PhaseNeeds, procurement.PhaseMarketDialogue, procurement.PhaseDesign,
	procurement.PhaseApproval, procurement.PhaseTendering, procurement.PhaseQualification, procurement.PhaseReceiptClosed,
	procurement.PhaseEvaluation}

// checkTenderInvariants asserts what must hold of the dialogue, the design and
// the tendering in every state the case can reach.
func checkTenderInvariants(t *testing.T, where func() string, s procurement.State, history []procurement.Event) {
	t.Helper()
	tn := s.Tendering
	// The buyers are fixed at the notice: no member joins or leaves after it.
	if tn.Notice != nil && !slices.Equal(tn.Notice.Buyers, joinedOf(s)) {
		t.Fatalf("%s: the notice names %v as buyers, the members are %v", where(), tn.Notice.Buyers, joinedOf(s))
	}
	if tn.Notice == nil && !s.Phase.BeforeNotice() && s.Phase != procurement.PhaseCancelled && s.Created {
		t.Fatalf("%s: the case is in %s without a notice", where(), s.Phase)
	}
	// No submission was received at or after the deadline of its round.
	for id, b := range tn.Bids {
		deadline := tn.Deadline
		if c, ok := tn.Closed[b.Round]; ok {
			deadline = c.Deadline
		} else if b.Round != tn.Round {
			t.Fatalf("%s: %s belongs to round %s, the case is in round %s", where(), id, b.Round, tn.Round)
		}
		if !b.ReceivedAt.Before(deadline) {
			t.Fatalf("%s: %s received at %v, the deadline is %v", where(), id, b.ReceivedAt, deadline)
		}
		if b.Opened != (tn.Openings[b.Round].ProtocolHash != "" && slices.ContainsFunc(tn.Openings[b.Round].Bids,
			func(o procurement.OpenedBid) bool { return o.BidID == id })) {
			t.Fatalf("%s: %s opened %v against the protocol %+v", where(), id, b.Opened, tn.Openings[b.Round])
		}
	}
	// Sealed metadata stays with the lead until receipt closes.
	if len(tn.Closed) == 0 && s.Created {
		for _, org := range append(joinedOf(s), s.Hub) {
			if org != s.Lead && (s.SealedMetadataVisible(org, procurement.RoundRequests) || s.SealedMetadataVisible(org, procurement.RoundTenders)) {
				t.Fatalf("%s: %s sees sealed metadata before receipt closed", where(), org)
			}
		}
	}
	// Every set of award criteria weighs exactly 100 %.
	for lot, set := range s.Design.AwardCriteria {
		if !propertyWeighsHundred(set.Criteria) {
			t.Fatalf("%s: the criteria of lot %q weigh %+v", where(), lot, set.Criteria)
		}
	}
	if tt := s.Design.Timetable; tt != nil && !propertyMinimaMet(tt.Timetable, tt.Minima) {
		t.Fatalf("%s: the timetable %+v breaks its minima %+v", where(), tt.Timetable, tt.Minima)
	}
	// Openings follow the close of their round, once, with a protocol hash that holds.
	closed, opened := map[procurement.Round]bool{}, map[procurement.Round]bool{}
	for _, ev := range history {
		switch e := ev.(type) {
		case procurement.TenderingClosed:
			if closed[e.Round] {
				t.Fatalf("%s: round %s closed twice", where(), e.Round)
			}
			closed[e.Round] = true
		case procurement.BidsOpened:
			switch {
			case !closed[e.Round]:
				t.Fatalf("%s: round %s opened before it closed", where(), e.Round)
			case opened[e.Round]:
				t.Fatalf("%s: round %s opened twice", where(), e.Round)
			case procurement.ProtocolHash(e) != e.ProtocolHash:
				t.Fatalf("%s: the protocol %+v does not match its hash", where(), e)
			}
			opened[e.Round] = true
		}
	}
}

// propertyWeighsHundred says whether the criteria's weights are each above 0 and sum
// to exactly 10,000 basis points.
func propertyWeighsHundred(cs []procurement.AwardCriterion) bool {
	sum := 0
	for _, c := range cs {
		if c.WeightBP <= 0 || c.WeightBP > 10000 {
			return false
		}
		sum += c.WeightBP
	}
	return sum == 10000
}

// propertyMinimaMet says whether every stored minimum is met by the end of the
// period it was computed for, by its kind of period.
func propertyMinimaMet(p procurement.TimetablePlan, minima []timelimits.Computation) bool {
	first := p.TenderDeadline
	if !p.RequestDeadline.IsZero() {
		first = p.RequestDeadline
	}
	if len(minima) < 2 {
		return false
	}
	for _, c := range minima {
		var end time.Time
		switch timelimits.Kind(c.Rule[strings.LastIndex(c.Rule, "/")+1:]) {
		case timelimits.TenderReceipt, timelimits.TendersAfterInvitation:
			end = p.TenderDeadline
		case timelimits.RequestReceipt:
			end = p.RequestDeadline
		case timelimits.AdditionalInfoBeforeDeadline:
			end = first
		default:
			return false
		}
		if c.Bound != timelimits.AtLeast || c.HasLimit && end.Before(c.End) {
			return false
		}
	}
	return true
}
