package procurement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
)

// Sealed submissions (DOMAIN.md §2 bid sub-machine, §4.4, §5 SEALED): only a
// supplier hands in a tender (or, in the first round of a two-stage
// procedure, a request to participate) and only before the deadline on the
// server's clock; the log holds its metadata, never its content. A supplier
// replaces, withdraws or confirms only its own submission, and only before
// the deadline; to it another supplier's submission does not exist.
//
// The case is tdTendering's: the tender deadline is day 90 10:00 UTC, acme is
// registered, nordic is a supplier that never registered.

// --- helpers ---

// tgSubmit is supplier org submitting id for lot-1 at at, as tdBid records it.
func tgSubmit(id, org string, at time.Time) procurement.SubmitBid {
	return procurement.SubmitBid{BidID: id, Lots: []string{"lot-1"}, SHA256: tdHashOf(id), CiphertextRef: "sealed:" + id,
		SizeBytes: 1024, SupplierKind: tdSupplierKind, By: tdSup(org), At: at}
}

// tgSubmittedAt is tdBid received at at.
func tgSubmittedAt(id, org string, at time.Time) procurement.Event {
	b := tdBid(id, org).(procurement.BidSubmitted)
	b.ReceivedAt = at
	return b
}

// tgReplaceBid is supplier org replacing id's content by content at at.
func tgReplaceBid(id, org, content string, at time.Time) procurement.ReplaceBid {
	return procurement.ReplaceBid{BidID: id, SHA256: tdHashOf(content), CiphertextRef: "sealed:" + content, SizeBytes: 2048, By: tdSup(org), At: at}
}

func tgReplaced(id string, version int, content string, at time.Time) procurement.BidReplaced {
	return procurement.BidReplaced{BidID: id, Version: version, ReceivedAt: at, SHA256: tdHashOf(content), CiphertextRef: "sealed:" + content, SizeBytes: 2048}
}

func tgWithdraw(id, org string, at time.Time) procurement.WithdrawBid {
	return procurement.WithdrawBid{BidID: id, By: tdSup(org), At: at}
}

func tgConfirm(id, org string, amendment int, at time.Time) procurement.ConfirmBid {
	return procurement.ConfirmBid{BidID: id, Amendment: amendment, By: tdSup(org), At: at}
}

// tgConfirmable is the tendering with acme's b1 and nordic's b2 after
// material amendment 1 moved the deadline to day 95 and asked both to confirm.
func tgConfirmable() []procurement.Event {
	return tdThen(tdTendering(tdPlan()), tdBid("b1", tdSupplier), tdBid("b2", tdOther),
		tgAmended(1, true, tdAt(85, 9), tdSupplier, tdOther),
		procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: tdAt(90, 10), To: tdAt(95, 10)},
		procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b1", "b2"}})
}

// tgBidIs checks one submission's metadata in the state.
func tgBidIs(id string, check func(procurement.Bid) bool) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		b, ok := s.Tendering.Bids[id]
		if !ok || !check(b) {
			t.Fatalf("submission %s is %+v (found %v)", id, b, ok)
		}
	}
}

// --- SubmitBid ---

