package procurement_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// The conditions of transition 4 (AGREEMENT → NEEDS) for bergen and oslo, oslo
// leading, one piece each.
var (
	condAgreement = []procurement.Event{agreementDrafted(hashV1), agreementSigned("bergen", 1, hashV1), agreementSigned("oslo", 1, hashV1)}
	condLead      = []procurement.Event{leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadDesignated("oslo", "bergen", "oslo")}
	condMandate   = []procurement.Event{leadMandate("bergen", "oslo")}
	condKey       = []procurement.Event{keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(11), "bergen", 5000, "oslo", 5000)}
)

func concluded(mandates ...string) procurement.Event {
	return procurement.AgreementConcluded{Version: 1, DocumentHash: hashV1, Lead: "oslo", Members: []string{"bergen", "oslo"},
		Mandates: mandates, CostKeyVersion: 1}
}

// bergenAnchors is a command that succeeds whatever the agreement's state, so
// that the case checks whether it can conclude.
func bergenAnchors() procurement.RecordAnchoringDecision {
	c := anchoring("bergen")
	c.At = day(14)
	return c
}

var bergenAnchored = procurement.AnchoringDecisionRecorded{Org: "bergen", Anchoring: procurement.Anchoring{
	DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1234"}}

func gapsAre(at time.Time, want ...string) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		if got := s.AgreementGaps(at); !reflect.DeepEqual(got, want) {
			t.Fatalf("gaps\n got: %q\nwant: %q", got, want)
		}
	}
}

func TestTheAgreementDoesNotConcludeWithAConditionMissing(t *testing.T) {
	publishOnly := procurement.MandateGranted{MandateID: "lead-bergen", From: "bergen", To: "oslo",
		Scope: []procurement.Scope{procurement.ScopePublish}, ValidUntil: "2025-12-31"}
	prepareOnly := procurement.MandateGranted{MandateID: "lead-bergen", From: "bergen", To: "oslo",
		Scope: []procurement.Scope{procurement.ScopePrepare, procurement.ScopeEvaluate}, ValidUntil: "2025-12-31"}
	expired := procurement.MandateGranted{MandateID: "lead-bergen", From: "bergen", To: "oslo",
		Scope: []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish}, ValidUntil: "2025-03-13"}
	for name, c := range map[string]struct {
		history []procurement.Event
		gaps    []string
	}{
		"no_agreement": {given(inAgreement, condLead, condMandate, condKey),
			[]string{"no cooperation agreement is drafted"}},
		"one_member_unsigned": {given(inAgreement, condAgreement[:2], condLead, condMandate, condKey),
			[]string{"oslo has not signed version 1"}},
		"no_member_signed": {given(inAgreement, condAgreement[:1], condLead, condMandate, condKey),
			[]string{"bergen has not signed version 1", "oslo has not signed version 1"}},
		"signatures_of_an_amended_version": {given(inAgreement, condAgreement, []procurement.Event{agreementAmended(2, hashV2), agreementSigned("oslo", 2, hashV2)}, condLead, condMandate, condKey),
			[]string{"bergen has not signed version 2"}},
		"no_lead": {given(inAgreement, condAgreement, condLead[:2], condMandate, condKey),
			[]string{"no lead is designated"}},
		"a_member_without_a_mandate": {given(inAgreement, condAgreement, condLead, condKey),
			[]string{"bergen has no active mandate to oslo covering prepare", "bergen has no active mandate to oslo covering publish"}},
		"a_mandate_that_does_not_cover_prepare": {given(inAgreement, condAgreement, condLead, []procurement.Event{publishOnly}, condKey),
			[]string{"bergen has no active mandate to oslo covering prepare"}},
		"a_mandate_covering_prepare_but_not_publish": {given(inAgreement, condAgreement, condLead, []procurement.Event{prepareOnly}, condKey),
			[]string{"bergen has no active mandate to oslo covering publish"}},
		"an_expired_mandate": {given(inAgreement, condAgreement, condLead, []procurement.Event{expired}, condKey),
			[]string{"bergen has no active mandate to oslo covering prepare", "bergen has no active mandate to oslo covering publish"}},
		"a_revoked_mandate": {given(inAgreement, condAgreement, condLead, condMandate,
			[]procurement.Event{procurement.MandateRevoked{MandateID: "lead-bergen", From: "bergen", Reason: "another lead"}}, condKey),
			[]string{"bergen has no active mandate to oslo covering prepare", "bergen has no active mandate to oslo covering publish"}},
		"a_mandate_to_another_member_than_the_lead": {given(inAgreement, condAgreement, condLead, []procurement.Event{leadMandate("oslo", "bergen")}, condKey),
			[]string{"bergen has no active mandate to oslo covering prepare", "bergen has no active mandate to oslo covering publish"}},
		"no_cost_key": {given(inAgreement, condAgreement, condLead, condMandate),
			[]string{"no cost-sharing key is set"}},
		"nothing_at_all": {inAgreement,
			[]string{"no cooperation agreement is drafted", "no lead is designated", "no cost-sharing key is set"}},
	} {
		t.Run(name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(c.history...).When(bergenAnchors()).Then(bergenAnchored)
			estest.For(t, procurement.Decider).Given(c.history...).When(bergenAnchors()).ThenState(func(t testing.TB, s procurement.State) {
				phaseIs(procurement.PhaseAgreement)(t, s)
				gapsAre(day(14), c.gaps...)(t, s)
			})
		})
	}
	t.Run("a_mandate_counts_through_its_last_day", func(t *testing.T) {
		s := procurement.Decider.Fold(given(inAgreement, condAgreement, condLead, []procurement.Event{expired}, condKey))
		gapsAre(time.Date(2025, 3, 13, 23, 59, 0, 0, time.UTC))(t, s)
	})
}

