package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestConsentToLead(t *testing.T) {
	t.Run("a_member_consents_to_another_member_leading", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(consentCmd("bergen", "oslo")).
			Then(leadConsent("bergen", "oslo"))
	})
	t.Run("the_lead_consents_to_leading_itself", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(consentCmd("oslo", "oslo")).
			Then(leadConsent("oslo", "oslo"))
	})
	t.Run("consenting_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), leadConsent("bergen", "oslo"))...).
			When(consentCmd("bergen", "oslo")).ThenNothing()
	})
	t.Run("a_member_changes_its_consent_to_another_lead", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), leadConsent("bergen", "oslo"))...).
			When(consentCmd("bergen", "bergen")).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.LeadConsents["bergen"] != "bergen" {
					t.Fatalf("consents %v", s.LeadConsents)
				}
			})
	})
	t.Run("the_consent_is_always_the_acting_organisations", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(consentCmd("oslo", "bergen")).
			Then(leadConsent("oslo", "bergen"))
	})
	for name, lead := range map[string]string{
		"an_organisation_never_invited": "tromso",
		"a_supplier":                    "acme",
		"the_hub":                       hub,
		"nobody":                        "",
	} {
		t.Run("the_lead_cannot_be_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(inAgreement...).When(consentCmd("bergen", lead)).
				ThenError(procurement.ErrLeadNotMember)
		})
	}
	t.Run("the_lead_cannot_be_a_member_that_withdrew", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement3), withdrew("tromso"))...).
			When(consentCmd("bergen", "tromso")).ThenError(procurement.ErrLeadNotMember)
	})
	t.Run("a_member_that_withdrew_cannot_consent", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement3), withdrew("tromso"))...).
			When(consentCmd("tromso", "oslo")).ThenError(procurement.ErrNotMember)
	})
	t.Run("the_hub_is_no_member_and_does_not_consent", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(consentCmd(hub, "oslo")).ThenError(procurement.ErrNotMember)
	})
	for _, stranger := range []string{otherHub, "tromso", "acme"} {
		t.Run("a_stranger_is_told_there_is_no_such_case_"+stranger, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(inAgreement...).When(consentCmd(stranger, "oslo")).ThenError(procurement.ErrNotFound)
		})
	}
	t.Run("not_before_recruitment_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), invited("oslo"), procurement.RecruitmentOpened{}, joined("bergen"), joined("oslo")).
			When(consentCmd("bergen", "oslo")).ThenError(procurement.ErrAgreementBeforeRecruitmentClosed)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), cancelled())...).
			When(consentCmd("bergen", "oslo")).ThenError(procurement.ErrCancelled)
	})
}

func TestDesignateLeadAuthority(t *testing.T) {
	consented := append(given(inAgreement), leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"))
	t.Run("the_hub_designates_the_lead_every_member_consented_to", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(by(hub), "oslo")).
			Then(leadDesignated("oslo", "bergen", "oslo"))
	})
	t.Run("the_platform_designates_for_the_hub", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(platform, "oslo")).
			Then(leadDesignated("oslo", "bergen", "oslo"))
	})
	t.Run("the_lead_is_on_record", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(by(hub), "oslo")).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Lead != "oslo" {
					t.Fatalf("lead %q", s.Lead)
				}
			})
	})
	t.Run("designating_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(consented, leadDesignated("oslo", "bergen", "oslo"))...).
			When(designateCmd(by(hub), "oslo")).ThenNothing()
	})
	t.Run("another_lead_is_designated_with_every_consent_to_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(consented, leadDesignated("oslo", "bergen", "oslo"), leadConsent("bergen", "bergen"), leadConsent("oslo", "bergen"))...).
			When(designateCmd(by(hub), "bergen")).Then(leadDesignated("bergen", "bergen", "oslo"))
	})
	t.Run("a_member_that_withdrew_need_not_consent", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(given(inAgreement3), withdrew("tromso"), leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"))...).
			When(designateCmd(by(hub), "oslo")).Then(leadDesignated("oslo", "bergen", "oslo"))
	})
	t.Run("every_joined_member_must_consent", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), leadConsent("bergen", "oslo"))...).
			When(designateCmd(by(hub), "oslo")).ThenError(procurement.ErrLeadConsentMissing)
	})
	t.Run("the_lead_itself_must_consent", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), leadConsent("oslo", "oslo"))...).
			When(designateCmd(by(hub), "oslo")).ThenError(procurement.ErrLeadConsentMissing)
	})
	t.Run("a_consent_to_another_lead_does_not_count", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), leadConsent("bergen", "bergen"), leadConsent("oslo", "oslo"))...).
			When(designateCmd(by(hub), "oslo")).ThenError(procurement.ErrLeadConsentMissing)
	})
	t.Run("the_lead_must_be_a_joined_member", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(by(hub), "tromso")).ThenError(procurement.ErrLeadNotMember)
		estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(by(hub), hub)).ThenError(procurement.ErrLeadNotMember)
	})
	t.Run("a_member_cannot_designate_even_the_lead_all_consented_to", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(by("oslo"), "oslo")).ThenError(procurement.ErrHubOnly)
	})
	t.Run("the_designated_lead_cannot_designate_another", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(consented, leadDesignated("oslo", "bergen", "oslo"), leadConsent("bergen", "bergen"), leadConsent("oslo", "bergen"))...).
			When(designateCmd(by("oslo"), "bergen")).ThenError(procurement.ErrHubOnly)
	})
	for _, stranger := range []string{otherHub, "tromso", "acme"} {
		t.Run("a_stranger_is_told_there_is_no_such_case_"+stranger, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(consented...).When(designateCmd(by(stranger), "oslo")).ThenError(procurement.ErrNotFound)
		})
	}
	t.Run("not_before_recruitment_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), invited("oslo"), procurement.RecruitmentOpened{}, joined("bergen"), joined("oslo")).
			When(designateCmd(by(hub), "oslo")).ThenError(procurement.ErrAgreementBeforeRecruitmentClosed)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(consented, cancelled())...).
			When(designateCmd(by(hub), "oslo")).ThenError(procurement.ErrCancelled)
	})
}

func TestTheLeadCannotWithdraw(t *testing.T) {
	lead := append(given(inAgreement3), leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadConsent("tromso", "oslo"),
		leadDesignated("oslo", "bergen", "oslo", "tromso"))
	t.Run("the_designated_lead_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(lead...).When(withdraw("oslo", "we want out")).ThenError(procurement.ErrLeadCannotWithdraw)
	})
	t.Run("another_member_still_withdraws", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(lead...).When(withdraw("tromso", "the council cut the budget")).Then(withdrew("tromso"))
	})
	t.Run("a_member_only_consented_to_may_withdraw", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement3), leadConsent("bergen", "oslo"))...).
			When(withdraw("oslo", "the council cut the budget")).Then(withdrew("oslo"))
	})
}

func TestRevokeMandateInAnEndedCase(t *testing.T) {
	t.Run("a_cancelled_case_refuses_a_revocation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement3), leadMandate("bergen", "oslo"), cancelled())...).
			When(procurement.RevokeMandate{MandateID: "lead-bergen", Reason: "the case is over", By: by("bergen"), At: day(30)}).
			ThenError(procurement.ErrCancelled)
	})
}