func TestSubmitBid(t *testing.T) {
	plan := tdPlan()
	tendering := tdTendering(plan)
	deadline := plan.TenderDeadline

	t.Run("a_supplier_hands_in_a_sealed_tender", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).
			When(tgSubmit("b1", tdSupplier, tdAt(60, 9))).
			Then(tdBid("b1", tdSupplier))
	})
	t.Run("the_submission_is_sealed_metadata_of_the_supplier", func(t *testing.T) {
		got := tgDecide(t, tendering, tgSubmit("b1", tdSupplier, tdAt(60, 9)))
		if v, owner := procurement.VisibilityOf(got[0]); v != procurement.VisibilitySealed || owner != tdSupplier {
			t.Fatalf("visibility %s of %q, want SEALED of acme", v, owner)
		}
		estest.For(t, procurement.Decider).Given(tendering...).When(tgSubmit("b1", tdSupplier, tdAt(60, 9))).
			ThenState(tgBidIs("b1", func(b procurement.Bid) bool {
				return b.Round == procurement.RoundTenders && b.Version == 1 && !b.Withdrawn && !b.Opened
			}))
	})
	t.Run("a_supplier_need_not_have_registered_to_bid", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).
			When(tgSubmit("b2", tdOther, tdAt(60, 9))).
			Then(tdBid("b2", tdOther))
	})
	t.Run("the_lots_are_sorted_once_each_and_the_hash_read_in_any_case", func(t *testing.T) {
		c := tgSubmit("b1", tdSupplier, tdAt(60, 9))
		c.Lots = []string{"lot-2", "lot-1", "lot-2"}
		c.SHA256 = " " + strings.ToUpper(tdHashOf("b1")) + " "
		estest.For(t, procurement.Decider).Given(tgTwoLots(tendering)...).When(c).
			Then(tgBidFor("b1", tdSupplier, "lot-1", "lot-2"))
	})
	t.Run("one_second_before_the_deadline_is_in_time", func(t *testing.T) {
		at := deadline.Add(-time.Second)
		estest.For(t, procurement.Decider).Given(tendering...).When(tgSubmit("b1", tdSupplier, at)).Then(tgSubmittedAt("b1", tdSupplier, at))
	})
	t.Run("a_bid_at_the_deadline_is_late", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tendering...).When(tgSubmit("b1", tdSupplier, deadline)).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("a_bid_after_the_deadline_is_late_even_before_receipt_closes", func(t *testing.T) {
		err := tgErr(t, tendering, tgSubmit("b1", tdSupplier, deadline.Add(time.Minute)), procurement.ErrLateSubmission)
		tgNames(t, err, deadline.Format(time.RFC3339))
	})
	t.Run("a_bid_after_receipt_closed_is_late", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(plan)...).When(tgSubmit("b2", tdOther, tdAt(91, 9))).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("an_extended_deadline_admits_a_bid_after_the_first_one", func(t *testing.T) {
		h := tdThen(tendering, tgAmended(1, true, tdAt(85, 9), tdSupplier),
			procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: deadline, To: tdAt(95, 10)})
		estest.For(t, procurement.Decider).Given(h...).When(tgSubmit("b1", tdSupplier, tdAt(92, 9))).Then(tgSubmittedAt("b1", tdSupplier, tdAt(92, 9)))
	})
	t.Run("only_for_a_defined_lot", func(t *testing.T) {
		c := tgSubmit("b1", tdSupplier, tdAt(60, 9))
		c.Lots = []string{"lot-1", "lot-9"}
		err := tgErr(t, tendering, c, procurement.ErrUnknownLot)
		tgNames(t, err, "lot-9")
	})
	t.Run("one_submission_per_supplier_and_round", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier))
		err := tgErr(t, h, tgSubmit("b2", tdSupplier, tdAt(61, 9)), procurement.ErrAlreadySubmitted)
		tgNames(t, err, "b1")
	})
	t.Run("after_withdrawing_a_supplier_may_submit_anew", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier), procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(61, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(tgSubmit("b2", tdSupplier, tdAt(62, 9))).Then(tgSubmittedAt("b2", tdSupplier, tdAt(62, 9)))
	})
	t.Run("another_suppliers_submission_id_is_taken", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).When(tgSubmit("b1", tdOther, tdAt(61, 9))).ThenError(procurement.ErrBidIDTaken)
	})
	t.Run("submitting_the_same_again_is_a_no_op", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).When(tgSubmit("b1", tdSupplier, tdAt(60, 10))).ThenNothing()
	})
	t.Run("other_content_under_the_same_id_is_a_replacement_not_a_submission", func(t *testing.T) {
		h := tdThen(tendering, tdBid("b1", tdSupplier))
		c := tgSubmit("b1", tdSupplier, tdAt(61, 9))
		c.SHA256 = tdHashOf("other content")
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrBidIDTaken)
	})
	t.Run("in_the_first_round_of_a_two_stage_procedure_it_is_a_request_to_participate", func(t *testing.T) {
		sub := tdBid("r1", tdSupplier).(procurement.BidSubmitted).SealedSubmission
		estest.For(t, procurement.Decider).Given(tgTwoStageTendering()...).
			When(tgSubmit("r1", tdSupplier, tdAt(60, 9))).
			Then(procurement.RequestToParticipateReceived{SealedSubmission: sub})
	})
	t.Run("a_request_after_the_request_deadline_is_late", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tgTwoStageTendering()...).
			When(tgSubmit("r1", tdSupplier, tgTwoStagePlan().RequestDeadline)).ThenError(procurement.ErrLateSubmission)
	})

	t.Run("before_any_notice_the_case_does_not_exist_for_a_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(tgSubmit("b1", tdSupplier, tdAt(60, 9))).ThenError(procurement.ErrNotFound)
	})
	t.Run("after_the_dialogue_but_before_the_contract_notice_the_competition_is_not_open", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdApproved(plan)...).
			When(tgSubmit("b1", tdSupplier, tdAt(49, 9))).ThenError(procurement.ErrNotTendering)
	})
	for name, c := range map[string]struct {
		by   actor.Actor
		kind organisation.Kind
	}{
		"a_member_municipality":           {by(tdMember), organisation.KindMunicipality},
		"the_lead":                        {tdLeadBy(), organisation.KindMunicipality},
		"the_hub":                         {by(hub), organisation.KindHub},
		"a_research_body":                 {by("sintef"), organisation.KindOther},
		"a_supplier_of_no_kind":           {tdSup(tdSupplier), ""},
		"a_supplier_registered_otherwise": {tdSup(tdSupplier), organisation.KindMunicipality},
	} {
		t.Run("only_a_supplier_bids_not_"+name, func(t *testing.T) {
			cmd := tgSubmit("b1", c.by.Org, tdAt(60, 9))
			cmd.By, cmd.SupplierKind = c.by, c.kind
			estest.For(t, procurement.Decider).Given(tendering...).When(cmd).ThenError(procurement.ErrNotSupplier)
		})
	}
	for name, c := range map[string]struct {
		change func(*procurement.SubmitBid)
		want   error
	}{
		"a_hash_that_is_no_sha256": {func(c *procurement.SubmitBid) { c.SHA256 = "abc" }, procurement.ErrInvalidContentHash},
		"no_ciphertext":            {func(c *procurement.SubmitBid) { c.CiphertextRef = "" }, procurement.ErrInvalidCiphertext},
		"a_ciphertext_ref_too_long": {func(c *procurement.SubmitBid) { c.CiphertextRef = strings.Repeat("r", 201) },
			procurement.ErrInvalidCiphertext},
		"an_empty_content":   {func(c *procurement.SubmitBid) { c.SizeBytes = 0 }, procurement.ErrInvalidCiphertext},
		"a_bid_id_of_spaces": {func(c *procurement.SubmitBid) { c.BidID = "b 1" }, procurement.ErrInvalidBidID},
		"no_lots":            {func(c *procurement.SubmitBid) { c.Lots = nil }, procurement.ErrLotsRequired},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := tgSubmit("b1", tdSupplier, tdAt(60, 9))
			c.change(&cmd)
			estest.For(t, procurement.Decider).Given(tendering...).When(cmd).ThenError(c.want)
		})
	}
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(tendering, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseTendering})
		estest.For(t, procurement.Decider).Given(h...).When(tgSubmit("b1", tdSupplier, tdAt(60, 9))).ThenError(procurement.ErrCancelled)
	})
}

