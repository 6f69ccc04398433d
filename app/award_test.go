package app_test

import (
	"errors"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// The issue 6 commands through app.Procurements with the real pieces: the
// embedded store, the policy enforcer with the role templates (sealedGrants),
// and the case of sealed_test.go, tendered and opened. Each step checks the
// wiring (the command reaches the case under its action and with the time
// limits in force) and Casbin (who may not, may not).

var (
	budgetHolder = app.Principal{User: "budget@bergen", Org: "bergen"}
	bergenNeeds  = app.Principal{User: "needs@bergen", Org: "bergen"}
	osloNeeds    = app.Principal{User: "needs@oslo", Org: "oslo"}
)

func hashOf(s string) string { return sha([]byte(s)) }

// do runs one command that must append events.
func do(t *testing.T, what string, res app.Result, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if res.Events == 0 {
		t.Fatalf("%s appended nothing", what)
	}
}

// refused checks a command was refused with want and appended nothing.
func (f *sealedFixture) refused(t *testing.T, what string, want error, run func() (app.Result, error)) {
	t.Helper()
	before := f.head(t)
	if _, err := run(); !errors.Is(err, want) {
		t.Fatalf("%s: want %v, got %v", what, want, err)
	}
	if f.head(t) != before {
		t.Fatalf("%s was refused but appended events", what)
	}
}

// evaluated is the case with acme's and nordic's tenders opened and scored by
// the panel (eva@bergen), the consensus recorded and the report finalised:
// acme ranks first with 88 points, nordic second with 72.
func evaluated(t *testing.T) (*sealedFixture, string, string) {
	t.Helper()
	f := newSealedFixture(t, false)
	acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
	nordic := f.submit(t, nordicSales, "nordic-bid", nordicTender)
	f.open(t)
	m := app.CommandMeta{}
	res, err := f.cases.DeclareConflictOfInterest(ctx, evaluator, m, sealedCaseID, false, nil)
	do(t, "declare no conflict", res, err)
	scores := []procurement.ScoreBid{
		{BidID: acme, Criterion: "price", Score: 10},
		{BidID: acme, Criterion: "quality", Score: 8, Justification: "proven in avalanche terrain"},
		{BidID: nordic, Criterion: "price", Score: 9},
		{BidID: nordic, Criterion: "quality", Score: 6, Justification: "radar only"},
	}
	for _, sc := range scores {
		res, err := f.cases.ScoreBid(ctx, evaluator, m, sealedCaseID, sc)
		do(t, "score "+sc.Criterion, res, err)
	}
	res, err = f.cases.LockScores(ctx, evaluator, m, sealedCaseID)
	do(t, "lock", res, err)
	for _, sc := range scores {
		res, err := f.cases.RecordConsensus(ctx, leadOfficer, m, sealedCaseID,
			procurement.RecordConsensus{BidID: sc.BidID, Criterion: sc.Criterion, Score: sc.Score, Rationale: "the panel agrees"})
		do(t, "consensus "+sc.Criterion, res, err)
	}
	res, err = f.cases.FinalizeEvaluation(ctx, leadOfficer, m, sealedCaseID, hashOf("evaluation report"), []string{"eva@bergen", "officer@oslo"})
	do(t, "finalize", res, err)
	return f, acme, nordic
}

func TestEvaluationThroughTheApplication(t *testing.T) {
	t.Run("only_the_appointed_evaluator_scores_and_locks_and_only_the_lead_runs_the_panel", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.open(t)
		m := app.CommandMeta{}
		score := procurement.ScoreBid{BidID: acme, Criterion: "price", Score: 9}
		f.refused(t, "a municipality admin scoring", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.ScoreBid(ctx, memberAdmin, m, sealedCaseID, score)
		})
		f.refused(t, "the lead officer scoring", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.ScoreBid(ctx, leadOfficer, m, sealedCaseID, score)
		})
		f.refused(t, "an evaluator not appointed to the case", procurement.ErrNotEvaluator, func() (app.Result, error) {
			return f.cases.DeclareConflictOfInterest(ctx, leadEvaluator, m, sealedCaseID, false, nil)
		})
		f.refused(t, "scoring before declaring", procurement.ErrConflictDeclarationRequired, func() (app.Result, error) {
			return f.cases.ScoreBid(ctx, evaluator, m, sealedCaseID, score)
		})
		f.refused(t, "an evaluator recording the consensus", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.RecordConsensus(ctx, evaluator, m, sealedCaseID, procurement.RecordConsensus{BidID: acme, Criterion: "price", Score: 9, Rationale: "r"})
		})
		res, err := f.cases.DeclareConflictOfInterest(ctx, evaluator, m, sealedCaseID, false, nil)
		do(t, "declare", res, err)
		res, err = f.cases.ScoreBid(ctx, evaluator, m, sealedCaseID, score)
		do(t, "score", res, err)
		if ev, ok := f.last(t).(procurement.BidScored); !ok || ev.Evaluator != evaluator.User || ev.Score != 9 || !ev.ScoredAt.Equal(f.plan.OpeningAt) {
			t.Fatalf("scored %+v", f.last(t))
		}
		f.refused(t, "locking with a criterion unscored", procurement.ErrScoresIncomplete, func() (app.Result, error) {
			return f.cases.LockScores(ctx, evaluator, m, sealedCaseID)
		})
	})

	t.Run("a_supplier_answers_only_a_clarification_of_its_own_tender", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.submit(t, nordicSales, "nordic-bid", nordicTender)
		f.open(t)
		m := app.CommandMeta{}
		f.refused(t, "an evaluator asking", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.RequestClarification(ctx, evaluator, m, sealedCaseID,
				procurement.RequestClarification{ClarificationID: "cl-1", BidID: acme, Question: "Which firmware?"})
		})
		res, err := f.cases.RequestClarification(ctx, leadOfficer, m, sealedCaseID,
			procurement.RequestClarification{ClarificationID: "cl-1", BidID: acme, Question: "Which firmware do the sensors run?"})
		do(t, "request", res, err)
		f.refused(t, "another tenderer answering", procurement.ErrClarificationNotFound, func() (app.Result, error) {
			return f.cases.AnswerClarification(ctx, nordicSales, m, sealedCaseID, "cl-1", "ours is better")
		})
		f.refused(t, "a member answering for the tenderer", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.AnswerClarification(ctx, memberAdmin, m, sealedCaseID, "cl-1", "v2")
		})
		res, err = f.cases.AnswerClarification(ctx, acmeSales, m, sealedCaseID, "cl-1", "Firmware 4.2, updated over the air")
		do(t, "answer", res, err)
		if ev, ok := f.last(t).(procurement.ClarificationReceived); !ok || ev.BidID != acme {
			t.Fatalf("answer %+v", f.last(t))
		}
	})

	t.Run("a_recused_evaluator_is_replaced_by_a_person_named_like_every_evaluator", func(t *testing.T) {
		f := newSealedFixture(t, false)
		f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.open(t)
		res, err := f.cases.RecuseEvaluator(ctx, leadOfficer, app.CommandMeta{}, sealedCaseID,
			procurement.RecuseEvaluator{Evaluator: evaluator.User, Reason: "works for a subcontractor", Replacement: "kari@oslo", ReplacementOrg: "oslo"})
		do(t, "recuse with a replacement", res, err)
		if ev, ok := f.state(t).Design.Evaluators["kari@oslo"]; !ok || ev.Org != "oslo" {
			t.Fatalf("the replacement is not appointed: %+v", f.state(t).Design.Evaluators)
		}
	})

	t.Run("a_rejected_tender_and_a_recused_evaluator", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.open(t)
		m := app.CommandMeta{}
		res, err := f.cases.RecuseEvaluator(ctx, leadOfficer, m, sealedCaseID,
			procurement.RecuseEvaluator{Evaluator: evaluator.User, Reason: "works for a subcontractor"})
		do(t, "recuse", res, err)
		if _, recused := f.state(t).Evaluation.Recused[evaluator.User]; !recused {
			t.Fatal("not recused")
		}
		res, err = f.cases.RejectBid(ctx, leadOfficer, m, sealedCaseID, acme, "missing ISO certificate", "FOA § 24-2")
		do(t, "reject", res, err)
		res, err = f.cases.DeclareUnsuccessful(ctx, leadOfficer, m, sealedCaseID, procurement.UnsuccessfulAllRejected, "the only tender was rejected", "")
		do(t, "unsuccessful", res, err)
		if st := f.state(t); st.Phase != procurement.PhaseUnsuccessful {
			t.Fatalf("phase %s", st.Phase)
		}
	})
}

