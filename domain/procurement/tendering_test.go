package procurement_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Publication and tendering (DOMAIN.md §2 transitions 8, 9 and 13, §4.4): the
// lead publishes the notice of the approved documents under the members'
// mandates to publish, with the legal minimum checked again from the moment
// the notice is actually sent; the buyers are the members joined at that
// moment. Amendments reach every supplier; a material one moves the deadline
// far enough away and asks every sealed submission to be confirmed. At the
// deadline the workflow clock closes receipt. Helpers are prefixed tg.
//
// The case is the tender fixtures' one: oslo leads, bergen is the other member
// with mandate m-bergen, acme registered in the market dialogue, nordic is
// another supplier. The open procedure's notice is planned for day 50, the
// question cut-off day 70 12:00, the tender deadline day 90 10:00 UTC.

const (
	tgChange    = "Section 3.2 now asks for operation at -40 °C"
	tgRationale = "one member's roads are colder than planned"
)

// --- helpers ---

// tgPublish is the lead publishing the notice of the approved version 1 at at.
func tgPublish(limits *timelimits.Table, at time.Time) procurement.PublishContractNotice {
	return procurement.PublishContractNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-200300",
		DocumentHash: tdDocsHash, Limits: limits, By: tdLeadBy(), At: at}
}

// tgRule is one rule of the NO table above the threshold for procedure p,
// with the conditions of the fixture's procedure applied.
func tgRule(t testing.TB, limits *timelimits.Table, p timelimits.Procedure, k timelimits.Kind) timelimits.Rule {
	t.Helper()
	e := tdProcedure(p)
	rule, err := limits.Rule(timelimits.NO, e.Regime, p, k)
	if err != nil {
		t.Fatal(err)
	}
	return rule.With(e.Conditions...)
}

// tgMinimum is the computation the case stores for a period of kind k of
// procedure p starting at from.
func tgMinimum(t testing.TB, limits *timelimits.Table, p timelimits.Procedure, k timelimits.Kind, from time.Time) timelimits.Computation {
	t.Helper()
	_, c, err := timelimits.EarliestEnd(tgRule(t, limits, p, k), from)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tgNotice is the notice of the open procedure with plan sent at at.
func tgNotice(t testing.TB, limits *timelimits.Table, plan procurement.TimetablePlan, at time.Time) procurement.ContractNoticePublished {
	t.Helper()
	return procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-200300",
		DocumentsVersion: 1, DocumentHash: tdDocsHash, Buyers: []string{tdMember, tdLead}, MandateIDs: []string{"m-bergen"},
		PublishedAt: at, Round: procurement.RoundTenders, Deadline: plan.TenderDeadline,
		Minima: []timelimits.Computation{
			tgMinimum(t, limits, timelimits.Open, timelimits.TenderReceipt, at),
			tgMinimum(t, limits, timelimits.Open, timelimits.AdditionalInfoBeforeDeadline, plan.QACutoff),
		}}
}

// tgTwoStagePlan is a restricted procedure's timetable: requests until day 85,
// tenders until day 116.
func tgTwoStagePlan() procurement.TimetablePlan {
	return procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(60, 12), RequestDeadline: tdAt(85, 10),
		TenderDeadline: tdAt(116, 10), OpeningAt: tdAt(116, 11)}
}

// tgReplace is h with every event passed through change.
func tgReplace(h []procurement.Event, change func(procurement.Event) procurement.Event) []procurement.Event {
	out := make([]procurement.Event, len(h))
	for i, e := range h {
		out[i] = change(e)
	}
	return out
}

// tgWithout is h without the events drop picks.
func tgWithout(h []procurement.Event, drop func(procurement.Event) bool) []procurement.Event {
	return slices.DeleteFunc(slices.Clone(h), drop)
}

// tgAs is h with procedure p selected instead of the open procedure.
func tgAs(h []procurement.Event, p timelimits.Procedure) []procurement.Event {
	return tgReplace(h, func(e procurement.Event) procurement.Event {
		if _, ok := e.(procurement.ProcedureSelected); ok {
			return tdProcedure(p)
		}
		return e
	})
}

// tgTwoStageApproved is a restricted procedure approved with tgTwoStagePlan.
func tgTwoStageApproved() []procurement.Event {
	return tgAs(tdApproved(tgTwoStagePlan()), timelimits.Restricted)
}

// tgTwoStageTendering is tgTwoStageApproved with its notice published on day
// 50: the round of requests to participate is open until day 85.
func tgTwoStageTendering() []procurement.Event {
	plan := tgTwoStagePlan()
	return tdThen(tgTwoStageApproved(), procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin,
		ExternalNoticeID: "2025-200300", DocumentsVersion: 1, DocumentHash: tdDocsHash, Buyers: []string{tdMember, tdLead},
		MandateIDs: []string{"m-bergen"}, PublishedAt: tdAt(50, 9), Round: procurement.RoundRequests, Deadline: plan.RequestDeadline})
}

