package procurement_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestDraftCooperationAgreement(t *testing.T) {
	t.Run("the_hub_drafts_version_1", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(draftAgreementCmd(by(hub), hashV1)).
			Then(agreementDrafted(hashV1))
	})
	t.Run("the_platform_drafts_for_the_hub", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(draftAgreementCmd(platform, hashV1)).
			Then(agreementDrafted(hashV1))
	})
	t.Run("the_designated_lead_drafts_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(given(inAgreement, []procurement.Event{leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadDesignated("oslo", "bergen", "oslo")})...).
			When(draftAgreementCmd(by("oslo"), hashV1)).Then(agreementDrafted(hashV1))
	})
	t.Run("the_terms_are_trimmed_and_the_hash_lowercased", func(t *testing.T) {
		cmd := draftAgreementCmd(by(hub), " "+strings.ToUpper(hashV1)+" ")
		cmd.Terms.LiabilityTerms = "  " + cmd.Terms.LiabilityTerms + "\n"
		estest.For(t, procurement.Decider).Given(inAgreement...).When(cmd).Then(agreementDrafted(hashV1))
	})
	t.Run("drafting_the_same_terms_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(inAgreement, agreementDrafted(hashV1))...).
			When(draftAgreementCmd(by(hub), hashV1)).ThenNothing()
	})
	t.Run("other_terms_must_be_an_amendment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(inAgreement, agreementDrafted(hashV1))...).
			When(draftAgreementCmd(by(hub), hashV2)).ThenError(procurement.ErrAgreementAlreadyDrafted)
	})
	t.Run("the_first_terms_again_after_an_amendment_are_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(inAgreement, agreementDrafted(hashV1), agreementAmended(2, hashV2))...).
			When(draftAgreementCmd(by(hub), hashV1)).ThenError(procurement.ErrAgreementAlreadyDrafted)
	})
	t.Run("a_member_that_does_not_lead_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(draftAgreementCmd(by("bergen"), hashV1)).
			ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_member_that_others_consented_to_but_is_not_designated_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(inAgreement, leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"))...).
			When(draftAgreementCmd(by("oslo"), hashV1)).ThenError(procurement.ErrHubOrLeadOnly)
	})
	for _, stranger := range []string{otherHub, "tromso", "acme"} {
		t.Run("a_stranger_is_told_there_is_no_such_case_"+stranger, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(inAgreement...).When(draftAgreementCmd(by(stranger), hashV1)).
				ThenError(procurement.ErrNotFound)
		})
	}
	t.Run("not_before_recruitment_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created(), invited("bergen"), procurement.RecruitmentOpened{}, joined("bergen")).
			When(draftAgreementCmd(by(hub), hashV1)).ThenError(procurement.ErrAgreementBeforeRecruitmentClosed)
		estest.For(t, procurement.Decider).Given(created()).
			When(draftAgreementCmd(by(hub), hashV1)).ThenError(procurement.ErrAgreementBeforeRecruitmentClosed)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(inAgreement, cancelled())...).
			When(draftAgreementCmd(by(hub), hashV1)).ThenError(procurement.ErrCancelled)
	})
	t.Run("still_in_the_needs_phase", func(t *testing.T) {
		// The needs phase is before the notice: the agreement can still be drafted there.
		history := concludedAgreement(equalKey)
		var withoutDraft []procurement.Event
		for _, e := range history {
			switch e.(type) {
			case procurement.CooperationAgreementDrafted, procurement.CooperationAgreementSigned:
				continue
			}
			withoutDraft = append(withoutDraft, e)
		}
		estest.For(t, procurement.Decider).Given(withoutDraft...).When(draftAgreementCmd(by(hub), hashV1)).
			Then(agreementDrafted(hashV1))
	})
	for name, c := range termsRefusals() {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := draftAgreementCmd(by(hub), hashV1)
			c.mod(&cmd.Terms)
			estest.For(t, procurement.Decider).Given(inAgreement...).When(cmd).ThenError(c.want)
		})
	}
}

type termsRefusal struct {
	mod  func(*procurement.AgreementTerms)
	want error
}