func TestAwardToFollowUpThroughTheApplication(t *testing.T) {
	f, acme, _ := evaluated(t)
	m := app.CommandMeta{}

	// The agreement's award rule is UNANIMOUS: one joint decision by the lead,
	// under bergen's decideAward mandate, which bergen grants now.
	decide := procurement.DecideAward{AwardID: "aw-1", Lot: "lot-1", BidID: acme, Value: "4825000", DecisionDocHash: hashOf("award decision")}
	f.refused(t, "an evaluator deciding the award", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.DecideAward(ctx, evaluator, m, sealedCaseID, decide)
	})
	f.refused(t, "the hub deciding the award", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.DecideAward(ctx, hubCoordinator, m, sealedCaseID, decide)
	})
	f.refused(t, "the lead without bergen's mandate", procurement.ErrMandateMissing, func() (app.Result, error) {
		return f.cases.DecideAward(ctx, leadOfficer, m, sealedCaseID, decide)
	})
	res, err := f.cases.GrantMandate(ctx, budgetHolder, m, sealedCaseID, app.MandateInput{MandateID: "m-bergen-award", To: "oslo",
		Scope: []string{"decideAward", "signContract", "manageContract"}, ValidUntil: "2027-12-31"})
	do(t, "grant the award mandate", res, err)
	res, err = f.cases.DecideAward(ctx, leadOfficer, m, sealedCaseID, decide)
	do(t, "decide", res, err)
	if ev, ok := f.last(t).(procurement.AwardDecided); !ok || ev.Mode != procurement.AwardJoint || ev.Supplier != "acme" || ev.Value != "4825000.00" ||
		len(ev.Mandates) != 1 || ev.Mandates[0] != "m-bergen-award" || !ev.DecidedAt.Equal(f.plan.OpeningAt) {
		t.Fatalf("decided %+v", f.last(t))
	}

	// Notification: the standstill end comes from the time-limit table in force.
	f.refused(t, "a member notifying", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.SendAwardNotification(ctx, memberAdmin, m, sealedCaseID, procurement.NotificationElectronic, hashOf("reasons"))
	})
	res, err = f.cases.SendAwardNotification(ctx, leadOfficer, m, sealedCaseID, procurement.NotificationElectronic, hashOf("reasons"))
	do(t, "notify", res, err)
	st := f.state(t)
	if st.Phase != procurement.PhaseStandstill || st.Award.Standstill == nil {
		t.Fatalf("phase %s, standstill %+v", st.Phase, st.Award.Standstill)
	}
	if c := st.Award.Standstill.Computation; !c.HasLimit || c.Table != f.cases.TimeLimits().Version() || c.Days < 10 ||
		!st.Award.Standstill.EndsAt.After(f.plan.OpeningAt.AddDate(0, 0, c.Days)) {
		t.Fatalf("the standstill is not computed from the table in force (%s): %+v ends %s", f.cases.TimeLimits().Version(), c, st.Award.Standstill.EndsAt)
	}
	standstillEnd := st.Award.Standstill.EndsAt

	// A suspensive complaint, recorded by the hub, holds the standstill until
	// the review lets it go on.
	res, err = f.cases.RegisterComplaint(ctx, hubCoordinator, m, sealedCaseID, procurement.RegisterComplaint{ComplaintID: "k-1",
		Complainant: "Nordic Vision AB", Forum: procurement.ForumKOFA, Grounds: "the price formula was applied wrongly", Suspensive: true})
	do(t, "complaint", res, err)
	if st := f.state(t); st.Phase != procurement.PhaseSuspended {
		t.Fatalf("a suspensive complaint leaves the case in %s", st.Phase)
	}
	f.clock.set(standstillEnd.Add(time.Hour))
	f.refused(t, "ending a suspended standstill", procurement.ErrContractingSuspended, func() (app.Result, error) {
		return endStandstill(f)
	})
	res, err = f.cases.ResolveReview(ctx, leadOfficer, m, sealedCaseID, procurement.ResolveReview{ComplaintID: "k-1",
		Outcome: procurement.ReviewContinue, Ruling: "KOFA dismissed the complaint", DocHash: hashOf("ruling")})
	do(t, "resolve", res, err)
	f.refused(t, "a lead officer ending the standstill (the clock's command)", app.ErrForbidden, func() (app.Result, error) {
		return app.Dispatch(ctx, f.dispatcher, app.ProcurementAggregate, leadOfficer, m, "EndStandstill",
			procurement.StreamID(sealedCaseID), func(at time.Time) (procurement.Command, error) {
				return procurement.EndStandstill{By: leadOfficer, At: at}, nil
			})
	})
	res, err = endStandstill(f)
	do(t, "end standstill", res, err)
	if st := f.state(t); st.Phase != procurement.PhaseContracting {
		t.Fatalf("after the standstill the case is in %s", st.Phase)
	}

	// LEAD_SIGNS_ALL: the lead's signatory signs for oslo and, under the
	// mandate, for bergen.
	sign := procurement.SignContract{ContractID: "k-1", AwardID: "aw-1", SignatureRef: "bankid-oslo-2",
		Terms: procurement.ContractTerms{Value: "4825000", StartDate: "2025-09-01", EndDate: "2027-08-31", Framework: true}}
	f.refused(t, "a municipality admin signing", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.SignContract(ctx, memberAdmin, m, sealedCaseID, sign)
	})
	res, err = f.cases.SignContract(ctx, leadSignatory, m, sealedCaseID, sign)
	do(t, "sign", res, err)
	if st := f.state(t); st.Phase != procurement.PhaseContractActive || st.Contracting.Contracts["k-1"].Signed == nil {
		t.Fatalf("after the signature the case is in %s: %+v", st.Phase, st.Contracting.Contracts["k-1"])
	}
	res, err = f.cases.PublishAwardNotice(ctx, leadOfficer, m, sealedCaseID, procurement.ChannelTED, "2025/S 180-000123")
	do(t, "award notice", res, err)
	if ev, ok := f.last(t).(procurement.AwardNoticePublished); !ok || ev.Limit == nil {
		t.Fatalf("the award notice must carry the publication limit from the table in force: %+v", f.last(t))
	}

	// Members call off, pay and report effects; the lead follows up.
	today := f.clock.now().Format(time.DateOnly)
	res, err = f.cases.PlaceCallOff(ctx, budgetHolder, m, sealedCaseID, procurement.PlaceCallOff{CallOffID: "co-1", ContractID: "k-1",
		Description: "40 sensors for Fv. 55", Value: "1930000"})
	do(t, "call off", res, err)
	f.refused(t, "an evaluator paying", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.RecordPayment(ctx, evaluator, m, sealedCaseID, procurement.RecordPayment{PaymentID: "p-1", ContractID: "k-1", Amount: "1", PaidOn: today})
	})
	res, err = f.cases.RecordPayment(ctx, budgetHolder, m, sealedCaseID, procurement.RecordPayment{PaymentID: "p-1", ContractID: "k-1",
		Amount: "965000", PaidOn: today})
	do(t, "pay", res, err)
	res, err = f.cases.RecordMilestone(ctx, leadOfficer, m, sealedCaseID, procurement.RecordMilestone{MilestoneID: "ms-1", ContractID: "k-1",
		Title: "Pilot installed", Status: procurement.MilestoneMet})
	do(t, "milestone", res, err)
	res, err = f.cases.RecordDeviation(ctx, leadOfficer, m, sealedCaseID, procurement.RecordDeviation{DeviationID: "dv-1", ContractID: "k-1",
		Severity: procurement.SeverityLow, Description: "two sensors delivered a week late"})
	do(t, "deviation", res, err)
	for _, p := range []app.Principal{bergenNeeds, osloNeeds} {
		res, err = f.cases.RecordEffect(ctx, p, m, sealedCaseID, procurement.RecordEffect{MeasurementID: "fx-" + p.Org, KPI: "road closure hours",
			Unit: "hours", Baseline: "120", Value: "35.5", PeriodFrom: "2025-10-01", PeriodTo: "2025-12-31", Method: "road operator's log"})
		do(t, "effect "+p.Org, res, err)
	}
	res, err = f.cases.CloseContract(ctx, leadOfficer, m, sealedCaseID, "k-1", procurement.FinalComplete, hashOf("lessons"))
	do(t, "close contract", res, err)
	f.refused(t, "a lead officer closing the case (the hub's act)", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.CloseCase(ctx, leadOfficer, m, sealedCaseID, hashOf("lessons"))
	})
	res, err = f.cases.CloseCase(ctx, hubCoordinator, m, sealedCaseID, hashOf("lessons"))
	do(t, "close case", res, err)
	if st := f.state(t); st.Phase != procurement.PhaseClosed {
		t.Fatalf("the case ends in %s", st.Phase)
	}
}