// tgTwoLots is h with a second lot, lot-2, bought by oslo alone.
func tgTwoLots(h []procurement.Event) []procurement.Event {
	return tgReplace(h, func(e procurement.Event) procurement.Event {
		if _, ok := e.(procurement.LotsDefined); ok {
			return procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{
				{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}},
				{ID: "lot-2", Title: "Warning signs", Members: []string{tdLead}},
			}}
		}
		return e
	})
}

// tgBidFor is supplier org's tender id for these lots, received on day 60.
func tgBidFor(id, org string, lots ...string) procurement.Event {
	b := tdBid(id, org).(procurement.BidSubmitted)
	b.Lots = lots
	return b
}

// tgAmend is the lead amending the tender at at; a zero newDeadline keeps the deadline.
func tgAmend(limits *timelimits.Table, material bool, at, newDeadline time.Time) procurement.AmendTender {
	return procurement.AmendTender{Changes: []string{tgChange}, Rationale: tgRationale, Material: material,
		NewDeadline: newDeadline, Limits: limits, By: tdLeadBy(), At: at}
}

// tgAmended is amendment number of tgAmend, sent to recipients.
func tgAmended(number int, material bool, at time.Time, recipients ...string) procurement.TenderAmended {
	return procurement.TenderAmended{Number: number, Changes: []string{tgChange}, Rationale: tgRationale, Material: material,
		RecipientCount: len(recipients), AmendedAt: at}
}

// tgExtended is the tender deadline moved from day 90 10:00 to `to` by an
// amendment at `at` under rule k.
func tgExtended(t testing.TB, limits *timelimits.Table, k timelimits.Kind, at, to time.Time) procurement.TenderDeadlineExtended {
	return procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: tdPlan().TenderDeadline, To: to,
		Computation: tgMinimum(t, limits, timelimits.Open, k, at)}
}

// tgTenderQuestion is acme's question of the tendering, received on day 65.
func tgTenderQuestion(id string) procurement.Event {
	return procurement.QuestionReceived{QuestionID: id, Supplier: tdSupplier, Text: "How cold is it?", Stage: procurement.StageTender,
		ReceivedAt: tdAt(65, 9), RecordedBy: tdSupplier}
}

// tgAnswered is the published answer to question id.
func tgAnswered(id string) procurement.Event {
	return procurement.AnswerPublished{QuestionID: id, AnonymisedQuestion: "How cold is it?", Answer: "-40 °C",
		PublishedAt: tdAt(66, 9), RecipientCount: 1}
}

// tgClose is the workflow clock closing receipt at at.
func tgClose(at time.Time) procurement.CloseReceipt {
	return procurement.CloseReceipt{By: tdSystem(), At: at}
}

// tgErr decides c against h and returns its error, failing unless it matches want.
func tgErr(t testing.TB, h []procurement.Event, c procurement.Command, want error) error {
	t.Helper()
	got, err := procurement.Decider.Decide(procurement.Decider.Fold(h), c)
	if !errors.Is(err, want) {
		t.Fatalf("want error %v, got %v (events %#v)", want, err, got)
	}
	return err
}

// tgNames checks the message of err names every one of names.
func tgNames(t testing.TB, err error, names ...string) {
	t.Helper()
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Fatalf("message %q does not name %q", err.Error(), n)
		}
	}
}

// tgDecide decides c against h and returns its events, failing on an error.
func tgDecide(t testing.TB, h []procurement.Event, c procurement.Command) []procurement.Event {
	t.Helper()
	got, err := procurement.Decider.Decide(procurement.Decider.Fold(h), c)
	if err != nil {
		t.Fatalf("%T: %v", c, err)
	}
	return got
}

// --- PublishContractNotice ---

