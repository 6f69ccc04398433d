package procurement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Contracting (DOMAIN.md §1 P9, §2 transition 20, §4.3, §4.4): no signature
// before the standstill is over or while contracting is suspended; the
// agreement's signing model says who signs. LEAD_SIGNS_ALL: the lead signs
// for itself and every buyer whose signContract mandate it holds, a buyer
// without one signs itself; EACH_SIGNS: a contract per buyer; MULTI: every
// buyer signs one contract. The first signature fixes the terms; the last one
// makes the contract signed; the case is CONTRACT_ACTIVE when every awarded
// buyer is under a signed contract.

// awSignature is org's signature record of contract on a1 at day 110.
func awSignature(a actor.Actor, contract string, award string, covers []string, mandates ...string) procurement.ContractSignatureRecorded {
	return procurement.ContractSignatureRecorded{ContractID: contract, AwardID: award, Terms: awContractTerms(), Org: a.Org, For: covers,
		Signatory: a.User, Mandates: mandates, SignatureRef: "bankid-" + a.User, SignedAt: tdAt(110, 9)}
}

// awSigned is the contract signed event.
func awSigned(contract, award string, buyers, signatories []string) procurement.ContractSigned {
	return procurement.ContractSigned{ContractID: contract, AwardID: award, Lot: awLot, Supplier: tdSupplier, Buyers: buyers,
		Signatories: signatories, Terms: awContractTerms(), SignedAt: tdAt(110, 9), PhaseAfter: procurement.PhaseContractActive}
}

// awSignedWhile is awSigned when other buyers have still to sign their contracts.
func awSignedWhile(e procurement.ContractSigned) procurement.ContractSigned {
	e.PhaseAfter = procurement.PhaseContracting
	return e
}

