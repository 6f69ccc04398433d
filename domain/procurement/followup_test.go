package procurement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// Follow-up (DOMAIN.md §1 P10–P11, §2 transitions 21 and 24): milestones and
// deviations under a signed contract; in an innovation partnership the gate
// at the end of each phase, in order, against its targets, under the members'
// manageContract mandates; payments and effects per member; the contracts
// close (FOLLOW_UP once every one is closed), then the case, once every buyer
// has reported its effects.

// awOn is 09:00 UTC on a date, 11:00 in Oslo in summer.
func awOn(date string) time.Time {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return d.Add(9 * time.Hour)
}

func awMilestone(id, contract string, st procurement.MilestoneStatus) procurement.RecordMilestone {
	return procurement.RecordMilestone{MilestoneID: id, ContractID: contract, Title: " First sensors installed ", Status: st,
		Note: "on Fv 7", By: awLeadBy(), At: tdAt(150, 9)}
}

func TestRecordMilestone(t *testing.T) {
	active := awActive(t)
	recorded := func(st procurement.MilestoneStatus) procurement.MilestoneRecorded {
		return procurement.MilestoneRecorded{MilestoneID: "m1", ContractID: "k1", Title: "First sensors installed", Status: st, Note: "on Fv 7",
			RecordedAt: tdAt(150, 9)}
	}

	t.Run("the_lead_records_how_a_milestone_went", func(t *testing.T) {
		for _, st := range []procurement.MilestoneStatus{procurement.MilestoneMet, procurement.MilestonePartiallyMet, procurement.MilestoneNotMet} {
			estest.For(t, procurement.Decider).Given(active...).When(awMilestone("m1", "k1", st)).Then(recorded(st))
		}
	})
	t.Run("recording_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, awMilestone("m1", "k1", procurement.MilestonePartiallyMet))
		estest.For(t, procurement.Decider).Given(h...).When(awMilestone("m1", "k1", procurement.MilestonePartiallyMet)).ThenNothing()
	})
	t.Run("a_milestone_is_recorded_again_when_its_status_changes", func(t *testing.T) {
		h := awRun(t, active, awMilestone("m1", "k1", procurement.MilestonePartiallyMet))
		estest.For(t, procurement.Decider).Given(h...).When(awMilestone("m1", "k1", procurement.MilestoneMet)).Then(recorded(procurement.MilestoneMet))
	})
	t.Run("a_milestone_id_of_another_contract_is_refused", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"), awSign(awLeadBy(), "k-oslo", "a1"),
			awMilestone("m1", "k-bergen", procurement.MilestoneMet))
		estest.For(t, procurement.Decider).Given(h...).When(awMilestone("m1", "k-oslo", procurement.MilestoneMet)).ThenError(procurement.ErrMilestoneIDTaken)
	})
	t.Run("an_unknown_or_unsigned_contract_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awMilestone("m1", "k9", procurement.MilestoneMet)).ThenError(procurement.ErrContractNotFound)
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(awLeadBy(), "k1", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awMilestone("m1", "k1", procurement.MilestoneMet)).ThenError(procurement.ErrContractNotFound)
	})
	t.Run("a_closed_contract_is_refused", func(t *testing.T) {
		h := awRun(t, active, awCloseContract("k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awMilestone("m1", "k1", procurement.MilestoneMet)).ThenError(procurement.ErrContractClosed)
	})
	t.Run("rejects_an_invalid_milestone_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awMilestone("m/1", "k1", procurement.MilestoneMet)).ThenError(procurement.ErrInvalidMilestoneID)
	})
	t.Run("rejects_a_milestone_without_a_title_or_with_a_note_too_long", func(t *testing.T) {
		c := awMilestone("m1", "k1", procurement.MilestoneMet)
		c.Title = ""
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrDescriptionRequired)
		c = awMilestone("m1", "k1", procurement.MilestoneMet)
		c.Note = runes(20001)
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrDescriptionRequired)
	})
	t.Run("rejects_an_unknown_status", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awMilestone("m1", "k1", "LATE")).ThenError(procurement.ErrInvalidMilestoneStatus)
	})
	t.Run("a_member_cannot_record_a_milestone", func(t *testing.T) {
		c := awMilestone("m1", "k1", procurement.MilestoneMet)
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awMilestone("m1", "k1", procurement.MilestoneMet)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrNotFound)
	})
}