func TestPublishContractNotice(t *testing.T) {
	limits := tdLimits(t)
	plan := tdPlan()
	approved := tdApproved(plan)

	t.Run("the_lead_publishes_the_approved_documents_and_tendering_opens", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(approved...).
			When(tgPublish(limits, tdAt(50, 9))).
			Then(tgNotice(t, limits, plan, tdAt(50, 9)))
	})
	t.Run("the_case_is_tendering_until_the_tender_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(approved...).
			When(tgPublish(limits, tdAt(50, 9))).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Phase != procurement.PhaseTendering || s.Tendering.Round != procurement.RoundTenders || !s.Tendering.Deadline.Equal(plan.TenderDeadline) {
					t.Fatalf("phase %s round %s deadline %v", s.Phase, s.Tendering.Round, s.Tendering.Deadline)
				}
			})
	})
	t.Run("the_hash_is_read_in_any_case_and_the_notice_id_trimmed", func(t *testing.T) {
		c := tgPublish(limits, tdAt(50, 9))
		c.DocumentHash, c.ExternalNoticeID = " "+strings.ToUpper(tdDocsHash)+" ", "  2025-200300 "
		estest.For(t, procurement.Decider).Given(approved...).When(c).Then(tgNotice(t, limits, plan, tdAt(50, 9)))
	})
	t.Run("publishing_the_same_notice_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdTendering(plan)...).When(tgPublish(limits, tdAt(51, 9))).ThenNothing()
	})
	t.Run("another_notice_after_the_first_is_refused", func(t *testing.T) {
		c := tgPublish(limits, tdAt(51, 9))
		c.ExternalNoticeID = "2025-999999"
		estest.For(t, procurement.Decider).Given(tdTendering(plan)...).When(c).ThenError(procurement.ErrNotTendering)
	})

	t.Run("not_while_the_members_are_still_voting", func(t *testing.T) {
		h := tdThen(tdDesigned(plan), procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)},
			procurement.TenderDocumentsApproved{Org: tdLead, Version: 1, DocumentHash: tdDocsHash})
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).ThenError(procurement.ErrDocumentsNotApproved)
	})
	t.Run("not_after_the_members_rejected_the_documents", func(t *testing.T) {
		h := tdThen(tdDesigned(plan), procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)},
			procurement.TenderDocumentsRejected{Org: tdMember, Version: 1, Comment: "too vague"},
			procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleUnanimous})
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).ThenError(procurement.ErrDocumentsNotApproved)
	})
	t.Run("not_from_the_design_without_documents", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesigned(plan)...).When(tgPublish(limits, tdAt(50, 9))).ThenError(procurement.ErrDocumentsNotApproved)
	})
	t.Run("only_the_approved_documents_by_their_hash", func(t *testing.T) {
		c := tgPublish(limits, tdAt(50, 9))
		c.DocumentHash = tdHashOf("tender documents v2")
		estest.For(t, procurement.Decider).Given(approved...).When(c).ThenError(procurement.ErrDocumentsHashMismatch)
	})
	t.Run("every_member_must_have_committed_volumes_and_the_error_names_who_has_not", func(t *testing.T) {
		h := tgWithout(approved, func(e procurement.Event) bool {
			v, ok := e.(procurement.VolumeCommitted)
			return ok && v.Org == tdMember
		})
		err := tgErr(t, h, tgPublish(limits, tdAt(50, 9)), procurement.ErrVolumesMissing)
		tgNames(t, err, tdMember)
		if strings.Contains(err.Error(), tdLead) {
			t.Fatalf("message %q names oslo, which committed", err)
		}
	})
	t.Run("an_indicative_commitment_counts_as_an_estimate", func(t *testing.T) {
		h := tgReplace(approved, func(e procurement.Event) procurement.Event {
			if v, ok := e.(procurement.VolumeCommitted); ok && v.Org == tdMember {
				v.Type = procurement.CommitmentIndicative
				return v
			}
			return e
		})
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).Then(tgNotice(t, limits, plan, tdAt(50, 9)))
	})
	t.Run("a_revoked_mandate_to_publish_stops_the_notice_and_the_error_names_the_member", func(t *testing.T) {
		h := tdThen(approved, procurement.MandateRevoked{MandateID: "m-bergen", From: tdMember, Reason: "the council decides itself"})
		err := tgErr(t, h, tgPublish(limits, tdAt(50, 9)), procurement.ErrMandateMissing)
		tgNames(t, err, tdMember, "publish")
	})
	t.Run("a_mandate_to_prepare_only_does_not_cover_publishing", func(t *testing.T) {
		h := tdThen(approved, procurement.MandateRevoked{MandateID: "m-bergen", From: tdMember, Reason: "narrower scope"},
			procurement.MandateGranted{MandateID: "m-bergen-2", From: tdMember, To: tdLead, Scope: []procurement.Scope{procurement.ScopePrepare}, ValidUntil: "2025-12-31"})
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).ThenError(procurement.ErrMandateMissing)
	})
	t.Run("the_notice_cites_the_mandate_in_force", func(t *testing.T) {
		h := tdThen(approved, procurement.MandateRevoked{MandateID: "m-bergen", From: tdMember, Reason: "renewed"},
			procurement.MandateGranted{MandateID: "m-bergen-2", From: tdMember, To: tdLead, Scope: []procurement.Scope{procurement.ScopePublish}, ValidUntil: "2025-12-31"})
		want := tgNotice(t, limits, plan, tdAt(50, 9))
		want.MandateIDs = []string{"m-bergen-2"}
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).Then(want)
	})

	t.Run("the_legal_minimum_is_checked_again_from_the_actual_sending", func(t *testing.T) {
		// Planned for day 50, sent on day 80: ten days to the deadline of day
		// 90 is far below the 30 days of the open procedure.
		err := tgErr(t, approved, tgPublish(limits, tdAt(80, 9)), timelimits.ErrTooShort)
		tgNames(t, err, tgRule(t, limits, timelimits.Open, timelimits.TenderReceipt).Name)
	})
	t.Run("a_later_sending_that_still_leaves_the_minimum_is_computed_from_the_sending", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(approved...).
			When(tgPublish(limits, tdAt(55, 9))).
			Then(tgNotice(t, limits, plan, tdAt(55, 9)))
	})
	t.Run("days_are_counted_from_the_day_after_the_sending_to_midnight", func(t *testing.T) {
		// 30 days from day 59 end at midnight after day 89, before the
		// deadline on day 90; from day 60 they end at midnight after day 90,
		// after the deadline at 10:00.
		estest.For(t, procurement.Decider).Given(approved...).When(tgPublish(limits, tdAt(59, 9))).Then(tgNotice(t, limits, plan, tdAt(59, 9)))
		estest.For(t, procurement.Decider).Given(approved...).When(tgPublish(limits, tdAt(60, 9))).ThenError(timelimits.ErrTooShort)
	})
	t.Run("a_notice_sent_after_the_question_cut_off_is_refused", func(t *testing.T) {
		// Deadline day 120 leaves 45 days from day 75, but questions closed on day 70.
		late := plan
		late.TenderDeadline, late.OpeningAt = tdAt(120, 10), tdAt(120, 11)
		estest.For(t, procurement.Decider).Given(tdApproved(late)...).
			When(tgPublish(limits, tdAt(75, 9))).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("the_server_without_a_time_limit_table_cannot_publish", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(approved...).When(tgPublish(nil, tdAt(50, 9))).ThenError(procurement.ErrTimeLimitsUnavailable)
	})

	t.Run("the_buyers_are_the_members_joined_at_the_notice", func(t *testing.T) {
		h := tdThen(approved, withdrew(tdMember))
		want := tgNotice(t, limits, plan, tdAt(50, 9))
		want.Buyers, want.MandateIDs = []string{tdLead}, nil
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).Then(want)
	})
	t.Run("no_member_joins_once_the_buyers_are_fixed", func(t *testing.T) {
		h := tdThen(tdTendering(plan), invited("tromso"))
		estest.For(t, procurement.Decider).Given(h...).When(accept("tromso")).ThenError(procurement.ErrClosedForParticipants)
	})
	t.Run("a_two_stage_procedure_opens_the_round_of_requests_to_participate", func(t *testing.T) {
		two := tgTwoStagePlan()
		want := tgNotice(t, limits, two, tdAt(50, 9))
		want.Round, want.Deadline = procurement.RoundRequests, two.RequestDeadline
		want.Minima = []timelimits.Computation{
			tgMinimum(t, limits, timelimits.Restricted, timelimits.RequestReceipt, tdAt(50, 9)),
			tgMinimum(t, limits, timelimits.Restricted, timelimits.TendersAfterInvitation, two.RequestDeadline),
			tgMinimum(t, limits, timelimits.Restricted, timelimits.AdditionalInfoBeforeDeadline, two.QACutoff),
		}
		estest.For(t, procurement.Decider).Given(tgTwoStageApproved()...).When(tgPublish(limits, tdAt(50, 9))).Then(want)
	})

	for name, c := range map[string]struct {
		change func(*procurement.PublishContractNotice)
		want   error
	}{
		"an_unknown_channel":    {func(c *procurement.PublishContractNotice) { c.Channel = "FAX" }, procurement.ErrInvalidChannel},
		"no_notice_id":          {func(c *procurement.PublishContractNotice) { c.ExternalNoticeID = "  " }, procurement.ErrExternalNoticeIDRequired},
		"a_notice_id_too_long":  {func(c *procurement.PublishContractNotice) { c.ExternalNoticeID = strings.Repeat("9", 101) }, procurement.ErrExternalNoticeIDRequired},
		"a_hash_that_is_no_sha": {func(c *procurement.PublishContractNotice) { c.DocumentHash = "v1" }, procurement.ErrInvalidDocumentHash},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := tgPublish(limits, tdAt(50, 9))
			c.change(&cmd)
			estest.For(t, procurement.Decider).Given(approved...).When(cmd).ThenError(c.want)
		})
	}
	for name, c := range map[string]struct {
		by   actor.Actor
		want error
	}{
		"the_hub":              {by(hub), procurement.ErrLeadOnly},
		"the_other_member":     {by(tdMember), procurement.ErrLeadOnly},
		"a_supplier":           {tdSup(tdSupplier), procurement.ErrNotFound},
		"a_stranger":           {by("tromso"), procurement.ErrNotFound},
		"another_hub_entirely": {by(otherHub), procurement.ErrNotFound},
	} {
		t.Run("only_the_lead_publishes_not_"+name, func(t *testing.T) {
			cmd := tgPublish(limits, tdAt(50, 9))
			cmd.By = c.by
			estest.For(t, procurement.Decider).Given(approved...).When(cmd).ThenError(c.want)
		})
	}
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(approved, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseApproval})
		estest.For(t, procurement.Decider).Given(h...).When(tgPublish(limits, tdAt(50, 9))).ThenError(procurement.ErrCancelled)
	})
}

