package procurement_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// Opening (DOMAIN.md §2 transition 14, §4.4, [EU-AIV]): the lead opens the
// sealed submissions only after receipt closed and not before the timetable's
// opening time; under four-eyes a first person starts and a different second
// person completes the opening. Each submission's content hash, computed from
// the sealed store, is compared with the hash received; the opening protocol
// is bound by its own hash. The workflow clock reminds of what is overdue, at
// most once per subject and local day.
//
// tdClosed's case: acme's b1 received on day 60, receipt closed at day 90
// 10:00 UTC, the opening set for 11:00.

// --- helpers ---

func tgOpen(a actor.Actor, at time.Time, verified map[string]string) procurement.OpenBids {
	return procurement.OpenBids{Verified: verified, By: a, At: at}
}

// tgVerified is the correct content hash of every submission named.
func tgVerified(ids ...string) map[string]string {
	m := map[string]string{}
	for _, id := range ids {
		m[id] = tdHashOf(id)
	}
	return m
}

// tgLine is one line of the opening protocol for tdBid(id, org).
func tgLine(id, org string, verified bool) procurement.OpenedBid {
	return procurement.OpenedBid{BidID: id, Supplier: org, Lots: []string{"lot-1"}, ReceivedAt: tdAt(60, 9), SHA256: tdHashOf(id), HashVerified: verified}
}

// tgProtocol is the opening protocol of the tenders round with its hash.
func tgProtocol(at time.Time, openers []string, lines ...procurement.OpenedBid) procurement.BidsOpened {
	p := procurement.BidsOpened{Round: procurement.RoundTenders, OpenedAt: at, OpenedBy: openers, Bids: lines, HashesVerified: true}
	for _, l := range lines {
		p.HashesVerified = p.HashesVerified && l.HashVerified
	}
	p.ProtocolHash = procurement.ProtocolHash(p)
	return p
}

// tgOpened is the protocol of tdClosed's b1 opened at at by openers.
func tgOpened(at time.Time, verified bool, openers ...string) procurement.BidsOpened {
	return tgProtocol(at, openers, tgLine("b1", tdSupplier, verified))
}

// tgLocalDay is the date of at in Oslo, the case's legal time zone.
func tgLocalDay(t testing.TB, at time.Time) string {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return at.In(loc).Format(time.DateOnly)
}

var tgHex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// --- OpenBids ---