func awDeviation(a actor.Actor, id string) procurement.RecordDeviation {
	return procurement.RecordDeviation{DeviationID: id, ContractID: "k1", Severity: procurement.SeverityMedium, Description: " two sensors failed in frost ",
		By: a, At: tdAt(160, 9)}
}

func TestRecordDeviation(t *testing.T) {
	active := awActive(t)
	recorded := func(org string) procurement.ContractDeviationRecorded {
		return procurement.ContractDeviationRecorded{DeviationID: "d1", ContractID: "k1", Severity: procurement.SeverityMedium,
			Description: "two sensors failed in frost", RecordedBy: org, RecordedAt: tdAt(160, 9)}
	}

	t.Run("the_lead_records_a_deviation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awDeviation(awLeadBy(), "d1")).Then(recorded(tdLead))
	})
	t.Run("a_buyer_under_the_contract_records_a_deviation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awDeviation(awMemberBy(), "d1")).Then(recorded(tdMember))
	})
	t.Run("recording_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, awDeviation(awMemberBy(), "d1"))
		estest.For(t, procurement.Decider).Given(h...).When(awDeviation(awMemberBy(), "d1")).ThenNothing()
	})
	t.Run("another_deviation_under_the_same_id_is_refused", func(t *testing.T) {
		h := awRun(t, active, awDeviation(awMemberBy(), "d1"))
		estest.For(t, procurement.Decider).Given(h...).When(awDeviation(awLeadBy(), "d1")).ThenError(procurement.ErrDeviationIDTaken)
	})
	t.Run("a_member_not_under_the_contract_cannot_record_one", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"), awSign(awLeadBy(), "k-oslo", "a1"))
		c := awDeviation(awMemberBy(), "d1")
		c.ContractID = "k-oslo"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("the_hub_cannot_record_one", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awDeviation(awHubBy(), "d1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("an_unknown_contract_is_not_found", func(t *testing.T) {
		c := awDeviation(awLeadBy(), "d1")
		c.ContractID = "k9"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrContractNotFound)
	})
	t.Run("rejects_an_invalid_deviation_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awDeviation(awLeadBy(), "")).ThenError(procurement.ErrInvalidDeviationID)
	})
	t.Run("rejects_an_unknown_severity", func(t *testing.T) {
		c := awDeviation(awLeadBy(), "d1")
		c.Severity = "CRITICAL"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidSeverity)
	})
	t.Run("rejects_a_deviation_without_a_description", func(t *testing.T) {
		c := awDeviation(awLeadBy(), "d1")
		c.Description = " "
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrDescriptionRequired)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awDeviation(awStrangerBy(), "d1")).ThenError(procurement.ErrNotFound)
	})
}

func awGate(phase string, d procurement.GateDecision, at time.Time, met ...string) procurement.CompletePhase {
	c := procurement.CompletePhase{PhaseID: phase, TargetsMet: met, AssessmentHash: awAssessmentHash, Decision: d, By: awLeadBy(), At: at}
	if d == procurement.GateTerminate {
		c.Reason = "the prototype missed its targets"
	}
	return c
}

