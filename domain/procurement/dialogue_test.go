package procurement_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
)

// The market dialogue (DOMAIN.md §1 P3, §4.4): the hub or the lead invites the
// market, suppliers register, every meeting is offered to every registered
// supplier, minutes have a public part, every answer goes to every registered
// supplier with the question anonymised, and the dialogue closes only when
// nothing is unanswered or unminuted and the levelling measures are recorded.
//
// The case is the tender fixtures' one: oslo leads, bergen is the other
// member, lup is the hub, acme and nordic are suppliers, tromso and sintef have
// nothing to do with the case. The notice is published on day 20 with
// registration until day 30 at 12:00 UTC.

const (
	dlStranger = "tromso" // a municipality outside the case
	dlResearch = "sintef" // an organisation that is no supplier
	dlSummary  = "We presented the needs and answered questions."
	dlQuestion = "Does a radar based detector qualify?"
	dlAnswerTx = "Yes, any technology that meets the functional requirements qualifies."
	dlReason   = "the room is not available"
	dlTitle    = "Meet the buyers"
	dlMeasure  = "all answers published to all"
)

// dlHub is the hub's coordinator.
func dlHub() actor.Actor { return by(hub) }

// dlErr decides c against the history h and returns the error, for the tests
// that read the error's message as well as its code.
func dlErr(t testing.TB, h []procurement.Event, c procurement.Command) error {
	t.Helper()
	got, err := procurement.Decider.Decide(procurement.Decider.Fold(h), c)
	if err == nil {
		t.Fatalf("want an error, got events %#v", got)
	}
	return err
}

// dlMessageNames checks an error is want and its message names every one of names.
func dlMessageNames(t testing.TB, err, want error, names ...string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("want %v, got %v", want, err)
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Fatalf("message %q does not name %q", err.Error(), n)
		}
	}
}

// dlOpen is the case in NEEDS with the dialogue notice published and nobody registered.
func dlOpen() []procurement.Event { return tdThen(tdNeedsApproved(), tdNoticeEvent()) }

// dlCancelledCase is h followed by the case being cancelled in phase p.
func dlCancelledCase(h []procurement.Event, p procurement.Phase) []procurement.Event {
	return tdThen(h, procurement.ProcurementCancelled{Reason: "the need is covered by a national agreement", PreviousPhase: p})
}

// --- commands ---

func dlNotice(a actor.Actor) procurement.PublishDialogueNotice {
	return procurement.PublishDialogueNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-100200",
		Text: "Market dialogue on avalanche sensors", RegistrationDeadline: tdAt(30, 12), By: a, At: tdAt(20, 9)}
}

// dlRegister is supplier org registering itself.
func dlRegister(org string, at time.Time) procurement.RegisterSupplier {
	return procurement.RegisterSupplier{SupplierKind: tdSupplierKind, By: tdSup(org), At: at}
}

// dlRegisterFor is a recording supplier org's registration on its behalf.
func dlRegisterFor(a actor.Actor, org string, at time.Time) procurement.RegisterSupplier {
	return procurement.RegisterSupplier{Supplier: org, SupplierKind: tdSupplierKind, By: a, At: at}
}

func dlSchedule(a actor.Actor, id string, typ procurement.DialogueEventType, startsAt time.Time) procurement.ScheduleDialogueEvent {
	return procurement.ScheduleDialogueEvent{EventID: id, Type: typ, Title: dlTitle, StartsAt: startsAt, By: a, At: tdAt(22, 9)}
}

func dlCancel(a actor.Actor, id string) procurement.CancelDialogueEvent {
	return procurement.CancelDialogueEvent{EventID: id, Reason: dlReason, By: a, At: tdAt(23, 9)}
}

func dlNotes(a actor.Actor, id string, attendees ...string) procurement.RecordMeetingNotes {
	return procurement.RecordMeetingNotes{EventID: id, Attendees: attendees, PublicSummary: dlSummary, By: a, At: tdAt(26, 9)}
}

// dlAsk is supplier org asking question id itself.
func dlAsk(id, org string) procurement.AskQuestion {
	return procurement.AskQuestion{QuestionID: id, Text: dlQuestion, SupplierKind: tdSupplierKind, By: tdSup(org), At: tdAt(23, 9)}
}

func dlAnswer(a actor.Actor, id string) procurement.AnswerQuestion {
	return procurement.AnswerQuestion{QuestionID: id, AnonymisedQuestion: dlQuestion, Answer: dlAnswerTx, By: a, At: tdAt(24, 9)}
}

func dlClose(a actor.Actor) procurement.CloseMarketDialogue {
	return procurement.CloseMarketDialogue{SummaryReportHash: tdHashOf("summary"), LevellingMeasures: []string{dlMeasure}, By: a, At: tdAt(40, 9)}
}

// --- events ---

func dlRegistered(org, recordedBy string, at time.Time, offered ...string) procurement.Event {
	return procurement.SupplierRegistered{Supplier: org, Stage: procurement.StageDialogue, RecordedBy: recordedBy, OfferedEvents: offered, RegisteredAt: at}
}

func dlScheduled(id string, typ procurement.DialogueEventType, startsAt time.Time, offeredTo ...string) procurement.Event {
	return procurement.DialogueEventScheduled{EventID: id, Type: typ, Title: dlTitle, StartsAt: startsAt, OfferedTo: offeredTo}
}

func dlCancelled(id string) procurement.Event {
	return procurement.DialogueEventCancelled{EventID: id, Reason: dlReason}
}

func dlMinuted(id string, attendees ...string) procurement.Event {
	return procurement.DialogueMeetingMinuted{EventID: id, Attendees: attendees, PublicSummary: dlSummary}
}

func dlAsked(id, org string) procurement.Event {
	return procurement.QuestionReceived{QuestionID: id, Supplier: org, Text: dlQuestion, Stage: procurement.StageDialogue, ReceivedAt: tdAt(23, 9), RecordedBy: org}
}

func dlAnswered(id string, recipients ...string) procurement.Event {
	return procurement.AnswerPublished{QuestionID: id, AnonymisedQuestion: dlQuestion, Answer: dlAnswerTx, PublishedAt: tdAt(24, 9), RecipientCount: len(recipients)}
}

// dlConference is the dialogue with acme and nordic registered and a
// conference on day 25 offered to both.
func dlConference() []procurement.Event {
	return tdThen(tdDialogue(), tdRegistered(tdOther), dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier, tdOther))
}

// dlReadyToClose is a dialogue where everything is answered, minuted or cancelled.
func dlReadyToClose() []procurement.Event {
	return tdThen(dlConference(),
		dlScheduled("m-1", procurement.DialogueOneToOne, tdAt(27, 9), tdSupplier, tdOther), dlCancelled("m-1"),
		dlAsked("q1", tdSupplier), dlAnswered("q1", tdSupplier, tdOther),
		dlMinuted("conf", tdSupplier, tdOther))
}

// --- PublishDialogueNotice ---