// --- AmendTender ---

func TestAmendTender(t *testing.T) {
	limits := tdLimits(t)
	plan := tdPlan()
	tendering := tdTendering(plan)
	withBids := tdThen(tendering, tdBid("b1", tdSupplier), tdBid("b2", tdOther))

	t.Run("information_in_good_time_goes_to_every_registered_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).
			When(tgAmend(limits, false, tdAt(70, 9), time.Time{})).
			Then(tgAmended(1, false, tdAt(70, 9), tdSupplier))
	})
	t.Run("the_recipients_are_the_registered_suppliers_and_every_bidder", func(t *testing.T) {
		h := tdThen(withBids, procurement.SupplierRegistered{Supplier: "polar", Stage: procurement.StageTender, RecordedBy: "polar", RegisteredAt: tdAt(61, 9)})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgAmend(limits, false, tdAt(70, 9), time.Time{})).
			Then(tgAmended(1, false, tdAt(70, 9), tdSupplier, tdOther, "polar"))
	})
	t.Run("amended_documents_carry_their_hash", func(t *testing.T) {
		c := tgAmend(limits, false, tdAt(70, 9), time.Time{})
		c.DocumentHash = strings.ToUpper(tdHashOf("tender documents v1.1"))
		want := tgAmended(1, false, tdAt(70, 9), tdSupplier)
		want.DocumentHash = tdHashOf("tender documents v1.1")
		estest.For(t, procurement.Decider).Given(tendering...).When(c).Then(want)
	})
	t.Run("a_material_change_extends_the_deadline_and_asks_every_bid_to_be_confirmed", func(t *testing.T) {
		at, to := tdAt(85, 9), tdAt(95, 10)
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, at, to)).
			Then(tgAmended(1, true, at, tdSupplier, tdOther),
				tgExtended(t, limits, timelimits.LateChangeExtension, at, to),
				procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b1", "b2"}})
	})
	t.Run("after_a_material_change_the_new_deadline_holds_and_the_bids_wait_for_confirmation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, tdAt(85, 9), tdAt(95, 10))).
			ThenState(func(t testing.TB, s procurement.State) {
				if !s.Tendering.Deadline.Equal(tdAt(95, 10)) || len(s.Tendering.Amendments) != 1 {
					t.Fatalf("deadline %v, %d amendments", s.Tendering.Deadline, len(s.Tendering.Amendments))
				}
				for _, id := range []string{"b1", "b2"} {
					if !s.Tendering.Bids[id].NeedsConfirmation {
						t.Fatalf("%s needs no confirmation", id)
					}
				}
			})
	})
	t.Run("a_withdrawn_bid_is_not_asked_to_confirm", func(t *testing.T) {
		h := tdThen(withBids, procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(61, 9)})
		at, to := tdAt(85, 9), tdAt(95, 10)
		estest.For(t, procurement.Decider).Given(h...).
			When(tgAmend(limits, true, at, to)).
			Then(tgAmended(1, true, at, tdSupplier, tdOther),
				tgExtended(t, limits, timelimits.LateChangeExtension, at, to),
				procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b2"}})
	})
	t.Run("without_bids_there_is_nothing_to_confirm", func(t *testing.T) {
		at, to := tdAt(85, 9), tdAt(95, 10)
		estest.For(t, procurement.Decider).Given(tendering...).
			When(tgAmend(limits, true, at, to)).
			Then(tgAmended(1, true, at, tdSupplier), tgExtended(t, limits, timelimits.LateChangeExtension, at, to))
	})
	t.Run("a_material_change_needs_a_new_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, tdAt(70, 9), time.Time{})).ThenError(procurement.ErrNewDeadlineRequired)
	})
	t.Run("a_material_change_needs_the_late_change_period_and_the_error_names_the_rule", func(t *testing.T) {
		err := tgErr(t, withBids, tgAmend(limits, true, tdAt(85, 9), tdAt(91, 10)), timelimits.ErrTooShort)
		tgNames(t, err, tgRule(t, limits, timelimits.Open, timelimits.LateChangeExtension).Name)
	})
	t.Run("the_late_change_period_ends_at_midnight_after_its_seventh_day", func(t *testing.T) {
		// From day 85 (local date) the seventh day is day 92: a deadline at
		// 23:59 that day is a minute short, the end of the day is enough.
		at := tdAt(85, 9)
		end := tgMinimum(t, limits, timelimits.Open, timelimits.LateChangeExtension, at).End
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, at, end.Add(-time.Minute))).ThenError(timelimits.ErrTooShort)
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, at, end)).
			Then(tgAmended(1, true, at, tdSupplier, tdOther),
				procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: plan.TenderDeadline, To: end.UTC(),
					Computation: tgMinimum(t, limits, timelimits.Open, timelimits.LateChangeExtension, at)},
				procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b1", "b2"}})
	})
	t.Run("a_material_change_does_not_keep_the_deadline_by_naming_it_again", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, tdAt(70, 9), plan.TenderDeadline)).ThenError(procurement.ErrNewDeadlineRequired)
	})
	t.Run("an_amendment_cannot_bring_the_deadline_forward", func(t *testing.T) {
		for _, material := range []bool{true, false} {
			estest.For(t, procurement.Decider).Given(withBids...).
				When(tgAmend(limits, material, tdAt(70, 9), tdAt(88, 10))).ThenError(procurement.ErrDeadlineShortened)
		}
	})
	t.Run("information_three_days_before_the_deadline_is_too_late_for_the_additional_information_period", func(t *testing.T) {
		err := tgErr(t, withBids, tgAmend(limits, false, tdAt(87, 10), time.Time{}), timelimits.ErrTooShort)
		tgNames(t, err, tgRule(t, limits, timelimits.Open, timelimits.AdditionalInfoBeforeDeadline).Name)
	})
	t.Run("late_information_is_allowed_when_it_extends_the_deadline_far_enough", func(t *testing.T) {
		at, to := tdAt(87, 10), tdAt(94, 10)
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, false, at, to)).
			Then(tgAmended(1, false, at, tdSupplier, tdOther), tgExtended(t, limits, timelimits.AdditionalInfoBeforeDeadline, at, to))
	})
	t.Run("an_extension_that_is_still_too_short_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, false, tdAt(87, 10), tdAt(92, 10))).ThenError(timelimits.ErrTooShort)
	})
	t.Run("an_extension_moves_the_question_cut_off_with_the_deadline", func(t *testing.T) {
		// The cut-off was day 70 12:00; five more days to the deadline give
		// five more days for questions.
		h := tdThen(tendering, tgAmended(1, false, tdAt(69, 9), tdSupplier),
			tgExtended(t, limits, timelimits.AdditionalInfoBeforeDeadline, tdAt(69, 9), tdAt(95, 10)))
		ask := procurement.AskQuestion{QuestionID: "q7", Text: "Is a radar allowed?", SupplierKind: tdSupplierKind, By: tdSup(tdSupplier), At: tdAt(72, 9)}
		estest.For(t, procurement.Decider).Given(h...).When(ask).
			Then(procurement.QuestionReceived{QuestionID: "q7", Supplier: tdSupplier, Text: "Is a radar allowed?", Stage: procurement.StageTender,
				ReceivedAt: tdAt(72, 9), RecordedBy: tdSupplier})
		ask.At = tdAt(75, 13)
		estest.For(t, procurement.Decider).Given(h...).When(ask).ThenError(procurement.ErrQuestionsClosed)
	})
	t.Run("the_same_amendment_again_is_a_no_op", func(t *testing.T) {
		at, to := tdAt(85, 9), tdAt(95, 10)
		h := tdThen(withBids, tgAmended(1, true, at, tdSupplier, tdOther), tgExtended(t, limits, timelimits.LateChangeExtension, at, to),
			procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b1", "b2"}})
		estest.For(t, procurement.Decider).Given(h...).When(tgAmend(limits, true, tdAt(85, 10), to)).ThenNothing()
	})
	t.Run("a_second_amendment_is_number_two", func(t *testing.T) {
		h := tdThen(tendering, tgAmended(1, false, tdAt(60, 9), tdSupplier))
		c := tgAmend(limits, false, tdAt(70, 9), time.Time{})
		c.Changes = []string{"Annex B replaced"}
		want := tgAmended(2, false, tdAt(70, 9), tdSupplier)
		want.Changes = []string{"Annex B replaced"}
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(want)
	})
	t.Run("after_the_deadline_only_a_material_change_with_a_new_deadline_reopens", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, false, tdAt(90, 10), time.Time{})).ThenError(procurement.ErrAmendmentAfterDeadline)
		at, to := tdAt(91, 9), tdAt(100, 10)
		estest.For(t, procurement.Decider).Given(withBids...).
			When(tgAmend(limits, true, at, to)).
			Then(tgAmended(1, true, at, tdSupplier, tdOther), tgExtended(t, limits, timelimits.LateChangeExtension, at, to),
				procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b1", "b2"}})
	})
	t.Run("not_once_receipt_has_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(plan)...).
			When(tgAmend(limits, true, tdAt(91, 9), tdAt(100, 10))).ThenError(procurement.ErrNotTendering)
	})
	t.Run("not_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdApproved(plan)...).
			When(tgAmend(limits, false, tdAt(48, 9), time.Time{})).ThenError(procurement.ErrNotTendering)
	})
	t.Run("a_revoked_mandate_to_publish_stops_amendments", func(t *testing.T) {
		h := tdThen(tendering, procurement.MandateRevoked{MandateID: "m-bergen", From: tdMember, Reason: "the council decides itself"})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgAmend(limits, false, tdAt(70, 9), time.Time{})).ThenError(procurement.ErrMandateMissing)
	})
	t.Run("the_server_without_a_time_limit_table_cannot_amend", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).
			When(tgAmend(nil, false, tdAt(70, 9), time.Time{})).ThenError(procurement.ErrTimeLimitsUnavailable)
	})
	for name, c := range map[string]struct {
		by   actor.Actor
		want error
	}{
		"the_hub":          {by(hub), procurement.ErrLeadOnly},
		"the_other_member": {by(tdMember), procurement.ErrLeadOnly},
		"a_supplier":       {tdSup(tdSupplier), procurement.ErrNotFound},
	} {
		t.Run("only_the_lead_amends_not_"+name, func(t *testing.T) {
			cmd := tgAmend(limits, false, tdAt(70, 9), time.Time{})
			cmd.By = c.by
			estest.For(t, procurement.Decider).Given(tendering...).When(cmd).ThenError(c.want)
		})
	}
	for name, c := range map[string]struct {
		change func(*procurement.AmendTender)
		want   error
	}{
		"no_changes":               {func(c *procurement.AmendTender) { c.Changes = nil }, procurement.ErrChangesRequired},
		"a_blank_change":           {func(c *procurement.AmendTender) { c.Changes = []string{"  "} }, procurement.ErrChangesRequired},
		"a_change_too_long":        {func(c *procurement.AmendTender) { c.Changes = []string{runes(4001)} }, procurement.ErrChangesRequired},
		"more_than_fifty_changes":  {func(c *procurement.AmendTender) { c.Changes = slices.Repeat([]string{"x"}, 51) }, procurement.ErrChangesRequired},
		"no_rationale":             {func(c *procurement.AmendTender) { c.Rationale = " " }, procurement.ErrChangesRequired},
		"a_hash_that_is_no_sha256": {func(c *procurement.AmendTender) { c.DocumentHash = "v2" }, procurement.ErrInvalidDocumentHash},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := tgAmend(limits, false, tdAt(70, 9), time.Time{})
			c.change(&cmd)
			estest.For(t, procurement.Decider).Given(tendering...).When(cmd).ThenError(c.want)
		})
	}
}