func TestCompletePhase(t *testing.T) {
	active := awPartnershipActive(t)
	p1Targets := []string{"detects a slide", "warns within 30 s"}
	p1Done := awOn("2025-09-30")
	continued := procurement.PartnershipPhaseCompleted{PhaseID: "p1", TargetsMet: p1Targets, AssessmentHash: awAssessmentHash,
		Decision: procurement.GateContinue, Mandates: []string{awMandateID}, DecidedAt: p1Done}
	afterP1 := awRun(t, active, awGate("p1", procurement.GateContinue, p1Done, p1Targets...))

	t.Run("the_lead_continues_the_partnership_at_the_end_of_a_phase_with_every_target_met", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awGate("p1", procurement.GateContinue, p1Done, "warns within 30 s", "detects a slide", "detects a slide")).
			Then(continued)
	})
	t.Run("a_phase_gate_decision_before_the_phase_ends_is_refused", func(t *testing.T) {
		awRefused(t, active, awGate("p1", procurement.GateContinue, awOn("2025-09-29"), p1Targets...), procurement.ErrPhaseNotEnded, "2025-09-30")
	})
	t.Run("the_phase_ends_by_the_local_date", func(t *testing.T) {
		// 22:30 UTC on 29 September is already 30 September in Oslo.
		at := time.Date(2025, 9, 29, 22, 30, 0, 0, time.UTC)
		want := continued
		want.DecidedAt = at
		estest.For(t, procurement.Decider).Given(active...).When(awGate("p1", procurement.GateContinue, at, p1Targets...)).Then(want)
	})
	t.Run("continue_with_a_target_missed_is_refused", func(t *testing.T) {
		awRefused(t, active, awGate("p1", procurement.GateContinue, p1Done, "detects a slide"), procurement.ErrTargetsNotMet, "warns within 30 s")
	})
	t.Run("terminate_with_a_target_missed_ends_the_partnership", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awGate("p1", procurement.GateTerminate, p1Done, "detects a slide")).
			Then(procurement.PartnershipPhaseCompleted{PhaseID: "p1", TargetsMet: []string{"detects a slide"}, TargetsMissed: []string{"warns within 30 s"},
				AssessmentHash: awAssessmentHash, Decision: procurement.GateTerminate, Mandates: []string{awMandateID}, DecidedAt: p1Done},
				procurement.PartnershipTerminated{PhaseID: "p1", Reason: "the prototype missed its targets", TerminatedAt: p1Done})
	})
	t.Run("gates_are_decided_in_the_order_of_the_phases", func(t *testing.T) {
		awRefused(t, active, awGate("p2", procurement.GateContinue, awOn("2026-03-31"), "one winter without a miss"), procurement.ErrPhaseOrder, "p1")
	})
	t.Run("the_next_gate_follows", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(afterP1...).When(awGate("p2", procurement.GateContinue, awOn("2026-03-31"), "one winter without a miss")).
			Then(procurement.PartnershipPhaseCompleted{PhaseID: "p2", TargetsMet: []string{"one winter without a miss"}, AssessmentHash: awAssessmentHash,
				Decision: procurement.GateContinue, Mandates: []string{awMandateID}, DecidedAt: awOn("2026-03-31")})
	})
	t.Run("deciding_a_gate_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(afterP1...).When(awGate("p1", procurement.GateContinue, p1Done, p1Targets...)).ThenNothing()
	})
	t.Run("a_decided_gate_cannot_be_decided_otherwise", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(afterP1...).When(awGate("p1", procurement.GateTerminate, p1Done)).ThenError(procurement.ErrGateDecided)
	})
	t.Run("after_the_last_gate_there_is_nothing_to_decide", func(t *testing.T) {
		h := awRun(t, afterP1, awGate("p2", procurement.GateContinue, awOn("2026-03-31"), "one winter without a miss"))
		estest.For(t, procurement.Decider).Given(h...).When(awGate("p3", procurement.GateContinue, awOn("2026-09-30"))).ThenError(procurement.ErrGateDecided)
	})
	t.Run("a_terminated_partnership_has_no_further_gate", func(t *testing.T) {
		h := awRun(t, active, awGate("p1", procurement.GateTerminate, p1Done))
		estest.For(t, procurement.Decider).Given(h...).When(awGate("p2", procurement.GateContinue, awOn("2026-03-31"), "one winter without a miss")).
			ThenError(procurement.ErrPartnershipTerminated)
	})
	t.Run("an_unknown_target_is_refused", func(t *testing.T) {
		awRefused(t, active, awGate("p1", procurement.GateContinue, p1Done, "detects a slide", "warns within 30 s", "looks nice"), procurement.ErrUnknownTarget, "looks nice")
	})
	t.Run("without_a_manageContract_mandate_the_lead_cannot_decide_for_the_members", func(t *testing.T) {
		h := awActiveFrom(t, awEvaluatedFrom(t, tdThen(awPartnership(awTendering()), awMandate(procurement.ScopeDecideAward, procurement.ScopeSignContract))))
		awRefused(t, h, awGate("p1", procurement.GateContinue, p1Done, p1Targets...), procurement.ErrMandateMissing, tdMember)
	})
	t.Run("an_open_procedure_has_no_phase_gates", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awActive(t)...).When(awGate("p1", procurement.GateContinue, p1Done, p1Targets...)).
			ThenError(procurement.ErrNotPartnership)
	})
	t.Run("gates_are_decided_while_the_contract_is_active", func(t *testing.T) {
		h := awEvaluatedFrom(t, tdThen(awPartnership(awTendering()), awMandate(awAllScopes...)))
		estest.For(t, procurement.Decider).Given(h...).When(awGate("p1", procurement.GateContinue, p1Done, p1Targets...)).ThenError(procurement.ErrNotFollowUpPhase)
	})
	t.Run("rejects_an_assessment_without_a_hash", func(t *testing.T) {
		c := awGate("p1", procurement.GateContinue, p1Done, p1Targets...)
		c.AssessmentHash = ""
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("rejects_an_unknown_decision", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awGate("p1", "PAUSE", p1Done, p1Targets...)).ThenError(procurement.ErrInvalidGateDecision)
	})
	t.Run("a_termination_needs_a_reason", func(t *testing.T) {
		c := awGate("p1", procurement.GateTerminate, p1Done)
		c.Reason = ""
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrReasonRequired)
	})
	t.Run("a_member_cannot_decide_the_gate", func(t *testing.T) {
		c := awGate("p1", procurement.GateContinue, p1Done, p1Targets...)
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awGate("p1", procurement.GateContinue, p1Done, p1Targets...)
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrNotFound)
	})
}

