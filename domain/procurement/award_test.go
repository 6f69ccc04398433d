package procurement_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Award and standstill (DOMAIN.md §1 P8, §2 transitions 15, 16, 19, §4.1,
// §4.3, §4.4): the award of a lot goes to its best-ranked tender; JOINT, the
// lead decides for every buyer under their decideAward mandates; PER_MEMBER
// (agreement award rule EACH_MEMBER), each buyer decides for itself. The lead
// notifies every tenderer at once with the standstill end computed and stored;
// the workflow clock ends the standstill once it is over.

func TestDecideAward(t *testing.T) {
	evaluated := awEvaluated(t)
	decided := awDecided(t)
	lead, member := awLeadBy(), awMemberBy()

	joint := procurement.AwardDecided{AwardID: "a1", Lot: awLot, BidID: "b1", Supplier: tdSupplier, Value: "750000.00",
		Mode: procurement.AwardJoint, DecidedBy: tdLead, For: []string{tdMember, tdLead}, Mandates: []string{awMandateID},
		DecisionDocHash: awDecisionHash, DecidedAt: tdAt(93, 9), PhaseAfter: procurement.PhaseAwardDecided}

	t.Run("the_lead_decides_the_joint_award_for_every_buyer_under_their_mandates", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(lead, "a1", "b1")).Then(joint)
	})
	t.Run("the_decision_hash_is_kept_in_lower_case_and_the_value_with_two_decimals", func(t *testing.T) {
		c := awDecide(lead, "a1", "b1")
		c.DecisionDocHash, c.Value = " "+strings.ToUpper(awDecisionHash)+" ", "750000.0"
		estest.For(t, procurement.Decider).Given(evaluated...).When(c).Then(joint)
	})
	t.Run("once_every_lot_is_decided_the_case_is_award_decided", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(lead, "a1", "b1")).
			ThenState(func(t testing.TB, s procurement.State) {
				phaseIs(procurement.PhaseAwardDecided)(t, s)
				if a := s.ActiveAwards(); len(a) != 1 || a[0].AwardID != "a1" {
					t.Fatalf("active awards %+v", a)
				}
			})
	})
	t.Run("deciding_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(decided...).When(awDecide(lead, "a1", "b1")).ThenNothing()
	})
	t.Run("the_same_award_id_for_another_decision_is_refused", func(t *testing.T) {
		c := awDecide(lead, "a1", "b1")
		c.Value = "800000"
		estest.For(t, procurement.Decider).Given(decided...).When(c).ThenError(procurement.ErrAwardIDTaken)
	})
	t.Run("a_second_award_of_a_decided_lot_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(decided...).When(awDecide(lead, "a2", "b1")).ThenError(procurement.ErrAlreadyDecided)
	})
	t.Run("awarding_without_a_decideAward_mandate_names_the_member", func(t *testing.T) {
		h := awEvaluatedFrom(t, tdThen(awTendering(), awMandate(procurement.ScopeSignContract, procurement.ScopeManageContract)))
		awRefused(t, h, awDecide(lead, "a1", "b1"), procurement.ErrMandateMissing, tdMember)
	})
	t.Run("an_expired_mandate_does_not_cover_the_award", func(t *testing.T) {
		expired := procurement.MandateGranted{MandateID: awMandateID, From: tdMember, To: tdLead, Scope: awAllScopes, ValidUntil: "2025-06-02"}
		h := awEvaluatedFrom(t, tdThen(awTendering(), expired))
		awRefused(t, h, awDecide(lead, "a1", "b1"), procurement.ErrMandateMissing, tdMember)
	})
	t.Run("a_revoked_mandate_does_not_cover_the_award", func(t *testing.T) {
		h := tdThen(evaluated, procurement.MandateRevoked{MandateID: awMandateID, From: tdMember, Reason: "new council"})
		awRefused(t, h, awDecide(lead, "a1", "b1"), procurement.ErrMandateMissing, tdMember)
	})
	t.Run("awarding_a_tender_that_is_not_best_ranked_is_refused", func(t *testing.T) {
		awRefused(t, evaluated, awDecide(lead, "a1", "b2"), procurement.ErrNotBestTender, "b1")
	})
	t.Run("awarding_a_tender_that_does_not_exist_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(lead, "a1", "b9")).ThenError(procurement.ErrNotBestTender)
	})
	t.Run("an_unknown_lot_is_refused", func(t *testing.T) {
		c := awDecide(lead, "a1", "b1")
		c.Lot = "lot-9"
		estest.For(t, procurement.Decider).Given(evaluated...).When(c).ThenError(procurement.ErrUnknownLot)
	})
	t.Run("a_lot_without_a_valid_tender_has_nothing_to_award", func(t *testing.T) {
		h := awEvaluatedFrom(t, tdThen(awTwoLots(awTendering()), awMandate(awAllScopes...)))
		c := awDecide(lead, "a2", "b1")
		c.Lot = "lot-2"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrNoValidTenders)
	})
	t.Run("a_lot_without_tenders_does_not_hold_the_award_back", func(t *testing.T) {
		h := awEvaluatedFrom(t, tdThen(awTwoLots(awTendering()), awMandate(awAllScopes...)))
		estest.For(t, procurement.Decider).Given(h...).When(awDecide(lead, "a1", "b1")).ThenState(phaseIs(procurement.PhaseAwardDecided))
	})
	t.Run("the_award_waits_for_the_finalised_report", func(t *testing.T) {
		h := awScored(t, tdThen(awTendering(), awMandate(awAllScopes...)))
		estest.For(t, procurement.Decider).Given(h...).When(awDecide(lead, "a1", "b1")).ThenError(procurement.ErrReportNotFinalized)
	})
	t.Run("nothing_is_awarded_before_the_evaluation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awTendering()...).When(awDecide(lead, "a1", "b1")).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("a_member_cannot_decide_a_joint_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(member, "a1", "b1")).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("the_hub_cannot_decide_a_joint_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(awHubBy(), "a1", "b1")).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(awStrangerBy(), "a1", "b1")).ThenError(procurement.ErrNotFound)
	})
	t.Run("rejects_an_invalid_award_id", func(t *testing.T) {
		for _, id := range []string{"", "a 1", strings.Repeat("a", 65)} {
			estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(lead, id, "b1")).ThenError(procurement.ErrInvalidAwardID)
		}
	})
	t.Run("rejects_a_decision_without_a_document_hash", func(t *testing.T) {
		for _, h := range []string{"", "abc", strings.Repeat("g", 64)} {
			c := awDecide(lead, "a1", "b1")
			c.DecisionDocHash = h
			estest.For(t, procurement.Decider).Given(evaluated...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
		}
	})
	t.Run("rejects_a_value_that_is_not_a_positive_amount", func(t *testing.T) {
		for _, v := range []string{"", "0", "-5", "12.345", "ten"} {
			c := awDecide(lead, "a1", "b1")
			c.Value = v
			estest.For(t, procurement.Decider).Given(evaluated...).When(c).ThenError(procurement.ErrInvalidAmount)
		}
	})
	t.Run("nothing_is_awarded_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(evaluated, cancelled())...).When(awDecide(lead, "a1", "b1")).ThenError(procurement.ErrCancelled)
	})
}