func TestSignContract(t *testing.T) {
	lead, member := awLeadBy(), awMemberBy()
	contracting := awContracting(t)

	t.Run("the_lead_signs_for_every_buyer_whose_mandate_it_holds", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(contracting...).When(awSign(lead, "k1", "a1")).
			Then(awSignature(lead, "k1", "a1", []string{tdMember, tdLead}, awMandateID),
				awSigned("k1", "a1", []string{tdMember, tdLead}, []string{lead.User}))
	})
	t.Run("with_every_buyer_under_a_signed_contract_the_case_is_contract_active", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(contracting...).When(awSign(lead, "k1", "a1")).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseContractActive)(t, s)
			k := s.Contracting.Contracts["k1"]
			if k.Signed == nil || len(k.Signatures) != 2 || k.Supplier != tdSupplier || k.Lot != awLot {
				t.Fatalf("contract %+v", k)
			}
		})
	})
	t.Run("signing_a_signed_contract_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awSign(lead, "k1", "a1")).ThenNothing()
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awSign(member, "k1", "a1")).ThenNothing()
	})
	t.Run("signing_during_the_standstill_is_refused", func(t *testing.T) {
		awRefused(t, awStandstill(t), awSign(lead, "k1", "a1"), procurement.ErrStandstillRunning, "2025-06-16")
	})
	t.Run("signing_before_the_notification_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awDecided(t)...).When(awSign(lead, "k1", "a1")).ThenError(procurement.ErrStandstillRunning)
	})
	t.Run("signing_while_suspended_is_refused", func(t *testing.T) {
		h := awRun(t, contracting, awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a1")).ThenError(procurement.ErrContractingSuspended)
	})
	t.Run("signing_while_an_interim_measure_holds_during_the_standstill_is_refused", func(t *testing.T) {
		h := awRun(t, awStandstill(t), awComplaint("k-1", false), awInterim("k-1"))
		awRefused(t, h, awSign(lead, "k1", "a1"), procurement.ErrContractingSuspended)
		estest.For(t, procurement.Decider).Given(h...).When(awEnd(awAfterStandstill(t))).ThenError(procurement.ErrContractingSuspended)
	})
	t.Run("signing_once_the_review_let_contracting_go_on", func(t *testing.T) {
		h := awRun(t, contracting, awComplaint("k-1", true), awResolve("k-1", procurement.ReviewContinue))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a1")).ThenState(phaseIs(procurement.PhaseContractActive))
	})
	t.Run("an_unmandated_member_signs_itself_and_the_contract_is_signed_with_the_last_signature", func(t *testing.T) {
		h := awRun(t, awEvaluatedFrom(t, tdThen(awTendering(), awMandate(procurement.ScopeDecideAward))),
			awDecide(lead, "a1", "b1"), awNotify(t), awEnd(awAfterStandstill(t)))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a1")).
			Then(awSignature(lead, "k1", "a1", []string{tdLead}))
		h = awRun(t, h, awSign(lead, "k1", "a1"))
		awPhase(t, h, procurement.PhaseContracting)
		estest.For(t, procurement.Decider).Given(h...).When(awSign(member, "k1", "a1")).
			Then(awSignature(member, "k1", "a1", []string{tdMember}),
				awSigned("k1", "a1", []string{tdMember, tdLead}, []string{member.User, lead.User}))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(member, "k1", "a1")).ThenState(phaseIs(procurement.PhaseContractActive))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a1")).ThenNothing()
	})
	t.Run("each_signs_makes_a_contract_per_buyer", func(t *testing.T) {
		h := awContracting(t, awSigning(procurement.SigningEachSigns))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(member, "k-bergen", "a1")).
			Then(awSignature(member, "k-bergen", "a1", []string{tdMember}), awSignedWhile(awSigned("k-bergen", "a1", []string{tdMember}, []string{member.User})))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k-oslo", "a1")).
			Then(awSignature(lead, "k-oslo", "a1", []string{tdLead}), awSignedWhile(awSigned("k-oslo", "a1", []string{tdLead}, []string{lead.User})))
	})
	t.Run("each_signs_is_contract_active_when_the_last_buyer_has_signed", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(member, "k-bergen", "a1"))
		awPhase(t, h, procurement.PhaseContracting)
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k-oslo", "a1")).ThenState(phaseIs(procurement.PhaseContractActive))
	})
	t.Run("each_signs_refuses_a_second_contract_for_the_same_buyer", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(member, "k-bergen", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(member, "k-bergen-2", "a1")).ThenError(procurement.ErrAlreadyContracted)
	})
	t.Run("each_signs_refuses_signing_another_buyers_contract_not_a_no_op", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(member, "k-bergen", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k-bergen", "a1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("the_hub_signing_a_signed_contract_is_refused_not_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awSign(awHubBy(), "k1", "a1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("each_signs_a_buyer_cannot_sign_for_another_buyer_before_it_signed", func(t *testing.T) {
		h := awContracting(t, awSigning(procurement.SigningEachSigns))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k-oslo", "a1")).
			ThenState(func(t testing.TB, s procurement.State) {
				if k := s.Contracting.Contracts["k-oslo"]; len(k.Buyers) != 1 || k.Buyers[0] != tdLead {
					t.Fatalf("the lead's contract binds %v", k.Buyers)
				}
			})
	})
	t.Run("each_signs_under_per_member_awards_refuses_another_buyers_award", func(t *testing.T) {
		h := awRun(t, awEvaluatedFrom(t, awTendering(awAward(procurement.RuleEachMember), awSigning(procurement.SigningEachSigns))),
			awDecide(member, "a-bergen", "b1"), awDecide(lead, "a-oslo", "b1"), awNotify(t), awEnd(awAfterStandstill(t)))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k-oslo", "a-bergen")).ThenError(procurement.ErrNotBuyer)
		h = awRun(t, h, awSign(member, "k-bergen", "a-bergen"))
		awPhase(t, h, procurement.PhaseContracting)
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k-oslo", "a-oslo")).ThenState(phaseIs(procurement.PhaseContractActive))
	})
	t.Run("multi_every_buyer_signs_one_contract_and_it_is_signed_after_the_last", func(t *testing.T) {
		h := awContracting(t, awSigning(procurement.SigningMulti))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a1")).Then(awSignature(lead, "k1", "a1", []string{tdLead}))
		h = awRun(t, h, awSign(lead, "k1", "a1"))
		awPhase(t, h, procurement.PhaseContracting)
		estest.For(t, procurement.Decider).Given(h...).When(awSign(member, "k1", "a1")).
			Then(awSignature(member, "k1", "a1", []string{tdMember}),
				awSigned("k1", "a1", []string{tdMember, tdLead}, []string{member.User, lead.User}))
	})
	t.Run("multi_a_buyer_signing_again_before_the_last_changes_nothing", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(lead, "k1", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a1")).ThenNothing()
	})
	t.Run("multi_refuses_a_second_contract_on_the_award", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(lead, "k1", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(member, "k2", "a1")).ThenError(procurement.ErrAlreadyContracted)
	})
	t.Run("terms_differing_from_the_first_signature_are_refused", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(lead, "k1", "a1"))
		for _, change := range []func(*procurement.ContractTerms){
			func(k *procurement.ContractTerms) { k.Value = "750001" },
			func(k *procurement.ContractTerms) { k.EndDate = "2028-06-30" },
			func(k *procurement.ContractTerms) { k.Framework = false },
		} {
			c := awSign(member, "k1", "a1")
			change(&c.Terms)
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrTermsDiffer)
		}
	})
	t.Run("the_same_amount_written_otherwise_is_the_same_terms", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(lead, "k1", "a1"))
		c := awSign(member, "k1", "a1")
		c.Terms.Value = "750000"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenState(phaseIs(procurement.PhaseContractActive))
	})
	t.Run("a_contract_id_of_another_award_is_refused", func(t *testing.T) {
		h := awRun(t, awEvaluatedFrom(t, awTendering(awAward(procurement.RuleEachMember))),
			awDecide(member, "a-bergen", "b1"), awDecide(lead, "a-oslo", "b1"), awNotify(t), awEnd(awAfterStandstill(t)), awSign(member, "k1", "a-bergen"))
		estest.For(t, procurement.Decider).Given(h...).When(awSign(lead, "k1", "a-oslo")).ThenError(procurement.ErrContractIDTaken)
	})
	t.Run("a_revoked_or_unknown_award_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(contracting...).When(awSign(lead, "k1", "a9")).ThenError(procurement.ErrAwardNotFound)
	})
	t.Run("the_hub_neither_buys_nor_holds_a_mandate", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(contracting...).When(awSign(awHubBy(), "k1", "a1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(contracting...).When(awSign(awStrangerBy(), "k1", "a1")).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_signed_before_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awEvaluated(t)...).When(awSign(lead, "k1", "a1")).ThenError(procurement.ErrAwardNotFound)
	})
	t.Run("rejects_an_invalid_contract_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(contracting...).When(awSign(lead, "k 1", "a1")).ThenError(procurement.ErrInvalidContractID)
	})
	t.Run("rejects_a_signature_without_its_reference", func(t *testing.T) {
		c := awSign(lead, "k1", "a1")
		c.SignatureRef = " "
		estest.For(t, procurement.Decider).Given(contracting...).When(c).ThenError(procurement.ErrSignatureRequired)
	})
	t.Run("rejects_a_contract_value_that_is_not_a_positive_amount", func(t *testing.T) {
		for _, v := range []string{"", "0", "-1", "1.001"} {
			c := awSign(lead, "k1", "a1")
			c.Terms.Value = v
			estest.For(t, procurement.Decider).Given(contracting...).When(c).ThenError(procurement.ErrInvalidAmount)
		}
	})
	t.Run("rejects_a_period_ending_before_it_starts_or_not_a_date", func(t *testing.T) {
		for _, p := range [][2]string{{"2025-07-01", "2025-06-30"}, {"1 July", "2027-06-30"}, {"2025-07-01", ""}} {
			c := awSign(lead, "k1", "a1")
			c.Terms.StartDate, c.Terms.EndDate = p[0], p[1]
			estest.For(t, procurement.Decider).Given(contracting...).When(c).ThenError(procurement.ErrInvalidPeriod)
		}
	})
	t.Run("nothing_is_signed_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(contracting, cancelled())...).When(awSign(lead, "k1", "a1")).ThenError(procurement.ErrCancelled)
	})
}