// --- ReplaceBid ---

func TestReplaceBid(t *testing.T) {
	plan := tdPlan()
	withBid := tdThen(tdTendering(plan), tdBid("b1", tdSupplier))

	t.Run("a_supplier_replaces_its_content_before_the_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(70, 9))).
			Then(tgReplaced("b1", 2, "acme v2", tdAt(70, 9)))
	})
	t.Run("each_replacement_is_the_next_version_and_the_last_content_counts", func(t *testing.T) {
		h := tdThen(withBid, tgReplaced("b1", 2, "acme v2", tdAt(70, 9)))
		estest.For(t, procurement.Decider).Given(h...).
			When(tgReplaceBid("b1", tdSupplier, "acme v3", tdAt(71, 9))).
			ThenState(tgBidIs("b1", func(b procurement.Bid) bool {
				return b.Version == 3 && b.SHA256 == tdHashOf("acme v3") && b.ReceivedAt.Equal(tdAt(71, 9)) && b.SizeBytes == 2048
			}))
	})
	t.Run("a_replacement_answers_a_request_to_confirm", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tgConfirmable()...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(91, 9))).
			ThenState(tgBidIs("b1", func(b procurement.Bid) bool { return !b.NeedsConfirmation && b.Version == 2 }))
	})
	t.Run("replacing_with_the_same_content_is_a_no_op", func(t *testing.T) {
		h := tdThen(withBid, tgReplaced("b1", 2, "acme v2", tdAt(70, 9)))
		estest.For(t, procurement.Decider).Given(h...).When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(70, 10))).ThenNothing()
	})
	t.Run("another_suppliers_submission_does_not_exist_for_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgReplaceBid("b1", tdOther, "nordic's", tdAt(70, 9))).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("an_unknown_submission", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgReplaceBid("b9", tdSupplier, "acme v2", tdAt(70, 9))).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("not_at_the_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", plan.TenderDeadline)).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("not_after_receipt_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(plan)...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(91, 9))).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("not_after_the_opening", func(t *testing.T) {
		h := tdThen(tdClosed(plan), tgOpened(tdAt(90, 11), true, tdLeadBy().User))
		estest.For(t, procurement.Decider).Given(h...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(91, 9))).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("not_a_withdrawn_submission", func(t *testing.T) {
		h := tdThen(withBid, procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(61, 9)})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(70, 9))).ThenError(procurement.ErrBidWithdrawn)
	})
	for name, c := range map[string]struct {
		change func(*procurement.ReplaceBid)
		want   error
	}{
		"a_hash_that_is_no_sha256": {func(c *procurement.ReplaceBid) { c.SHA256 = "abc" }, procurement.ErrInvalidContentHash},
		"no_ciphertext":            {func(c *procurement.ReplaceBid) { c.CiphertextRef = "" }, procurement.ErrInvalidCiphertext},
		"an_empty_content":         {func(c *procurement.ReplaceBid) { c.SizeBytes = 0 }, procurement.ErrInvalidCiphertext},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(70, 9))
			c.change(&cmd)
			estest.For(t, procurement.Decider).Given(withBid...).When(cmd).ThenError(c.want)
		})
	}
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(withBid, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseTendering})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgReplaceBid("b1", tdSupplier, "acme v2", tdAt(70, 9))).ThenError(procurement.ErrCancelled)
	})
}

