package procurement_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Tests of the competition design (DOMAIN.md §1 P4, §2 transition 7): the
// lead, under the other members' mandates to prepare, selects the procedure
// and defines the lots, requirements, qualification criteria, partnership
// phases and evaluators while the case is in DESIGN. Helpers are prefixed dz.

// dzNow is when the lead works on the design: day 41, the day after the
// market dialogue closed.
func dzNow() time.Time { return tdAt(41, 9) }

// dzDesignWith is the case in DESIGN with these design events already given.
func dzDesignWith(more ...procurement.Event) []procurement.Event { return tdThen(tdDesign(), more...) }

// dzRevoked is bergen revoking its mandate to the lead.
func dzRevoked() procurement.Event {
	return procurement.MandateRevoked{MandateID: "m-bergen", From: tdMember, Reason: "the council wants to decide itself"}
}

// dzSubmitted is version 1 of the documents submitted on day 45.
func dzSubmitted() procurement.Event {
	return procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)}
}

// dzInApproval is the designed open procedure with version 1 up for approval.
func dzInApproval() []procurement.Event { return tdThen(tdDesigned(tdPlan()), dzSubmitted()) }

// dzCase is ndCase with the agreement's procedure rule as given as well (ndCase
// always has a UNANIMOUS procedure rule).
func dzCase(procedureRule, approvalRule procurement.DecisionRule, members ...string) []procurement.Event {
	h := ndCase(approvalRule, members...)
	out := make([]procurement.Event, len(h))
	for i, e := range h {
		if d, ok := e.(procurement.CooperationAgreementDrafted); ok {
			d.Terms.DecisionRules.Procedure = procedureRule
			e = d
		}
		out[i] = e
	}
	return out
}

// dzInDesign is a case of these members (the first leads) under these rules,
// every member's binding volume committed, through the market dialogue into
// DESIGN.
func dzInDesign(procedureRule, approvalRule procurement.DecisionRule, members ...string) []procurement.Event {
	h := dzCase(procedureRule, approvalRule, members...)
	for _, org := range members {
		h = append(h, cmCommitted(org, cmBinding, "10", 100000))
	}
	return append(h, tdNoticeEvent(), tdRegistered(tdSupplier), tdDialogueClosed())
}

// dzSelect is the lead selecting a procedure with the fixture's basis and
// e-submission.
func dzSelect(p timelimits.Procedure) procurement.SelectProcedure {
	e := tdProcedure(p)
	return procurement.SelectProcedure{Procedure: e.Procedure, Regime: e.Regime, LegalBasis: e.LegalBasis,
		Justification: e.Justification, Conditions: e.Conditions, MinCandidates: e.MinCandidates,
		MaxCandidates: e.MaxCandidates, By: tdLeadBy(), At: dzNow()}
}

// dzErrorMessage decides cmd against history and returns the error's message,
// failing unless the error matches want.
func dzErrorMessage(t *testing.T, history []procurement.Event, cmd procurement.Command, want error) string {
	t.Helper()
	got, err := procurement.Decider.Decide(procurement.Decider.Fold(history), cmd)
	if !errors.Is(err, want) {
		t.Fatalf("want error %v, got %v (events %#v)", want, err, got)
	}
	return err.Error()
}

// dzDesignCommand is one command of the design, valid in a case in DESIGN with
// an innovation partnership, lots and award criteria, given by actor a.
type dzDesignCommand struct {
	name string
	cmd  func(a actor.Actor) procurement.Command
}

func dzDesignCommands(limits *timelimits.Table) []dzDesignCommand {
	at := dzNow()
	return []dzDesignCommand{
		{"select_procedure", func(a actor.Actor) procurement.Command {
			c := dzSelect(timelimits.Open)
			c.By = a
			return c
		}},
		{"define_lots", func(a actor.Actor) procurement.Command {
			return procurement.DefineLots{Lots: tdLots().Lots, By: a, At: at}
		}},
		{"define_requirements", func(a actor.Actor) procurement.Command {
			return procurement.DefineRequirements{Requirements: []procurement.Requirement{dzRequirement("r1")}, By: a, At: at}
		}},
		{"define_qualification_criteria", func(a actor.Actor) procurement.Command {
			return procurement.DefineQualificationCriteria{ExclusionGrounds: []string{"convictions"}, By: a, At: at}
		}},
		{"define_award_criteria", func(a actor.Actor) procurement.Command {
			return procurement.DefineAwardCriteria{Criteria: tdCriteria(), By: a, At: at}
		}},
		{"define_partnership_phases", func(a actor.Actor) procurement.Command {
			c := dzPhasesCmd(dzPhase("p1", "2025-12-31"))
			c.By = a
			return c
		}},
		{"set_timetable", func(a actor.Actor) procurement.Command {
			return procurement.SetTimetable{Timetable: tdPlan(), Limits: limits, By: a, At: at}
		}},
		{"submit_tender_documents", func(a actor.Actor) procurement.Command {
			return procurement.SubmitTenderDocuments{DocumentHash: tdHashOf("tender documents v2"), By: a, At: at}
		}},
	}
}

