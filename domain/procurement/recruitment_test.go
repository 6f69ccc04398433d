package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

var (
	opened = procurement.RecruitmentOpened{}
	closed = procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}
)

func open(org string) procurement.OpenRecruitment {
	return procurement.OpenRecruitment{By: by(org), At: day(3)}
}

func closeRec(org string) procurement.CloseRecruitment {
	return procurement.CloseRecruitment{By: by(org), At: day(9)}
}

func anchoring(org string) procurement.RecordAnchoringDecision {
	return procurement.RecordAnchoringDecision{DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1234", By: by(org), At: day(8)}
}

func TestOpenRecruitment(t *testing.T) {
	t.Run("the_hub_opens_recruitment_after_inviting", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created(), invited("bergen")).When(open(hub)).Then(opened)
	})
	t.Run("opening_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created(), invited("bergen"), opened).When(open(hub)).ThenNothing()
	})
	t.Run("nobody_to_recruit_without_an_invitation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created()).When(open(hub)).ThenError(procurement.ErrNoInvitations)
	})
	t.Run("only_from_draft", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), invited("oslo"), opened, joined("bergen"), joined("oslo"), closed).
			When(open(hub)).ThenError(procurement.ErrRecruitmentNotFromDraft)
	})
	t.Run("another_hub_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created(), invited("bergen")).When(open(otherHub)).ThenError(procurement.ErrNotFound)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(created(), invited("bergen"), cancelled()).When(open(hub)).ThenError(procurement.ErrCancelled)
	})
}

func TestCloseRecruitment(t *testing.T) {
	t.Run("two_joined_members_make_it_joint_and_fix_the_members", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), invited("tromso"), opened, joined("oslo"), joined("bergen"), declined("tromso")).
			When(closeRec(hub)).
			Then(procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}})
	})
	t.Run("the_case_moves_on_to_the_agreement", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), opened, joined("oslo"), joined("bergen")).
			When(closeRec(hub)).
			ThenState(phaseIs(procurement.PhaseAgreement))
	})
	t.Run("one_member_is_not_joint", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), opened, joined("oslo"), declined("bergen")).
			When(closeRec(hub)).ThenError(procurement.ErrNotJoint)
	})
	t.Run("every_invitation_must_be_answered", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), invited("tromso"), opened, joined("oslo"), joined("bergen")).
			When(closeRec(hub)).ThenError(procurement.ErrInvitationsOutstanding)
	})
	t.Run("recruitment_must_be_open", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), joined("oslo"), joined("bergen")).
			When(closeRec(hub)).ThenError(procurement.ErrRecruitmentNotOpen)
	})
	t.Run("closing_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), opened, joined("oslo"), joined("bergen"), closed).
			When(closeRec(hub)).ThenNothing()
	})
	t.Run("no_one_joins_after_recruitment_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), opened, joined("oslo"), joined("bergen"), closed).
			When(invite("tromso")).ThenError(procurement.ErrClosedForParticipants)
	})
	t.Run("a_member_cannot_close_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("oslo"), invited("bergen"), opened, joined("oslo"), joined("bergen")).
			When(closeRec("oslo")).ThenError(procurement.ErrNotFound)
	})
}

func TestRecordAnchoringDecision(t *testing.T) {
	base := []procurement.Event{created(), invited("bergen"), joined("bergen"), invited("oslo")}
	t.Run("a_joined_member_records_its_decision", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(base...).When(anchoring("bergen")).
			Then(procurement.AnchoringDecisionRecorded{Org: "bergen", Anchoring: procurement.Anchoring{
				DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1234"}})
	})
	t.Run("the_same_record_again_is_a_no_op_and_a_correction_is_recorded", func(t *testing.T) {
		rec := procurement.AnchoringDecisionRecorded{Org: "bergen", Anchoring: procurement.Anchoring{DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1234"}}
		estest.For(t, procurement.Decider).Given(append(base, rec)...).When(anchoring("bergen")).ThenNothing()
		corrected := anchoring("bergen")
		corrected.CaseRef = "25/1235"
		estest.For(t, procurement.Decider).Given(append(base, rec)...).When(corrected).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Anchoring["bergen"].CaseRef != "25/1235" {
					t.Fatalf("the correction must be the decision on record: %+v", s.Anchoring)
				}
			})
	})
	t.Run("only_joined_members", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(base...).When(anchoring("oslo")).ThenError(procurement.ErrNotMember)
		estest.For(t, procurement.Decider).Given(base...).When(anchoring("tromso")).ThenError(procurement.ErrNotFound)
	})
	t.Run("input_is_checked", func(t *testing.T) {
		for name, c := range map[string]struct {
			mod  func(*procurement.RecordAnchoringDecision)
			want error
		}{
			"no_body":     {func(c *procurement.RecordAnchoringDecision) { c.DecidingBody = " " }, procurement.ErrDecidingBodyRequired},
			"long_body":   {func(c *procurement.RecordAnchoringDecision) { c.DecidingBody = runes(201) }, procurement.ErrDecidingBodyRequired},
			"bad_date":    {func(c *procurement.RecordAnchoringDecision) { c.DecisionDate = "04.03.2025" }, procurement.ErrInvalidDecisionDate},
			"future_date": {func(c *procurement.RecordAnchoringDecision) { c.DecisionDate = "2025-04-01" }, procurement.ErrDecisionInFuture},
			"no_ref":      {func(c *procurement.RecordAnchoringDecision) { c.CaseRef = "" }, procurement.ErrCaseRefRequired},
			"long_ref":    {func(c *procurement.RecordAnchoringDecision) { c.CaseRef = runes(101) }, procurement.ErrCaseRefRequired},
		} {
			t.Run(name, func(t *testing.T) {
				cmd := anchoring("bergen")
				c.mod(&cmd)
				estest.For(t, procurement.Decider).Given(base...).When(cmd).ThenError(c.want)
			})
		}
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(base, cancelled())...).When(anchoring("bergen")).ThenError(procurement.ErrCancelled)
	})
}