func TestPublishDialogueNotice(t *testing.T) {
	t.Run("the_lead_invites_the_market_and_the_case_moves_to_the_market_dialogue", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(dlNotice(tdLeadBy())).
			Then(tdNoticeEvent())
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(dlNotice(tdLeadBy())).
			ThenState(phaseIs(procurement.PhaseMarketDialogue))
	})
	t.Run("the_hub_may_invite_the_market_too", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(dlNotice(dlHub())).
			Then(tdNoticeEvent())
	})
	t.Run("text_and_notice_id_are_trimmed_and_times_are_kept_in_utc", func(t *testing.T) {
		oslo := time.FixedZone("CEST", 2*60*60)
		c := dlNotice(tdLeadBy())
		c.Text, c.ExternalNoticeID = "  "+c.Text+"\n", " "+c.ExternalNoticeID+" "
		c.At, c.RegistrationDeadline = c.At.In(oslo), c.RegistrationDeadline.In(oslo)
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(c).Then(tdNoticeEvent())
	})
	t.Run("a_notice_text_of_20000_characters_is_accepted", func(t *testing.T) {
		c := dlNotice(tdLeadBy())
		c.Text = runes(20000)
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(c).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Dialogue.Notice.Text != runes(20000) {
					t.Fatalf("notice text of %d bytes not kept", len(s.Dialogue.Notice.Text))
				}
			})
	})
	t.Run("publishing_the_same_notice_again_is_a_no_op", func(t *testing.T) {
		c := dlNotice(tdLeadBy())
		c.At = tdAt(21, 9)
		estest.For(t, procurement.Decider).Given(dlOpen()...).When(c).ThenNothing()
	})
	t.Run("the_hub_repeating_the_leads_notice_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).When(dlNotice(dlHub())).ThenNothing()
	})
	t.Run("another_notice_once_the_dialogue_started_is_refused", func(t *testing.T) {
		c := dlNotice(tdLeadBy())
		c.Text = "A second market dialogue"
		estest.For(t, procurement.Decider).Given(dlOpen()...).When(c).ThenError(procurement.ErrDialogueNotFromNeeds)
	})
	t.Run("a_notice_on_another_channel_once_the_dialogue_started_is_refused", func(t *testing.T) {
		c := dlNotice(tdLeadBy())
		c.Channel = procurement.ChannelTED
		estest.For(t, procurement.Decider).Given(dlOpen()...).When(c).ThenError(procurement.ErrDialogueNotFromNeeds)
	})
	t.Run("a_changed_registration_deadline_is_not_swallowed_as_a_repeat", func(t *testing.T) {
		c := dlNotice(tdLeadBy())
		c.RegistrationDeadline = tdAt(35, 12)
		estest.For(t, procurement.Decider).Given(dlOpen()...).When(c).ThenError(procurement.ErrDialogueNotFromNeeds)
	})
	t.Run("the_dialogue_does_not_start_before_the_needs_are_approved", func(t *testing.T) {
		h := ndVoting(procurement.RuleUnanimous, tdLead, tdMember)
		estest.For(t, procurement.Decider).Given(h...).When(dlNotice(tdLeadBy())).ThenError(procurement.ErrNeedsNotApproved)
	})
	t.Run("rejected_needs_are_not_approved_needs", func(t *testing.T) {
		h := tdThen(ndVoting(procurement.RuleUnanimous, tdLead, tdMember), ndApproved(tdLead, 1), ndRejected(tdMember, 1, "too vague"),
			ndDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous, []string{tdLead}, []string{tdMember}))
		estest.For(t, procurement.Decider).Given(h...).When(dlNotice(tdLeadBy())).ThenError(procurement.ErrNeedsNotApproved)
	})
	t.Run("every_joined_member_must_have_submitted_its_needs", func(t *testing.T) {
		// Approved needs that only oslo submitted to: bergen's needs are missing.
		h := tdThen(ndInNeeds(), ndSubmitted(tdLead, 1, ndNeed("n1")),
			ndConsolidated(1, []procurement.SubmissionRef{ndSrc(tdLead, 1)}, ndCommon("c1", ndRef(tdLead, "n1"))),
			ndApproved(tdLead, 1), ndApproved(tdMember, 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous, []string{tdMember, tdLead}, nil))
		estest.For(t, procurement.Decider).Given(h...).When(dlNotice(tdLeadBy())).ThenError(procurement.ErrNeedsOutstanding)
		dlMessageNames(t, dlErr(t, h, dlNotice(tdLeadBy())), procurement.ErrNeedsOutstanding, tdMember)
	})
	t.Run("a_withdrawn_member_owes_no_needs", func(t *testing.T) {
		h := tdThen(ndCase(procurement.RuleUnanimous, tdLead, tdMember, dlStranger),
			ndSubmitted(tdLead, 1, ndNeed("n1")), ndSubmitted(tdMember, 1, ndNeed("n1")), withdrew(dlStranger),
			ndConsolidated(1, []procurement.SubmissionRef{ndSrc(tdMember, 1), ndSrc(tdLead, 1)}, ndCommon("c1", ndRef(tdMember, "n1"), ndRef(tdLead, "n1"))),
			ndApproved(tdLead, 1), ndApproved(tdMember, 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous, []string{tdMember, tdLead}, nil))
		estest.For(t, procurement.Decider).Given(h...).When(dlNotice(tdLeadBy())).Then(tdNoticeEvent())
	})
	t.Run("the_dialogue_does_not_start_from_the_agreement_phase", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(dlNotice(dlHub())).ThenError(procurement.ErrDialogueNotFromNeeds)
	})
	t.Run("the_dialogue_does_not_start_again_from_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dlNotice(tdLeadBy())).ThenError(procurement.ErrDialogueNotFromNeeds)
	})
	t.Run("a_member_cannot_invite_the_market", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(dlNotice(by(tdMember))).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(dlNotice(by(dlStranger))).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_supplier_does_not_see_the_case_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(dlNotice(tdSup(tdSupplier))).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_supplier_cannot_publish_a_notice_after_it_either", func(t *testing.T) {
		c := dlNotice(tdSup(tdSupplier))
		c.Text = "A notice by a supplier"
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(procurement.ErrNotFound)
	})
	invalid := []struct {
		name   string
		change func(*procurement.PublishDialogueNotice)
		want   error
	}{
		{"an_unknown_channel", func(c *procurement.PublishDialogueNotice) { c.Channel = "FAX" }, procurement.ErrInvalidChannel},
		{"no_channel", func(c *procurement.PublishDialogueNotice) { c.Channel = "" }, procurement.ErrInvalidChannel},
		{"a_lower_case_channel", func(c *procurement.PublishDialogueNotice) { c.Channel = "doffin" }, procurement.ErrInvalidChannel},
		{"no_notice_id", func(c *procurement.PublishDialogueNotice) { c.ExternalNoticeID = "" }, procurement.ErrExternalNoticeIDRequired},
		{"a_blank_notice_id", func(c *procurement.PublishDialogueNotice) { c.ExternalNoticeID = "   " }, procurement.ErrExternalNoticeIDRequired},
		{"a_notice_id_of_101_characters", func(c *procurement.PublishDialogueNotice) { c.ExternalNoticeID = strings.Repeat("x", 101) }, procurement.ErrExternalNoticeIDRequired},
		{"a_notice_id_with_a_line_break", func(c *procurement.PublishDialogueNotice) { c.ExternalNoticeID = "2025\n1" }, procurement.ErrExternalNoticeIDRequired},
		{"a_notice_id_that_is_not_ascii", func(c *procurement.PublishDialogueNotice) { c.ExternalNoticeID = "kunngjøring-1" }, procurement.ErrExternalNoticeIDRequired},
		{"no_text", func(c *procurement.PublishDialogueNotice) { c.Text = "" }, procurement.ErrNoticeTextRequired},
		{"a_blank_text", func(c *procurement.PublishDialogueNotice) { c.Text = " \n\t " }, procurement.ErrNoticeTextRequired},
		{"a_text_of_20001_characters", func(c *procurement.PublishDialogueNotice) { c.Text = runes(20001) }, procurement.ErrNoticeTextRequired},
		{"a_registration_deadline_at_publication", func(c *procurement.PublishDialogueNotice) { c.RegistrationDeadline = c.At }, procurement.ErrRegistrationDeadline},
		{"a_registration_deadline_before_publication", func(c *procurement.PublishDialogueNotice) { c.RegistrationDeadline = tdAt(19, 9) }, procurement.ErrRegistrationDeadline},
		{"no_registration_deadline", func(c *procurement.PublishDialogueNotice) { c.RegistrationDeadline = time.Time{} }, procurement.ErrRegistrationDeadline},
	}
	for _, tc := range invalid {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			c := dlNotice(tdLeadBy())
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(c).ThenError(tc.want)
		})
	}
	t.Run("a_notice_id_of_100_printable_characters_with_spaces_is_accepted", func(t *testing.T) {
		c := dlNotice(tdLeadBy())
		c.ExternalNoticeID = "TED 2025/S " + strings.Repeat("9", 89)
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(c).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Dialogue.Notice.ExternalNoticeID != c.ExternalNoticeID {
					t.Fatalf("notice ID %q, want %q", s.Dialogue.Notice.ExternalNoticeID, c.ExternalNoticeID)
				}
			})
	})
	t.Run("every_channel_is_accepted", func(t *testing.T) {
		for _, ch := range []procurement.NoticeChannel{procurement.ChannelDoffin, procurement.ChannelTED, procurement.ChannelHilma, procurement.ChannelOwn} {
			c := dlNotice(tdLeadBy())
			c.Channel = ch
			want := tdNoticeEvent().(procurement.DialogueNoticePublished)
			want.Channel = ch
			estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(c).Then(want)
		}
	})
}