func TestDesignCommandsAreTheLeadsUnderMandateInDesign(t *testing.T) {
	limits := tdLimits(t)
	design := dzDesignWith(tdProcedure(timelimits.InnovationPartnership), tdLots())
	for _, c := range dzDesignCommands(limits) {
		t.Run(c.name+"_by_the_other_member_is_for_the_lead_only", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(design...).When(c.cmd(by(tdMember))).ThenError(procurement.ErrLeadOnly)
		})
		t.Run(c.name+"_by_the_hub_is_for_the_lead_only", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(design...).When(c.cmd(by(hub))).ThenError(procurement.ErrLeadOnly)
		})
		t.Run(c.name+"_by_a_stranger_finds_no_case", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(design...).When(c.cmd(by("tromso"))).ThenError(procurement.ErrNotFound)
		})
		t.Run(c.name+"_by_a_registered_supplier_finds_no_case", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(design...).When(c.cmd(tdSup(tdSupplier))).ThenError(procurement.ErrNotFound)
		})
		t.Run(c.name+"_is_refused_before_the_design", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).When(c.cmd(tdLeadBy())).ThenError(procurement.ErrNotDesignPhase)
		})
		t.Run(c.name+"_is_refused_while_the_documents_are_up_for_approval", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c.cmd(tdLeadBy())).ThenError(procurement.ErrNotDesignPhase)
		})
		t.Run(c.name+"_is_refused_once_the_notice_is_published", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdTendering(tdPlan())...).When(c.cmd(tdLeadBy())).ThenError(procurement.ErrNotDesignPhase)
		})
		t.Run(c.name+"_needs_the_other_members_mandate_to_prepare", func(t *testing.T) {
			h := tdThen(design, dzRevoked())
			estest.For(t, procurement.Decider).Given(h...).When(c.cmd(tdLeadBy())).ThenError(procurement.ErrMandateMissing)
			if msg := dzErrorMessage(t, h, c.cmd(tdLeadBy()), procurement.ErrMandateMissing); !strings.Contains(msg, "prepare mandate from bergen") {
				t.Fatalf("the message does not name the missing mandate: %q", msg)
			}
		})
		t.Run(c.name+"_is_refused_in_a_cancelled_case", func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdThen(design, cancelled())...).When(c.cmd(tdLeadBy())).ThenError(procurement.ErrCancelled)
		})
	}
	t.Run("an_expired_mandate_no_longer_covers_the_design", func(t *testing.T) {
		c := dzSelect(timelimits.Open)
		c.At = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) // the mandate ran until 2025-12-31
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrMandateMissing)
	})
	t.Run("a_mandate_on_its_last_day_still_covers_the_design", func(t *testing.T) {
		c := dzSelect(timelimits.Open)
		c.At = time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).Then(tdProcedure(timelimits.Open))
	})
	t.Run("a_mandate_to_publish_only_does_not_cover_the_design", func(t *testing.T) {
		h := tdThen(tdDesign(), dzRevoked(), procurement.MandateGranted{MandateID: "m-bergen-2", From: tdMember, To: tdLead,
			Scope: []procurement.Scope{procurement.ScopePublish}, ValidUntil: "2025-12-31"})
		estest.For(t, procurement.Decider).Given(h...).When(dzSelect(timelimits.Open)).ThenError(procurement.ErrMandateMissing)
	})
	t.Run("a_new_mandate_after_a_revocation_covers_the_design_again", func(t *testing.T) {
		h := tdThen(tdDesign(), dzRevoked(), procurement.MandateGranted{MandateID: "m-bergen-2", From: tdMember, To: tdLead,
			Scope: []procurement.Scope{procurement.ScopePrepare}, ValidUntil: "2025-12-31"})
		estest.For(t, procurement.Decider).Given(h...).When(dzSelect(timelimits.Open)).Then(tdProcedure(timelimits.Open))
	})
}