func TestTheCommandFulfillingTheLastConditionConcludesTheAgreement(t *testing.T) {
	t.Run("the_last_signature", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement[:2], condLead, condMandate, condKey)...).
			When(signAgreementCmd("oslo", 1, hashV1)).
			Then(agreementSigned("oslo", 1, hashV1), concluded("lead-bergen"))
	})
	t.Run("the_designation_of_the_lead", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement, condLead[:2], condMandate, condKey)...).
			When(designateCmd(by(hub), "oslo")).
			Then(leadDesignated("oslo", "bergen", "oslo"), concluded("lead-bergen"))
	})
	t.Run("the_last_mandate", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement, condLead, condKey)...).
			When(procurement.GrantMandate{MandateID: "lead-bergen", To: "oslo", Scope: []string{"publish", "prepare"}, ValidUntil: "2025-12-31", By: by("bergen"), At: day(14)}).
			Then(leadMandate("bergen", "oslo"), concluded("lead-bergen"))
	})
	t.Run("a_second_mandate_adding_publish_to_prepare", func(t *testing.T) {
		prepare := procurement.MandateGranted{MandateID: "a-prepare", From: "bergen", To: "oslo", Scope: []procurement.Scope{procurement.ScopePrepare}, ValidUntil: "2025-12-31"}
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement, condLead, []procurement.Event{prepare}, condKey)...).
			When(procurement.GrantMandate{MandateID: "b-publish", To: "oslo", Scope: []string{"publish"}, ValidUntil: "2025-12-31", By: by("bergen"), At: day(14)}).
			Then(procurement.MandateGranted{MandateID: "b-publish", From: "bergen", To: "oslo", Scope: []procurement.Scope{procurement.ScopePublish}, ValidUntil: "2025-12-31"},
				concluded("a-prepare", "b-publish"))
	})
	t.Run("the_cost_key", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement, condLead, condMandate)...).
			When(setKeyCmd(by(hub), equalKey)).
			Then(keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 5000, "oslo", 5000), concluded("lead-bergen"))
	})
	t.Run("a_volume_key_without_shares_yet", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement, condLead, condMandate)...).
			When(setKeyCmd(by(hub), volumeKey)).
			Then(keySet(1, volumeKey), concluded("lead-bergen"))
	})
	t.Run("the_withdrawal_of_the_last_member_that_had_not_signed", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(given(inAgreement3, condAgreement, []procurement.Event{leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"),
				leadConsent("tromso", "oslo"), leadDesignated("oslo", "bergen", "oslo", "tromso"), leadMandate("bergen", "oslo"),
				leadMandate("tromso", "oslo"), keySet(1, equalKey)})...).
			When(procurement.WithdrawMunicipality{Reason: "the council cut the budget", By: by("tromso"), At: day(20)}).
			Then(withdrew("tromso"), shares(procurement.ReasonMemberWithdrew, 1, day(20), "bergen", 5000, "oslo", 5000), concluded("lead-bergen"))
	})
	t.Run("the_case_moves_on_to_the_needs_phase", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement[:2], condLead, condMandate, condKey)...).
			When(signAgreementCmd("oslo", 1, hashV1)).
			ThenState(func(t testing.TB, s procurement.State) {
				phaseIs(procurement.PhaseNeeds)(t, s)
				gapsAre(day(14))(t, s)
			})
	})
	t.Run("a_mandate_expired_by_the_day_of_the_command_does_not_count", func(t *testing.T) {
		expiring := procurement.MandateGranted{MandateID: "lead-bergen", From: "bergen", To: "oslo",
			Scope: []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish}, ValidUntil: "2025-03-13"}
		estest.For(t, procurement.Decider).Given(given(inAgreement, condAgreement[:2], condLead, []procurement.Event{expiring}, condKey)...).
			When(signAgreementCmd("oslo", 1, hashV1)).Then(agreementSigned("oslo", 1, hashV1))
	})
}

func TestTheAgreementConcludesOnlyOnce(t *testing.T) {
	t.Run("signing_an_amendment_in_the_needs_phase_concludes_nothing_again", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(concludedAgreement(equalKey), agreementAmended(2, hashV2), agreementSigned("bergen", 2, hashV2))...).
			When(signAgreementCmd("oslo", 2, hashV2)).Then(agreementSigned("oslo", 2, hashV2))
	})
	t.Run("a_new_key_in_the_needs_phase_concludes_nothing_again", func(t *testing.T) {
		key := procurement.CostKey{Method: "POPULATION", Populations: []procurement.PopulationFigure{pop("bergen", 1), pop("oslo", 1)}}
		estest.For(t, procurement.Decider).Given(concludedAgreement(equalKey)...).When(setKeyCmd(by(hub), key)).
			Then(keySet(2, key), shares(procurement.ReasonKeySet, 2, day(16), "bergen", 5000, "oslo", 5000))
	})
}