// termsRefusals break one rule of the agreement terms each.
func termsRefusals() map[string]termsRefusal {
	return map[string]termsRefusal{
		"a_short_hash":           {func(t *procurement.AgreementTerms) { t.DocumentHash = hashV1[:63] }, procurement.ErrInvalidDocumentHash},
		"a_hash_that_is_not_hex": {func(t *procurement.AgreementTerms) { t.DocumentHash = strings.Repeat("g", 64) }, procurement.ErrInvalidDocumentHash},
		"no_hash":                {func(t *procurement.AgreementTerms) { t.DocumentHash = "" }, procurement.ErrInvalidDocumentHash},
		"an_unknown_procedure_rule": {func(t *procurement.AgreementTerms) { t.DecisionRules.Procedure = "DICTATOR" },
			procurement.ErrInvalidDecisionRule},
		"each_member_for_the_procedure": {func(t *procurement.AgreementTerms) { t.DecisionRules.Procedure = procurement.RuleEachMember },
			procurement.ErrInvalidDecisionRule},
		"each_member_for_approval": {func(t *procurement.AgreementTerms) { t.DecisionRules.Approval = procurement.RuleEachMember },
			procurement.ErrInvalidDecisionRule},
		"no_award_rule":            {func(t *procurement.AgreementTerms) { t.DecisionRules.Award = "" }, procurement.ErrInvalidDecisionRule},
		"an_unknown_signing_model": {func(t *procurement.AgreementTerms) { t.SigningModel = "NOBODY_SIGNS" }, procurement.ErrInvalidSigningModel},
		"blank_liability_terms":    {func(t *procurement.AgreementTerms) { t.LiabilityTerms = " \n" }, procurement.ErrLiabilityTermsRequired},
		"too_long_liability_terms": {func(t *procurement.AgreementTerms) { t.LiabilityTerms = runes(20001) }, procurement.ErrLiabilityTermsRequired},
		"no_withdrawal_terms":      {func(t *procurement.AgreementTerms) { t.WithdrawalTerms = "" }, procurement.ErrWithdrawalTermsRequired},
		"too_long_withdrawal_terms": {func(t *procurement.AgreementTerms) { t.WithdrawalTerms = runes(20001) },
			procurement.ErrWithdrawalTermsRequired},
	}
}

func TestDraftCooperationAgreementAcceptsEachMemberForAwardAndTermsOfExactly20000Characters(t *testing.T) {
	cmd := draftAgreementCmd(by(hub), hashV1)
	cmd.Terms.DecisionRules.Award = procurement.RuleEachMember
	cmd.Terms.WithdrawalTerms = runes(20000)
	want := terms(hashV1)
	want.DecisionRules.Award = procurement.RuleEachMember
	want.WithdrawalTerms = runes(20000)
	estest.For(t, procurement.Decider).Given(inAgreement...).When(cmd).
		Then(procurement.CooperationAgreementDrafted{Version: 1, Terms: want})
}