func TestSelectProcedure(t *testing.T) {
	t.Run("the_lead_selects_the_open_procedure", func(t *testing.T) {
		c := procurement.SelectProcedure{Procedure: timelimits.Open, Regime: timelimits.EUAbove, LegalBasis: "  FOA § 13-1  ",
			Conditions: []timelimits.Condition{timelimits.ESubmission}, By: tdLeadBy(), At: dzNow()}
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).
			Then(procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1",
				Conditions: []timelimits.Condition{timelimits.ESubmission}})
	})
	t.Run("the_open_procedure_needs_no_legal_basis_or_justification", func(t *testing.T) {
		c := procurement.SelectProcedure{Procedure: timelimits.Open, Regime: timelimits.National, By: tdLeadBy(), At: dzNow()}
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).
			Then(procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.National})
	})
	t.Run("the_conditions_are_stored_in_a_fixed_order", func(t *testing.T) {
		c := dzSelect(timelimits.Open)
		c.Conditions = []timelimits.Condition{timelimits.Urgency, timelimits.QualifyingPIN, timelimits.ESubmission}
		want := tdProcedure(timelimits.Open)
		want.Conditions = []timelimits.Condition{timelimits.ESubmission, timelimits.QualifyingPIN, timelimits.Urgency}
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).Then(want)
	})
	t.Run("a_two_stage_procedure_names_its_candidates", func(t *testing.T) {
		c := dzSelect(timelimits.Restricted)
		c.MinCandidates, c.MaxCandidates = 3, 5
		want := tdProcedure(timelimits.Restricted)
		want.MaxCandidates = 5
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).Then(want)
	})
	t.Run("a_two_stage_procedure_may_have_no_maximum", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzSelect(timelimits.Restricted)).Then(tdProcedure(timelimits.Restricted))
	})
	t.Run("a_two_stage_procedure_may_invite_exactly_its_minimum", func(t *testing.T) {
		c := dzSelect(timelimits.DPS)
		c.MinCandidates, c.MaxCandidates = 1, 1
		want := tdProcedure(timelimits.DPS)
		want.MinCandidates, want.MaxCandidates = 1, 1
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).Then(want)
	})
	for _, p := range []timelimits.Procedure{timelimits.CompetitiveNegotiation, timelimits.CompetitiveDialogue, timelimits.InnovationPartnership} {
		t.Run(strings.ToLower(string(p))+"_is_selected_with_its_basis_and_justification", func(t *testing.T) {
			c := dzSelect(p)
			c.LegalBasis, c.Justification = " "+c.LegalBasis+"\n", "\t"+c.Justification+" "
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).Then(tdProcedure(p))
		})
		t.Run(strings.ToLower(string(p))+"_without_a_justification_is_refused", func(t *testing.T) {
			c := dzSelect(p)
			c.Justification = "   "
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrJustificationRequired)
		})
		t.Run(strings.ToLower(string(p))+"_without_a_legal_basis_is_refused", func(t *testing.T) {
			c := dzSelect(p)
			c.LegalBasis = ""
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrJustificationRequired)
		})
	}
	t.Run("a_justification_of_4000_characters_is_allowed", func(t *testing.T) {
		c := dzSelect(timelimits.CompetitiveDialogue)
		c.Justification = runes(4000)
		want := tdProcedure(timelimits.CompetitiveDialogue)
		want.Justification = runes(4000)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).Then(want)
	})
	t.Run("a_justification_over_4000_characters_is_refused", func(t *testing.T) {
		c := dzSelect(timelimits.CompetitiveDialogue)
		c.Justification = runes(4001)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrJustificationRequired)
	})
	t.Run("a_legal_basis_over_4000_characters_is_refused_even_for_the_open_procedure", func(t *testing.T) {
		c := dzSelect(timelimits.Open)
		c.LegalBasis = runes(4001)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrJustificationRequired)
	})
	for name, c := range map[string]struct {
		change func(*procurement.SelectProcedure)
		want   error
	}{
		"an_unknown_procedure":            {func(c *procurement.SelectProcedure) { c.Procedure = "NEGOTIATED" }, procurement.ErrInvalidProcedure},
		"no_procedure":                    {func(c *procurement.SelectProcedure) { c.Procedure = "" }, procurement.ErrInvalidProcedure},
		"the_table_wildcard_as_procedure": {func(c *procurement.SelectProcedure) { c.Procedure = timelimits.Any }, procurement.ErrInvalidProcedure},
		"an_unknown_regime":               {func(c *procurement.SelectProcedure) { c.Regime = "EU" }, procurement.ErrInvalidRegime},
		"no_regime":                       {func(c *procurement.SelectProcedure) { c.Regime = "" }, procurement.ErrInvalidRegime},
		"an_unknown_condition":            {func(c *procurement.SelectProcedure) { c.Conditions = []timelimits.Condition{"FAST"} }, procurement.ErrInvalidCondition},
		"a_standstill_condition": {func(c *procurement.SelectProcedure) {
			c.Conditions = []timelimits.Condition{timelimits.ElectronicNotice}
		}, procurement.ErrInvalidCondition},
		"the_same_condition_twice":          {func(c *procurement.SelectProcedure) { c.Conditions = append(c.Conditions, timelimits.ESubmission) }, procurement.ErrInvalidCondition},
		"a_minimum_of_candidates_in_open":   {func(c *procurement.SelectProcedure) { c.MinCandidates = 1 }, procurement.ErrInvalidCandidates},
		"a_maximum_of_candidates_in_open":   {func(c *procurement.SelectProcedure) { c.MaxCandidates = 5 }, procurement.ErrInvalidCandidates},
		"a_two_stage_procedure_without_min": {func(c *procurement.SelectProcedure) { c.Procedure = timelimits.Restricted }, procurement.ErrInvalidCandidates},
		"a_negative_minimum":                {func(c *procurement.SelectProcedure) { c.Procedure, c.MinCandidates = timelimits.Restricted, -1 }, procurement.ErrInvalidCandidates},
		"a_maximum_below_the_minimum": {func(c *procurement.SelectProcedure) {
			c.Procedure, c.MinCandidates, c.MaxCandidates = timelimits.Restricted, 3, 2
		}, procurement.ErrInvalidCandidates},
		"a_negative_maximum_in_two_stage": {func(c *procurement.SelectProcedure) {
			c.Procedure, c.MinCandidates, c.MaxCandidates = timelimits.Restricted, 3, -1
		}, procurement.ErrInvalidCandidates},
		"a_dialogue_without_any_candidates": {func(c *procurement.SelectProcedure) {
			c.Procedure, c.Justification = timelimits.CompetitiveDialogue, "x"
		}, procurement.ErrInvalidCandidates},
		"a_partnership_without_justification": {func(c *procurement.SelectProcedure) {
			c.Procedure, c.MinCandidates = timelimits.InnovationPartnership, 3
		}, procurement.ErrJustificationRequired},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := dzSelect(timelimits.Open)
			c.change(&cmd)
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(cmd).ThenError(c.want)
		})
	}
	t.Run("selecting_the_same_procedure_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(timelimits.Restricted))...).
			When(dzSelect(timelimits.Restricted)).ThenNothing()
	})
	t.Run("the_same_conditions_in_another_order_are_the_same_selection", func(t *testing.T) {
		given := tdProcedure(timelimits.Open)
		given.Conditions = []timelimits.Condition{timelimits.ESubmission, timelimits.Urgency}
		c := dzSelect(timelimits.Open)
		c.Conditions = []timelimits.Condition{timelimits.Urgency, timelimits.ESubmission}
		estest.For(t, procurement.Decider).Given(dzDesignWith(given)...).When(c).ThenNothing()
	})
	t.Run("an_empty_list_of_conditions_is_the_same_as_none", func(t *testing.T) {
		given := tdProcedure(timelimits.Open)
		given.Conditions = nil // as read back from the store
		c := dzSelect(timelimits.Open)
		c.Conditions = []timelimits.Condition{} // as a GraphQL client sends "conditions: []"
		estest.For(t, procurement.Decider).Given(dzDesignWith(given, procurement.TimetableSet{Version: 1, Timetable: tdPlan()})...).
			When(c).ThenNothing()
	})
	t.Run("another_procedure_replaces_the_selection", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(timelimits.Open))...).
			When(dzSelect(timelimits.InnovationPartnership)).Then(tdProcedure(timelimits.InnovationPartnership))
	})
	t.Run("another_procedure_clears_the_timetable_set_for_the_previous_one", func(t *testing.T) {
		h := dzDesignWith(tdProcedure(timelimits.Open), procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"})
		estest.For(t, procurement.Decider).Given(h...).When(dzSelect(timelimits.Restricted)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Design.Timetable != nil {
					t.Fatalf("the timetable of the open procedure survived: %+v", s.Design.Timetable)
				}
				if s.Design.TimetableSets != 1 {
					t.Fatalf("timetables ever set: %d, want 1", s.Design.TimetableSets)
				}
				if s.Design.Procedure == nil || s.Design.Procedure.Procedure != timelimits.Restricted {
					t.Fatalf("procedure %+v", s.Design.Procedure)
				}
			})
	})
	t.Run("the_rest_of_the_design_survives_a_new_procedure", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesigned(tdPlan())...).When(dzSelect(timelimits.Restricted)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Design.Lots.Version != 1 || s.Design.Requirements.Version != 1 || len(s.Design.Evaluators) != 1 {
					t.Fatalf("the design lost more than its timetable: %+v", s.Design)
				}
			})
	})
}