func TestPublishAwardNotice(t *testing.T) {
	active := awActive(t)
	notice := func(a actor.Actor) procurement.PublishAwardNotice {
		return procurement.PublishAwardNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: " 2025-300400 ", Limits: tdLimits(t), By: a, At: tdAt(115, 9)}
	}
	limit := func(t testing.TB) *timelimits.Computation {
		r, err := tdLimits(t).Rule(timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.AwardNoticePublication)
		if err != nil {
			t.Fatal(err)
		}
		_, c, err := timelimits.EarliestEnd(r.With(timelimits.ESubmission), tdAt(110, 9))
		if err != nil {
			t.Fatal(err)
		}
		return &c
	}

	t.Run("the_lead_publishes_the_award_notice_with_the_latest_date_allowed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(notice(awLeadBy())).
			Then(procurement.AwardNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-300400", Contracts: []string{"k1"},
				PublishedAt: tdAt(115, 9), Limit: limit(t)})
	})
	t.Run("the_limit_is_thirty_days_from_the_first_contract", func(t *testing.T) {
		e := awDecideOn(t, active, notice(awLeadBy()))[0].(procurement.AwardNoticePublished)
		if e.Limit == nil || e.Limit.Days != 30 || e.Limit.Bound != timelimits.AtMost || e.Limit.SentDate != "2025-06-20" || e.Limit.LastDay != "2025-07-20" {
			t.Fatalf("limit %+v", e.Limit)
		}
	})
	t.Run("every_signed_contract_is_listed", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"), awSign(awLeadBy(), "k-oslo", "a1"))
		e := awDecideOn(t, h, notice(awLeadBy()))[0].(procurement.AwardNoticePublished)
		if strings.Join(e.Contracts, ",") != "k-bergen,k-oslo" {
			t.Fatalf("contracts %v", e.Contracts)
		}
	})
	t.Run("publishing_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, notice(awLeadBy()))
		estest.For(t, procurement.Decider).Given(h...).When(notice(awLeadBy())).ThenNothing()
	})
	t.Run("another_notice_is_refused", func(t *testing.T) {
		h := awRun(t, active, notice(awLeadBy()))
		c := notice(awLeadBy())
		c.ExternalNoticeID = "2025-999"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrAwardNoticePublished)
	})
	t.Run("the_award_notice_follows_a_signed_contract", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awContracting(t)...).When(notice(awLeadBy())).ThenError(procurement.ErrContractNotFound)
	})
	t.Run("rejects_an_unknown_channel", func(t *testing.T) {
		c := notice(awLeadBy())
		c.Channel = "NEWSPAPER"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidChannel)
	})
	t.Run("rejects_a_notice_without_its_id", func(t *testing.T) {
		c := notice(awLeadBy())
		c.ExternalNoticeID = ""
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrExternalNoticeIDRequired)
	})
	t.Run("refuses_without_a_time_limit_table", func(t *testing.T) {
		c := notice(awLeadBy())
		c.Limits = nil
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrTimeLimitsUnavailable)
	})
	t.Run("a_member_cannot_publish_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(notice(awMemberBy())).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(notice(awStrangerBy())).ThenError(procurement.ErrNotFound)
	})
}