// --- RegisterSupplier ---

func TestRegisterSupplier(t *testing.T) {
	t.Run("a_supplier_registers_itself_for_the_dialogue", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegister(tdSupplier, tdAt(21, 9))).
			Then(tdRegistered(tdSupplier))
	})
	t.Run("the_hub_records_a_registration_received_another_way", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegisterFor(dlHub(), tdSupplier, tdAt(21, 9))).
			Then(dlRegistered(tdSupplier, hub, tdAt(21, 9)))
	})
	t.Run("the_lead_records_a_registration_received_another_way", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegisterFor(tdLeadBy(), tdSupplier, tdAt(21, 9))).
			Then(dlRegistered(tdSupplier, tdLead, tdAt(21, 9)))
	})
	t.Run("a_supplier_naming_itself_is_registering_itself", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegisterFor(tdSup(tdSupplier), tdSupplier, tdAt(21, 9))).
			Then(tdRegistered(tdSupplier))
	})
	t.Run("the_registration_time_is_kept_in_utc", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegister(tdSupplier, tdAt(21, 9).In(time.FixedZone("CET", 60*60)))).
			Then(tdRegistered(tdSupplier))
	})
	t.Run("a_member_cannot_register_a_supplier_on_its_behalf", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegisterFor(by(tdMember), tdSupplier, tdAt(21, 9))).
			ThenError(procurement.ErrRecordForOthers)
	})
	t.Run("a_supplier_cannot_register_another_supplier", func(t *testing.T) {
		// Only the hub and the lead record for others; to anyone else outside
		// the case's membership the recording does not exist.
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegisterFor(tdSup(tdOther), tdSupplier, tdAt(21, 9))).
			ThenError(procurement.ErrNotFound)
	})
	t.Run("a_member_registering_itself_is_not_a_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(procurement.RegisterSupplier{SupplierKind: organisation.KindMunicipality, By: by(tdMember), At: tdAt(21, 9)}).
			ThenError(procurement.ErrNotSupplier)
	})
	t.Run("the_hub_registering_itself_is_not_a_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(procurement.RegisterSupplier{SupplierKind: organisation.KindHub, By: dlHub(), At: tdAt(21, 9)}).
			ThenError(procurement.ErrNotSupplier)
	})
	t.Run("the_hub_cannot_register_an_organisation_that_is_no_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(procurement.RegisterSupplier{Supplier: dlResearch, SupplierKind: organisation.KindOther, By: dlHub(), At: tdAt(21, 9)}).
			ThenError(procurement.ErrNotSupplier)
	})
	t.Run("the_lead_cannot_register_an_organisation_unknown_to_the_register", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(procurement.RegisterSupplier{Supplier: "globex", By: tdLeadBy(), At: tdAt(21, 9)}).
			ThenError(procurement.ErrNotSupplier)
	})
	t.Run("a_stranger_that_is_no_supplier_is_told_there_is_no_such_case_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(procurement.RegisterSupplier{SupplierKind: organisation.KindOther, By: by(dlResearch), At: tdAt(21, 9)}).
			ThenError(procurement.ErrNotFound)
	})
	t.Run("a_stranger_that_is_no_supplier_is_told_so_once_the_notice_is_public", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(procurement.RegisterSupplier{SupplierKind: organisation.KindOther, By: by(dlResearch), At: tdAt(21, 9)}).
			ThenError(procurement.ErrNotSupplier)
	})
	t.Run("a_supplier_does_not_see_the_case_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(dlRegister(tdSupplier, tdAt(19, 9))).
			ThenError(procurement.ErrNotFound)
	})
	t.Run("the_hub_cannot_register_a_supplier_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(dlRegisterFor(dlHub(), tdSupplier, tdAt(19, 9))).
			ThenError(procurement.ErrRegistrationClosed)
	})
	t.Run("registering_at_the_registration_deadline_is_on_time", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegister(tdOther, tdAt(30, 12))).
			Then(dlRegistered(tdOther, tdOther, tdAt(30, 12)))
	})
	t.Run("registering_after_the_registration_deadline_is_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegister(tdOther, tdAt(30, 12).Add(time.Second))).
			ThenError(procurement.ErrRegistrationClosed)
	})
	t.Run("the_hub_cannot_record_a_registration_after_the_deadline_either", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlRegisterFor(dlHub(), tdOther, tdAt(31, 9))).
			ThenError(procurement.ErrRegistrationClosed)
	})
	t.Run("registering_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlRegister(tdSupplier, tdAt(25, 9))).
			ThenNothing()
	})
	t.Run("registering_again_after_the_deadline_is_still_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlRegister(tdSupplier, tdAt(35, 9))).
			ThenNothing()
	})
	t.Run("the_hub_recording_a_supplier_that_registered_itself_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlRegisterFor(dlHub(), tdSupplier, tdAt(25, 9))).
			ThenNothing()
	})
	t.Run("a_supplier_registered_for_the_dialogue_is_registered_for_the_tendering", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).
			When(dlRegister(tdSupplier, tdAt(60, 9))).
			ThenNothing()
	})
	t.Run("registration_is_closed_during_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(dlRegister(tdOther, tdAt(41, 9))).
			ThenError(procurement.ErrRegistrationClosed)
	})
	t.Run("a_supplier_registers_for_the_tendering_before_its_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).
			When(dlRegister(tdOther, tdAt(60, 9))).
			Then(procurement.SupplierRegistered{Supplier: tdOther, Stage: procurement.StageTender, RecordedBy: tdOther, RegisteredAt: tdAt(60, 9)})
	})
	t.Run("registration_for_the_tendering_closes_at_its_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).
			When(dlRegister(tdOther, tdAt(90, 10))).
			ThenError(procurement.ErrRegistrationClosed)
	})
	t.Run("a_late_registrant_is_offered_every_upcoming_one_to_one_meeting", func(t *testing.T) {
		h := tdThen(tdDialogue(),
			dlScheduled("m-2", procurement.DialogueOneToOne, tdAt(28, 9), tdSupplier),
			dlScheduled("m-1", procurement.DialogueOneToOne, tdAt(27, 9), tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).
			When(dlRegister(tdOther, tdAt(24, 9))).
			Then(dlRegistered(tdOther, tdOther, tdAt(24, 9), "m-1", "m-2"))
	})
	t.Run("a_registrant_recorded_by_the_hub_is_offered_the_meetings_too", func(t *testing.T) {
		h := tdThen(tdDialogue(), dlScheduled("m-1", procurement.DialogueOneToOne, tdAt(27, 9), tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).
			When(dlRegisterFor(dlHub(), tdOther, tdAt(24, 9))).
			Then(dlRegistered(tdOther, hub, tdAt(24, 9), "m-1"))
	})
	t.Run("held_cancelled_started_and_plenary_events_are_not_offered", func(t *testing.T) {
		h := tdThen(tdDialogue(),
			dlScheduled("conf", procurement.DialogueConference, tdAt(27, 9), tdSupplier),
			dlScheduled("m-started", procurement.DialogueOneToOne, tdAt(24, 8), tdSupplier),
			dlScheduled("m-now", procurement.DialogueOneToOne, tdAt(24, 9), tdSupplier),
			dlScheduled("m-called-off", procurement.DialogueOneToOne, tdAt(27, 9), tdSupplier), dlCancelled("m-called-off"),
			dlScheduled("m-held", procurement.DialogueOneToOne, tdAt(23, 9), tdSupplier), dlMinuted("m-held", tdSupplier),
			dlScheduled("m-open", procurement.DialogueOneToOne, tdAt(29, 9), tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).
			When(dlRegister(tdOther, tdAt(24, 9))).
			Then(dlRegistered(tdOther, tdOther, tdAt(24, 9), "m-open"))
	})
}

// --- ScheduleDialogueEvent ---

func TestScheduleDialogueEvent(t *testing.T) {
	withNordic := tdThen(tdDialogue(), tdRegistered(tdOther))
	t.Run("the_lead_schedules_an_event_offered_to_every_registered_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withNordic...).
			When(dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))).
			Then(dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier, tdOther))
	})
	t.Run("a_one_to_one_meeting_is_offered_to_every_registered_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withNordic...).
			When(dlSchedule(tdLeadBy(), "m-1", procurement.DialogueOneToOne, tdAt(25, 9))).
			Then(dlScheduled("m-1", procurement.DialogueOneToOne, tdAt(25, 9), tdSupplier, tdOther))
	})
	t.Run("the_hub_may_schedule_too", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withNordic...).
			When(dlSchedule(dlHub(), "conf", procurement.DialogueConference, tdAt(25, 9))).
			Then(dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier, tdOther))
	})
	t.Run("with_nobody_registered_yet_the_event_is_offered_to_nobody_yet", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlOpen()...).
			When(dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))).
			Then(dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9)))
	})
	t.Run("every_kind_of_dialogue_event_can_be_scheduled", func(t *testing.T) {
		for _, typ := range []procurement.DialogueEventType{procurement.DialogueConference, procurement.DialogueOneToOne,
			procurement.DialogueWebinar, procurement.DialogueRFI, procurement.DialogueDocHearing} {
			estest.For(t, procurement.Decider).Given(tdDialogue()...).
				When(dlSchedule(tdLeadBy(), "e1", typ, tdAt(25, 9))).
				Then(dlScheduled("e1", typ, tdAt(25, 9), tdSupplier))
		}
	})
	t.Run("the_title_is_trimmed_and_the_start_kept_in_utc", func(t *testing.T) {
		c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9).In(time.FixedZone("CEST", 2*60*60)))
		c.Title = "  " + dlTitle + "  "
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).
			Then(dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier))
	})
	t.Run("a_title_of_200_characters_is_accepted", func(t *testing.T) {
		c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))
		c.Title = runes(200)
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).
			Then(procurement.DialogueEventScheduled{EventID: "conf", Type: procurement.DialogueConference, Title: runes(200), StartsAt: tdAt(25, 9), OfferedTo: []string{tdSupplier}})
	})
	t.Run("scheduling_the_same_event_again_is_a_no_op", func(t *testing.T) {
		h := tdThen(tdDialogue(), dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).
			When(dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))).
			ThenNothing()
	})
	t.Run("the_same_event_again_after_more_suppliers_registered_is_still_a_no_op", func(t *testing.T) {
		h := tdThen(tdDialogue(), dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier), tdRegistered(tdOther))
		estest.For(t, procurement.Decider).Given(h...).
			When(dlSchedule(dlHub(), "conf", procurement.DialogueConference, tdAt(25, 9).In(time.FixedZone("CEST", 2*60*60)))).
			ThenNothing()
	})
	t.Run("the_same_event_again_once_it_started_is_still_a_no_op", func(t *testing.T) {
		h := tdThen(tdDialogue(), dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier))
		c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))
		c.At = tdAt(26, 9)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenNothing()
	})
	taken := []struct {
		name   string
		change func(*procurement.ScheduleDialogueEvent)
	}{
		{"another_title", func(c *procurement.ScheduleDialogueEvent) { c.Title = "Another title" }},
		{"another_start", func(c *procurement.ScheduleDialogueEvent) { c.StartsAt = tdAt(26, 9) }},
		{"another_type", func(c *procurement.ScheduleDialogueEvent) { c.Type = procurement.DialogueWebinar }},
	}
	for _, tc := range taken {
		t.Run("an_event_with_"+tc.name+"_under_a_taken_id_is_refused", func(t *testing.T) {
			h := tdThen(tdDialogue(), dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier))
			c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrDialogueEventIDTaken)
		})
	}
	t.Run("an_event_cannot_start_now", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(22, 9))).
			ThenError(procurement.ErrEventInPast)
	})
	t.Run("an_event_cannot_start_in_the_past", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(21, 9))).
			ThenError(procurement.ErrEventInPast)
	})
	invalid := []struct {
		name   string
		change func(*procurement.ScheduleDialogueEvent)
		want   error
	}{
		{"no_event_id", func(c *procurement.ScheduleDialogueEvent) { c.EventID = "" }, procurement.ErrInvalidDialogueEventID},
		{"an_event_id_with_a_space", func(c *procurement.ScheduleDialogueEvent) { c.EventID = "m 1" }, procurement.ErrInvalidDialogueEventID},
		{"an_event_id_starting_with_a_hyphen", func(c *procurement.ScheduleDialogueEvent) { c.EventID = "-m1" }, procurement.ErrInvalidDialogueEventID},
		{"an_event_id_of_65_characters", func(c *procurement.ScheduleDialogueEvent) { c.EventID = strings.Repeat("m", 65) }, procurement.ErrInvalidDialogueEventID},
		{"an_unknown_type", func(c *procurement.ScheduleDialogueEvent) { c.Type = "DINNER" }, procurement.ErrInvalidDialogueEventType},
		{"no_type", func(c *procurement.ScheduleDialogueEvent) { c.Type = "" }, procurement.ErrInvalidDialogueEventType},
		{"no_title", func(c *procurement.ScheduleDialogueEvent) { c.Title = "" }, procurement.ErrTitleTooLong},
		{"a_blank_title", func(c *procurement.ScheduleDialogueEvent) { c.Title = "   " }, procurement.ErrTitleTooLong},
		{"a_title_of_201_characters", func(c *procurement.ScheduleDialogueEvent) { c.Title = runes(201) }, procurement.ErrTitleTooLong},
	}
	for _, tc := range invalid {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(tc.want)
		})
	}
	t.Run("an_event_id_of_64_characters_is_accepted", func(t *testing.T) {
		id := "m." + strings.Repeat("x_", 31)
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlSchedule(tdLeadBy(), id, procurement.DialogueOneToOne, tdAt(25, 9))).
			Then(dlScheduled(id, procurement.DialogueOneToOne, tdAt(25, 9), tdSupplier))
	})
	t.Run("a_member_cannot_schedule", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlSchedule(by(tdMember), "conf", procurement.DialogueConference, tdAt(25, 9))).
			ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlSchedule(by(dlStranger), "conf", procurement.DialogueConference, tdAt(25, 9))).
			ThenError(procurement.ErrNotFound)
	})
	t.Run("a_registered_supplier_cannot_schedule", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).
			When(dlSchedule(tdSup(tdSupplier), "conf", procurement.DialogueConference, tdAt(25, 9))).
			ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_scheduled_before_the_dialogue", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))).
			ThenError(procurement.ErrNotDialoguePhase)
	})
	t.Run("nothing_is_scheduled_after_the_dialogue", func(t *testing.T) {
		c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(45, 9))
		c.At = tdAt(41, 9)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrNotDialoguePhase)
	})
	t.Run("scheduling_the_same_event_again_after_the_dialogue_closed_is_a_no_op", func(t *testing.T) {
		c := dlSchedule(tdLeadBy(), "conf", procurement.DialogueConference, tdAt(25, 9))
		c.At = tdAt(41, 9)
		estest.For(t, procurement.Decider).Given(tdThen(dlReadyToClose(), tdDialogueClosed())...).When(c).ThenNothing()
	})
}