func TestDefineLots(t *testing.T) {
	define := func(lots ...procurement.Lot) procurement.DefineLots {
		return procurement.DefineLots{Lots: lots, By: tdLeadBy(), At: dzNow()}
	}
	t.Run("the_lead_defines_the_lots_with_their_buyers", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(define(
				procurement.Lot{ID: "lot-1", Title: "  Sensors ", Members: []string{tdLead, tdMember, tdLead}},
				procurement.Lot{ID: "lot-2", Title: "Warning signs", Members: []string{tdMember}, EstimatedValue: " 1250000.5 "})).
			Then(procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{
				{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}},
				{ID: "lot-2", Title: "Warning signs", Members: []string{tdMember}, EstimatedValue: "1250000.50"},
			}})
	})
	t.Run("new_lots_are_the_next_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdLots())...).
			When(define(procurement.Lot{ID: "lot-1", Title: "Sensors and masts", Members: []string{tdMember, tdLead}})).
			Then(procurement.LotsDefined{Version: 2, Lots: []procurement.Lot{{ID: "lot-1", Title: "Sensors and masts", Members: []string{tdMember, tdLead}}}})
	})
	t.Run("the_same_lots_again_are_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdLots())...).
			When(define(procurement.Lot{ID: "lot-1", Title: " Sensors", Members: []string{tdLead, tdMember}})).
			ThenNothing()
	})
	t.Run("fifty_lots_are_allowed", func(t *testing.T) {
		lots := dzManyLots(50)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(lots...)).Then(procurement.LotsDefined{Version: 1, Lots: lots})
	})
	t.Run("every_joined_member_must_buy_in_a_lot", func(t *testing.T) {
		c := define(procurement.Lot{ID: "lot-1", Title: "Sensors", Members: []string{tdMember}})
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrMemberWithoutLot)
		if msg := dzErrorMessage(t, tdDesign(), c, procurement.ErrMemberWithoutLot); !strings.HasSuffix(msg, ": oslo") {
			t.Fatalf("the message does not name oslo: %q", msg)
		}
	})
	t.Run("the_members_without_a_lot_are_all_named", func(t *testing.T) {
		h := dzInDesign(procurement.RuleUnanimous, procurement.RuleUnanimous, "oslo", "bergen", "tromso")
		c := define(procurement.Lot{ID: "lot-1", Title: "Sensors", Members: []string{"oslo"}})
		if msg := dzErrorMessage(t, h, c, procurement.ErrMemberWithoutLot); !strings.HasSuffix(msg, ": bergen, tromso") {
			t.Fatalf("the message does not name bergen and tromso: %q", msg)
		}
	})
	t.Run("a_member_that_withdrew_needs_no_lot", func(t *testing.T) {
		h := tdThen(dzInDesign(procurement.RuleUnanimous, procurement.RuleUnanimous, "oslo", "bergen", "tromso"), withdrew("tromso"))
		lot := procurement.Lot{ID: "lot-1", Title: "Sensors", Members: []string{"bergen", "oslo"}}
		estest.For(t, procurement.Decider).Given(h...).When(define(lot)).Then(procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{lot}})
	})
	t.Run("a_member_that_withdrew_cannot_buy_in_a_lot", func(t *testing.T) {
		h := tdThen(dzInDesign(procurement.RuleUnanimous, procurement.RuleUnanimous, "oslo", "bergen", "tromso"), withdrew("tromso"))
		estest.For(t, procurement.Decider).Given(h...).
			When(define(procurement.Lot{ID: "lot-1", Title: "Sensors", Members: []string{"bergen", "oslo", "tromso"}})).
			ThenError(procurement.ErrInvalidLots)
	})
	for name, lots := range map[string][]procurement.Lot{
		"no_lots":                  nil,
		"fifty_one_lots":           dzManyLots(51),
		"a_lot_without_an_id":      {{Title: "Sensors", Members: []string{tdMember, tdLead}}},
		"a_lot_id_with_spaces":     {{ID: "lot 1", Title: "Sensors", Members: []string{tdMember, tdLead}}},
		"the_same_lot_id_twice":    {{ID: "lot-1", Title: "A", Members: []string{tdMember, tdLead}}, {ID: "lot-1", Title: "B", Members: []string{tdLead}}},
		"a_lot_without_a_title":    {{ID: "lot-1", Title: "   ", Members: []string{tdMember, tdLead}}},
		"a_title_over_200_letters": {{ID: "lot-1", Title: runes(201), Members: []string{tdMember, tdLead}}},
		"a_lot_without_buyers":     {{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}}, {ID: "lot-2", Title: "Signs"}},
		"a_buyer_never_invited":    {{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead, "tromso"}}},
		"the_hub_as_a_buyer":       {{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead, hub}}},
		"a_supplier_as_a_buyer":    {{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead, tdSupplier}}},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(lots...)).ThenError(procurement.ErrInvalidLots)
		})
	}
	t.Run("a_title_of_200_letters_is_allowed", func(t *testing.T) {
		lot := procurement.Lot{ID: "lot-1", Title: runes(200), Members: []string{tdMember, tdLead}}
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(lot)).Then(procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{lot}})
	})
	t.Run("refused_a_negative_estimated_value", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(define(procurement.Lot{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}, EstimatedValue: "-5"})).
			ThenError(procurement.ErrNegativeValue)
	})
	t.Run("refused_an_estimated_value_that_is_no_amount", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(define(procurement.Lot{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}, EstimatedValue: "1,5 mill"})).
			ThenError(procurement.ErrInvalidValue)
	})
}