// endStandstill is the workflow clock's command, dispatched as reactors/clock does.
func endStandstill(f *sealedFixture) (app.Result, error) {
	return app.Dispatch(ctx, f.dispatcher, app.ProcurementAggregate, app.System, app.CommandMeta{}, "EndStandstill",
		procurement.StreamID(sealedCaseID), func(at time.Time) (procurement.Command, error) {
			return procurement.EndStandstill{By: app.System, At: at}, nil
		})
}

func TestRevokedAwardIsDecidedAgain(t *testing.T) {
	f, acme, _ := evaluated(t)
	m := app.CommandMeta{}
	res, err := f.cases.GrantMandate(ctx, budgetHolder, m, sealedCaseID, app.MandateInput{MandateID: "m-bergen-award", To: "oslo",
		Scope: []string{"decideAward"}, ValidUntil: "2027-12-31"})
	do(t, "mandate", res, err)
	res, err = f.cases.DecideAward(ctx, leadOfficer, m, sealedCaseID, procurement.DecideAward{AwardID: "aw-1", Lot: "lot-1", BidID: acme,
		Value: "4825000", DecisionDocHash: hashOf("decision 1")})
	do(t, "decide", res, err)
	f.refused(t, "a member revoking the lead's award", procurement.ErrAwardNotFound, func() (app.Result, error) {
		return f.cases.RevokeAward(ctx, budgetHolder, m, sealedCaseID, "aw-1", "r")
	})
	f.refused(t, "an evaluator revoking", app.ErrForbidden, func() (app.Result, error) {
		return f.cases.RevokeAward(ctx, evaluator, m, sealedCaseID, "aw-1", "r")
	})
	res, err = f.cases.RevokeAward(ctx, leadOfficer, m, sealedCaseID, "aw-1", "the decision document named the wrong lot")
	do(t, "revoke", res, err)
	res, err = f.cases.DecideAward(ctx, leadOfficer, m, sealedCaseID, procurement.DecideAward{AwardID: "aw-2", Lot: "lot-1", BidID: acme,
		Value: "4825000", DecisionDocHash: hashOf("decision 2")})
	do(t, "decide again", res, err)
	if st := f.state(t); len(st.ActiveAwards()) != 1 || st.ActiveAwards()[0].AwardID != "aw-2" {
		t.Fatalf("active awards %+v", st.ActiveAwards())
	}
}