func awCallOff(a actor.Actor, id, contract string) procurement.PlaceCallOff {
	return procurement.PlaceCallOff{CallOffID: id, ContractID: contract, Description: " 40 sensors for Fv 7 ", Value: "120000", By: a, At: tdAt(120, 9)}
}

func TestPlaceCallOff(t *testing.T) {
	active := awActive(t)
	placed := func(org, id, contract string) procurement.CallOffPlaced {
		return procurement.CallOffPlaced{CallOffID: id, ContractID: contract, Org: org, Description: "40 sensors for Fv 7", Value: "120000.00", PlacedAt: tdAt(120, 9)}
	}

	t.Run("a_buyer_calls_off_under_the_framework", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCallOff(awMemberBy(), "c1", "k1")).Then(placed(tdMember, "c1", "k1"))
	})
	t.Run("the_lead_calls_off_for_itself", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCallOff(awLeadBy(), "c1", "k1")).Then(placed(tdLead, "c1", "k1"))
	})
	t.Run("a_competitive_call_off_is_marked", func(t *testing.T) {
		c := awCallOff(awMemberBy(), "c1", "k1")
		c.Competitive = true
		want := placed(tdMember, "c1", "k1")
		want.Competitive = true
		estest.For(t, procurement.Decider).Given(active...).When(c).Then(want)
	})
	t.Run("placing_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, awCallOff(awMemberBy(), "c1", "k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awMemberBy(), "c1", "k1")).ThenNothing()
	})
	t.Run("another_call_off_under_the_same_id_is_refused", func(t *testing.T) {
		h := awRun(t, active, awCallOff(awMemberBy(), "c1", "k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awLeadBy(), "c1", "k1")).ThenError(procurement.ErrCallOffIDTaken)
	})
	t.Run("only_a_buyer_under_the_framework_calls_off", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"), awSign(awLeadBy(), "k-oslo", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awLeadBy(), "c1", "k-bergen")).ThenError(procurement.ErrNotBuyer)
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awMemberBy(), "c1", "k-bergen")).Then(placed(tdMember, "c1", "k-bergen"))
	})
	t.Run("the_hub_buys_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCallOff(awHubBy(), "c1", "k1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("a_contract_that_is_not_a_framework_has_no_call_offs", func(t *testing.T) {
		h := awContracting(t)
		sign := awSign(awLeadBy(), "k1", "a1")
		sign.Terms.Framework = false
		h = awRun(t, h, sign)
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awMemberBy(), "c1", "k1")).ThenError(procurement.ErrNotFramework)
	})
	t.Run("a_contract_not_yet_signed_is_not_found", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(awLeadBy(), "k1", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awLeadBy(), "c1", "k1")).ThenError(procurement.ErrContractNotFound)
		estest.For(t, procurement.Decider).Given(active...).When(awCallOff(awLeadBy(), "c1", "k9")).ThenError(procurement.ErrContractNotFound)
	})
	t.Run("a_closed_contract_takes_no_call_offs", func(t *testing.T) {
		h := awRun(t, active, awCloseContract("k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awMemberBy(), "c1", "k1")).ThenError(procurement.ErrContractClosed)
	})
	t.Run("rejects_an_invalid_call_off_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCallOff(awMemberBy(), "", "k1")).ThenError(procurement.ErrInvalidCallOffID)
	})
	t.Run("rejects_a_call_off_without_a_description", func(t *testing.T) {
		c := awCallOff(awMemberBy(), "c1", "k1")
		c.Description = "  "
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrDescriptionRequired)
	})
	t.Run("rejects_a_value_that_is_not_a_positive_amount", func(t *testing.T) {
		c := awCallOff(awMemberBy(), "c1", "k1")
		c.Value = "0"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidAmount)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCallOff(awStrangerBy(), "c1", "k1")).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_called_off_in_a_closed_case", func(t *testing.T) {
		h := tdThen(active, procurement.CaseClosed{ClosedAt: tdAt(400, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(awCallOff(awMemberBy(), "c1", "k1")).ThenError(procurement.ErrTerminal)
	})
}

// awCloseContract is the lead closing a contract complete on day 300.
func awCloseContract(id string) procurement.CloseContract {
	return procurement.CloseContract{ContractID: id, FinalStatus: procurement.FinalComplete, LessonsHash: awLessonsHash, By: awLeadBy(), At: awDay300()}
}

func awDay300() time.Time { return tdAt(300, 9) }