// dzManyLots is n lots bought by both members.
func dzManyLots(n int) []procurement.Lot {
	lots := make([]procurement.Lot, n)
	for i := range lots {
		lots[i] = procurement.Lot{ID: fmt.Sprintf("lot-%d", i+1), Title: "Part", Members: []string{tdMember, tdLead}}
	}
	return lots
}

// dzRequirement is a minimum requirement for every lot.
func dzRequirement(id string) procurement.Requirement {
	return procurement.Requirement{ID: id, Kind: procurement.RequirementMinimum, Text: "Works at -30 °C"}
}

func TestDefineRequirements(t *testing.T) {
	define := func(reqs ...procurement.Requirement) procurement.DefineRequirements {
		return procurement.DefineRequirements{Requirements: reqs, By: tdLeadBy(), At: dzNow()}
	}
	t.Run("the_lead_defines_the_requirements", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdLots())...).
			When(define(
				procurement.Requirement{ID: "r1", Kind: procurement.RequirementMinimum, Text: "  Works at -30 °C "},
				procurement.Requirement{ID: "r2", Kind: procurement.RequirementFunctional, Text: "Warns drivers", Lots: []string{"lot-1", "lot-1"}},
				procurement.Requirement{ID: "r3", Kind: procurement.RequirementPerformance, Text: "Detects 95 % of avalanches"})).
			Then(procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{
				{ID: "r1", Kind: procurement.RequirementMinimum, Text: "Works at -30 °C"},
				{ID: "r2", Kind: procurement.RequirementFunctional, Text: "Warns drivers", Lots: []string{"lot-1"}},
				{ID: "r3", Kind: procurement.RequirementPerformance, Text: "Detects 95 % of avalanches"},
			}})
	})
	t.Run("requirements_for_every_lot_need_no_lots_yet", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(dzRequirement("r1"))).
			Then(procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{dzRequirement("r1")}})
	})
	t.Run("new_requirements_are_the_next_version", func(t *testing.T) {
		h := dzDesignWith(procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{dzRequirement("r1")}})
		estest.For(t, procurement.Decider).Given(h...).When(define(dzRequirement("r1"), dzRequirement("r2"))).
			Then(procurement.RequirementsDefined{Version: 2, Requirements: []procurement.Requirement{dzRequirement("r1"), dzRequirement("r2")}})
	})
	t.Run("the_same_requirements_again_are_a_no_op", func(t *testing.T) {
		h := dzDesignWith(procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{dzRequirement("r1")}})
		again := dzRequirement("r1")
		again.Text = " " + again.Text + " "
		estest.For(t, procurement.Decider).Given(h...).When(define(again)).ThenNothing()
	})
	t.Run("a_requirement_for_an_unknown_lot_is_refused", func(t *testing.T) {
		r := dzRequirement("r1")
		r.Lots = []string{"lot-9"}
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdLots())...).When(define(r)).ThenError(procurement.ErrUnknownLot)
	})
	t.Run("a_requirement_for_a_lot_before_the_lots_is_refused", func(t *testing.T) {
		r := dzRequirement("r1")
		r.Lots = []string{"lot-1"}
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(r)).ThenError(procurement.ErrUnknownLot)
	})
	many := make([]procurement.Requirement, 501)
	for i := range many {
		many[i] = dzRequirement(fmt.Sprintf("r%d", i))
	}
	for name, reqs := range map[string][]procurement.Requirement{
		"no_requirements":              nil,
		"five_hundred_and_one":         many,
		"a_requirement_without_an_id":  {{Kind: procurement.RequirementMinimum, Text: "x"}},
		"an_id_with_a_slash":           {{ID: "r/1", Kind: procurement.RequirementMinimum, Text: "x"}},
		"the_same_id_twice":            {dzRequirement("r1"), dzRequirement("r1")},
		"a_requirement_without_text":   {{ID: "r1", Kind: procurement.RequirementMinimum, Text: "  "}},
		"a_text_over_4000_letters":     {{ID: "r1", Kind: procurement.RequirementMinimum, Text: runes(4001)}},
		"an_unknown_kind":              {{ID: "r1", Kind: "NICE_TO_HAVE", Text: "x"}},
		"a_requirement_without_a_kind": {{ID: "r1", Text: "x"}},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(reqs...)).ThenError(procurement.ErrInvalidRequirements)
		})
	}
	t.Run("five_hundred_requirements_of_4000_letters_are_allowed", func(t *testing.T) {
		reqs := many[:500]
		reqs[0].Text = runes(4000)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(reqs...)).
			Then(procurement.RequirementsDefined{Version: 1, Requirements: reqs})
	})
}