func TestOpenBids(t *testing.T) {
	plan := tdPlan()
	closed := tdClosed(plan)
	fourEyes := tdClosed(tdFourEyes())
	officer, signatory := tdLeadBy(), tdSecondBy()
	at := plan.OpeningAt

	t.Run("the_lead_opens_the_bids_at_the_opening_time_and_the_protocol_lists_them", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(closed...).
			When(tgOpen(officer, at, tgVerified("b1"))).
			Then(tgOpened(at, true, officer.User))
	})
	t.Run("after_the_opening_the_case_is_in_evaluation_and_the_bid_unsealed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(closed...).
			When(tgOpen(officer, at, tgVerified("b1"))).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Phase != procurement.PhaseEvaluation || s.SealedBid("b1") || !s.Tendering.Bids["b1"].Opened {
					t.Fatalf("phase %s, b1 %+v", s.Phase, s.Tendering.Bids["b1"])
				}
			})
	})
	t.Run("the_protocol_is_bound_by_a_sha256_of_itself", func(t *testing.T) {
		p := tgDecide(t, closed, tgOpen(officer, at, tgVerified("b1")))[0].(procurement.BidsOpened)
		if !tgHex64.MatchString(p.ProtocolHash) || p.ProtocolHash != procurement.ProtocolHash(p) {
			t.Fatalf("protocol hash %q, recomputed %q", p.ProtocolHash, procurement.ProtocolHash(p))
		}
	})
	t.Run("the_protocol_lists_every_bid_in_the_order_received_and_leaves_out_withdrawn_ones", func(t *testing.T) {
		h := tdThen(tdTendering(plan), tdBid("b1", tdSupplier), tdBid("b2", tdOther), tdBid("b3", "polar"),
			procurement.BidWithdrawn{BidID: "b2", WithdrawnAt: tdAt(61, 9)},
			procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
				Submissions: []string{"b1", "b3"}, PerLot: map[string]int{"lot-1": 2}})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgOpen(officer, at, tgVerified("b1", "b2", "b3"))).
			Then(tgProtocol(at, []string{officer.User}, tgLine("b1", tdSupplier, true), tgLine("b3", "polar", true)))
	})
	t.Run("a_bid_still_unconfirmed_after_a_material_amendment_is_marked_in_the_protocol", func(t *testing.T) {
		h := tdThen(tgConfirmable(), procurement.BidConfirmed{BidID: "b2", Amendment: 1},
			procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: tdAt(95, 10), ClosedAt: tdAt(95, 10),
				Submissions: []string{"b1", "b2"}, PerLot: map[string]int{"lot-1": 2}})
		b1 := tgLine("b1", tdSupplier, true)
		b1.NeedsConfirmation = true
		estest.For(t, procurement.Decider).Given(h...).
			When(tgOpen(officer, tdAt(95, 11), tgVerified("b1", "b2"))).
			Then(tgProtocol(tdAt(95, 11), []string{officer.User}, b1, tgLine("b2", tdOther, true)))
	})
	t.Run("the_hash_is_compared_in_any_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(closed...).
			When(tgOpen(officer, at, map[string]string{"b1": strings.ToUpper(tdHashOf("b1"))})).
			Then(tgOpened(at, true, officer.User))
	})
	t.Run("a_content_whose_hash_differs_is_recorded_as_not_verified", func(t *testing.T) {
		got := tgDecide(t, closed, tgOpen(officer, at, map[string]string{"b1": tdHashOf("tampered")}))
		p := got[0].(procurement.BidsOpened)
		if p.HashesVerified || p.Bids[0].HashVerified {
			t.Fatalf("protocol %+v", p)
		}
		if want := tgOpened(at, false, officer.User); p.ProtocolHash != want.ProtocolHash {
			t.Fatalf("protocol %+v, want %+v", p, want)
		}
	})
	t.Run("one_bad_hash_makes_the_opening_unverified_but_not_the_other_bids", func(t *testing.T) {
		h := tdThen(tdTendering(plan), tdBid("b1", tdSupplier), tdBid("b2", tdOther),
			procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
				Submissions: []string{"b1", "b2"}, PerLot: map[string]int{"lot-1": 2}})
		verified := tgVerified("b1")
		verified["b2"] = procurement.Unreadable
		estest.For(t, procurement.Decider).Given(h...).
			When(tgOpen(officer, at, verified)).
			Then(tgProtocol(at, []string{officer.User}, tgLine("b1", tdSupplier, true), tgLine("b2", tdOther, false)))
	})
	t.Run("an_opening_without_the_hash_of_every_bid_is_refused", func(t *testing.T) {
		err := tgErr(t, closed, tgOpen(officer, at, nil), procurement.ErrOpeningUnverified)
		tgNames(t, err, "b1")
	})
	t.Run("a_probe_shows_the_protocol_without_any_hash", func(t *testing.T) {
		c := tgOpen(officer, at, nil)
		c.Probe = true
		estest.For(t, procurement.Decider).Given(closed...).When(c).Then(tgOpened(at, false, officer.User))
	})
	t.Run("opening_again_is_a_no_op", func(t *testing.T) {
		h := tdThen(closed, tgOpened(at, true, officer.User))
		estest.For(t, procurement.Decider).Given(h...).When(tgOpen(officer, at.Add(time.Hour), tgVerified("b1"))).ThenNothing()
		estest.For(t, procurement.Decider).Given(h...).When(tgOpen(signatory, at.Add(time.Hour), tgVerified("b1"))).ThenNothing()
	})

	t.Run("under_four_eyes_the_first_person_starts_the_opening", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(fourEyes...).
			When(tgOpen(officer, at, tgVerified("b1"))).
			Then(procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: officer.User})
	})
	t.Run("a_started_opening_leaves_the_bids_sealed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(fourEyes...).
			When(tgOpen(officer, at, nil)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Phase != procurement.PhaseReceiptClosed || !s.SealedBid("b1") {
					t.Fatalf("phase %s, b1 sealed %v", s.Phase, s.SealedBid("b1"))
				}
			})
	})
	t.Run("the_same_person_cannot_complete_it", func(t *testing.T) {
		h := tdThen(fourEyes, procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: officer.User})
		err := tgErr(t, h, tgOpen(officer, at.Add(time.Minute), tgVerified("b1")), procurement.ErrSecondOpenerRequired)
		tgNames(t, err, officer.User)
	})
	t.Run("the_same_person_from_another_organisation_is_still_the_same_person", func(t *testing.T) {
		// Only the lead opens at all; the person is what four-eyes counts.
		h := tdThen(fourEyes, procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: officer.User})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgOpen(actor.Actor{User: officer.User, Org: hub}, at, tgVerified("b1"))).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("a_second_person_completes_it_and_both_are_in_the_protocol", func(t *testing.T) {
		h := tdThen(fourEyes, procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: officer.User})
		estest.For(t, procurement.Decider).Given(h...).
			When(tgOpen(signatory, at.Add(time.Minute), tgVerified("b1"))).
			Then(tgOpened(at.Add(time.Minute), true, officer.User, signatory.User))
	})
	t.Run("four_eyes_by_commands_from_start_to_protocol", func(t *testing.T) {
		h := tdThen(fourEyes, tgDecide(t, fourEyes, tgOpen(signatory, at, nil))...)
		got := tgDecide(t, h, tgOpen(officer, at.Add(time.Minute), tgVerified("b1")))
		p, ok := got[0].(procurement.BidsOpened)
		if !ok || !slices.Equal(p.OpenedBy, []string{signatory.User, officer.User}) || !p.HashesVerified {
			t.Fatalf("got %#v", got)
		}
	})

	t.Run("not_before_receipt_closed_even_after_the_deadline", func(t *testing.T) {
		h := tdThen(tdTendering(plan), tdBid("b1", tdSupplier))
		err := tgErr(t, h, tgOpen(officer, at, tgVerified("b1")), procurement.ErrOpeningBeforeClose)
		tgNames(t, err, plan.TenderDeadline.Format(time.RFC3339))
	})
	t.Run("not_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdApproved(plan)...).
			When(tgOpen(officer, at, nil)).ThenError(procurement.ErrOpeningBeforeClose)
	})
	t.Run("not_before_the_opening_time_of_the_timetable", func(t *testing.T) {
		err := tgErr(t, closed, tgOpen(officer, at.Add(-time.Second), tgVerified("b1")), procurement.ErrOpeningBeforeTime)
		tgNames(t, err, at.Format(time.RFC3339))
	})
	t.Run("four_eyes_cannot_start_before_the_opening_time_either", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(fourEyes...).
			When(tgOpen(officer, plan.TenderDeadline, nil)).ThenError(procurement.ErrOpeningBeforeTime)
	})
	t.Run("nothing_to_open_without_submissions", func(t *testing.T) {
		h := tdThen(tdTendering(plan), tdBid("b1", tdSupplier), procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(61, 9)},
			procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline, PerLot: map[string]int{}})
		estest.For(t, procurement.Decider).Given(h...).When(tgOpen(officer, at, tgVerified("b1"))).ThenError(procurement.ErrNoBids)
	})
	t.Run("the_round_of_requests_is_opened_after_its_close_into_qualification", func(t *testing.T) {
		two := tgTwoStagePlan()
		sub := tdBid("r1", tdSupplier).(procurement.BidSubmitted).SealedSubmission
		h := tdThen(tgTwoStageTendering(), procurement.RequestToParticipateReceived{SealedSubmission: sub},
			procurement.TenderingClosed{Round: procurement.RoundRequests, Deadline: two.RequestDeadline, ClosedAt: two.RequestDeadline,
				Submissions: []string{"r1"}, PerLot: map[string]int{"lot-1": 1}})
		openAt := two.RequestDeadline.Add(time.Hour)
		want := procurement.BidsOpened{Round: procurement.RoundRequests, OpenedAt: openAt, OpenedBy: []string{officer.User},
			Bids: []procurement.OpenedBid{tgLine("r1", tdSupplier, true)}, HashesVerified: true}
		want.ProtocolHash = procurement.ProtocolHash(want)
		estest.For(t, procurement.Decider).Given(h...).When(tgOpen(officer, openAt, tgVerified("r1"))).Then(want)
		estest.For(t, procurement.Decider).Given(h...).When(tgOpen(officer, openAt, tgVerified("r1"))).
			ThenState(phaseIs(procurement.PhaseQualification))
	})
	for name, c := range map[string]struct {
		by   actor.Actor
		want error
	}{
		"the_hub":          {by(hub), procurement.ErrLeadOnly},
		"the_other_member": {by(tdMember), procurement.ErrLeadOnly},
		"the_bidder":       {tdSup(tdSupplier), procurement.ErrNotFound},
		"a_stranger":       {by("tromso"), procurement.ErrNotFound},
	} {
		t.Run("only_the_lead_opens_not_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(closed...).When(tgOpen(c.by, at, tgVerified("b1"))).ThenError(c.want)
		})
	}
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(closed, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseReceiptClosed})
		estest.For(t, procurement.Decider).Given(h...).When(tgOpen(officer, at, tgVerified("b1"))).ThenError(procurement.ErrCancelled)
	})
}