// --- CancelDialogueEvent ---

func TestCancelDialogueEvent(t *testing.T) {
	h := dlConference()
	t.Run("the_lead_calls_off_a_planned_event_with_a_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(tdLeadBy(), "conf")).Then(dlCancelled("conf"))
	})
	t.Run("the_hub_may_call_it_off_too", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(dlHub(), "conf")).Then(dlCancelled("conf"))
	})
	t.Run("the_reason_is_trimmed", func(t *testing.T) {
		c := dlCancel(tdLeadBy(), "conf")
		c.Reason = "\t" + dlReason + "  "
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(dlCancelled("conf"))
	})
	t.Run("an_event_that_started_but_was_not_minuted_can_still_be_called_off", func(t *testing.T) {
		c := dlCancel(tdLeadBy(), "conf")
		c.At = tdAt(25, 10)
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(dlCancelled("conf"))
	})
	t.Run("the_cancelled_event_is_marked_so", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(tdLeadBy(), "conf")).
			ThenState(func(t testing.TB, s procurement.State) {
				if e := s.Dialogue.Events["conf"]; !e.Cancelled || e.Minutes != nil {
					t.Fatalf("event %+v, want cancelled", e)
				}
			})
	})
	t.Run("calling_it_off_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(h, dlCancelled("conf"))...).When(dlCancel(tdLeadBy(), "conf")).ThenNothing()
	})
	t.Run("calling_it_off_again_with_another_reason_is_a_no_op", func(t *testing.T) {
		c := dlCancel(dlHub(), "conf")
		c.Reason = "the speaker fell ill"
		estest.For(t, procurement.Decider).Given(tdThen(h, dlCancelled("conf"))...).When(c).ThenNothing()
	})
	t.Run("an_unknown_event_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(tdLeadBy(), "m-9")).ThenError(procurement.ErrDialogueEventNotFound)
	})
	t.Run("a_minuted_event_took_place_and_cannot_be_called_off", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(h, dlMinuted("conf", tdSupplier))...).
			When(dlCancel(tdLeadBy(), "conf")).ThenError(procurement.ErrDialogueEventHeld)
	})
	for _, reason := range []string{"", "   "} {
		t.Run("a_reason_is_required", func(t *testing.T) {
			c := dlCancel(tdLeadBy(), "conf")
			c.Reason = reason
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrReasonRequired)
		})
	}
	t.Run("a_reason_of_2001_characters_is_too_long", func(t *testing.T) {
		c := dlCancel(tdLeadBy(), "conf")
		c.Reason = runes(2001)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("a_member_cannot_call_off_an_event", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(by(tdMember), "conf")).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(by(dlStranger), "conf")).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_registered_supplier_cannot_call_off_an_event", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlCancel(tdSup(tdSupplier), "conf")).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_called_off_after_the_dialogue", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dlReadyToClose(), tdDialogueClosed())...).
			When(dlCancel(tdLeadBy(), "m-9")).ThenError(procurement.ErrNotDialoguePhase)
	})
	t.Run("calling_off_again_after_the_dialogue_closed_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dlReadyToClose(), tdDialogueClosed())...).
			When(dlCancel(tdLeadBy(), "m-1")).ThenNothing()
	})
}