func awPayment(a actor.Actor, id string) procurement.RecordPayment {
	return procurement.RecordPayment{PaymentID: id, ContractID: "k1", Amount: "60000.5", PaidOn: "2025-08-15", By: a, At: tdAt(170, 9)}
}

func TestRecordPayment(t *testing.T) {
	active := awActive(t)
	paid := func(org string) procurement.PaymentRecorded {
		return procurement.PaymentRecorded{PaymentID: "pay-1", ContractID: "k1", Org: org, Amount: "60000.50", PaidOn: "2025-08-15"}
	}

	t.Run("a_buyer_records_its_payment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awPayment(awMemberBy(), "pay-1")).Then(paid(tdMember))
	})
	t.Run("the_lead_records_its_own_payment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awPayment(awLeadBy(), "pay-1")).Then(paid(tdLead))
	})
	t.Run("a_payment_made_today_is_accepted", func(t *testing.T) {
		c := awPayment(awMemberBy(), "pay-1")
		c.PaidOn = tdAt(170, 9).Format(time.DateOnly)
		want := paid(tdMember)
		want.PaidOn = c.PaidOn
		estest.For(t, procurement.Decider).Given(active...).When(c).Then(want)
	})
	t.Run("recording_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, awPayment(awMemberBy(), "pay-1"))
		estest.For(t, procurement.Decider).Given(h...).When(awPayment(awMemberBy(), "pay-1")).ThenNothing()
	})
	t.Run("another_payment_under_the_same_id_is_refused", func(t *testing.T) {
		h := awRun(t, active, awPayment(awMemberBy(), "pay-1"))
		estest.For(t, procurement.Decider).Given(h...).When(awPayment(awLeadBy(), "pay-1")).ThenError(procurement.ErrPaymentIDTaken)
	})
	t.Run("a_payment_in_the_future_is_refused", func(t *testing.T) {
		c := awPayment(awMemberBy(), "pay-1")
		c.PaidOn = "2025-12-24"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidPeriod)
	})
	t.Run("rejects_a_date_that_is_not_a_date", func(t *testing.T) {
		c := awPayment(awMemberBy(), "pay-1")
		c.PaidOn = "15.08.2025"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidPeriod)
	})
	t.Run("rejects_an_amount_that_is_not_positive", func(t *testing.T) {
		for _, v := range []string{"0", "-10", "x"} {
			c := awPayment(awMemberBy(), "pay-1")
			c.Amount = v
			estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidAmount)
		}
	})
	t.Run("rejects_an_invalid_payment_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awPayment(awMemberBy(), "pay 1")).ThenError(procurement.ErrInvalidPaymentID)
	})
	t.Run("the_hub_pays_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awPayment(awHubBy(), "pay-1")).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("a_member_not_under_the_contract_cannot_record_a_payment_under_it", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"), awSign(awLeadBy(), "k-oslo", "a1"))
		c := awPayment(awMemberBy(), "pay-1")
		c.ContractID = "k-oslo"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrNotBuyer)
	})
	t.Run("an_unknown_contract_is_not_found", func(t *testing.T) {
		c := awPayment(awMemberBy(), "pay-1")
		c.ContractID = "k9"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrContractNotFound)
	})
	t.Run("a_closed_contract_takes_no_payments", func(t *testing.T) {
		h := awRun(t, active, awCloseContract("k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awPayment(awMemberBy(), "pay-1")).ThenError(procurement.ErrContractClosed)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awPayment(awStrangerBy(), "pay-1")).ThenError(procurement.ErrNotFound)
	})
}

func awEffect(a actor.Actor, id string) procurement.RecordEffect {
	return procurement.RecordEffect{MeasurementID: id, KPI: " road closures ", Unit: "hours", Baseline: "120.50", Value: "40", PeriodFrom: "2025-11-01",
		PeriodTo: "2026-04-30", Method: "the road authority's closure log", By: a, At: tdAt(430, 9)}
}

func awMeasured(org, id string) procurement.EffectMeasured {
	return procurement.EffectMeasured{MeasurementID: id, Org: org, KPI: "road closures", Unit: "hours", Baseline: "120.5", Value: "40",
		PeriodFrom: "2025-11-01", PeriodTo: "2026-04-30", Method: "the road authority's closure log"}
}

func TestRecordEffect(t *testing.T) {
	active := awActive(t)

	t.Run("a_member_reports_a_kpi_against_its_baseline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awEffect(awMemberBy(), "e1")).Then(awMeasured(tdMember, "e1"))
	})
	t.Run("effects_are_reported_in_follow_up_too", func(t *testing.T) {
		h := awRun(t, active, awCloseContract("k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awEffect(awLeadBy(), "e1")).Then(awMeasured(tdLead, "e1"))
	})
	t.Run("decimals_keep_four_places_and_negative_values", func(t *testing.T) {
		c := awEffect(awMemberBy(), "e1")
		c.Baseline, c.Value = "-1.2345", "0.1000"
		want := awMeasured(tdMember, "e1")
		want.Baseline, want.Value = "-1.2345", "0.1"
		estest.For(t, procurement.Decider).Given(active...).When(c).Then(want)
	})
	t.Run("recording_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, awEffect(awMemberBy(), "e1"))
		estest.For(t, procurement.Decider).Given(h...).When(awEffect(awMemberBy(), "e1")).ThenNothing()
	})
	t.Run("another_measurement_under_the_same_id_is_refused", func(t *testing.T) {
		h := awRun(t, active, awEffect(awMemberBy(), "e1"))
		estest.For(t, procurement.Decider).Given(h...).When(awEffect(awLeadBy(), "e1")).ThenError(procurement.ErrMeasurementIDTaken)
	})
	t.Run("effects_are_measured_once_a_contract_runs", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(awContracting(t)...).When(awEffect(awMemberBy(), "e1")).ThenError(procurement.ErrNotFollowUpPhase)
	})
	t.Run("rejects_a_decimal_with_more_than_four_places_or_not_a_number", func(t *testing.T) {
		for _, v := range []string{"1.23456", "ten", "", "1e3", "+5"} {
			c := awEffect(awMemberBy(), "e1")
			c.Value = v
			estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidDecimal)
		}
	})
	t.Run("rejects_a_measurement_without_kpi_unit_or_method", func(t *testing.T) {
		for _, change := range []func(*procurement.RecordEffect){
			func(c *procurement.RecordEffect) { c.KPI = "" },
			func(c *procurement.RecordEffect) { c.Unit = strings.Repeat("u", 51) },
			func(c *procurement.RecordEffect) { c.Method = " " },
		} {
			c := awEffect(awMemberBy(), "e1")
			change(&c)
			estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrKPIRequired)
		}
	})
	t.Run("rejects_a_period_ending_before_it_starts", func(t *testing.T) {
		c := awEffect(awMemberBy(), "e1")
		c.PeriodTo = "2025-10-31"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidPeriod)
	})
	t.Run("rejects_an_invalid_measurement_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awEffect(awMemberBy(), "")).ThenError(procurement.ErrInvalidMeasurementID)
	})
	t.Run("the_hub_is_not_a_member_and_measures_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awEffect(awHubBy(), "e1")).ThenError(procurement.ErrNotMember)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awEffect(awStrangerBy(), "e1")).ThenError(procurement.ErrNotFound)
	})
}