func TestDefineQualificationCriteria(t *testing.T) {
	define := func(grounds []string, criteria ...procurement.SelectionCriterion) procurement.DefineQualificationCriteria {
		return procurement.DefineQualificationCriteria{ExclusionGrounds: grounds, SelectionCriteria: criteria, By: tdLeadBy(), At: dzNow()}
	}
	turnover := procurement.SelectionCriterion{ID: "s1", Text: "Turnover of at least NOK 10 million", Evidence: "Annual accounts"}
	t.Run("the_lead_defines_exclusion_grounds_and_selection_criteria", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(define([]string{" convictions ", "unpaid taxes"},
				procurement.SelectionCriterion{ID: "s1", Text: " Turnover of at least NOK 10 million", Evidence: "Annual accounts  "})).
			Then(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions", "unpaid taxes"},
				SelectionCriteria: []procurement.SelectionCriterion{turnover}})
	})
	t.Run("exclusion_grounds_alone_are_enough", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define([]string{"convictions"})).
			Then(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}, SelectionCriteria: []procurement.SelectionCriterion{}})
	})
	t.Run("selection_criteria_alone_are_enough", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(nil, turnover)).
			Then(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{}, SelectionCriteria: []procurement.SelectionCriterion{turnover}})
	})
	t.Run("new_criteria_are_the_next_version", func(t *testing.T) {
		h := dzDesignWith(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}})
		estest.For(t, procurement.Decider).Given(h...).When(define([]string{"convictions"}, turnover)).
			Then(procurement.QualificationCriteriaDefined{Version: 2, ExclusionGrounds: []string{"convictions"}, SelectionCriteria: []procurement.SelectionCriterion{turnover}})
	})
	t.Run("the_same_criteria_again_are_a_no_op", func(t *testing.T) {
		h := dzDesignWith(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}, SelectionCriteria: []procurement.SelectionCriterion{turnover}})
		estest.For(t, procurement.Decider).Given(h...).When(define([]string{"convictions "}, turnover)).ThenNothing()
	})
	hundredAndOne := make([]string, 101)
	for i := range hundredAndOne {
		hundredAndOne[i] = fmt.Sprintf("ground %d", i)
	}
	manyCriteria := make([]procurement.SelectionCriterion, 101)
	for i := range manyCriteria {
		manyCriteria[i] = procurement.SelectionCriterion{ID: fmt.Sprintf("s%d", i), Text: "x", Evidence: "y"}
	}
	for name, c := range map[string]procurement.DefineQualificationCriteria{
		"nothing":                          define(nil),
		"a_hundred_and_one_grounds":        define(hundredAndOne),
		"a_hundred_and_one_criteria":       define(nil, manyCriteria...),
		"an_empty_exclusion_ground":        define([]string{"convictions", "  "}),
		"a_ground_over_2000_letters":       define([]string{runes(2001)}),
		"a_criterion_without_an_id":        define(nil, procurement.SelectionCriterion{Text: "x", Evidence: "y"}),
		"the_same_criterion_id_twice":      define(nil, turnover, turnover),
		"a_criterion_without_text":         define(nil, procurement.SelectionCriterion{ID: "s1", Evidence: "y"}),
		"a_criterion_without_evidence":     define(nil, procurement.SelectionCriterion{ID: "s1", Text: "x", Evidence: " "}),
		"a_criterion_text_over_4000":       define(nil, procurement.SelectionCriterion{ID: "s1", Text: runes(4001), Evidence: "y"}),
		"evidence_over_2000_letters":       define(nil, procurement.SelectionCriterion{ID: "s1", Text: "x", Evidence: runes(2001)}),
		"a_criterion_id_starting_with_dot": define(nil, procurement.SelectionCriterion{ID: ".s1", Text: "x", Evidence: "y"}),
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrInvalidQualification)
		})
	}
	t.Run("a_hundred_of_each_at_their_longest_are_allowed", func(t *testing.T) {
		grounds := hundredAndOne[:100]
		grounds[0] = runes(2000)
		criteria := manyCriteria[:100]
		criteria[0] = procurement.SelectionCriterion{ID: "s0", Text: runes(4000), Evidence: runes(2000)}
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(define(grounds, criteria...)).
			Then(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: grounds, SelectionCriteria: criteria})
	})
}

// dzPhase is one phase of an innovation partnership due on due.
func dzPhase(id, due string) procurement.PartnershipPhase {
	return procurement.PartnershipPhase{ID: id, Goal: "A working prototype on one road", IntermediateTargets: []string{"detects a test slide"},
		MaxCost: "2000000", Due: due}
}

// dzPhasesCmd defines phases with purchase conditions.
func dzPhasesCmd(phases ...procurement.PartnershipPhase) procurement.DefinePartnershipPhases {
	return procurement.DefinePartnershipPhases{Phases: phases,
		PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "95 % of slides detected", MaxCost: "10000000"},
		By:                 tdLeadBy(), At: dzNow()}
}

// dzPhaseDefined is dzPhase as the event stores it.
func dzPhaseDefined(id, due string) procurement.PartnershipPhase {
	p := dzPhase(id, due)
	p.MaxCost = "2000000.00"
	return p
}

func dzPurchase() procurement.PurchaseConditions {
	return procurement.PurchaseConditions{PerformanceLevel: "95 % of slides detected", MaxCost: "10000000.00"}
}