// --- ProtocolHash ---

func TestProtocolHash(t *testing.T) {
	base := func() procurement.BidsOpened {
		return tgProtocol(tdAt(90, 11), []string{"officer@oslo", "signatory@oslo"},
			tgLine("b1", tdSupplier, true), tgLine("b2", tdOther, true))
	}

	t.Run("is_stable_for_the_same_protocol", func(t *testing.T) {
		a, b := base(), base()
		if procurement.ProtocolHash(a) != procurement.ProtocolHash(b) || !tgHex64.MatchString(procurement.ProtocolHash(a)) {
			t.Fatalf("%q vs %q", procurement.ProtocolHash(a), procurement.ProtocolHash(b))
		}
	})
	t.Run("does_not_depend_on_the_hash_field_itself", func(t *testing.T) {
		p := base()
		want := procurement.ProtocolHash(p)
		p.ProtocolHash = "something else"
		if got := procurement.ProtocolHash(p); got != want {
			t.Fatalf("%q, want %q", got, want)
		}
	})
	t.Run("is_the_same_after_storage", func(t *testing.T) {
		p := base()
		reg := procurement.Events()
		name, v, data, err := reg.Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		back, _, err := reg.Decode(name, v, data)
		if err != nil {
			t.Fatal(err)
		}
		stored := back.(procurement.BidsOpened)
		if procurement.ProtocolHash(stored) != stored.ProtocolHash || stored.ProtocolHash != p.ProtocolHash {
			t.Fatalf("stored %q recomputed %q original %q", stored.ProtocolHash, procurement.ProtocolHash(stored), p.ProtocolHash)
		}
	})
	for name, change := range map[string]func(*procurement.BidsOpened){
		"the_round":              func(p *procurement.BidsOpened) { p.Round = procurement.RoundRequests },
		"the_opening_time":       func(p *procurement.BidsOpened) { p.OpenedAt = p.OpenedAt.Add(time.Second) },
		"an_opener":              func(p *procurement.BidsOpened) { p.OpenedBy = []string{"officer@oslo", "someone@oslo"} },
		"the_order_of_openers":   func(p *procurement.BidsOpened) { p.OpenedBy = []string{"signatory@oslo", "officer@oslo"} },
		"the_verdict":            func(p *procurement.BidsOpened) { p.HashesVerified = false },
		"a_bid_left_out":         func(p *procurement.BidsOpened) { p.Bids = p.Bids[:1] },
		"the_order_of_bids":      func(p *procurement.BidsOpened) { p.Bids[0], p.Bids[1] = p.Bids[1], p.Bids[0] },
		"a_bid_id":               func(p *procurement.BidsOpened) { p.Bids[0].BidID = "b9" },
		"a_supplier":             func(p *procurement.BidsOpened) { p.Bids[0].Supplier = "polar" },
		"a_bids_lots":            func(p *procurement.BidsOpened) { p.Bids[0].Lots = []string{"lot-2"} },
		"a_receipt_time":         func(p *procurement.BidsOpened) { p.Bids[1].ReceivedAt = p.Bids[1].ReceivedAt.Add(time.Nanosecond) },
		"a_content_hash":         func(p *procurement.BidsOpened) { p.Bids[1].SHA256 = tdHashOf("other") },
		"a_bids_verification":    func(p *procurement.BidsOpened) { p.Bids[1].HashVerified = false },
		"a_bids_confirmation":    func(p *procurement.BidsOpened) { p.Bids[1].NeedsConfirmation = true },
		"no_bids_instead_of_two": func(p *procurement.BidsOpened) { p.Bids = nil },
	} {
		t.Run("changes_with_"+name, func(t *testing.T) {
			p := base()
			want := procurement.ProtocolHash(p)
			p.Bids = slices.Clone(p.Bids)
			change(&p)
			if procurement.ProtocolHash(p) == want {
				t.Fatalf("the hash stayed %q", want)
			}
		})
	}
}