// --- CloseReceipt ---

func TestCloseReceipt(t *testing.T) {
	plan := tdPlan()
	tendering := tdTendering(plan)
	closed := func(at time.Time, perLot map[string]int, ids ...string) procurement.TenderingClosed {
		return procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: at, Submissions: ids, PerLot: perLot}
	}

	t.Run("the_clock_closes_receipt_at_the_deadline_with_the_bids_received", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier), tdBid("b2", tdOther))
		estest.For(t, procurement.Decider).Given(h...).
			When(tgClose(plan.TenderDeadline)).
			Then(closed(plan.TenderDeadline, map[string]int{"lot-1": 2}, "b1", "b2"))
	})
	t.Run("receipt_closed_seals_the_round_until_the_opening", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(plan.TenderDeadline)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Phase != procurement.PhaseReceiptClosed || !s.SealedBid("b1") {
					t.Fatalf("phase %s, b1 sealed %v", s.Phase, s.SealedBid("b1"))
				}
			})
	})
	t.Run("a_late_tick_records_when_it_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).
			When(tgClose(tdAt(91, 3))).
			Then(closed(tdAt(91, 3), map[string]int{}))
	})
	t.Run("withdrawn_bids_are_not_counted", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier), tdBid("b2", tdOther), procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(61, 9)})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgClose(plan.TenderDeadline)).
			Then(closed(plan.TenderDeadline, map[string]int{"lot-1": 1}, "b2"))
	})
	t.Run("the_count_is_per_lot", func(t *testing.T) {
		h := tdThen(tgTwoLots(tendering), tgBidFor("b1", tdSupplier, "lot-1", "lot-2"), tgBidFor("b2", tdOther, "lot-2"),
			tgBidFor("b3", "polar", "lot-1"), procurement.BidWithdrawn{BidID: "b3", WithdrawnAt: tdAt(62, 9)})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgClose(plan.TenderDeadline)).
			Then(closed(plan.TenderDeadline, map[string]int{"lot-1": 1, "lot-2": 2}, "b1", "b2"))
	})
	t.Run("a_replaced_bid_counts_once_in_the_order_first_received", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier), tdBid("b2", tdOther),
			procurement.BidReplaced{BidID: "b1", Version: 2, ReceivedAt: tdAt(70, 9), SHA256: tdHashOf("b1 v2"), CiphertextRef: "sealed:b1-2", SizeBytes: 99})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgClose(plan.TenderDeadline)).
			Then(closed(plan.TenderDeadline, map[string]int{"lot-1": 2}, "b1", "b2"))
	})
	t.Run("not_before_the_deadline", func(t *testing.T) {
		err := tgErr(t, tendering, tgClose(plan.TenderDeadline.Add(-time.Second)), procurement.ErrDeadlineNotReached)
		tgNames(t, err, plan.TenderDeadline.Format(time.RFC3339))
	})
	t.Run("the_extended_deadline_counts", func(t *testing.T) {
		h := tdThen(tendering, tgAmended(1, true, tdAt(85, 9), tdSupplier),
			procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: plan.TenderDeadline, To: tdAt(95, 10)})
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(plan.TenderDeadline)).ThenError(procurement.ErrDeadlineNotReached)
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(tdAt(95, 10))).
			Then(procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: tdAt(95, 10), ClosedAt: tdAt(95, 10), PerLot: map[string]int{}})
	})
	t.Run("an_unanswered_question_of_the_tendering_blocks_the_close", func(t *testing.T) {
		h := tdThen(tendering, tgTenderQuestion("q9"))
		err := tgErr(t, h, tgClose(plan.TenderDeadline), procurement.ErrUnansweredQuestions)
		tgNames(t, err, "q9")
	})
	t.Run("an_answered_question_does_not", func(t *testing.T) {
		h := tdThen(tendering, tgTenderQuestion("q9"), tgAnswered("q9"))
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(plan.TenderDeadline)).Then(closed(plan.TenderDeadline, map[string]int{}))
	})
	t.Run("a_second_tick_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(plan)...).When(tgClose(tdAt(91, 10))).ThenNothing()
	})
	t.Run("a_tick_after_the_opening_is_a_no_op", func(t *testing.T) {
		h := tdThen(tdClosed(plan), tgOpened(tdAt(90, 11), true, tdLeadBy().User))
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(tdAt(91, 10))).ThenNothing()
	})
	t.Run("a_tick_before_the_notice_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdApproved(plan)...).When(tgClose(tdAt(90, 10))).ThenNothing()
	})
	t.Run("the_round_of_requests_closes_into_qualification", func(t *testing.T) {
		two := tgTwoStagePlan()
		h := tdThen(tgTwoStageTendering(), procurement.RequestToParticipateReceived{SealedSubmission: tdBid("r1", tdSupplier).(procurement.BidSubmitted).SealedSubmission})
		want := procurement.TenderingClosed{Round: procurement.RoundRequests, Deadline: two.RequestDeadline, ClosedAt: two.RequestDeadline,
			Submissions: []string{"r1"}, PerLot: map[string]int{"lot-1": 1}}
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(two.RequestDeadline)).Then(want)
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(two.RequestDeadline)).ThenState(phaseIs(procurement.PhaseQualification))
	})
	for name, a := range map[string]actor.Actor{
		"the_lead":             tdLeadBy(),
		"the_hub":              by(hub),
		"a_member":             by(tdMember),
		"a_bidder":             tdSup(tdSupplier),
		"an_unregistered_name": by("atlantis"),
	} {
		t.Run("only_the_workflow_clock_closes_not_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tendering...).
				When(procurement.CloseReceipt{By: a, At: plan.TenderDeadline}).ThenError(procurement.ErrSystemOnly)
		})
	}
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(tendering, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseTendering})
		estest.For(t, procurement.Decider).Given(h...).When(tgClose(plan.TenderDeadline)).ThenError(procurement.ErrCancelled)
	})
}