func TestDecideAwardPerMember(t *testing.T) {
	perMember := awAward(procurement.RuleEachMember)
	// No decideAward mandate: each buyer decides for itself.
	evaluated := awEvaluatedFrom(t, tdThen(awTendering(perMember), awMandate(procurement.ScopeSignContract)))
	bergen := procurement.AwardDecided{AwardID: "a-bergen", Lot: awLot, BidID: "b1", Supplier: tdSupplier, Value: "750000.00",
		Mode: procurement.AwardPerMember, DecidedBy: tdMember, For: []string{tdMember}, DecisionDocHash: awDecisionHash, DecidedAt: tdAt(93, 9)}
	bergenDecided := tdThen(evaluated, bergen)
	bergenAfter := bergen
	bergenAfter.PhaseAfter = procurement.PhaseEvaluation // oslo has still to decide

	t.Run("the_agreement_rule_each_member_makes_the_award_per_member", func(t *testing.T) {
		if m := awFold(t, evaluated).AwardMode(); m != procurement.AwardPerMember {
			t.Fatalf("award mode %s", m)
		}
		if m := awFold(t, awEvaluated(t)).AwardMode(); m != procurement.AwardJoint {
			t.Fatalf("award mode %s", m)
		}
	})
	t.Run("a_buyer_decides_its_own_award_without_a_mandate", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(awMemberBy(), "a-bergen", "b1")).Then(bergenAfter)
	})
	t.Run("the_case_stays_in_evaluation_while_a_buyer_has_not_decided", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(awMemberBy(), "a-bergen", "b1")).
			ThenState(phaseIs(procurement.PhaseEvaluation))
	})
	t.Run("the_lead_decides_for_itself_only", func(t *testing.T) {
		want := bergen
		want.AwardID, want.DecidedBy, want.For, want.PhaseAfter = "a-oslo", tdLead, []string{tdLead}, procurement.PhaseAwardDecided
		estest.For(t, procurement.Decider).Given(bergenDecided...).When(awDecide(awLeadBy(), "a-oslo", "b1")).Then(want)
	})
	t.Run("the_case_is_award_decided_when_every_buyer_has_decided", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(bergenDecided...).When(awDecide(awLeadBy(), "a-oslo", "b1")).
			ThenState(phaseIs(procurement.PhaseAwardDecided))
	})
	t.Run("a_buyer_deciding_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(bergenDecided...).When(awDecide(awMemberBy(), "a-bergen", "b1")).ThenNothing()
	})
	t.Run("a_buyer_cannot_decide_the_lot_twice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(bergenDecided...).When(awDecide(awMemberBy(), "a-bergen-2", "b1")).
			ThenError(procurement.ErrAlreadyDecided)
	})
	t.Run("another_buyer_cannot_reuse_an_award_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(bergenDecided...).When(awDecide(awLeadBy(), "a-bergen", "b1")).
			ThenError(procurement.ErrAwardIDTaken)
	})
	t.Run("each_buyer_still_awards_the_best_ranked_tender", func(t *testing.T) {
		awRefused(t, evaluated, awDecide(awMemberBy(), "a-bergen", "b2"), procurement.ErrNotBestTender, "b1")
	})
	t.Run("the_hub_buys_nothing_and_cannot_decide", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(awDecide(awHubBy(), "a-hub", "b1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("the_notification_waits_for_every_buyer_and_names_the_missing_one", func(t *testing.T) {
		awRefused(t, bergenDecided, awNotify(t), procurement.ErrAwardsOutstanding, "lot-1 for oslo")
	})
	t.Run("the_notification_lists_every_buyers_award", func(t *testing.T) {
		h := awRun(t, bergenDecided, awDecide(awLeadBy(), "a-oslo", "b1"))
		n := awDecideOn(t, h, awNotify(t))[0].(procurement.AwardNotificationSent)
		if !slices.Equal(n.Awards, []string{"a-bergen", "a-oslo"}) {
			t.Fatalf("awards %v", n.Awards)
		}
	})
}