// --- WithdrawBid ---

func TestWithdrawBid(t *testing.T) {
	plan := tdPlan()
	withBid := tdThen(tdTendering(plan), tdBid("b1", tdSupplier))

	t.Run("a_supplier_withdraws_its_submission_before_the_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgWithdraw("b1", tdSupplier, tdAt(70, 9))).
			Then(procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(70, 9)})
	})
	t.Run("the_withdrawn_submission_stays_in_the_log_as_withdrawn", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgWithdraw("b1", tdSupplier, tdAt(70, 9))).
			ThenState(tgBidIs("b1", func(b procurement.Bid) bool { return b.Withdrawn && b.SHA256 == tdHashOf("b1") }))
	})
	t.Run("withdrawing_again_is_a_no_op_even_after_the_deadline", func(t *testing.T) {
		h := tdThen(withBid, procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(70, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(tgWithdraw("b1", tdSupplier, tdAt(71, 9))).ThenNothing()
		estest.For(t, procurement.Decider).Given(h...).When(tgWithdraw("b1", tdSupplier, tdAt(91, 9))).ThenNothing()
	})
	t.Run("another_suppliers_submission_does_not_exist_for_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgWithdraw("b1", tdOther, tdAt(70, 9))).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("the_lead_cannot_withdraw_a_suppliers_submission", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(procurement.WithdrawBid{BidID: "b1", By: tdLeadBy(), At: tdAt(70, 9)}).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("not_at_the_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBid...).
			When(tgWithdraw("b1", tdSupplier, plan.TenderDeadline)).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("not_after_receipt_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(plan)...).
			When(tgWithdraw("b1", tdSupplier, tdAt(91, 9))).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(withBid, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseTendering})
		estest.For(t, procurement.Decider).Given(h...).When(tgWithdraw("b1", tdSupplier, tdAt(70, 9))).ThenError(procurement.ErrCancelled)
	})
}

// --- ConfirmBid ---