func TestAmendCooperationAgreement(t *testing.T) {
	v1 := append(given(inAgreement), agreementDrafted(hashV1))
	t.Run("the_hub_amends_the_current_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(amendAgreementCmd(by(hub), 1, hashV2)).
			Then(agreementAmended(2, hashV2))
	})
	t.Run("the_designated_lead_amends_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(v1, leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadDesignated("oslo", "bergen", "oslo"))...).
			When(amendAgreementCmd(by("oslo"), 1, hashV2)).Then(agreementAmended(2, hashV2))
	})
	t.Run("an_amendment_resets_every_signature", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(v1, agreementSigned("bergen", 1, hashV1), agreementSigned("oslo", 1, hashV1))...).
			When(amendAgreementCmd(by(hub), 1, hashV2)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Agreement.Version != 2 || s.Agreement.Terms.DocumentHash != hashV2 {
					t.Fatalf("agreement %+v", s.Agreement)
				}
				for _, org := range []string{"bergen", "oslo"} {
					if s.Agreement.SignedCurrent(org) {
						t.Fatalf("%s still counts as signed after the amendment", org)
					}
				}
			})
	})
	t.Run("a_change_of_rules_alone_is_an_amendment", func(t *testing.T) {
		cmd := amendAgreementCmd(by(hub), 1, hashV1)
		cmd.Terms.SigningModel = procurement.SigningEachSigns
		want := terms(hashV1)
		want.SigningModel = procurement.SigningEachSigns
		estest.For(t, procurement.Decider).Given(v1...).When(cmd).
			Then(procurement.CooperationAgreementAmended{Version: 2, Terms: want})
	})
	t.Run("the_same_amendment_again_is_a_no_op", func(t *testing.T) {
		// After the amendment from version 1 the current version is 2: a
		// repeat still says FromVersion 1.
		estest.For(t, procurement.Decider).Given(append(v1, agreementAmended(2, hashV2))...).
			When(amendAgreementCmd(by(hub), 1, hashV2)).ThenNothing()
	})
	t.Run("amending_a_version_ahead_of_the_current_one_is_outdated", func(t *testing.T) {
		// FromVersion 2 while version 1 is current names a version that does
		// not exist; with the current terms it must not pass as a repeat.
		estest.For(t, procurement.Decider).Given(v1...).When(amendAgreementCmd(by(hub), 2, hashV1)).
			ThenError(procurement.ErrAgreementVersionOutdated)
	})
	t.Run("amending_an_outdated_version_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(v1, agreementAmended(2, hashV2))...).
			When(amendAgreementCmd(by(hub), 1, strings.Repeat("c3", 32))).ThenError(procurement.ErrAgreementVersionOutdated)
	})
	t.Run("an_amendment_must_change_something", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(amendAgreementCmd(by(hub), 1, hashV1)).
			ThenError(procurement.ErrAmendmentChangesNothing)
	})
	t.Run("there_must_be_a_draft_to_amend", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(amendAgreementCmd(by(hub), 1, hashV2)).
			ThenError(procurement.ErrNoAgreement)
	})
	t.Run("a_member_that_does_not_lead_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(amendAgreementCmd(by("bergen"), 1, hashV2)).
			ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(amendAgreementCmd(by(otherHub), 1, hashV2)).
			ThenError(procurement.ErrNotFound)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(v1, cancelled())...).When(amendAgreementCmd(by(hub), 1, hashV2)).
			ThenError(procurement.ErrCancelled)
	})
	for name, c := range termsRefusals() {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := amendAgreementCmd(by(hub), 1, hashV2)
			c.mod(&cmd.Terms)
			estest.For(t, procurement.Decider).Given(v1...).When(cmd).ThenError(c.want)
		})
	}
}

