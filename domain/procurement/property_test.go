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
// needs phase and its votes rather than mostly rejections.
func (w world) command(s procurement.State, at time.Time) procurement.Command {
	if w.rng.Intn(100) < 35 {
		if c := w.progress(s, at); c != nil {
			return c
		}
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
// happy path, as far as the needs votes and the volumes; nil when there is
// none. Without it, random draws seldom get a case through recruitment and
// every condition of the agreement.
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

func TestRandomCommandSequencesKeepTheCaseConsistent(t *testing.T) {
	const runs, steps = 300, 120 // 36,000 commands
	w := world{
		rng:            rand.New(rand.NewSource(20250303)),
		orgs:           []string{hub, otherHub, "bergen", "oslo", "tromso", "acme", "sintef", "atlantis"},
		municipalities: []string{"bergen", "oslo", "tromso"},
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
		for step := range steps {
			cmd := w.command(s, day(2+step))
			before := snapshot(s)
			evs, err := procurement.Decider.Decide(s, cmd)
			again, err2 := procurement.Decider.Decide(s, cmd)
			where := func() string { return describe(run, step, cmd) }

			if !reflect.DeepEqual(snapshot(s), before) {
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
	return s
}

func describe(run, step int, cmd procurement.Command) string {
	return fmt.Sprintf("run %d step %d %T%+v", run, step, cmd, cmd)
}

// followers are the events that follow by rule from a command's own event.
var followers = map[string]bool{"CostSharesCalculated": true, "ConsolidatedNeedsDecided": true, "AgreementConcluded": true}

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
	if concluded == 1 && s.Phase != procurement.PhaseNeeds && s.Phase != procurement.PhaseCancelled {
		t.Fatalf("%s: the agreement concluded but the case is in %s", where(), s.Phase)
	}
	switch s.Phase {
	case procurement.PhaseDraft, procurement.PhaseRecruiting, procurement.PhaseCancelled:
	case procurement.PhaseAgreement, procurement.PhaseNeeds:
		if s.Count(procurement.MemberInvited) > 0 {
			t.Fatalf("%s: an invitation is pending after recruitment closed", where())
		}
		if s.Phase == procurement.PhaseNeeds && concluded == 0 {
			t.Fatalf("%s: the case is in NEEDS without AgreementConcluded", where())
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
}