func TestCancellationAndWithdrawalThroughTheApplication(t *testing.T) {
	t.Run("the_lead_proposes_and_the_members_vote_by_the_agreements_procedure_rule", func(t *testing.T) {
		f := newSealedFixture(t, false)
		m := app.CommandMeta{}
		res, err := f.cases.Cancel(ctx, leadOfficer, m, sealedCaseID, "the budget was withdrawn by the county council")
		do(t, "propose", res, err)
		if st := f.state(t); st.Phase != procurement.PhaseTendering || len(st.Cancellations) != 1 {
			t.Fatalf("a proposal under UNANIMOUS does not cancel at once: %s %+v", st.Phase, st.Cancellations)
		}
		f.refused(t, "an evaluator voting", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.ApproveCancellation(ctx, evaluator, m, sealedCaseID, 1, "")
		})
		f.refused(t, "a supplier voting", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.RejectCancellation(ctx, acmeSales, m, sealedCaseID, 1, "")
		})
		res, err = f.cases.RejectCancellation(ctx, memberAdmin, m, sealedCaseID, 1, "we still need the sensors")
		do(t, "reject", res, err)
		if st := f.state(t); st.Phase != procurement.PhaseTendering || !st.Cancellations[0].Declined {
			t.Fatalf("one rejection declines under UNANIMOUS: %s %+v", st.Phase, st.Cancellations)
		}
		res, err = f.cases.Cancel(ctx, leadOfficer, m, sealedCaseID, "no tenders can meet the requirement at -30 °C")
		do(t, "propose again", res, err)
		res, err = f.cases.ApproveCancellation(ctx, budgetHolder, m, sealedCaseID, 2, "agreed")
		do(t, "approve", res, err)
		if st := f.state(t); st.Phase != procurement.PhaseCancelled {
			t.Fatalf("every member approved: the case is in %s", st.Phase)
		}
	})

	t.Run("a_withdrawal_after_the_notice_needs_an_assessment_and_the_lead_and_the_hub", func(t *testing.T) {
		f := newSealedFixture(t, false)
		m := app.CommandMeta{}
		f.refused(t, "withdrawing without an assessment", procurement.ErrWithdrawalAfterNotice, func() (app.Result, error) {
			return f.cases.Withdraw(ctx, memberAdmin, m, sealedCaseID, "the council left the cooperation", "")
		})
		res, err := f.cases.Withdraw(ctx, budgetHolder, m, sealedCaseID, "the council left the cooperation", hashOf("assessment"))
		do(t, "request", res, err)
		f.refused(t, "a member approving", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.ApproveWithdrawal(ctx, memberAdmin, m, sealedCaseID, "bergen")
		})
		res, err = f.cases.ApproveWithdrawal(ctx, leadOfficer, m, sealedCaseID, "bergen")
		do(t, "lead approves", res, err)
		if st := f.state(t); st.Members["bergen"] != procurement.MemberJoined {
			t.Fatal("the lead's approval alone withdrew bergen")
		}
		res, err = f.cases.ApproveWithdrawal(ctx, hubCoordinator, m, sealedCaseID, "bergen")
		do(t, "hub approves", res, err)
		if st := f.state(t); st.Members["bergen"] != procurement.MemberWithdrawn {
			t.Fatalf("bergen is %s", st.Members["bergen"])
		}
	})

	t.Run("a_round_without_tenders_is_declared_unsuccessful", func(t *testing.T) {
		f := newSealedFixture(t, false)
		f.closeReceipt(t)
		f.refused(t, "the hub declaring", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.DeclareUnsuccessful(ctx, hubCoordinator, app.CommandMeta{}, sealedCaseID, procurement.UnsuccessfulNoBids, "no tenders", "")
		})
		res, err := f.cases.DeclareUnsuccessful(ctx, leadOfficer, app.CommandMeta{}, sealedCaseID, procurement.UnsuccessfulNoBids, "no tender arrived", "")
		do(t, "unsuccessful", res, err)
		if st := f.state(t); st.Phase != procurement.PhaseUnsuccessful {
			t.Fatalf("phase %s", st.Phase)
		}
	})
}

