package procurement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
)

// The cast of every scenario: one hub coordinating the case, a second hub that
// has nothing to do with it, three municipalities, a supplier and a research
// body, as the organisation register knows them.
const (
	caseID   = "0193a5f0-7c1e-7000-8000-00000000c0de"
	hub      = "lup"
	otherHub = "keino"
)

var registered = map[string]organisation.Kind{
	hub:      organisation.KindHub,
	otherHub: organisation.KindHub,
	"bergen": organisation.KindMunicipality,
	"oslo":   organisation.KindMunicipality,
	"tromso": organisation.KindMunicipality,
	"acme":   organisation.KindSupplier,
	"sintef": organisation.KindOther,
}

// day is a calendar day of the case, day(1) being the day it was created.
func day(n int) time.Time { return time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC).AddDate(0, 0, n-1) }

// by is a member of staff acting for org.
func by(org string) actor.Actor { return actor.Actor{User: "admin@" + org, Org: org} }

// platform is the built-in platform principal.
var platform = actor.Actor{User: "system", Org: actor.Platform}

// runes is a text of n characters, each two bytes long in UTF-8, so rune limits
// are told apart from byte limits.
func runes(n int) string { return strings.Repeat("ø", n) }

// --- events ---

func created() procurement.Event {
	return procurement.CaseCreated{
		ID:           caseID,
		Title:        "Detecting snow avalanches over county roads",
		Description:  "Sensors and warnings for roads exposed to avalanches.",
		Jurisdiction: procurement.JurisdictionNO,
		CPV:          []string{"48000000-8", "38000000"},
		Hub:          hub,
	}
}

func invited(org string) procurement.Event { return procurement.MunicipalityInvited{Org: org} }
func joined(org string) procurement.Event  { return procurement.MunicipalityJoined{Org: org} }
func declined(org string) procurement.Event {
	return procurement.InvitationDeclined{Org: org, Reason: "no budget this year"}
}
func withdrew(org string) procurement.Event {
	return procurement.MunicipalityWithdrawn{Org: org, Reason: "the council cut the budget"}
}
func cancelled() procurement.Event {
	return procurement.ProcurementCancelled{Reason: "the need is covered by a national agreement", PreviousPhase: procurement.PhaseDraft}
}

// --- commands ---

// newCase is a valid CreateCase by the hub; tests change one field to break one rule.
func newCase() procurement.CreateCase {
	return procurement.CreateCase{
		ID:           caseID,
		Title:        "Detecting snow avalanches over county roads",
		Description:  "Sensors and warnings for roads exposed to avalanches.",
		Jurisdiction: procurement.JurisdictionNO,
		CPV:          []string{"48000000-8", "38000000"},
		HubKind:      organisation.KindHub,
		By:           by(hub),
		At:           day(1),
	}
}

// invite is the case's hub inviting org, with org's kind as registered.
func invite(org string) procurement.InviteMunicipality {
	return inviteBy(by(hub), org)
}

func inviteBy(a actor.Actor, org string) procurement.InviteMunicipality {
	return procurement.InviteMunicipality{Org: org, InviteeKind: registered[org], By: a, At: day(2)}
}

func accept(org string) procurement.AcceptInvitation {
	return procurement.AcceptInvitation{By: by(org), At: day(5)}
}

func decline(org, reason string) procurement.DeclineInvitation {
	return procurement.DeclineInvitation{Reason: reason, By: by(org), At: day(5)}
}

func withdraw(org, reason string) procurement.WithdrawMunicipality {
	return procurement.WithdrawMunicipality{Reason: reason, By: by(org), At: day(10)}
}

func cancel(a actor.Actor, reason string) procurement.CancelProcurement {
	return procurement.CancelProcurement{Reason: reason, By: a, At: day(20)}
}

// --- state checks ---

// memberIs checks one municipality's place in the member sub-machine.
func memberIs(org string, want procurement.MemberStatus) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		if got := s.Members[org]; got != want {
			t.Fatalf("member %s is %q, want %q", org, got, want)
		}
	}
}

// phaseIs checks the case's phase.
func phaseIs(want procurement.Phase) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		if s.Phase != want {
			t.Fatalf("phase is %s, want %s", s.Phase, want)
		}
	}
}
