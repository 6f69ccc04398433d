package procurement_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand"
	"reflect"
	"testing"

	"github.com/felles/felles/domain/actor"
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

// command draws one of the six commands against a case coordinated by caseHub
// ("" when there is no case yet); creation and cancellation are rare so that
// most runs stay open long enough to be interesting.
func (w world) command(caseHub string) procurement.Command {
	switch n := w.rng.Intn(1000); {
	case n < 30:
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
	case n < 380:
		return inviteBy(w.actor(caseHub), w.invitee())
	case n < 640:
		return procurement.AcceptInvitation{By: w.actor(caseHub), At: day(5)}
	case n < 800:
		return procurement.DeclineInvitation{Reason: w.reason(), By: w.actor(caseHub), At: day(5)}
	case n < 820:
		return procurement.WithdrawMunicipality{Reason: w.reason(), By: w.actor(caseHub), At: day(10)}
	case n < 870:
		return procurement.GrantMandate{MandateID: fmt.Sprintf("m-%d", w.rng.Intn(2)), To: w.pick(w.municipalities),
			Scope: []string{"prepare", "publish"}, ValidUntil: "2026-12-31", By: w.actor(caseHub), At: day(9)}
	case n < 900:
		// A revocation only takes from the member that granted: draw members.
		return procurement.RevokeMandate{MandateID: fmt.Sprintf("m-%d", w.rng.Intn(2)), Reason: "new lead", By: by(w.pick(w.municipalities)), At: day(11)}
	case n < 930:
		return procurement.OpenRecruitment{By: w.actor(caseHub), At: day(6)}
	case n < 960:
		return procurement.CloseRecruitment{By: w.actor(caseHub), At: day(8)}
	case n < 985:
		return procurement.RecordAnchoringDecision{DecidingBody: "bystyret", DecisionDate: "2025-03-01",
			CaseRef: fmt.Sprintf("25/%d", w.rng.Intn(3)), By: w.actor(caseHub), At: day(7)}
	}
	return procurement.CancelProcurement{Reason: w.reason(), By: w.actor(caseHub), At: day(20)}
}

func TestRandomCommandSequencesKeepTheCaseConsistent(t *testing.T) {
	const runs, steps = 200, 60 // 12,000 commands
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
			cmd := w.command(s.Hub)
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
	return s
}

func describe(run, step int, cmd procurement.Command) string {
	return fmt.Sprintf("run %d step %d %T%+v", run, step, cmd, cmd)
}

// checkStep asserts what one accepted command may do to the case.
func checkStep(t *testing.T, where func() string, s procurement.State, cmd procurement.Command, evs []procurement.Event, next procurement.State) {
	t.Helper()
	if len(evs) > 1 {
		t.Fatalf("%s: one command, one event; got %v", where(), evs)
	}
	if s.Phase == procurement.PhaseCancelled && !reflect.DeepEqual(next, s) {
		t.Fatalf("%s: a cancelled case changed", where())
	}
	if s.Created && (next.Hub != s.Hub || next.ID != s.ID) {
		t.Fatalf("%s: the case changed hands", where())
	}
	by := cmd.Actor()
	hubOrPlatform := by.Org == s.Hub || by.IsPlatform()
	for _, ev := range evs {
		switch e := ev.(type) {
		case procurement.CaseCreated:
			if s.Created || e.Hub != by.Org {
				t.Fatalf("%s: %v on %+v", where(), e, s)
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
			if e.Org != by.Org {
				t.Fatalf("%s: %v withdrawn by %v", where(), e, by)
			}
		case procurement.ProcurementCancelled:
			if !hubOrPlatform || e.PreviousPhase != s.Phase {
				t.Fatalf("%s: %v by %v in %s", where(), e, by, s.Phase)
			}
		case procurement.RecruitmentOpened:
			if !hubOrPlatform || s.Phase != procurement.PhaseDraft {
				t.Fatalf("%s: %v by %v in %s", where(), e, by, s.Phase)
			}
		case procurement.RecruitmentClosed:
			if !hubOrPlatform || s.Phase != procurement.PhaseRecruiting || len(e.Members) < procurement.MinJoinedMembers ||
				s.Count(procurement.MemberInvited) > 0 {
				t.Fatalf("%s: %v by %v in %s with %v", where(), e, by, s.Phase, s.Members)
			}
		case procurement.AnchoringDecisionRecorded:
			if e.Org != by.Org || s.Members[e.Org] != procurement.MemberJoined {
				t.Fatalf("%s: %v recorded by %v", where(), e, by)
			}
		case procurement.MandateGranted:
			if e.From != by.Org || s.Members[e.From] != procurement.MemberJoined || s.Members[e.To] != procurement.MemberJoined || e.From == e.To {
				t.Fatalf("%s: %v granted by %v with %v", where(), e, by, s.Members)
			}
		case procurement.MandateRevoked:
			if e.From != by.Org || s.Mandates[e.MandateID].From != by.Org || s.Mandates[e.MandateID].Revoked {
				t.Fatalf("%s: %v revoked by %v", where(), e, by)
			}
		}
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
	switch s.Phase {
	case procurement.PhaseDraft, procurement.PhaseRecruiting, procurement.PhaseCancelled:
	case procurement.PhaseAgreement:
		if s.Count(procurement.MemberInvited) > 0 {
			t.Fatalf("%s: an invitation is pending after recruitment closed", where())
		}
	default:
		if s.Created {
			t.Fatalf("%s: phase %s is reachable by no event yet", where(), s.Phase)
		}
	}
	if !s.Created && len(s.Members) != 0 {
		t.Fatalf("%s: members in a case that does not exist", where())
	}
}