// TestAwardCommandsAreIdempotentUnderTheirCommandID: a retried command is a
// duplicate, and the same ID for another command is refused.
func TestAwardCommandsAreIdempotentUnderTheirCommandID(t *testing.T) {
	f := newSealedFixture(t, false)
	f.submit(t, acmeSales, "acme-bid", acmeTender)
	f.open(t)
	m := app.CommandMeta{CommandID: "eva-declares"}
	res, err := f.cases.DeclareConflictOfInterest(ctx, evaluator, m, sealedCaseID, false, nil)
	do(t, "declare", res, err)
	head := f.head(t)
	again, err := f.cases.DeclareConflictOfInterest(ctx, evaluator, m, sealedCaseID, false, nil)
	if err != nil || !again.Duplicate || f.head(t) != head {
		t.Fatalf("retry: %+v %v", again, err)
	}
	if _, err := f.cases.DeclareConflictOfInterest(ctx, evaluator, m, sealedCaseID, true, []string{"x"}); !errors.Is(err, app.ErrCommandIDReused) {
		t.Fatalf("another command under the same ID: %v", err)
	}
}

// twoStage is the case of sealed_test.go run as procedure p in two stages:
// requests to participate are due on day 85, tenders on day 116; acme's and
// nordic's requests are in, opened, and both qualified. The case is in
// QUALIFICATION with the lead about to invite. A computation of the legal
// minimum from the table in force in the invitation and the final call shows
// the commands got the table.
func twoStage(t *testing.T, p timelimits.Procedure) (*sealedFixture, map[string]string) {
	t.Helper()
	plan := procurement.TimetablePlan{NoticeAt: sbAt(50, 9), QACutoff: sbAt(60, 12), RequestDeadline: sbAt(85, 10),
		TenderDeadline: sbAt(116, 10), OpeningAt: sbAt(116, 11)}
	var history []procurement.Event
	for _, e := range tenderingHistory(plan) {
		switch x := e.(type) {
		case procurement.ProcedureSelected:
			x.Procedure, x.MinCandidates = p, 2
			x.Justification = "no solution on the market detects avalanches over roads"
			e = x
		case procurement.QualificationCriteriaDefined:
			x.SelectionCriteria = []procurement.SelectionCriterion{{ID: "sc-finance", Text: "An annual turnover of at least 2 MNOK", Evidence: "annual accounts"}}
			e = x
		case procurement.ContractNoticePublished:
			x.Round, x.Deadline = procurement.RoundRequests, plan.RequestDeadline
			e = x
		}
		history = append(history, e)
	}
	f := newSealedFixtureWith(t, plan, history)
	requests := map[string]string{
		"acme":   f.submit(t, acmeSales, "acme-request", []byte("CANARY-acme-request: references from three counties")),
		"nordic": f.submit(t, nordicSales, "nordic-request", []byte("CANARY-nordic-request: references from Norrbotten")),
	}
	f.clock.set(plan.RequestDeadline)
	if _, err := f.cases.CloseReceipt(ctx, app.System, app.CommandMeta{}, sealedCaseID); err != nil {
		t.Fatal(err)
	}
	f.clock.set(plan.RequestDeadline.Add(time.Hour))
	res, err := f.bids.Open(ctx, leadOfficer, app.CommandMeta{}, sealedCaseID)
	do(t, "open the requests", res, err)
	m := app.CommandMeta{}
	for _, org := range []string{"acme", "nordic"} {
		assess := procurement.AssessQualification{SubmissionID: requests[org], Qualified: true,
			Results: []procurement.CriterionResult{{Criterion: "sc-finance", Met: true}}}
		f.refused(t, "a member assessing", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.AssessQualification(ctx, memberAdmin, m, sealedCaseID, assess)
		})
		res, err := f.cases.AssessQualification(ctx, leadOfficer, m, sealedCaseID, assess)
		do(t, "assess "+org, res, err)
	}
	if st := f.state(t); st.Phase != procurement.PhaseQualification {
		t.Fatalf("the qualified case is in %s", st.Phase)
	}
	return f, requests
}