// --- RecordMeetingNotes ---

func TestRecordMeetingNotes(t *testing.T) {
	h := dlConference()
	t.Run("the_lead_minutes_a_held_event_with_its_public_summary", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).
			When(dlNotes(tdLeadBy(), "conf", tdSupplier, tdOther)).
			Then(dlMinuted("conf", tdSupplier, tdOther))
	})
	t.Run("the_hub_may_minute_too", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).
			When(dlNotes(dlHub(), "conf", tdSupplier)).
			Then(dlMinuted("conf", tdSupplier))
	})
	t.Run("attendees_are_sorted_once_each_and_the_summary_trimmed", func(t *testing.T) {
		c := dlNotes(tdLeadBy(), "conf", tdOther, tdSupplier, tdOther)
		c.PublicSummary = "\n" + dlSummary + "  "
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(dlMinuted("conf", tdSupplier, tdOther))
	})
	t.Run("the_confidential_annex_is_bound_by_its_hash_in_lower_case", func(t *testing.T) {
		annex := tdHashOf("annex: acme's prototype")
		c := dlNotes(tdLeadBy(), "conf", tdSupplier)
		c.ConfidentialAnnexHash = " " + strings.ToUpper(annex) + " "
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.DialogueMeetingMinuted{EventID: "conf", Attendees: []string{tdSupplier}, PublicSummary: dlSummary, ConfidentialAnnexHash: annex})
	})
	t.Run("an_event_no_supplier_attended_can_be_minuted", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlNotes(tdLeadBy(), "conf")).Then(dlMinuted("conf"))
	})
	t.Run("minutes_may_be_recorded_as_the_event_starts", func(t *testing.T) {
		c := dlNotes(tdLeadBy(), "conf", tdSupplier)
		c.At = tdAt(25, 9)
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(dlMinuted("conf", tdSupplier))
	})
	t.Run("minutes_need_the_event_to_have_started", func(t *testing.T) {
		c := dlNotes(tdLeadBy(), "conf", tdSupplier)
		c.At = tdAt(25, 9).Add(-time.Minute)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrMinutesBeforeEvent)
	})
	t.Run("every_attendee_must_be_a_registered_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).
			When(dlNotes(tdLeadBy(), "conf", tdSupplier, "globex")).
			ThenError(procurement.ErrAttendeeNotRegistered)
		dlMessageNames(t, dlErr(t, h, dlNotes(tdLeadBy(), "conf", tdSupplier, "globex")), procurement.ErrAttendeeNotRegistered, "globex")
	})
	t.Run("a_member_is_no_attendee_of_the_market", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).
			When(dlNotes(tdLeadBy(), "conf", tdMember)).
			ThenError(procurement.ErrAttendeeNotRegistered)
	})
	t.Run("a_cancelled_event_cannot_be_minuted", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(h, dlCancelled("conf"))...).
			When(dlNotes(tdLeadBy(), "conf", tdSupplier)).
			ThenError(procurement.ErrDialogueEventCancelled)
	})
	t.Run("an_unknown_event_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).
			When(dlNotes(tdLeadBy(), "m-9", tdSupplier)).
			ThenError(procurement.ErrDialogueEventNotFound)
	})
	t.Run("the_same_minutes_again_are_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(h, dlMinuted("conf", tdSupplier, tdOther))...).
			When(dlNotes(dlHub(), "conf", tdOther, tdSupplier)).
			ThenNothing()
	})
	other := []struct {
		name   string
		change func(*procurement.RecordMeetingNotes)
	}{
		{"another_summary", func(c *procurement.RecordMeetingNotes) { c.PublicSummary = "Other minutes." }},
		{"other_attendees", func(c *procurement.RecordMeetingNotes) { c.Attendees = []string{tdSupplier} }},
		{"a_confidential_annex", func(c *procurement.RecordMeetingNotes) { c.ConfidentialAnnexHash = tdHashOf("annex") }},
	}
	for _, tc := range other {
		t.Run("minutes_with_"+tc.name+"_for_a_minuted_event_are_refused", func(t *testing.T) {
			c := dlNotes(tdLeadBy(), "conf", tdSupplier, tdOther)
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(tdThen(h, dlMinuted("conf", tdSupplier, tdOther))...).
				When(c).ThenError(procurement.ErrAlreadyMinuted)
		})
	}
	invalid := []struct {
		name   string
		change func(*procurement.RecordMeetingNotes)
		want   error
	}{
		{"no_public_summary", func(c *procurement.RecordMeetingNotes) { c.PublicSummary = "" }, procurement.ErrPublicSummaryRequired},
		{"a_blank_public_summary", func(c *procurement.RecordMeetingNotes) { c.PublicSummary = " \n " }, procurement.ErrPublicSummaryRequired},
		{"a_public_summary_of_20001_characters", func(c *procurement.RecordMeetingNotes) { c.PublicSummary = runes(20001) }, procurement.ErrPublicSummaryRequired},
		{"an_annex_hash_that_is_no_sha256", func(c *procurement.RecordMeetingNotes) { c.ConfidentialAnnexHash = "abc123" }, procurement.ErrInvalidDocumentHash},
		{"an_annex_hash_that_is_not_hexadecimal", func(c *procurement.RecordMeetingNotes) { c.ConfidentialAnnexHash = strings.Repeat("zz", 32) }, procurement.ErrInvalidDocumentHash},
	}
	for _, tc := range invalid {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			c := dlNotes(tdLeadBy(), "conf", tdSupplier)
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(tc.want)
		})
	}
	t.Run("a_member_cannot_minute", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlNotes(by(tdMember), "conf", tdSupplier)).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlNotes(by(dlStranger), "conf", tdSupplier)).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_supplier_cannot_minute_its_own_meeting", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlNotes(tdSup(tdSupplier), "conf", tdSupplier)).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_minuted_after_the_dialogue", func(t *testing.T) {
		c := dlNotes(tdLeadBy(), "conf", tdSupplier, tdOther)
		c.PublicSummary = "Late minutes."
		estest.For(t, procurement.Decider).Given(tdThen(dlReadyToClose(), tdDialogueClosed())...).
			When(c).ThenError(procurement.ErrNotDialoguePhase)
	})
	t.Run("the_same_minutes_again_after_the_dialogue_closed_are_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dlReadyToClose(), tdDialogueClosed())...).
			When(dlNotes(tdLeadBy(), "conf", tdSupplier, tdOther)).ThenNothing()
	})
}