func TestSignCooperationAgreement(t *testing.T) {
	v1 := append(given(inAgreement), agreementDrafted(hashV1))
	t.Run("a_member_signs_the_current_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(signAgreementCmd("bergen", 1, hashV1)).
			Then(agreementSigned("bergen", 1, hashV1))
	})
	t.Run("the_hash_is_compared_whatever_its_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(signAgreementCmd("bergen", 1, strings.ToUpper(hashV1))).
			Then(agreementSigned("bergen", 1, hashV1))
	})
	t.Run("the_signature_is_always_the_acting_organisations", func(t *testing.T) {
		// A command names no member: oslo's staff can only sign for oslo, and
		// the signatory is the acting person.
		cmd := signAgreementCmd("oslo", 1, hashV1)
		cmd.By = actor.Actor{User: "mayor@oslo", Org: "oslo"}
		cmd.SignatureRef = "bankid-bergen"
		estest.For(t, procurement.Decider).Given(v1...).When(cmd).
			Then(procurement.CooperationAgreementSigned{Org: "oslo", Version: 1, DocumentHash: hashV1, Signatory: "mayor@oslo", SignatureRef: "bankid-bergen"})
	})
	t.Run("signing_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(v1, agreementSigned("bergen", 1, hashV1))...).
			When(signAgreementCmd("bergen", 1, hashV1)).ThenNothing()
	})
	t.Run("after_an_amendment_the_new_version_must_be_signed_again", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(v1, agreementSigned("bergen", 1, hashV1), agreementAmended(2, hashV2))...).
			When(signAgreementCmd("bergen", 2, hashV2)).Then(agreementSigned("bergen", 2, hashV2))
	})
	t.Run("signing_an_outdated_version_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(v1, agreementAmended(2, hashV2))...).
			When(signAgreementCmd("bergen", 1, hashV1)).ThenError(procurement.ErrAgreementVersionOutdated)
	})
	t.Run("signing_a_version_not_yet_drafted_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).
			When(signAgreementCmd("bergen", 2, hashV1)).ThenError(procurement.ErrAgreementVersionOutdated)
	})
	t.Run("signing_another_document_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(signAgreementCmd("bergen", 1, hashV2)).
			ThenError(procurement.ErrAgreementHashMismatch)
	})
	t.Run("the_old_document_does_not_sign_the_new_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(v1, agreementAmended(2, hashV2))...).
			When(signAgreementCmd("bergen", 2, hashV1)).ThenError(procurement.ErrAgreementHashMismatch)
	})
	t.Run("nothing_to_sign_before_a_draft", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(signAgreementCmd("bergen", 1, hashV1)).
			ThenError(procurement.ErrNoAgreement)
	})
	t.Run("the_hub_is_no_member_and_cannot_sign", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(v1...).When(signAgreementCmd(hub, 1, hashV1)).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_member_that_withdrew_cannot_sign", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(given(inAgreement3, []procurement.Event{agreementDrafted(hashV1), withdrew("tromso")})...).
			When(signAgreementCmd("tromso", 1, hashV1)).ThenError(procurement.ErrNotMember)
	})
	for _, stranger := range []string{otherHub, "tromso", "acme"} {
		t.Run("a_stranger_is_told_there_is_no_such_case_"+stranger, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(v1...).When(signAgreementCmd(stranger, 1, hashV1)).ThenError(procurement.ErrNotFound)
		})
	}
	t.Run("the_platform_signs_for_nobody", func(t *testing.T) {
		cmd := signAgreementCmd("bergen", 1, hashV1)
		cmd.By = platform
		estest.For(t, procurement.Decider).Given(v1...).When(cmd).ThenError(procurement.ErrNotFound)
	})
	t.Run("not_before_recruitment_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created(), invited("bergen"), procurement.RecruitmentOpened{}, joined("bergen")).
			When(signAgreementCmd("bergen", 1, hashV1)).ThenError(procurement.ErrAgreementBeforeRecruitmentClosed)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(v1, cancelled())...).When(signAgreementCmd("bergen", 1, hashV1)).
			ThenError(procurement.ErrCancelled)
	})
	for name, c := range map[string]struct {
		mod  func(*procurement.SignCooperationAgreement)
		want error
	}{
		"version_0":              {func(c *procurement.SignCooperationAgreement) { c.Version = 0 }, procurement.ErrInvalidAgreementVersion},
		"a_negative_version":     {func(c *procurement.SignCooperationAgreement) { c.Version = -1 }, procurement.ErrInvalidAgreementVersion},
		"a_malformed_hash":       {func(c *procurement.SignCooperationAgreement) { c.DocumentHash = "sha256:abc" }, procurement.ErrInvalidDocumentHash},
		"no_signature_reference": {func(c *procurement.SignCooperationAgreement) { c.SignatureRef = "" }, procurement.ErrSignatureRefRequired},
		"a_reference_with_a_space": {func(c *procurement.SignCooperationAgreement) { c.SignatureRef = "bank id" },
			procurement.ErrSignatureRefRequired},
		"a_reference_of_201_characters": {func(c *procurement.SignCooperationAgreement) { c.SignatureRef = strings.Repeat("x", 201) },
			procurement.ErrSignatureRefRequired},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := signAgreementCmd("bergen", 1, hashV1)
			c.mod(&cmd)
			estest.For(t, procurement.Decider).Given(v1...).When(cmd).ThenError(c.want)
		})
	}
}