func TestDefinePartnershipPhases(t *testing.T) {
	ip := dzDesignWith(tdProcedure(timelimits.InnovationPartnership))
	t.Run("the_lead_defines_the_phases_of_an_innovation_partnership", func(t *testing.T) {
		c := dzPhasesCmd(
			procurement.PartnershipPhase{ID: "p1", Goal: " Prototype ", IntermediateTargets: []string{" detects a test slide ", "runs a winter"},
				MaxCost: "2000000", Due: "2025-12-31"},
			procurement.PartnershipPhase{ID: "p2", Goal: "Pilot", IntermediateTargets: []string{"warns on ten roads"}, MaxCost: "3000000.5", Due: "2026-06-30"})
		c.PurchaseConditions = procurement.PurchaseConditions{PerformanceLevel: "  95 % of slides detected ", MaxCost: "10000000"}
		estest.For(t, procurement.Decider).Given(ip...).When(c).
			Then(procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{
				{ID: "p1", Goal: "Prototype", IntermediateTargets: []string{"detects a test slide", "runs a winter"}, MaxCost: "2000000.00", Due: "2025-12-31"},
				{ID: "p2", Goal: "Pilot", IntermediateTargets: []string{"warns on ten roads"}, MaxCost: "3000000.50", Due: "2026-06-30"},
			}, PurchaseConditions: dzPurchase()})
	})
	t.Run("new_phases_are_the_next_version", func(t *testing.T) {
		h := tdThen(ip, procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{dzPhaseDefined("p1", "2025-12-31")}, PurchaseConditions: dzPurchase()})
		estest.For(t, procurement.Decider).Given(h...).When(dzPhasesCmd(dzPhase("p1", "2026-01-31"))).
			Then(procurement.PartnershipPhasesDefined{Version: 2, Phases: []procurement.PartnershipPhase{dzPhaseDefined("p1", "2026-01-31")}, PurchaseConditions: dzPurchase()})
	})
	t.Run("the_same_phases_again_are_a_no_op", func(t *testing.T) {
		h := tdThen(ip, procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{dzPhaseDefined("p1", "2025-12-31")}, PurchaseConditions: dzPurchase()})
		estest.For(t, procurement.Decider).Given(h...).When(dzPhasesCmd(dzPhase("p1", "2025-12-31"))).ThenNothing()
	})
	t.Run("other_purchase_conditions_are_the_next_version", func(t *testing.T) {
		h := tdThen(ip, procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{dzPhaseDefined("p1", "2025-12-31")}, PurchaseConditions: dzPurchase()})
		c := dzPhasesCmd(dzPhase("p1", "2025-12-31"))
		c.PurchaseConditions.MaxCost = "12000000"
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.PartnershipPhasesDefined{Version: 2, Phases: []procurement.PartnershipPhase{dzPhaseDefined("p1", "2025-12-31")},
				PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "95 % of slides detected", MaxCost: "12000000.00"}})
	})
	t.Run("a_phase_may_end_the_day_the_plan_is_made", func(t *testing.T) {
		// dzNow is 2025-04-12
		estest.For(t, procurement.Decider).Given(ip...).When(dzPhasesCmd(dzPhase("p1", "2025-04-12"))).
			Then(procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{dzPhaseDefined("p1", "2025-04-12")}, PurchaseConditions: dzPurchase()})
	})
	for _, p := range []timelimits.Procedure{timelimits.Open, timelimits.Restricted, timelimits.CompetitiveDialogue} {
		t.Run("refused_for_"+strings.ToLower(string(p)), func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(p))...).When(dzPhasesCmd(dzPhase("p1", "2025-12-31"))).
				ThenError(procurement.ErrNotInnovationPartnership)
		})
	}
	t.Run("refused_before_a_procedure_is_selected", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzPhasesCmd(dzPhase("p1", "2025-12-31"))).
			ThenError(procurement.ErrNotInnovationPartnership)
	})
	manyTargets := make([]string, 51)
	for i := range manyTargets {
		manyTargets[i] = "target"
	}
	withPhase := func(change func(*procurement.PartnershipPhase)) []procurement.PartnershipPhase {
		p := dzPhase("p1", "2025-12-31")
		change(&p)
		return []procurement.PartnershipPhase{p}
	}
	twentyOne := make([]procurement.PartnershipPhase, 21)
	for i := range twentyOne {
		twentyOne[i] = dzPhase(fmt.Sprintf("p%d", i), "2025-12-31")
	}
	for name, phases := range map[string][]procurement.PartnershipPhase{
		"no_phases":                      nil,
		"twenty_one_phases":              twentyOne,
		"a_phase_without_an_id":          withPhase(func(p *procurement.PartnershipPhase) { p.ID = "" }),
		"the_same_phase_id_twice":        {dzPhase("p1", "2025-10-31"), dzPhase("p1", "2025-12-31")},
		"a_phase_without_a_goal":         withPhase(func(p *procurement.PartnershipPhase) { p.Goal = " " }),
		"a_goal_over_2000_letters":       withPhase(func(p *procurement.PartnershipPhase) { p.Goal = runes(2001) }),
		"no_intermediate_targets":        withPhase(func(p *procurement.PartnershipPhase) { p.IntermediateTargets = nil }),
		"fifty_one_targets":              withPhase(func(p *procurement.PartnershipPhase) { p.IntermediateTargets = manyTargets }),
		"an_empty_target":                withPhase(func(p *procurement.PartnershipPhase) { p.IntermediateTargets = []string{"x", "  "} }),
		"a_maximum_cost_of_zero":         withPhase(func(p *procurement.PartnershipPhase) { p.MaxCost = "0" }),
		"a_negative_maximum_cost":        withPhase(func(p *procurement.PartnershipPhase) { p.MaxCost = "-5" }),
		"no_maximum_cost":                withPhase(func(p *procurement.PartnershipPhase) { p.MaxCost = "" }),
		"a_maximum_cost_in_words":        withPhase(func(p *procurement.PartnershipPhase) { p.MaxCost = "two million" }),
		"no_due_date":                    withPhase(func(p *procurement.PartnershipPhase) { p.Due = "" }),
		"a_due_date_in_another_format":   withPhase(func(p *procurement.PartnershipPhase) { p.Due = "31.12.2025" }),
		"a_due_date_that_does_not_exist": withPhase(func(p *procurement.PartnershipPhase) { p.Due = "2025-02-30" }),
		"a_due_date_with_a_time":         withPhase(func(p *procurement.PartnershipPhase) { p.Due = "2025-12-31T12:00:00Z" }),
		"a_due_date_in_the_past":         withPhase(func(p *procurement.PartnershipPhase) { p.Due = "2025-04-11" }),
		"phases_due_out_of_order":        {dzPhase("p1", "2026-06-30"), dzPhase("p2", "2025-12-31")},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(ip...).When(dzPhasesCmd(phases...)).ThenError(procurement.ErrInvalidPhases)
		})
	}
	for name, pc := range map[string]procurement.PurchaseConditions{
		"no_performance_level":            {MaxCost: "10000000"},
		"a_performance_level_over_2000":   {PerformanceLevel: runes(2001), MaxCost: "10000000"},
		"a_purchase_maximum_cost_of_zero": {PerformanceLevel: "95 %", MaxCost: "0"},
		"no_purchase_maximum_cost":        {PerformanceLevel: "95 %"},
		"a_negative_purchase_maximum":     {PerformanceLevel: "95 %", MaxCost: "-1"},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			c := dzPhasesCmd(dzPhase("p1", "2025-12-31"))
			c.PurchaseConditions = pc
			estest.For(t, procurement.Decider).Given(ip...).When(c).ThenError(procurement.ErrInvalidPhases)
		})
	}
	t.Run("two_phases_due_the_same_day_are_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ip...).When(dzPhasesCmd(dzPhase("p1", "2025-12-31"), dzPhase("p2", "2025-12-31"))).
			ThenError(procurement.ErrInvalidPhases)
	})
}