func TestCloseContract(t *testing.T) {
	active := awActive(t)
	closed := procurement.ContractClosed{ContractID: "k1", FinalStatus: procurement.FinalComplete, LessonsHash: awLessonsHash, ClosedAt: awDay300(),
		PhaseAfter: procurement.PhaseFollowUp}

	t.Run("the_lead_closes_a_contract", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCloseContract("k1")).Then(closed)
	})
	t.Run("with_every_contract_closed_the_case_is_in_follow_up", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCloseContract("k1")).ThenState(phaseIs(procurement.PhaseFollowUp))
	})
	t.Run("the_lessons_learned_are_optional", func(t *testing.T) {
		c := awCloseContract("k1")
		c.LessonsHash, c.FinalStatus = "", procurement.FinalIncomplete
		estest.For(t, procurement.Decider).Given(active...).When(c).
			Then(procurement.ContractClosed{ContractID: "k1", FinalStatus: procurement.FinalIncomplete, ClosedAt: awDay300(), PhaseAfter: procurement.PhaseFollowUp})
	})
	t.Run("the_case_stays_contract_active_while_another_contract_runs", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"), awSign(awLeadBy(), "k-oslo", "a1"))
		h = awRun(t, h, awCloseContract("k-bergen"))
		awPhase(t, h, procurement.PhaseContractActive)
		estest.For(t, procurement.Decider).Given(h...).When(awCloseContract("k-oslo")).ThenState(phaseIs(procurement.PhaseFollowUp))
	})
	t.Run("closing_the_only_signed_contract_while_a_buyer_has_yet_to_sign_does_not_skip_to_follow_up", func(t *testing.T) {
		h := awRun(t, awContracting(t, awSigning(procurement.SigningEachSigns)), awSign(awMemberBy(), "k-bergen", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCloseContract("k-bergen")).ThenState(func(t testing.TB, s procurement.State) {
			if s.Phase == procurement.PhaseFollowUp {
				t.Fatalf("phase %s while oslo has no contract", s.Phase)
			}
		})
	})
	t.Run("closing_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, active, awCloseContract("k1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCloseContract("k1")).ThenNothing()
	})
	t.Run("closing_it_otherwise_is_refused", func(t *testing.T) {
		h := awRun(t, active, awCloseContract("k1"))
		c := awCloseContract("k1")
		c.FinalStatus = procurement.FinalIncomplete
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrContractClosed)
	})
	t.Run("an_unknown_or_unsigned_contract_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(active...).When(awCloseContract("k9")).ThenError(procurement.ErrContractNotFound)
		h := awRun(t, awContracting(t, awSigning(procurement.SigningMulti)), awSign(awLeadBy(), "k1", "a1"))
		estest.For(t, procurement.Decider).Given(h...).When(awCloseContract("k1")).ThenError(procurement.ErrContractNotFound)
	})
	t.Run("a_partnership_contract_does_not_close_while_a_gate_is_open", func(t *testing.T) {
		h := awPartnershipActive(t)
		awRefused(t, h, awCloseContract("k1"), procurement.ErrPartnershipOpen, "p1")
		h = awRun(t, h, awGate("p1", procurement.GateContinue, awOn("2025-09-30"), "detects a slide", "warns within 30 s"))
		awRefused(t, h, awCloseContract("k1"), procurement.ErrPartnershipOpen, "p2")
	})
	t.Run("a_partnership_contract_closes_once_every_gate_is_decided", func(t *testing.T) {
		h := awRun(t, awPartnershipActive(t), awGate("p1", procurement.GateContinue, awOn("2025-09-30"), "detects a slide", "warns within 30 s"),
			awGate("p2", procurement.GateContinue, awOn("2026-03-31"), "one winter without a miss"))
		estest.For(t, procurement.Decider).Given(h...).When(awCloseContract("k1")).ThenState(phaseIs(procurement.PhaseFollowUp))
	})
	t.Run("a_terminated_partnership_contract_closes", func(t *testing.T) {
		h := awRun(t, awPartnershipActive(t), awGate("p1", procurement.GateTerminate, awOn("2025-09-30")))
		c := awCloseContract("k1")
		c.FinalStatus = procurement.FinalIncomplete
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.ContractClosed{ContractID: "k1", FinalStatus: procurement.FinalIncomplete, LessonsHash: awLessonsHash, ClosedAt: awDay300(),
				PhaseAfter: procurement.PhaseFollowUp})
	})
	t.Run("rejects_an_unknown_final_status", func(t *testing.T) {
		c := awCloseContract("k1")
		c.FinalStatus = "DONE"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidFinalStatus)
	})
	t.Run("rejects_a_lessons_hash_that_is_not_sha256", func(t *testing.T) {
		c := awCloseContract("k1")
		c.LessonsHash = "lessons"
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("a_member_cannot_close_a_contract", func(t *testing.T) {
		c := awCloseContract("k1")
		c.By = awMemberBy()
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		c := awCloseContract("k1")
		c.By = awStrangerBy()
		estest.For(t, procurement.Decider).Given(active...).When(c).ThenError(procurement.ErrNotFound)
	})
}

func TestCloseCase(t *testing.T) {
	followUp := awRun(t, awActive(t), awCloseContract("k1"))
	closeCase := func(a actor.Actor) procurement.CloseCase {
		return procurement.CloseCase{LessonsHash: awLessonsHash, By: a, At: tdAt(440, 9)}
	}
	reported := awRun(t, followUp, awEffect(awMemberBy(), "e-bergen"), awEffect(awLeadBy(), "e-oslo"))

	t.Run("the_hub_closes_the_case_once_every_buyer_reported_its_effects", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(reported...).When(closeCase(awHubBy())).
			Then(procurement.CaseClosed{LessonsHash: awLessonsHash, ClosedAt: tdAt(440, 9)})
	})
	t.Run("the_lead_closes_it_too_and_the_case_is_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(reported...).When(closeCase(awLeadBy())).ThenState(phaseIs(procurement.PhaseClosed))
	})
	t.Run("the_case_needs_every_buyers_effect_measured", func(t *testing.T) {
		h := awRun(t, followUp, awEffect(awLeadBy(), "e-oslo"))
		awRefused(t, h, closeCase(awHubBy()), procurement.ErrEffectsMissing, tdMember)
		awRefused(t, followUp, closeCase(awHubBy()), procurement.ErrEffectsMissing, tdMember, tdLead)
	})
	t.Run("the_case_closes_from_follow_up_only", func(t *testing.T) {
		h := awRun(t, awActive(t), awEffect(awMemberBy(), "e-bergen"), awEffect(awLeadBy(), "e-oslo"))
		estest.For(t, procurement.Decider).Given(h...).When(closeCase(awHubBy())).ThenError(procurement.ErrNotFollowUpPhase)
	})
	t.Run("closing_it_again_changes_nothing", func(t *testing.T) {
		h := awRun(t, reported, closeCase(awHubBy()))
		estest.For(t, procurement.Decider).Given(h...).When(closeCase(awHubBy())).ThenNothing()
	})
	t.Run("a_closed_case_refuses_what_follows", func(t *testing.T) {
		h := awRun(t, reported, closeCase(awHubBy()))
		estest.For(t, procurement.Decider).Given(h...).When(awEffect(awMemberBy(), "e2")).ThenError(procurement.ErrTerminal)
	})
	t.Run("rejects_a_lessons_hash_that_is_not_sha256", func(t *testing.T) {
		c := closeCase(awHubBy())
		c.LessonsHash = "lessons.md"
		estest.For(t, procurement.Decider).Given(reported...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("a_member_cannot_close_the_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(reported...).When(closeCase(awMemberBy())).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("an_organisation_outside_the_case_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(reported...).When(closeCase(awStrangerBy())).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_cancelled_case_does_not_close", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(reported, cancelled())...).When(closeCase(awHubBy())).ThenError(procurement.ErrCancelled)
	})
}