func TestConfirmBid(t *testing.T) {
	limits := tdLimits(t)
	confirmable := tgConfirmable()

	t.Run("a_supplier_confirms_its_submission_against_the_amendment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(confirmable...).
			When(tgConfirm("b1", tdSupplier, 1, tdAt(91, 9))).
			Then(procurement.BidConfirmed{BidID: "b1", Amendment: 1})
	})
	t.Run("a_confirmed_submission_needs_no_more_confirmation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(confirmable...).
			When(tgConfirm("b1", tdSupplier, 1, tdAt(91, 9))).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Tendering.Bids["b1"].NeedsConfirmation || !s.Tendering.Bids["b2"].NeedsConfirmation {
					t.Fatalf("b1 %+v, b2 %+v", s.Tendering.Bids["b1"], s.Tendering.Bids["b2"])
				}
			})
	})
	t.Run("the_amendment_asks_through_the_command_as_well", func(t *testing.T) {
		// From the command: the amendment asks b1 to confirm, and b1 confirms.
		h := tdThen(tdTendering(tdPlan()), tdBid("b1", tdSupplier))
		h = append(h, tgDecide(t, h, tgAmend(limits, true, tdAt(85, 9), tdAt(95, 10)))...)
		estest.For(t, procurement.Decider).Given(h...).
			When(tgConfirm("b1", tdSupplier, 1, tdAt(86, 9))).
			Then(procurement.BidConfirmed{BidID: "b1", Amendment: 1})
	})
	t.Run("confirming_again_is_a_no_op", func(t *testing.T) {
		h := tdThen(confirmable, procurement.BidConfirmed{BidID: "b1", Amendment: 1})
		estest.For(t, procurement.Decider).Given(h...).When(tgConfirm("b1", tdSupplier, 1, tdAt(92, 9))).ThenNothing()
	})
	t.Run("a_submission_after_the_amendment_has_nothing_to_confirm", func(t *testing.T) {
		h := tdThen(confirmable, tgSubmittedAt("b3", "polar", tdAt(88, 9)))
		estest.For(t, procurement.Decider).Given(h...).
			When(procurement.ConfirmBid{BidID: "b3", Amendment: 1, By: tdSup("polar"), At: tdAt(89, 9)}).ThenNothing()
	})
	t.Run("a_non_material_amendment_asks_for_nothing", func(t *testing.T) {
		h := tdThen(tdTendering(tdPlan()), tdBid("b1", tdSupplier), tgAmended(1, false, tdAt(70, 9), tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).When(tgConfirm("b1", tdSupplier, 1, tdAt(71, 9))).ThenNothing()
	})
	t.Run("an_outdated_amendment_is_refused_and_the_error_names_the_latest", func(t *testing.T) {
		h := tdThen(confirmable, tgAmended(2, false, tdAt(86, 9), tdSupplier, tdOther))
		err := tgErr(t, h, tgConfirm("b1", tdSupplier, 1, tdAt(87, 9)), procurement.ErrAmendmentOutdated)
		tgNames(t, err, "2")
		estest.For(t, procurement.Decider).Given(h...).When(tgConfirm("b1", tdSupplier, 2, tdAt(87, 9))).
			Then(procurement.BidConfirmed{BidID: "b1", Amendment: 2})
	})
	for name, amendment := range map[string]int{"none": 0, "a_future_one": 2, "a_negative_one": -1} {
		t.Run("refused_against_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(confirmable...).
				When(tgConfirm("b1", tdSupplier, amendment, tdAt(91, 9))).ThenError(procurement.ErrAmendmentOutdated)
		})
	}
	t.Run("another_suppliers_submission_does_not_exist_for_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(confirmable...).
			When(tgConfirm("b1", tdOther, 1, tdAt(91, 9))).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("not_a_withdrawn_submission", func(t *testing.T) {
		h := tdThen(confirmable, procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(86, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(tgConfirm("b1", tdSupplier, 1, tdAt(91, 9))).ThenError(procurement.ErrBidWithdrawn)
	})
	t.Run("not_at_the_extended_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(confirmable...).
			When(tgConfirm("b1", tdSupplier, 1, tdAt(95, 10))).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("not_after_receipt_closed", func(t *testing.T) {
		h := tdThen(confirmable, procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: tdAt(95, 10), ClosedAt: tdAt(95, 10),
			Submissions: []string{"b1", "b2"}, PerLot: map[string]int{"lot-1": 2}})
		estest.For(t, procurement.Decider).Given(h...).When(tgConfirm("b1", tdSupplier, 1, tdAt(95, 11))).ThenError(procurement.ErrLateSubmission)
	})
}