func TestAppointEvaluator(t *testing.T) {
	withCriteria := dzDesignWith(tdLots(), procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()})
	appoint := func(a actor.Actor, person, org string, criteria, lots []string) procurement.AppointEvaluator {
		return procurement.AppointEvaluator{Person: person, Org: org, Criteria: criteria, Lots: lots, By: a, At: dzNow()}
	}
	t.Run("the_lead_appoints_an_evaluator_for_some_criteria_and_lots", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withCriteria...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, []string{"quality", "price", "quality"}, []string{"lot-1", "lot-1"})).
			Then(procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember, Criteria: []string{"price", "quality"}, Lots: []string{"lot-1"}})
	})
	t.Run("an_evaluator_without_criteria_or_lots_evaluates_everything", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, nil, nil)).
			Then(procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember})
	})
	t.Run("an_evaluator_may_come_from_an_organisation_outside_the_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(appoint(tdLeadBy(), "expert@sintef", "sintef", nil, nil)).
			Then(procurement.EvaluatorAppointed{Person: "expert@sintef", Org: "sintef"})
	})
	t.Run("a_criterion_of_one_lot_may_be_assigned", func(t *testing.T) {
		h := dzDesignWith(tdLots(), procurement.AwardCriteriaDefined{Lot: "lot-1", Version: 1, Criteria: []procurement.AwardCriterion{
			{ID: "design", Name: "Design", Type: procurement.CriterionQuality, Weight: "100", WeightBP: 10000, ScaleMax: 10, ScoringMethod: "panel"}}})
		estest.For(t, procurement.Decider).Given(h...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, []string{"design"}, nil)).
			Then(procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember, Criteria: []string{"design"}})
	})
	t.Run("the_same_appointment_again_is_a_no_op", func(t *testing.T) {
		h := tdThen(withCriteria, procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember, Criteria: []string{"price", "quality"}})
		estest.For(t, procurement.Decider).Given(h...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, []string{"quality", "price"}, nil)).ThenNothing()
	})
	t.Run("an_evaluator_appointed_again_with_other_criteria_is_reappointed", func(t *testing.T) {
		h := tdThen(withCriteria, procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember, Criteria: []string{"price", "quality"}})
		estest.For(t, procurement.Decider).Given(h...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, []string{"quality"}, nil)).
			Then(procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember, Criteria: []string{"quality"}})
	})
	t.Run("an_unknown_criterion_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withCriteria...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, []string{"beauty"}, nil)).ThenError(procurement.ErrInvalidEvaluator)
	})
	t.Run("a_criterion_before_any_criteria_are_defined_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, []string{"price"}, nil)).ThenError(procurement.ErrInvalidEvaluator)
	})
	t.Run("an_unknown_lot_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withCriteria...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, nil, []string{"lot-9"})).ThenError(procurement.ErrUnknownLot)
	})
	for name, c := range map[string][2]string{
		"no_person":                   {"", tdMember},
		"a_person_with_spaces":        {"eva bergen", tdMember},
		"a_person_of_65_characters":   {strings.Repeat("e", 65), tdMember},
		"no_organisation":             {"eva@bergen", ""},
		"an_organisation_with_spaces": {"eva@bergen", "ber gen"},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesign()...).
				When(appoint(tdLeadBy(), c[0], c[1], nil, nil)).ThenError(procurement.ErrInvalidEvaluator)
		})
	}
	t.Run("the_other_member_cannot_appoint", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(appoint(by(tdMember), "eva@bergen", tdMember, nil, nil)).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("the_hub_cannot_appoint", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(appoint(by(hub), "eva@bergen", tdMember, nil, nil)).ThenError(procurement.ErrLeadOnly)
	})
	t.Run("a_stranger_finds_no_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).
			When(appoint(by("tromso"), "eva@bergen", tdMember, nil, nil)).ThenError(procurement.ErrNotFound)
	})
	t.Run("refused_before_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdNeedsApproved()...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, nil, nil)).ThenError(procurement.ErrNotDesignPhase)
	})
	t.Run("refused_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(tdDesign(), cancelled())...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, nil, nil)).ThenError(procurement.ErrCancelled)
	})
	for name, h := range map[string][]procurement.Event{
		"while_the_documents_are_up_for_approval": dzInApproval(),
		"during_the_tendering":                    tdTendering(tdPlan()),
		"after_receipt_closed":                    tdClosed(tdPlan()),
	} {
		t.Run("allowed_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(h...).
				When(appoint(tdLeadBy(), "ola@oslo", tdLead, []string{"quality"}, []string{"lot-1"})).
				Then(procurement.EvaluatorAppointed{Person: "ola@oslo", Org: tdLead, Criteria: []string{"quality"}, Lots: []string{"lot-1"}})
		})
	}
	t.Run("refused_once_the_bids_are_opened", func(t *testing.T) {
		h := tdThen(tdClosed(tdPlan()), procurement.BidsOpened{Round: procurement.RoundTenders, OpenedAt: tdAt(90, 11),
			OpenedBy: []string{"officer@oslo"}, Bids: []procurement.OpenedBid{{BidID: "b1", Supplier: tdSupplier}}})
		estest.For(t, procurement.Decider).Given(h...).
			When(appoint(tdLeadBy(), "ola@oslo", tdLead, nil, nil)).ThenError(procurement.ErrEvaluationStarted)
	})
	t.Run("needs_the_other_members_mandate_to_prepare", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(tdDesign(), dzRevoked())...).
			When(appoint(tdLeadBy(), "eva@bergen", tdMember, nil, nil)).ThenError(procurement.ErrMandateMissing)
	})
}