// awTwoLots adds lot-2, which receives no tender, to a history's lots.
func awTwoLots(h []procurement.Event) []procurement.Event {
	out := slices.Clone(h)
	for i, e := range out {
		if _, ok := e.(procurement.LotsDefined); ok {
			out[i] = procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{
				{ID: awLot, Title: "Sensors", Members: []string{tdMember, tdLead}},
				{ID: "lot-2", Title: "Warning signs", Members: []string{tdMember, tdLead}},
			}}
		}
	}
	return out
}

func TestSendAwardNotification(t *testing.T) {
	decided := awDecided(t)
	lead := awLeadBy()
	sentAt := tdAt(96, 9)

	expected := func(t testing.TB, ch procurement.NotificationChannel, at time.Time) []procurement.Event {
		end, comp, err := timelimits.EarliestEnd(awStandstillRule(t, ch), at)
		if err != nil {
			t.Fatal(err)
		}
		return []procurement.Event{
			procurement.AwardNotificationSent{Recipients: []string{tdSupplier, tdOther}, Awards: []string{"a1"}, ReasonsHash: awReasonsHash,
				Channel: ch, SentAt: at, StandstillEnd: end.UTC()},
			procurement.StandstillStarted{EndsAt: end.UTC(), Computation: comp, PhaseAfter: procurement.PhaseStandstill},
		}
	}

	t.Run("the_lead_notifies_every_tenderer_at_once_and_the_standstill_starts", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(decided...).When(awNotify(t)).Then(expected(t, procurement.NotificationElectronic, sentAt)...)
	})
	t.Run("the_standstill_end_is_stored_ten_days_for_an_electronic_notice_in_norway", func(t *testing.T) {
		events := awDecideOn(t, decided, awNotify(t))
		st := events[1].(procurement.StandstillStarted)
		c := st.Computation
		if !st.EndsAt.Equal(awStandstillEnd(t)) || events[0].(procurement.AwardNotificationSent).StandstillEnd != st.EndsAt {
			t.Fatalf("ends at %s, want %s", st.EndsAt, awStandstillEnd(t))
		}
		if !c.HasLimit || c.Days != 10 || c.SentDate != "2025-06-06" || c.LastDay != "2025-06-16" || c.EndDate != "2025-06-16" ||
			c.TimeZone != "Europe/Oslo" || len(c.Skipped) != 0 || !c.SentAt.Equal(sentAt) {
			t.Fatalf("computation %+v", c)
		}
	})
	t.Run("the_case_is_in_standstill_with_the_notification_kept", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(decided...).When(awNotify(t)).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseStandstill)(t, s)
			if s.Award.Notification == nil || s.Award.Standstill == nil || !s.Award.Standstill.EndsAt.Equal(awStandstillEnd(t)) {
				t.Fatalf("award %+v", s.Award)
			}
		})
	})
	t.Run("a_notice_sent_otherwise_than_electronically_also_waits_ten_days_in_norway", func(t *testing.T) {
		c := awNotifyAt(t, procurement.NotificationOther, sentAt)
		estest.For(t, procurement.Decider).Given(decided...).When(c).Then(expected(t, procurement.NotificationOther, sentAt)...)
		st := awDecideOn(t, decided, c)[1].(procurement.StandstillStarted)
		if st.Computation.Days != 10 || !st.EndsAt.Equal(awStandstillEnd(t)) {
			t.Fatalf("standstill %+v", st)
		}
	})
	t.Run("a_standstill_ending_on_a_weekend_rolls_forward_to_the_next_working_day", func(t *testing.T) {
		st := awDecideOn(t, decided, awNotifyAt(t, procurement.NotificationElectronic, tdAt(94, 9)))[1].(procurement.StandstillStarted)
		c := st.Computation
		if c.SentDate != "2025-06-04" || c.LastDay != "2025-06-14" || c.EndDate != "2025-06-16" || len(c.Skipped) != 2 ||
			c.Skipped[0].Date != "2025-06-14" || c.Skipped[1].Date != "2025-06-15" || !st.EndsAt.Equal(awStandstillEnd(t)) {
			t.Fatalf("standstill %+v", st)
		}
	})
	t.Run("why_explains_the_end_with_the_dates", func(t *testing.T) {
		why := awDecideOn(t, decided, awNotify(t))[1].(procurement.StandstillStarted).Why()
		for _, w := range []string{"10 calendar days", "2025-06-06", "day 10 is 2025-06-16", "midnight at the end of 2025-06-16 Europe/Oslo"} {
			if !strings.Contains(why, w) {
				t.Fatalf("%q does not say %q", why, w)
			}
		}
	})
	t.Run("why_names_the_days_skipped", func(t *testing.T) {
		why := awDecideOn(t, decided, awNotifyAt(t, procurement.NotificationElectronic, tdAt(94, 9)))[1].(procurement.StandstillStarted).Why()
		for _, w := range []string{"2025-06-04", "day 10 is 2025-06-14", "2025-06-14 is not a working day", "2025-06-15 is not a working day",
			"next working day 2025-06-16"} {
			if !strings.Contains(why, w) {
				t.Fatalf("%q does not say %q", why, w)
			}
		}
	})
	t.Run("why_says_when_there_is_no_fixed_standstill", func(t *testing.T) {
		why := procurement.StandstillStarted{Computation: timelimits.Computation{Name: "NO national", Rule: "NO/NATIONAL/ANY/STANDSTILL"}}.Why()
		if !strings.Contains(why, "no fixed standstill") {
			t.Fatalf("%q", why)
		}
	})
	t.Run("rejected_tenderers_are_notified_too", func(t *testing.T) {
		h := awRun(t, awScored(t, tdThen(awTendering(), awMandate(awAllScopes...))),
			procurement.RejectBid{BidID: "b2", Grounds: "misses the minimum requirement r1", LegalBasis: "FOA § 24-8", By: lead, At: tdAt(91, 16)},
			awFinalize(), awDecide(lead, "a1", "b1"))
		n := awDecideOn(t, h, awNotify(t))[0].(procurement.AwardNotificationSent)
		if !slices.Equal(n.Recipients, []string{tdSupplier, tdOther}) {
			t.Fatalf("recipients %v", n.Recipients)
		}
	})
	t.Run("notifying_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(awNotifyAt(t, procurement.NotificationElectronic, tdAt(97, 9))).ThenNothing()
	})
	t.Run("a_different_notification_during_the_standstill_is_refused", func(t *testing.T) {
		c := awNotify(t)
		c.ReasonsHash = tdHashOf("other reasons")
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(c).ThenError(procurement.ErrNotAwardPhase)
	})
	t.Run("the_notification_waits_for_the_award", func(t *testing.T) {
		awRefused(t, awEvaluated(t), awNotify(t), procurement.ErrAwardsOutstanding, "lot lot-1")
	})
	t.Run("the_notification_belongs_to_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awTendering()...).When(awNotify(t)).ThenError(procurement.ErrNotAwardPhase)
	})
	t.Run("rejects_an_unknown_channel", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(decided...).When(awNotifyAt(t, "FAX", sentAt)).ThenError(procurement.ErrInvalidNotificationChannel)
	})
	t.Run("rejects_reasons_without_a_hash", func(t *testing.T) {
		c := awNotify(t)
		c.ReasonsHash = "reasons"
		estest.For(t, procurement.Decider).Given(decided...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("refuses_without_a_time_limit_table", func(t *testing.T) {
		c := awNotify(t)
		c.Limits = nil
		estest.For(t, procurement.Decider).Given(decided...).When(c).ThenError(procurement.ErrTimeLimitsUnavailable)
	})
	t.Run("a_member_cannot_notify", func(t *testing.T) {
		c := awNotify(t)
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(decided...).When(c).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awNotify(t)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(decided...).When(c).ThenError(procurement.ErrNotFound)
	})
}

func TestEndStandstill(t *testing.T) {
	standstill := awStandstill(t)
	end := awStandstillEnd(t)

	t.Run("the_clock_ends_the_standstill_once_it_is_over", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awEnd(end.Add(time.Nanosecond))).
			Then(procurement.StandstillEnded{EndedAt: end.Add(time.Nanosecond)})
	})
	t.Run("after_the_standstill_the_case_is_contracting", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awEnd(tdAt(108, 0))).ThenState(phaseIs(procurement.PhaseContracting))
	})
	t.Run("ending_it_before_its_end_is_refused", func(t *testing.T) {
		awRefused(t, standstill, awEnd(tdAt(100, 9)), procurement.ErrStandstillRunning, "2025-06-16T21:59:59Z")
	})
	t.Run("ending_it_at_its_last_instant_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(standstill...).When(awEnd(end)).ThenError(procurement.ErrStandstillRunning)
	})
	t.Run("the_clock_ticking_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awContracting(t)...).When(awEnd(tdAt(109, 0))).ThenNothing()
	})
	t.Run("with_no_standstill_there_is_nothing_to_end", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awEvaluated(t)...).When(awEnd(tdAt(109, 0))).ThenNothing()
	})
	t.Run("a_suspension_holds_the_standstill", func(t *testing.T) {
		h := awRun(t, standstill, awComplaint("k-1", true))
		estest.For(t, procurement.Decider).Given(h...).When(awEnd(tdAt(108, 0))).ThenError(procurement.ErrContractingSuspended)
	})
	t.Run("only_the_workflow_clock_ends_it", func(t *testing.T) {
		for _, a := range []procurement.EndStandstill{{By: awLeadBy(), At: tdAt(108, 0)}, {By: awHubBy(), At: tdAt(108, 0)}} {
			estest.For(t, procurement.Decider).Given(standstill...).When(a).ThenError(procurement.ErrSystemOnly)
		}
	})
	t.Run("nothing_ends_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(standstill, cancelled())...).When(awEnd(tdAt(108, 0))).ThenError(procurement.ErrCancelled)
	})
}

