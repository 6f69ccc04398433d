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

// --- the agreement phase ---

// The two documents the agreement scenarios sign: SHA-256 digests as hex.
var (
	hashV1 = strings.Repeat("a1", 32)
	hashV2 = strings.Repeat("b2", 32)
)

// inAgreement is a case whose recruitment closed with bergen and oslo joined
// (tromso was never invited).
var inAgreement = []procurement.Event{
	created(), invited("bergen"), invited("oslo"), procurement.RecruitmentOpened{},
	joined("bergen"), joined("oslo"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
}

// inAgreement3 is the same with tromso as a third member.
var inAgreement3 = []procurement.Event{
	created(), invited("bergen"), invited("oslo"), invited("tromso"), procurement.RecruitmentOpened{},
	joined("bergen"), joined("oslo"), joined("tromso"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo", "tromso"}},
}

// given joins event lists into one history.
func given(parts ...[]procurement.Event) []procurement.Event {
	var out []procurement.Event
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// terms are complete agreement terms for the document with this hash.
func terms(hash string) procurement.AgreementTerms {
	return procurement.AgreementTerms{
		DocumentHash: hash,
		DecisionRules: procurement.DecisionRules{Procedure: procurement.RuleMajority, Approval: procurement.RuleUnanimous,
			Award: procurement.RuleLeadDecides},
		SigningModel:    procurement.SigningLeadSignsAll,
		LiabilityTerms:  "Each member bears its share of the shared costs by the cost-sharing key.",
		WithdrawalTerms: "A member may withdraw before the contract notice and bears the costs accrued until then.",
	}
}

func agreementDrafted(hash string) procurement.Event {
	return procurement.CooperationAgreementDrafted{Version: 1, Terms: terms(hash)}
}

func agreementAmended(version int, hash string) procurement.Event {
	return procurement.CooperationAgreementAmended{Version: version, Terms: terms(hash)}
}

func agreementSigned(org string, version int, hash string) procurement.Event {
	return procurement.CooperationAgreementSigned{Org: org, Version: version, DocumentHash: hash,
		Signatory: "admin@" + org, SignatureRef: "bankid-" + org}
}

func leadConsent(org, lead string) procurement.Event {
	return procurement.LeadConsentGiven{Org: org, Lead: lead}
}

func leadDesignated(lead string, consentFrom ...string) procurement.Event {
	return procurement.LeadAuthorityDesignated{Lead: lead, ConsentFrom: consentFrom}
}

// leadMandate is from's mandate to the lead covering prepare and publish.
func leadMandate(from, lead string) procurement.Event {
	return procurement.MandateGranted{MandateID: "lead-" + from, From: from, To: lead,
		Scope: []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish}, ValidUntil: "2025-12-31"}
}

var equalKey = procurement.CostKey{Method: "EQUAL"}

func keySet(version int, key procurement.CostKey) procurement.Event {
	return procurement.CostSharingKeySet{Version: version, Key: key}
}

func draftAgreementCmd(a actor.Actor, hash string) procurement.DraftCooperationAgreement {
	return procurement.DraftCooperationAgreement{Terms: terms(hash), By: a, At: day(12)}
}

func amendAgreementCmd(a actor.Actor, from int, hash string) procurement.AmendCooperationAgreement {
	return procurement.AmendCooperationAgreement{FromVersion: from, Terms: terms(hash), By: a, At: day(13)}
}

func signAgreementCmd(org string, version int, hash string) procurement.SignCooperationAgreement {
	return procurement.SignCooperationAgreement{Version: version, DocumentHash: hash, SignatureRef: "bankid-" + org, By: by(org), At: day(14)}
}

func consentCmd(org, lead string) procurement.ConsentToLead {
	return procurement.ConsentToLead{Lead: lead, By: by(org), At: day(14)}
}

func designateCmd(a actor.Actor, lead string) procurement.DesignateLeadAuthority {
	return procurement.DesignateLeadAuthority{Lead: lead, By: a, At: day(15)}
}

func setKeyCmd(a actor.Actor, key procurement.CostKey) procurement.SetCostSharingKey {
	return procurement.SetCostSharingKey{Key: key, By: a, At: day(16)}
}

// concludedAgreement is every condition of the agreement phase for bergen and
// oslo, oslo leading, and the case concluded into NEEDS. An EQUAL key comes
// with its shares, a VOLUME key waits for the commitments.
func concludedAgreement(key procurement.CostKey) []procurement.Event {
	history := given(inAgreement, []procurement.Event{
		agreementDrafted(hashV1), agreementSigned("bergen", 1, hashV1), agreementSigned("oslo", 1, hashV1),
		leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadDesignated("oslo", "bergen", "oslo"),
		leadMandate("bergen", "oslo"), keySet(1, key),
	})
	if key.Method == "EQUAL" {
		history = append(history, procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(16), Reason: procurement.ReasonKeySet,
			Shares: []procurement.MemberShare{{Org: "bergen", BasisPoints: 5000}, {Org: "oslo", BasisPoints: 5000}}})
	}
	return append(history, procurement.AgreementConcluded{Version: 1, DocumentHash: hashV1, Lead: "oslo",
		Members: []string{"bergen", "oslo"}, Mandates: []string{"lead-bergen"}, CostKeyVersion: 1})
}