// --- AskQuestion ---

func TestAskQuestion(t *testing.T) {
	t.Run("a_registered_supplier_asks_during_the_dialogue", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(dlAsk("q1", tdSupplier)).Then(dlAsked("q1", tdSupplier))
	})
	t.Run("the_text_is_trimmed_and_the_time_kept_in_utc", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.Text, c.At = "  "+dlQuestion+"\n", c.At.In(time.FixedZone("CEST", 2*60*60))
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).Then(dlAsked("q1", tdSupplier))
	})
	t.Run("the_hub_records_a_question_received_another_way", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.Supplier, c.By = tdSupplier, dlHub()
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).
			Then(procurement.QuestionReceived{QuestionID: "q1", Supplier: tdSupplier, Text: dlQuestion, Stage: procurement.StageDialogue, ReceivedAt: tdAt(23, 9), RecordedBy: hub})
	})
	t.Run("the_lead_records_a_question_received_another_way", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.Supplier, c.By = tdSupplier, tdLeadBy()
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).
			Then(procurement.QuestionReceived{QuestionID: "q1", Supplier: tdSupplier, Text: dlQuestion, Stage: procurement.StageDialogue, ReceivedAt: tdAt(23, 9), RecordedBy: tdLead})
	})
	t.Run("a_question_of_4000_characters_is_accepted", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.Text = runes(4000)
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).
			Then(procurement.QuestionReceived{QuestionID: "q1", Supplier: tdSupplier, Text: runes(4000), Stage: procurement.StageDialogue, ReceivedAt: tdAt(23, 9), RecordedBy: tdSupplier})
	})
	t.Run("an_unregistered_supplier_must_register_first", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(dlAsk("q1", tdOther)).ThenError(procurement.ErrNotRegistered)
	})
	t.Run("the_hub_cannot_record_a_question_of_an_unregistered_supplier", func(t *testing.T) {
		c := dlAsk("q1", tdOther)
		c.Supplier, c.By = tdOther, dlHub()
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(procurement.ErrNotRegistered)
	})
	t.Run("a_member_cannot_ask_on_a_suppliers_behalf", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.Supplier, c.By = tdSupplier, by(tdMember)
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(procurement.ErrRecordForOthers)
	})
	t.Run("a_member_asking_as_itself_is_not_a_supplier", func(t *testing.T) {
		c := dlAsk("q1", tdMember)
		c.SupplierKind, c.By = organisation.KindMunicipality, by(tdMember)
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(procurement.ErrNotSupplier)
	})
	t.Run("an_organisation_that_is_no_supplier_cannot_ask", func(t *testing.T) {
		c := dlAsk("q1", dlResearch)
		c.SupplierKind = organisation.KindOther
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(procurement.ErrNotSupplier)
	})
	t.Run("a_supplier_does_not_see_the_case_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(dlAsk("q1", tdSupplier)).ThenError(procurement.ErrNotFound)
	})
	t.Run("asking_the_same_question_again_is_a_no_op", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.At = tdAt(24, 9)
		estest.For(t, procurement.Decider).Given(tdThen(tdDialogue(), dlAsked("q1", tdSupplier))...).When(c).ThenNothing()
	})
	t.Run("asking_the_same_question_again_after_the_dialogue_is_a_no_op", func(t *testing.T) {
		h := tdThen(tdDialogue(), dlAsked("q1", tdSupplier), dlAnswered("q1", tdSupplier), tdDialogueClosed())
		estest.For(t, procurement.Decider).Given(h...).When(dlAsk("q1", tdSupplier)).ThenNothing()
	})
	t.Run("another_question_under_a_taken_id_is_refused", func(t *testing.T) {
		c := dlAsk("q1", tdSupplier)
		c.Text = "Is the budget fixed?"
		estest.For(t, procurement.Decider).Given(tdThen(tdDialogue(), dlAsked("q1", tdSupplier))...).When(c).ThenError(procurement.ErrQuestionIDTaken)
	})
	t.Run("another_suppliers_question_under_a_taken_id_is_refused", func(t *testing.T) {
		h := tdThen(tdDialogue(), tdRegistered(tdOther), dlAsked("q1", tdSupplier))
		estest.For(t, procurement.Decider).Given(h...).When(dlAsk("q1", tdOther)).ThenError(procurement.ErrQuestionIDTaken)
	})
	invalid := []struct {
		name   string
		change func(*procurement.AskQuestion)
		want   error
	}{
		{"no_question_id", func(c *procurement.AskQuestion) { c.QuestionID = "" }, procurement.ErrInvalidQuestionID},
		{"a_question_id_with_a_slash", func(c *procurement.AskQuestion) { c.QuestionID = "q/1" }, procurement.ErrInvalidQuestionID},
		{"a_question_id_of_65_characters", func(c *procurement.AskQuestion) { c.QuestionID = strings.Repeat("q", 65) }, procurement.ErrInvalidQuestionID},
		{"no_text", func(c *procurement.AskQuestion) { c.Text = "" }, procurement.ErrQuestionTextRequired},
		{"a_blank_text", func(c *procurement.AskQuestion) { c.Text = "  \t" }, procurement.ErrQuestionTextRequired},
		{"a_text_of_4001_characters", func(c *procurement.AskQuestion) { c.Text = runes(4001) }, procurement.ErrQuestionTextRequired},
	}
	for _, tc := range invalid {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			c := dlAsk("q1", tdSupplier)
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(tdDialogue()...).When(c).ThenError(tc.want)
		})
	}
	t.Run("questions_are_closed_during_the_design", func(t *testing.T) {
		c := dlAsk("q2", tdSupplier)
		c.At = tdAt(41, 9)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrQuestionsClosed)
	})
	t.Run("a_registered_supplier_asks_during_the_tendering_before_the_cutoff", func(t *testing.T) {
		c := dlAsk("q2", tdSupplier)
		c.At = tdAt(60, 9)
		estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).When(c).
			Then(procurement.QuestionReceived{QuestionID: "q2", Supplier: tdSupplier, Text: dlQuestion, Stage: procurement.StageTender, ReceivedAt: tdAt(60, 9), RecordedBy: tdSupplier})
	})
	t.Run("questions_close_at_the_question_cutoff", func(t *testing.T) {
		c := dlAsk("q2", tdSupplier)
		c.At = tdAt(70, 12)
		estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).When(c).ThenError(procurement.ErrQuestionsClosed)
	})
}