func TestQualificationAndNegotiationThroughTheApplication(t *testing.T) {
	t.Run("restricted_the_invitation_opens_the_tender_round_by_a_deadline_checked_against_the_table", func(t *testing.T) {
		f, _ := twoStage(t, timelimits.Restricted)
		m := app.CommandMeta{}
		f.refused(t, "a member inviting", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.InviteCandidates(ctx, memberAdmin, m, sealedCaseID, []string{"acme", "nordic"}, nil, time.Time{})
		})
		res, err := f.cases.InviteCandidates(ctx, leadOfficer, m, sealedCaseID, []string{"acme", "nordic"}, nil, time.Time{})
		do(t, "invite", res, err)
		ev, ok := f.last(t).(procurement.CandidatesInvited)
		if !ok || ev.Next != procurement.PhaseTendering || !ev.TenderDeadline.Equal(f.plan.TenderDeadline) || ev.Minimum == nil ||
			ev.Minimum.Table != f.cases.TimeLimits().Version() {
			t.Fatalf("invitation %+v", f.last(t))
		}
	})

	t.Run("negotiation_rounds_an_elimination_and_one_call_for_final_tenders", func(t *testing.T) {
		f, _ := twoStage(t, timelimits.CompetitiveNegotiation)
		m := app.CommandMeta{}
		res, err := f.cases.InviteCandidates(ctx, leadOfficer, m, sealedCaseID, []string{"acme", "nordic"}, nil, time.Time{})
		do(t, "invite", res, err)
		if st := f.state(t); st.Phase != procurement.PhaseNegotiation {
			t.Fatalf("CPN negotiates: %s", st.Phase)
		}
		f.refused(t, "an evaluator negotiating", app.ErrForbidden, func() (app.Result, error) {
			return f.cases.HoldNegotiationRound(ctx, evaluator, m, sealedCaseID, 1, "acme", hashOf("minutes"), nil)
		})
		res, err = f.cases.HoldNegotiationRound(ctx, leadOfficer, m, sealedCaseID, 1, "acme", hashOf("minutes acme 1"),
			[]string{"sensors must report every 30 seconds"})
		do(t, "round", res, err)
		if ev, ok := f.last(t).(procurement.NegotiationRoundHeld); !ok || len(ev.SentTo) != 2 {
			t.Fatalf("a changed requirement goes to every remaining participant: %+v", f.last(t))
		}
		res, err = f.cases.EliminateParticipant(ctx, leadOfficer, m, sealedCaseID, "nordic", "the radar cannot see through snow")
		do(t, "eliminate", res, err)
		f.refused(t, "final tenders due before the published deadline", procurement.ErrInvalidTimetable, func() (app.Result, error) {
			return f.cases.CallForFinalTenders(ctx, leadOfficer, m, sealedCaseID, f.clock.now().AddDate(0, 0, 3))
		})
		due := f.plan.TenderDeadline.AddDate(0, 0, 14)
		res, err = f.cases.CallForFinalTenders(ctx, leadOfficer, m, sealedCaseID, due)
		do(t, "call for final tenders", res, err)
		if ev, ok := f.last(t).(procurement.FinalTendersCalled); !ok || !ev.Deadline.Equal(due) || len(ev.Recipients) != 1 || ev.Recipients[0] != "acme" ||
			ev.Minimum == nil || ev.Minimum.Table != f.cases.TimeLimits().Version() {
			t.Fatalf("final call %+v", f.last(t))
		}
	})
}