func TestRevokeAward(t *testing.T) {
	lead := awLeadBy()
	revoke := func(a actor.Actor, id string) procurement.RevokeAward {
		return procurement.RevokeAward{AwardID: id, Reason: " an error in the price scores ", By: a, At: tdAt(99, 9)}
	}

	t.Run("the_lead_revokes_its_award_during_the_standstill", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(revoke(lead, "a1")).
			Then(procurement.AwardRevoked{AwardID: "a1", Reason: "an error in the price scores", RevokedAt: tdAt(99, 9)})
	})
	t.Run("a_revoked_award_takes_the_notification_and_standstill_with_it_and_the_case_back_to_evaluation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(revoke(lead, "a1")).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseEvaluation)(t, s)
			if len(s.ActiveAwards()) != 0 || s.Award.Notification != nil || s.Award.Standstill != nil || s.Evaluation.Report == nil {
				t.Fatalf("award %+v", s.Award)
			}
		})
	})
	t.Run("after_a_revocation_the_lead_decides_and_notifies_anew", func(t *testing.T) {
		h := awRun(t, awStandstill(t), revoke(lead, "a1"), awDecide(lead, "a2", "b1"), awNotifyAt(t, procurement.NotificationElectronic, tdAt(100, 9)))
		awPhase(t, h, procurement.PhaseStandstill)
		if n := awFold(t, h).Award.Notification; !slices.Equal(n.Awards, []string{"a2"}) {
			t.Fatalf("notification %+v", n)
		}
	})
	t.Run("revoking_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, awStandstill(t), revoke(lead, "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(revoke(lead, "a1")).ThenNothing()
	})
	t.Run("a_per_member_award_is_revoked_by_its_buyer_alone", func(t *testing.T) {
		h := awRun(t, awEvaluatedFrom(t, awTendering(awAward(procurement.RuleEachMember))),
			awDecide(awMemberBy(), "a-bergen", "b1"), awDecide(lead, "a-oslo", "b1"))
		awRefused(t, h, revoke(lead, "a-bergen"), procurement.ErrAwardNotFound, tdMember)
		estest.For(t, procurement.Decider).Given(h...).When(revoke(awMemberBy(), "a-bergen")).ThenState(func(t testing.TB, s procurement.State) {
			phaseIs(procurement.PhaseEvaluation)(t, s)
			if a := s.ActiveAwards(); len(a) != 1 || a[0].AwardID != "a-oslo" {
				t.Fatalf("active %+v", a)
			}
		})
	})
	t.Run("an_award_under_a_signed_contract_cannot_be_revoked", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(revoke(lead, "a1")).ThenError(procurement.ErrContractSigned)
	})
	t.Run("an_unknown_award_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(revoke(lead, "a9")).ThenError(procurement.ErrAwardNotFound)
	})
	t.Run("a_member_cannot_revoke_the_leads_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(revoke(awMemberBy(), "a1")).ThenError(procurement.ErrAwardNotFound)
	})
	t.Run("the_id_of_a_revoked_award_is_not_silently_reused", func(t *testing.T) {
		h := awRun(t, awStandstill(t), revoke(lead, "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awDecide(lead, "a1", "b1")).ThenError(procurement.ErrAwardIDTaken)
	})
	t.Run("a_revocation_needs_a_reason", func(t *testing.T) {
		c := revoke(lead, "a1")
		c.Reason = "  "
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(c).ThenError(procurement.ErrReasonRequired)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awStandstill(t)...).When(revoke(awStrangerBy(), "a9")).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_revoked_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(awStandstill(t), cancelled())...).When(revoke(lead, "a1")).ThenError(procurement.ErrCancelled)
	})
}