// --- AnswerQuestion ---

func TestAnswerQuestion(t *testing.T) {
	// acme asked q1; nordic registered afterwards and must receive the answer all the same.
	h := tdThen(tdDialogue(), dlAsked("q1", tdSupplier), tdRegistered(tdOther))
	t.Run("the_lead_publishes_the_answer_to_every_registered_supplier", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(tdLeadBy(), "q1")).Then(dlAnswered("q1", tdSupplier, tdOther))
	})
	t.Run("the_question_and_answer_are_trimmed_and_the_time_kept_in_utc", func(t *testing.T) {
		c := dlAnswer(tdLeadBy(), "q1")
		c.AnonymisedQuestion, c.Answer = " "+dlQuestion+" ", "\n"+dlAnswerTx+"\n"
		c.At = c.At.In(time.FixedZone("CEST", 2*60*60))
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(dlAnswered("q1", tdSupplier, tdOther))
	})
	t.Run("the_answered_question_keeps_its_answer", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(tdLeadBy(), "q1")).
			ThenState(func(t testing.TB, s procurement.State) {
				q := s.Dialogue.Questions["q1"]
				if q.Answer == nil || q.Answer.Answer != dlAnswerTx || q.Supplier != tdSupplier {
					t.Fatalf("question %+v, want answered", q)
				}
			})
	})
	t.Run("the_hub_cannot_answer", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(dlHub(), "q1")).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("a_member_cannot_answer", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(by(tdMember), "q1")).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(by(dlStranger), "q1")).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_supplier_cannot_answer", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(tdSup(tdOther), "q1")).ThenError(procurement.ErrNotFound)
	})
	for _, anon := range []string{"Does acme's radar qualify?", "Does ACME's radar qualify?", "Would the Acme radar qualify?", "acme"} {
		t.Run("a_published_question_naming_the_supplier_is_not_anonymised", func(t *testing.T) {
			c := dlAnswer(tdLeadBy(), "q1")
			c.AnonymisedQuestion = anon
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrQuestionNotAnonymised)
		})
	}
	t.Run("a_question_recorded_under_a_mixed_case_id_is_checked_without_case", func(t *testing.T) {
		h := tdThen(tdDialogue(), tdRegistered("NordicAS"),
			procurement.QuestionReceived{QuestionID: "q1", Supplier: "NordicAS", Text: dlQuestion, Stage: procurement.StageDialogue, ReceivedAt: tdAt(23, 9), RecordedBy: "NordicAS"})
		c := dlAnswer(tdLeadBy(), "q1")
		c.AnonymisedQuestion = "Does the nordicas radar qualify?"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrQuestionNotAnonymised)
	})
	t.Run("answering_the_same_again_is_a_no_op", func(t *testing.T) {
		c := dlAnswer(tdLeadBy(), "q1")
		c.At = tdAt(25, 9)
		estest.For(t, procurement.Decider).Given(tdThen(h, dlAnswered("q1", tdSupplier, tdOther))...).When(c).ThenNothing()
	})
	t.Run("answering_the_same_again_after_the_dialogue_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(h, dlAnswered("q1", tdSupplier, tdOther), tdDialogueClosed())...).
			When(dlAnswer(tdLeadBy(), "q1")).ThenNothing()
	})
	t.Run("another_answer_to_an_answered_question_is_refused", func(t *testing.T) {
		c := dlAnswer(tdLeadBy(), "q1")
		c.Answer = "No."
		estest.For(t, procurement.Decider).Given(tdThen(h, dlAnswered("q1", tdSupplier, tdOther))...).When(c).ThenError(procurement.ErrAlreadyAnswered)
	})
	t.Run("another_wording_of_an_answered_question_is_refused", func(t *testing.T) {
		c := dlAnswer(tdLeadBy(), "q1")
		c.AnonymisedQuestion = "Which detectors qualify?"
		estest.For(t, procurement.Decider).Given(tdThen(h, dlAnswered("q1", tdSupplier, tdOther))...).When(c).ThenError(procurement.ErrAlreadyAnswered)
	})
	t.Run("an_unknown_question_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlAnswer(tdLeadBy(), "q9")).ThenError(procurement.ErrQuestionNotFound)
	})
	invalid := []struct {
		name   string
		change func(*procurement.AnswerQuestion)
	}{
		{"no_anonymised_question", func(c *procurement.AnswerQuestion) { c.AnonymisedQuestion = "" }},
		{"a_blank_anonymised_question", func(c *procurement.AnswerQuestion) { c.AnonymisedQuestion = "  " }},
		{"an_anonymised_question_of_20001_characters", func(c *procurement.AnswerQuestion) { c.AnonymisedQuestion = runes(20001) }},
		{"no_answer", func(c *procurement.AnswerQuestion) { c.Answer = "" }},
		{"a_blank_answer", func(c *procurement.AnswerQuestion) { c.Answer = "\n\t" }},
		{"an_answer_of_20001_characters", func(c *procurement.AnswerQuestion) { c.Answer = runes(20001) }},
	}
	for _, tc := range invalid {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			c := dlAnswer(tdLeadBy(), "q1")
			tc.change(&c)
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrAnswerRequired)
		})
	}
	// A question of the tendering, asked on day 55; nordic bid without
	// registering and must receive the answer as well.
	tendering := tdThen(tdTendering(tdPlan()),
		procurement.QuestionReceived{QuestionID: "q7", Supplier: tdSupplier, Text: dlQuestion, Stage: procurement.StageTender, ReceivedAt: tdAt(55, 9), RecordedBy: tdSupplier},
		tdBid("b2", tdOther))
	answerQA := procurement.MandateGranted{MandateID: "m-bergen-qa", From: tdMember, To: tdLead,
		Scope: []procurement.Scope{procurement.ScopeAnswerQuestions}, ValidUntil: "2025-12-31"}
	t.Run("during_the_tendering_the_lead_answers_under_mandate_to_every_supplier_and_bidder", func(t *testing.T) {
		c := dlAnswer(tdLeadBy(), "q7")
		c.At = tdAt(60, 10)
		estest.For(t, procurement.Decider).Given(tdThen(tendering, answerQA)...).When(c).
			Then(procurement.AnswerPublished{QuestionID: "q7", AnonymisedQuestion: dlQuestion, Answer: dlAnswerTx, PublishedAt: tdAt(60, 10), RecipientCount: 2})
	})
	t.Run("during_the_tendering_the_lead_needs_every_members_mandate_to_answer", func(t *testing.T) {
		c := dlAnswer(tdLeadBy(), "q7")
		c.At = tdAt(60, 10)
		estest.For(t, procurement.Decider).Given(tendering...).When(c).ThenError(procurement.ErrMandateMissing)
		dlMessageNames(t, dlErr(t, tendering, c), procurement.ErrMandateMissing, tdMember)
	})
	t.Run("no_answer_is_published_outside_the_dialogue_and_the_tendering", func(t *testing.T) {
		// A question left open when the dialogue closed (the rules now forbid
		// that; older histories may hold one).
		c := dlAnswer(tdLeadBy(), "q1")
		c.At = tdAt(41, 9)
		estest.For(t, procurement.Decider).Given(tdThen(h, tdDialogueClosed())...).When(c).ThenError(procurement.ErrQuestionsClosed)
	})
}