// --- SendReminder ---

func TestSendReminder(t *testing.T) {
	plan := tdPlan()
	question := tdThen(tdTendering(plan), tgTenderQuestion("q9"))
	remind := func(kind procurement.ReminderKind, subject string, at time.Time) procurement.SendReminder {
		return procurement.SendReminder{Kind: kind, Subject: subject, By: tdSystem(), At: at}
	}
	voting := tdThen(tdDesigned(plan), procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)},
		procurement.TenderDocumentsApproved{Org: tdLead, Version: 1, DocumentHash: tdDocsHash})

	t.Run("the_lead_is_reminded_of_an_unanswered_question", func(t *testing.T) {
		at := tdAt(75, 9)
		estest.For(t, procurement.Decider).Given(question...).
			When(remind(procurement.ReminderUnansweredQuestion, "q9", at)).
			Then(procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q9", Recipients: []string{tdLead}, Day: tgLocalDay(t, at)})
	})
	t.Run("the_day_is_the_local_day_of_the_case", func(t *testing.T) {
		// 23:00 UTC in May is 01:00 the next day in Oslo.
		at := tdAt(75, 23)
		got := tgDecide(t, question, remind(procurement.ReminderUnansweredQuestion, "q9", at))
		day := got[0].(procurement.ReminderSent).Day
		if day != tgLocalDay(t, at) || day == at.Format(time.DateOnly) {
			t.Fatalf("day %s for %v", day, at)
		}
	})
	t.Run("one_reminder_per_subject_and_local_day", func(t *testing.T) {
		h := tdThen(question, procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q9", Recipients: []string{tdLead},
			Day: tgLocalDay(t, tdAt(75, 9))})
		estest.For(t, procurement.Decider).Given(h...).When(remind(procurement.ReminderUnansweredQuestion, "q9", tdAt(75, 20))).ThenNothing()
		estest.For(t, procurement.Decider).Given(h...).When(remind(procurement.ReminderUnansweredQuestion, "q9", tdAt(76, 9))).
			Then(procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q9", Recipients: []string{tdLead}, Day: tgLocalDay(t, tdAt(76, 9))})
	})
	t.Run("another_subject_the_same_day_is_reminded", func(t *testing.T) {
		h := tdThen(question, tgTenderQuestion("q10"), procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q9",
			Recipients: []string{tdLead}, Day: tgLocalDay(t, tdAt(75, 9))})
		estest.For(t, procurement.Decider).Given(h...).When(remind(procurement.ReminderUnansweredQuestion, "q10", tdAt(75, 10))).
			Then(procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q10", Recipients: []string{tdLead}, Day: tgLocalDay(t, tdAt(75, 10))})
	})
	t.Run("nothing_once_the_question_is_answered", func(t *testing.T) {
		h := tdThen(question, tgAnswered("q9"))
		estest.For(t, procurement.Decider).Given(h...).When(remind(procurement.ReminderUnansweredQuestion, "q9", tdAt(75, 9))).ThenNothing()
	})
	t.Run("an_unknown_question", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(question...).
			When(remind(procurement.ReminderUnansweredQuestion, "q1", tdAt(75, 9))).ThenError(procurement.ErrInvalidReminder)
	})
	t.Run("the_members_that_have_not_voted_are_reminded_of_the_documents", func(t *testing.T) {
		at := tdAt(46, 9)
		estest.For(t, procurement.Decider).Given(voting...).
			When(remind(procurement.ReminderMissingApproval, procurement.DocsSubject(1), at)).
			Then(procurement.ReminderSent{Kind: procurement.ReminderMissingApproval, Subject: "documents-v1", Recipients: []string{tdMember}, Day: tgLocalDay(t, at)})
	})
	t.Run("nothing_when_no_vote_is_missing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdApproved(plan)...).
			When(remind(procurement.ReminderMissingApproval, procurement.DocsSubject(1), tdAt(47, 9))).ThenNothing()
	})
	t.Run("only_for_the_current_documents_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(voting...).
			When(remind(procurement.ReminderMissingApproval, procurement.DocsSubject(2), tdAt(46, 9))).ThenError(procurement.ErrInvalidReminder)
		estest.For(t, procurement.Decider).Given(tdDesigned(plan)...).
			When(remind(procurement.ReminderMissingApproval, procurement.DocsSubject(1), tdAt(46, 9))).ThenError(procurement.ErrInvalidReminder)
	})
	t.Run("an_unknown_kind_of_reminder", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(question...).
			When(remind("OVERDUE_INVOICE", "q9", tdAt(75, 9))).ThenError(procurement.ErrInvalidReminder)
	})
	for name, a := range map[string]actor.Actor{"the_lead": tdLeadBy(), "the_hub": by(hub), "a_supplier": tdSup(tdSupplier)} {
		t.Run("only_the_workflow_clock_reminds_not_"+name, func(t *testing.T) {
			c := remind(procurement.ReminderUnansweredQuestion, "q9", tdAt(75, 9))
			c.By = a
			estest.For(t, procurement.Decider).Given(question...).When(c).ThenError(procurement.ErrSystemOnly)
		})
	}
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := tdThen(question, procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseTendering})
		estest.For(t, procurement.Decider).Given(h...).
			When(remind(procurement.ReminderUnansweredQuestion, "q9", tdAt(75, 9))).ThenError(procurement.ErrCancelled)
	})
	t.Run("a_documents_version_is_named_as_its_subject", func(t *testing.T) {
		if got := procurement.DocsSubject(3); got != "documents-v3" {
			t.Fatalf("got %q", got)
		}
	})
}