// --- CloseMarketDialogue ---

func TestCloseMarketDialogue(t *testing.T) {
	h := dlReadyToClose()
	t.Run("the_lead_closes_with_a_summary_and_levelling_measures", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlClose(tdLeadBy())).Then(tdDialogueClosed())
	})
	t.Run("the_case_moves_to_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlClose(tdLeadBy())).ThenState(phaseIs(procurement.PhaseDesign))
	})
	t.Run("a_dialogue_without_events_or_questions_can_close", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDialogue()...).When(dlClose(tdLeadBy())).Then(tdDialogueClosed())
	})
	t.Run("the_hash_is_kept_in_lower_case_and_the_measures_trimmed", func(t *testing.T) {
		c := dlClose(tdLeadBy())
		c.SummaryReportHash = " " + strings.ToUpper(c.SummaryReportHash) + " "
		c.LevellingMeasures = []string{"  " + dlMeasure + "\n", " longer tender deadline "}
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.MarketDialogueClosed{SummaryReportHash: tdHashOf("summary"), LevellingMeasures: []string{dlMeasure, "longer tender deadline"}, ClosedAt: tdAt(40, 9)})
	})
	t.Run("a_measure_of_2000_characters_and_100_measures_are_accepted", func(t *testing.T) {
		c := dlClose(tdLeadBy())
		c.LevellingMeasures = []string{runes(2000)}
		for len(c.LevellingMeasures) < 100 {
			c.LevellingMeasures = append(c.LevellingMeasures, dlMeasure)
		}
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenState(phaseIs(procurement.PhaseDesign))
	})
	t.Run("unanswered_questions_keep_the_dialogue_open_and_are_named", func(t *testing.T) {
		open := tdThen(h, tdRegistered("globex"), dlAsked("q3", tdOther), dlAsked("q2", tdSupplier))
		estest.For(t, procurement.Decider).Given(open...).When(dlClose(tdLeadBy())).ThenError(procurement.ErrUnansweredQuestions)
		err := dlErr(t, open, dlClose(tdLeadBy()))
		dlMessageNames(t, err, procurement.ErrUnansweredQuestions, "q2, q3")
		if strings.Contains(err.Error(), "q1") {
			t.Fatalf("message %q names the answered q1", err.Error())
		}
	})
	t.Run("an_event_neither_minuted_nor_cancelled_keeps_the_dialogue_open_and_is_named", func(t *testing.T) {
		open := tdThen(h, dlScheduled("m-3", procurement.DialogueOneToOne, tdAt(28, 9), tdSupplier, tdOther),
			dlScheduled("m-2", procurement.DialogueOneToOne, tdAt(45, 9), tdSupplier, tdOther))
		estest.For(t, procurement.Decider).Given(open...).When(dlClose(tdLeadBy())).ThenError(procurement.ErrMinutesMissing)
		err := dlErr(t, open, dlClose(tdLeadBy()))
		dlMessageNames(t, err, procurement.ErrMinutesMissing, "m-2, m-3")
		if strings.Contains(err.Error(), "m-1") || strings.Contains(err.Error(), "conf") {
			t.Fatalf("message %q names the cancelled or minuted event", err.Error())
		}
	})
	t.Run("an_unminuted_conference_keeps_the_dialogue_open", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlConference()...).When(dlClose(tdLeadBy())).ThenError(procurement.ErrMinutesMissing)
	})
	levelling := []struct {
		name     string
		measures []string
	}{
		{"no_measures", nil},
		{"an_empty_list_of_measures", []string{}},
		{"a_blank_measure", []string{dlMeasure, "   "}},
		{"a_measure_of_2001_characters", []string{runes(2001)}},
		{"101_measures", func() []string {
			out := make([]string, 101)
			for i := range out {
				out[i] = dlMeasure
			}
			return out
		}()},
	}
	for _, tc := range levelling {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			c := dlClose(tdLeadBy())
			c.LevellingMeasures = tc.measures
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrLevellingRequired)
		})
	}
	for _, hash := range []string{"", "abc123", strings.Repeat("g", 64), tdHashOf("summary") + "0"} {
		t.Run("refuses_a_summary_report_hash_that_is_no_sha256", func(t *testing.T) {
			c := dlClose(tdLeadBy())
			c.SummaryReportHash = hash
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrInvalidReportHash)
		})
	}
	t.Run("the_hub_cannot_close", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlClose(dlHub())).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("a_member_cannot_close", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlClose(by(tdMember))).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlClose(by(dlStranger))).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_supplier_cannot_close", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(h...).When(dlClose(tdSup(tdSupplier))).ThenError(procurement.ErrNotFound)
	})
	t.Run("closing_again_is_a_no_op", func(t *testing.T) {
		c := dlClose(tdLeadBy())
		c.At = tdAt(41, 9)
		estest.For(t, procurement.Decider).Given(tdThen(h, tdDialogueClosed())...).When(c).ThenNothing()
	})
	t.Run("closing_again_with_other_measures_is_refused", func(t *testing.T) {
		c := dlClose(tdLeadBy())
		c.LevellingMeasures = []string{"something else"}
		estest.For(t, procurement.Decider).Given(tdThen(h, tdDialogueClosed())...).When(c).ThenError(procurement.ErrNotDialoguePhase)
	})
	t.Run("a_dialogue_that_never_started_cannot_close", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(dlClose(tdLeadBy())).ThenError(procurement.ErrNotDialoguePhase)
	})
}

// --- a cancelled case ---

func TestDialogueCommandsInACancelledCase(t *testing.T) {
	// Everything the commands would otherwise do is possible in this history:
	// nordic is not registered, the conference is held but not minuted, q1 is
	// open, m-1 is planned.
	h := dlCancelledCase(tdThen(tdDialogue(),
		dlScheduled("conf", procurement.DialogueConference, tdAt(25, 9), tdSupplier),
		dlScheduled("m-1", procurement.DialogueOneToOne, tdAt(27, 9), tdSupplier),
		dlAsked("q1", tdSupplier)), procurement.PhaseMarketDialogue)
	asked := dlAsk("q2", tdSupplier)
	asked.At = tdAt(24, 9)
	commands := []struct {
		name string
		cmd  procurement.Command
	}{
		{"a_supplier_registering", dlRegister(tdOther, tdAt(24, 9))},
		{"the_hub_recording_a_registration", dlRegisterFor(dlHub(), tdOther, tdAt(24, 9))},
		{"the_lead_scheduling_an_event", dlSchedule(tdLeadBy(), "m-2", procurement.DialogueOneToOne, tdAt(28, 9))},
		{"the_hub_calling_off_an_event", dlCancel(dlHub(), "m-1")},
		{"the_lead_minuting_an_event", dlNotes(tdLeadBy(), "conf", tdSupplier)},
		{"a_registered_supplier_asking", asked},
		{"the_lead_answering", dlAnswer(tdLeadBy(), "q1")},
		{"the_lead_closing_the_dialogue", dlClose(tdLeadBy())},
	}
	for _, tc := range commands {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(h...).When(tc.cmd).ThenError(procurement.ErrCancelled)
		})
	}
	t.Run("a_supplier_still_does_not_see_a_case_cancelled_before_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlCancelledCase(tdNeedsApproved(), procurement.PhaseNeeds)...).
			When(dlRegister(tdSupplier, tdAt(21, 9))).ThenError(procurement.ErrNotFound)
	})
	t.Run("refuses_the_dialogue_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dlCancelledCase(tdNeedsApproved(), procurement.PhaseNeeds)...).
			When(dlNotice(tdLeadBy())).ThenError(procurement.ErrCancelled)
	})
}
