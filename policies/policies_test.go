package policies

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/felles/felles/domain/organisation"
)

const (
	oslo   = "oslo"
	bergen = "bergen"
)

// fakeSource stands in for the role-grant projection; tests change its grants
// or make it fail between loads.
type fakeSource struct {
	mu     sync.Mutex
	grants []Grant
	err    error
}

func (s *fakeSource) Grants(context.Context) ([]Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	return slices.Clone(s.grants), nil
}

func (s *fakeSource) set(grants ...Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grants, s.err = grants, nil
}

func (s *fakeSource) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newEnforcer(tb testing.TB, grants ...Grant) (*Enforcer, *fakeSource) {
	tb.Helper()
	src := &fakeSource{grants: grants}
	e, err := NewEnforcer(context.Background(), src, quietLogger())
	if err != nil {
		tb.Fatalf("NewEnforcer: %v", err)
	}
	return e, src
}

func grant(user, role, org string) Grant { return Grant{User: user, Role: role, Org: org} }

// actionsByObject is every action the templates know: each command named in
// roles.csv (and EndStandstill, which only the platform may give), plus the reads.
func actionsByObject() map[string][]string {
	return map[string][]string{
		ObjectProcurement: {
			"CreateCase", "InviteMunicipality", "CancelProcurement", "OpenRecruitment", "CloseRecruitment",
			"AcceptInvitation", "DeclineInvitation", "WithdrawMunicipality", "RecordAnchoringDecision",
			"GrantMandate", "RevokeMandate",
			"DraftCooperationAgreement", "AmendCooperationAgreement", "SignCooperationAgreement",
			"ConsentToLead", "DesignateLeadAuthority", "SetCostSharingKey",
			"SaveNeedsDraft", "SubmitNeeds", "ConsolidateNeeds", "ApproveConsolidatedNeeds", "RejectConsolidatedNeeds",
			"CommitVolume",
			"PublishDialogueNotice", "RegisterSupplier", "ScheduleDialogueEvent", "CancelDialogueEvent", "RecordMeetingNotes",
			"AskQuestion", "AnswerQuestion", "CloseMarketDialogue",
			"SelectProcedure", "DefineLots", "DefineRequirements", "DefineQualificationCriteria", "DefineAwardCriteria",
			"DefinePartnershipPhases", "AppointEvaluator", "SetTimetable", "SubmitTenderDocuments",
			"ApproveTenderDocuments", "RejectTenderDocuments", "PublishContractNotice", "AmendTender",
			"SubmitBid", "ReplaceBid", "WithdrawBid", "ConfirmBid", "CloseReceipt", "OpenBids", "SendReminder",
			// Issue 6: qualification and negotiation, evaluation, award and standstill,
			// review, contracting, follow-up, and the cross-cutting endings.
			"AssessQualification", "InviteCandidates", "HoldNegotiationRound", "EliminateParticipant", "CallForFinalTenders",
			"DeclareConflictOfInterest", "RecuseEvaluator", "ScoreBid", "LockScores", "RecordConsensus",
			"RequestClarification", "AnswerClarification", "RejectBid", "FinalizeEvaluation",
			"DecideAward", "SendAwardNotification", "EndStandstill",
			"RegisterComplaint", "RegisterInterimMeasure", "ResolveReview", "RevokeAward",
			"SignContract", "PublishAwardNotice", "PlaceCallOff",
			"RecordMilestone", "RecordDeviation", "CompletePhase", "RecordPayment", "RecordEffect",
			"CloseContract", "CloseCase",
			"ApproveCancellation", "RejectCancellation", "DeclareUnsuccessful", "ApproveWithdrawal",
			"ReadSealedRecords", "ReadBidContent", ActionReadNeedsDraft, ActionRead,
		},
		ObjectOrganisation: {"RegisterOrganisation", "GrantRole", "RevokeRole", ActionRead},
	}
}

// expectedPermissions is written out by hand from DOMAIN.md §5, not derived
// from roles.csv, so the test catches a template that drifts from the business
// rule.
func expectedPermissions(role string) []string {
	switch role {
	case RoleHubCoordinator: // creates and runs the case; drafts the agreement, consolidates needs, sets the cost-sharing key;
		// never reads sealed records or content, never decides the award
		return []string{
			"procurement.CreateCase", "procurement.InviteMunicipality", "procurement.CancelProcurement",
			"procurement.OpenRecruitment", "procurement.CloseRecruitment",
			"procurement.DraftCooperationAgreement", "procurement.AmendCooperationAgreement",
			"procurement.DesignateLeadAuthority", "procurement.SetCostSharingKey", "procurement.ConsolidateNeeds",
			"procurement.PublishDialogueNotice", "procurement.RegisterSupplier", "procurement.ScheduleDialogueEvent",
			"procurement.CancelDialogueEvent", "procurement.RecordMeetingNotes", "procurement.AskQuestion",
			// approves a withdrawal after the notice with the lead; records complaints and reviews; closes the case
			"procurement.ApproveWithdrawal", "procurement.RegisterComplaint", "procurement.RegisterInterimMeasure",
			"procurement.ResolveReview", "procurement.CloseCase",
			"procurement.Read",
			"organisation.RegisterOrganisation", "organisation.GrantRole", "organisation.RevokeRole", "organisation.Read",
		}
	case RoleLeadOfficer: // drafts and amends the agreement, consolidates needs, runs dialogue, design, tendering, opening
		return []string{
			"procurement.DraftCooperationAgreement", "procurement.AmendCooperationAgreement",
			"procurement.ConsolidateNeeds",
			"procurement.PublishDialogueNotice", "procurement.RegisterSupplier", "procurement.ScheduleDialogueEvent",
			"procurement.CancelDialogueEvent", "procurement.RecordMeetingNotes", "procurement.AskQuestion",
			"procurement.AnswerQuestion", "procurement.CloseMarketDialogue",
			"procurement.SelectProcedure", "procurement.DefineLots", "procurement.DefineRequirements",
			"procurement.DefineQualificationCriteria", "procurement.DefineAwardCriteria", "procurement.DefinePartnershipPhases",
			"procurement.AppointEvaluator", "procurement.SetTimetable", "procurement.SubmitTenderDocuments",
			"procurement.PublishContractNotice", "procurement.AmendTender", "procurement.OpenBids",
			// qualification and negotiation
			"procurement.AssessQualification", "procurement.InviteCandidates", "procurement.HoldNegotiationRound",
			"procurement.EliminateParticipant", "procurement.CallForFinalTenders",
			// runs the evaluation but never scores: no declaration, no scores, no locks
			"procurement.RecuseEvaluator", "procurement.RecordConsensus", "procurement.RequestClarification",
			"procurement.RejectBid", "procurement.FinalizeEvaluation",
			// award (under mandate), notification, revocation, review, the award notice
			"procurement.DecideAward", "procurement.SendAwardNotification", "procurement.RevokeAward",
			"procurement.RegisterComplaint", "procurement.RegisterInterimMeasure", "procurement.ResolveReview",
			"procurement.PublishAwardNotice",
			// follow-up
			"procurement.RecordMilestone", "procurement.RecordDeviation", "procurement.CompletePhase", "procurement.CloseContract",
			// endings
			"procurement.CancelProcurement", "procurement.DeclareUnsuccessful", "procurement.ApproveWithdrawal",
			"procurement.ReadSealedRecords", "procurement.ReadBidContent",
			"procurement.Read",
			"organisation.Read",
		}
	case RoleLeadSignatory: // signs for the lead, grants mandates, consents; the second person at the opening
		return []string{
			"procurement.SignCooperationAgreement", "procurement.GrantMandate", "procurement.RevokeMandate",
			"procurement.ConsentToLead", "procurement.OpenBids",
			"procurement.DecideAward", "procurement.RevokeAward", // "Decide award" A, and revoking its own decision
			"procurement.SignContract",                                          // "Sign contract" W(mandate)
			"procurement.ApproveCancellation", "procurement.RejectCancellation", // "Cancel procurement" A
			"procurement.ReadSealedRecords", "procurement.ReadBidContent", "procurement.Read",
			"organisation.Read",
		}
	case RoleSignatory: // signs the agreement, grants and revokes mandates, consents to lead, votes on tender documents;
		// the signing half of MB: decides its own award, signs its own contract, votes on a cancellation
		return []string{
			"procurement.SignCooperationAgreement", "procurement.GrantMandate", "procurement.RevokeMandate",
			"procurement.ConsentToLead", "procurement.ApproveTenderDocuments", "procurement.RejectTenderDocuments",
			"procurement.DecideAward", "procurement.RevokeAward", "procurement.SignContract",
			"procurement.ApproveCancellation", "procurement.RejectCancellation",
			"procurement.Read",
			"organisation.Read",
		}
	case RoleMunicipalityAdmin: // answers for its municipality, approves consolidated needs, reads its own draft;
		// decides (PER_MEMBER) and revokes its own award, calls off, pays, reports effects, votes on a cancellation;
		// never scores and never signs a contract ("Sign contract" is "–" for MA)
		return []string{
			"procurement.AcceptInvitation", "procurement.DeclineInvitation", "procurement.WithdrawMunicipality",
			"procurement.RecordAnchoringDecision", "procurement.ConsentToLead",
			"procurement.ApproveConsolidatedNeeds", "procurement.RejectConsolidatedNeeds",
			"procurement.ApproveTenderDocuments", "procurement.RejectTenderDocuments",
			"procurement.DecideAward", "procurement.RevokeAward",
			"procurement.PlaceCallOff", "procurement.RecordPayment", "procurement.RecordEffect",
			"procurement.ApproveCancellation", "procurement.RejectCancellation",
			"procurement.ReadNeedsDraft", "procurement.Read",
			"organisation.GrantRole", "organisation.RevokeRole", "organisation.Read",
		}
	case RoleNeedsOwner: // writes and submits its municipality's needs, approves consolidated needs, reports effects
		return []string{
			"procurement.SaveNeedsDraft", "procurement.SubmitNeeds",
			"procurement.ApproveConsolidatedNeeds", "procurement.RejectConsolidatedNeeds", "procurement.RecordEffect",
			"procurement.ReadNeedsDraft", "procurement.Read",
			"organisation.Read",
		}
	case RoleBudgetHolder: // answers invitations, records anchoring, signs, commits volume, reads its own draft;
		// withdraws, decides its own award, signs its own contract, calls off, pays, reports effects, votes on a cancellation
		return []string{
			"procurement.AcceptInvitation", "procurement.DeclineInvitation", "procurement.RecordAnchoringDecision",
			"procurement.SignCooperationAgreement", "procurement.GrantMandate", "procurement.RevokeMandate",
			"procurement.ConsentToLead", "procurement.CommitVolume", "procurement.ApproveTenderDocuments",
			"procurement.RejectTenderDocuments",
			"procurement.WithdrawMunicipality", "procurement.DecideAward", "procurement.RevokeAward", "procurement.SignContract",
			"procurement.PlaceCallOff", "procurement.RecordPayment", "procurement.RecordEffect",
			"procurement.ApproveCancellation", "procurement.RejectCancellation",
			"procurement.ReadNeedsDraft", "procurement.Read",
			"organisation.Read",
		}
	case RolePlatformAdmin:
		var all []string
		for obj, acts := range actionsByObject() {
			for _, act := range acts {
				all = append(all, obj+"."+act)
			}
		}
		return all
	case RoleAuditor: // never acts; reads sealed records and opened submissions too (the application refuses content before the opening)
		return []string{"procurement.ReadSealedRecords", "procurement.ReadBidContent", "procurement.Read", "organisation.Read"}
	case RoleSupplierUser: // registers, asks, hands in its own sealed submissions, answers clarifications of its own tender
		return []string{
			"procurement.RegisterSupplier", "procurement.AskQuestion", "procurement.SubmitBid", "procurement.ReplaceBid",
			"procurement.WithdrawBid", "procurement.ConfirmBid", "procurement.AnswerClarification", "procurement.Read",
			"organisation.Read",
		}
	case RoleEvaluator: // declares, scores, locks, reads the tenders it evaluates; never decides, never sees sealed records
		return []string{
			"procurement.DeclareConflictOfInterest", "procurement.ScoreBid", "procurement.LockScores",
			"procurement.ReadBidContent", "procurement.Read",
			"organisation.Read",
		}
	default:
		panic("expectedPermissions: no expectation written for role " + role)
	}
}

func TestAllowed(t *testing.T) {
	// One user per role, each granted in oslo only.
	var grants []Grant
	for _, role := range Roles() {
		grants = append(grants, grant("staff-"+role, role, oslo))
	}
	e, _ := newEnforcer(t, grants...)

	type row struct {
		name                      string
		user, org, object, action string
		want                      bool
	}
	var table []row
	for _, role := range Roles() {
		for object, actions := range actionsByObject() {
			for _, action := range actions {
				want := slices.Contains(expectedPermissions(role), object+"."+action)
				verb := "may_not"
				if want {
					verb = "may"
				}
				table = append(table,
					row{
						name: fmt.Sprintf("%s_%s_%s_%s_in_own_organisation", role, verb, action, object),
						user: "staff-" + role, org: oslo, object: object, action: action, want: want,
					},
					row{
						name: fmt.Sprintf("%s_may_not_%s_%s_in_another_organisation", role, action, object),
						user: "staff-" + role, org: bergen, object: object, action: action, want: false,
					})
			}
		}
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.Allowed(tc.user, tc.org, tc.object, tc.action); got != tc.want {
				t.Errorf("Allowed(%q, %q, %q, %q) = %v, want %v", tc.user, tc.org, tc.object, tc.action, got, tc.want)
			}
		})
	}
}

func TestSeparationOfDutiesInTheAward(t *testing.T) {
	// The few rules of DOMAIN.md §5 the award rests on, named one by one
	// (TestAllowed checks the whole matrix).
	var grants []Grant
	for _, role := range Roles() {
		grants = append(grants, grant("staff-"+role, role, oslo))
	}
	e, _ := newEnforcer(t, grants...)
	table := []struct {
		name, role, action string
		want               bool
	}{
		{"an_evaluator_scores", RoleEvaluator, "ScoreBid", true},
		{"an_evaluator_cannot_decide_the_award", RoleEvaluator, "DecideAward", false},
		{"an_evaluator_cannot_record_the_consensus", RoleEvaluator, "RecordConsensus", false},
		{"an_evaluator_cannot_see_sealed_records", RoleEvaluator, "ReadSealedRecords", false},
		{"a_municipality_admin_cannot_score", RoleMunicipalityAdmin, "ScoreBid", false},
		{"a_municipality_admin_cannot_sign_a_contract", RoleMunicipalityAdmin, "SignContract", false},
		{"a_lead_officer_cannot_score", RoleLeadOfficer, "ScoreBid", false},
		{"a_lead_officer_cannot_declare_for_an_evaluator", RoleLeadOfficer, "DeclareConflictOfInterest", false},
		{"a_supplier_answers_a_clarification", RoleSupplierUser, "AnswerClarification", true},
		{"a_supplier_cannot_read_opened_content", RoleSupplierUser, "ReadBidContent", false},
		{"an_auditor_cannot_decide_the_award", RoleAuditor, "DecideAward", false},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.Allowed("staff-"+tc.role, oslo, ObjectProcurement, tc.action); got != tc.want {
				t.Errorf("%s %s: %v, want %v", tc.role, tc.action, got, tc.want)
			}
		})
	}
	t.Run("no_human_role_ends_the_standstill", func(t *testing.T) {
		for _, role := range Roles() {
			if role != RolePlatformAdmin && e.Allowed("staff-"+role, oslo, ObjectProcurement, "EndStandstill") {
				t.Errorf("%s may end the standstill; only the workflow clock (the platform) may", role)
			}
		}
		if !e.Allowed(SystemUser, oslo, ObjectProcurement, "EndStandstill") {
			t.Error("the workflow clock (system) may not end the standstill")
		}
	})
}

func TestExpectationsCoverEveryAction(t *testing.T) {
	// An expected permission naming an action missing from actionsByObject would
	// never be checked by TestAllowed.
	for _, role := range Roles() {
		for _, perm := range expectedPermissions(role) {
			object, action, _ := strings.Cut(perm, ".")
			if !slices.Contains(actionsByObject()[object], action) {
				t.Errorf("%s: expected permission %q is not in actionsByObject", role, perm)
			}
		}
	}
}

func TestRolesMatchTheOrganisationVocabulary(t *testing.T) {
	// Every role a person can be granted in an organisation must be one the
	// organisation decider accepts; platform-admin is granted only platform-wide.
	for _, role := range Roles() {
		if role == RolePlatformAdmin {
			continue
		}
		if !organisation.KnownRole(organisation.Role(role)) {
			t.Errorf("role %q has templates but the organisation vocabulary does not know it", role)
		}
	}
}

func TestPlatformGrants(t *testing.T) {
	e, _ := newEnforcer(t,
		grant("revisor", RoleAuditor, PlatformOrg),
		grant("ops", RolePlatformAdmin, PlatformOrg),
		grant("hanne", RoleHubCoordinator, oslo),
	)
	table := []struct {
		name                      string
		user, org, object, action string
		want                      bool
	}{
		{"platform_auditor_reads_procurements_in_any_organisation", "revisor", oslo, ObjectProcurement, ActionRead, true},
		{"platform_auditor_reads_procurements_in_another_organisation", "revisor", bergen, ObjectProcurement, ActionRead, true},
		{"platform_auditor_reads_organisations_anywhere", "revisor", "tromso", ObjectOrganisation, ActionRead, true},
		{"platform_auditor_reads_in_the_platform_domain", "revisor", PlatformOrg, ObjectProcurement, ActionRead, true},
		{"platform_auditor_may_not_create_a_case", "revisor", oslo, ObjectProcurement, "CreateCase", false},
		{"platform_auditor_may_not_grant_a_role", "revisor", bergen, ObjectOrganisation, "GrantRole", false},
		{"platform_admin_creates_cases_in_any_organisation", "ops", bergen, ObjectProcurement, "CreateCase", true},
		{"platform_admin_registers_organisations", "ops", oslo, ObjectOrganisation, "RegisterOrganisation", true},
		{"platform_admin_may_issue_commands_added_later", "ops", oslo, ObjectProcurement, "PublishContractNotice", true},
		{"platform_admin_may_not_use_an_action_that_is_not_a_command_name", "ops", oslo, ObjectProcurement, "drop everything", false},
		{"platform_admin_may_not_touch_an_unknown_object", "ops", oslo, "bid", ActionRead, false},
		{"system_principal_may_do_anything_in_any_organisation", SystemUser, "tromso", ObjectProcurement, "CancelProcurement", true},
		{"system_principal_may_act_in_the_platform_domain", SystemUser, PlatformOrg, ObjectOrganisation, "RegisterOrganisation", true},
		{"organisation_grant_does_not_reach_the_platform_domain", "hanne", PlatformOrg, ObjectProcurement, "CreateCase", false},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.Allowed(tc.user, tc.org, tc.object, tc.action); got != tc.want {
				t.Errorf("Allowed(%q, %q, %q, %q) = %v, want %v", tc.user, tc.org, tc.object, tc.action, got, tc.want)
			}
		})
	}
}

func TestUserAndRoleNamespaces(t *testing.T) {
	e, _ := newEnforcer(t,
		grant("alice", RoleHubCoordinator, oslo),
		grant(RoleAuditor, RoleEvaluator, bergen), // a person whose user name is "auditor"
	)
	table := []struct {
		name                      string
		user, org, object, action string
		want                      bool
	}{
		{"user_named_auditor_without_grants_in_oslo_cannot_read", RoleAuditor, oslo, ObjectProcurement, ActionRead, false},
		{"user_named_auditor_has_only_the_evaluator_role_it_was_granted", RoleAuditor, bergen, ObjectProcurement, ActionRead, true},
		{"user_named_auditor_gets_no_auditor_powers_elsewhere", RoleAuditor, "tromso", ObjectOrganisation, ActionRead, false},
		{"user_named_platform_admin_is_not_a_platform_admin", RolePlatformAdmin, oslo, ObjectProcurement, "CreateCase", false},
		{"user_named_like_a_prefixed_role_is_not_that_role", "role:platform-admin", oslo, ObjectProcurement, "CreateCase", false},
		{"user_named_like_a_prefixed_user_is_not_that_user", "user:alice", oslo, ObjectProcurement, "CreateCase", false},
		{"the_real_alice_still_may", "alice", oslo, ObjectProcurement, "CreateCase", true},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.Allowed(tc.user, tc.org, tc.object, tc.action); got != tc.want {
				t.Errorf("Allowed(%q, %q, %q, %q) = %v, want %v", tc.user, tc.org, tc.object, tc.action, got, tc.want)
			}
		})
	}

	t.Run("a_user_cannot_be_granted_as_if_it_were_a_role", func(t *testing.T) {
		for _, role := range []string{"user:alice", "alice", "role:" + RoleAuditor, "Auditor", ""} {
			err := e.Grant(grant("bob", role, oslo))
			if err == nil {
				t.Errorf("Grant with role %q succeeded, want an error", role)
			}
		}
	})
}

func TestAllowedFailsClosed(t *testing.T) {
	e, _ := newEnforcer(t,
		grant("hanne", RoleHubCoordinator, oslo),
		grant("ops", RolePlatformAdmin, PlatformOrg),
	)
	table := []struct {
		name                      string
		user, org, object, action string
	}{
		{"empty_user_is_denied", "", oslo, ObjectProcurement, ActionRead},
		{"empty_organisation_is_denied", "ops", "", ObjectProcurement, ActionRead},
		{"empty_object_is_denied", "ops", oslo, "", ActionRead},
		{"empty_action_is_denied", "ops", oslo, ObjectProcurement, ""},
		{"unknown_object_is_denied_even_for_a_platform_admin", "ops", oslo, "bid", "CreateCase"},
		{"unknown_action_is_denied", "hanne", oslo, ObjectProcurement, "DeleteCase"},
		{"action_differing_only_in_case_is_denied", "hanne", oslo, ObjectProcurement, "read"},
		{"action_with_a_suffix_is_denied_because_regexes_are_anchored", "hanne", oslo, ObjectProcurement, "ReadAll"},
		{"action_with_a_prefix_is_denied_because_regexes_are_anchored", "hanne", oslo, ObjectProcurement, "xCreateCase"},
		{"action_with_a_leading_space_is_denied", "hanne", oslo, ObjectProcurement, " Read"},
		{"action_that_looks_like_a_regex_is_matched_literally", "hanne", oslo, ObjectProcurement, "CreateCase|AcceptInvitation"},
		{"action_that_is_a_wildcard_regex_is_matched_literally", "ops", oslo, ObjectProcurement, ".*"},
		{"organisation_that_looks_like_a_wildcard_is_just_another_organisation", "hanne", "osl*", ObjectProcurement, ActionRead},
		{"unknown_user_is_denied", "nobody", oslo, ObjectProcurement, ActionRead},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			if e.Allowed(tc.user, tc.org, tc.object, tc.action) {
				t.Errorf("Allowed(%q, %q, %q, %q) = true, want false", tc.user, tc.org, tc.object, tc.action)
			}
		})
	}
}

func TestNewEnforcer(t *testing.T) {
	boom := errors.New("projection unavailable")
	table := []struct {
		name    string
		src     GrantSource
		logger  *slog.Logger
		wantErr error
	}{
		{"refuses_a_nil_source", nil, quietLogger(), ErrNilDependency},
		{"refuses_a_nil_source_function", GrantSourceFunc(nil), quietLogger(), ErrNilDependency},
		{"refuses_a_nil_logger", &fakeSource{}, nil, ErrNilDependency},
		{"fails_when_the_source_cannot_list_grants", &fakeSource{err: boom}, quietLogger(), boom},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			e, err := NewEnforcer(context.Background(), tc.src, tc.logger)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("NewEnforcer error = %v, want %v", err, tc.wantErr)
			}
			if e != nil {
				t.Errorf("NewEnforcer returned an enforcer along with an error")
			}
		})
	}

	t.Run("skips_invalid_grants_from_the_source_and_keeps_the_valid_ones", func(t *testing.T) {
		e, _ := newEnforcer(t,
			grant("mallory", "superuser", oslo),
			grant("", RoleAuditor, oslo),
			grant("eve", RoleAuditor, ""),
			grant("hanne", RoleHubCoordinator, oslo),
		)
		if e.Allowed("mallory", oslo, ObjectProcurement, ActionRead) {
			t.Error("a grant of an unknown role allowed something")
		}
		if !e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Error("a valid grant next to invalid ones was lost")
		}
	})

	t.Run("a_source_function_serves_as_a_source", func(t *testing.T) {
		src := GrantSourceFunc(func(context.Context) ([]Grant, error) {
			return []Grant{grant("hanne", RoleHubCoordinator, oslo)}, nil
		})
		e, err := NewEnforcer(context.Background(), src, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		if !e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Error("grant from the source function not loaded")
		}
	})

	t.Run("the_policy_store_refuses_writes", func(t *testing.T) {
		e, _ := newEnforcer(t)
		// Turn autosave back on to prove the adapter itself refuses, and that
		// Casbin does not swallow the refusal as "not implemented".
		e.se.EnableAutoSave(true)
		if _, err := e.se.AddGroupingPolicy("user:x", "role:"+RolePlatformAdmin, oslo); !errors.Is(err, ErrReadOnly) {
			t.Errorf("AddGroupingPolicy with autosave error = %v, want ErrReadOnly", err)
		}
		if err := e.se.SavePolicy(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("SavePolicy error = %v, want ErrReadOnly", err)
		}
		if e.Allowed("x", oslo, ObjectProcurement, ActionRead) {
			t.Error("a refused write still changed the policy")
		}
	})
}

func TestGrantAndRevoke(t *testing.T) {
	t.Run("grant_allows_at_once_and_revoke_denies_at_once", func(t *testing.T) {
		e, _ := newEnforcer(t)
		g := grant("hanne", RoleHubCoordinator, oslo)
		if e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Fatal("allowed before the grant")
		}
		if err := e.Grant(g); err != nil {
			t.Fatal(err)
		}
		if !e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Fatal("not allowed right after the grant")
		}
		if err := e.Revoke(g); err != nil {
			t.Fatal(err)
		}
		if e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Fatal("still allowed right after the revocation")
		}
	})

	t.Run("a_grant_in_one_organisation_allows_nothing_in_another", func(t *testing.T) {
		e, _ := newEnforcer(t)
		if err := e.Grant(grant("mona", RoleMunicipalityAdmin, oslo)); err != nil {
			t.Fatal(err)
		}
		for object, actions := range actionsByObject() {
			for _, action := range actions {
				if e.Allowed("mona", bergen, object, action) {
					t.Errorf("oslo grant allowed %s %s in bergen", action, object)
				}
			}
		}
	})

	t.Run("revoking_in_one_organisation_keeps_the_role_in_another", func(t *testing.T) {
		e, _ := newEnforcer(t, grant("mona", RoleMunicipalityAdmin, oslo), grant("mona", RoleMunicipalityAdmin, bergen))
		if err := e.Revoke(grant("mona", RoleMunicipalityAdmin, oslo)); err != nil {
			t.Fatal(err)
		}
		if e.Allowed("mona", oslo, ObjectOrganisation, "GrantRole") {
			t.Error("revoked grant still allows in oslo")
		}
		if !e.Allowed("mona", bergen, ObjectOrganisation, "GrantRole") {
			t.Error("revoking in oslo removed the bergen grant")
		}
	})

	t.Run("granting_twice_and_revoking_what_is_not_held_are_no_ops", func(t *testing.T) {
		e, _ := newEnforcer(t)
		g := grant("hanne", RoleHubCoordinator, oslo)
		for range 2 {
			if err := e.Grant(g); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Revoke(g); err != nil {
			t.Fatal(err)
		}
		if err := e.Revoke(g); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		if e.Allowed("hanne", oslo, ObjectProcurement, ActionRead) {
			t.Error("a double grant survived one revocation")
		}
	})

	t.Run("invalid_grants_are_refused", func(t *testing.T) {
		e, _ := newEnforcer(t)
		table := []struct {
			g    Grant
			want error
		}{
			{grant("", RoleAuditor, oslo), ErrInvalidGrant},
			{grant("hanne", RoleAuditor, ""), ErrInvalidGrant},
			{grant("hanne", "", oslo), ErrInvalidGrant},
			{grant("hanne", "superuser", oslo), ErrUnknownRole},
		}
		for _, tc := range table {
			if err := e.Grant(tc.g); !errors.Is(err, tc.want) {
				t.Errorf("Grant(%+v) error = %v, want %v", tc.g, err, tc.want)
			}
			if err := e.Revoke(tc.g); !errors.Is(err, tc.want) {
				t.Errorf("Revoke(%+v) error = %v, want %v", tc.g, err, tc.want)
			}
		}
	})

	t.Run("the_built_in_system_grant_cannot_be_revoked", func(t *testing.T) {
		e, _ := newEnforcer(t)
		if err := e.Revoke(grant(SystemUser, RolePlatformAdmin, PlatformOrg)); !errors.Is(err, ErrBuiltInGrant) {
			t.Fatalf("Revoke(system) error = %v, want ErrBuiltInGrant", err)
		}
		if !e.Allowed(SystemUser, oslo, ObjectProcurement, "CreateCase") {
			t.Error("system principal lost its rights")
		}
	})
}

func TestReload(t *testing.T) {
	t.Run("picks_up_grants_added_to_the_source", func(t *testing.T) {
		e, src := newEnforcer(t)
		src.set(grant("hanne", RoleHubCoordinator, oslo))
		if e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Fatal("allowed before the reload")
		}
		if err := e.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Fatal("reload did not pick up the new grant")
		}
	})

	t.Run("drops_grants_removed_from_the_source_and_in_memory_only_grants", func(t *testing.T) {
		e, src := newEnforcer(t, grant("hanne", RoleHubCoordinator, oslo))
		if err := e.Grant(grant("mona", RoleMunicipalityAdmin, bergen)); err != nil {
			t.Fatal(err)
		}
		src.set()
		if err := e.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
		if e.Allowed("hanne", oslo, ObjectProcurement, ActionRead) {
			t.Error("grant removed from the source survived the reload")
		}
		if e.Allowed("mona", bergen, ObjectProcurement, ActionRead) {
			t.Error("grant held only in memory survived the reload; the source is the record")
		}
		if !e.Allowed(SystemUser, oslo, ObjectProcurement, "CreateCase") {
			t.Error("system grant lost on reload")
		}
	})

	t.Run("keeps_the_previous_policy_when_the_source_fails", func(t *testing.T) {
		e, src := newEnforcer(t, grant("hanne", RoleHubCoordinator, oslo))
		boom := errors.New("projection unavailable")
		src.fail(boom)
		if err := e.Reload(context.Background()); !errors.Is(err, boom) {
			t.Fatalf("Reload error = %v, want %v", err, boom)
		}
		if !e.Allowed("hanne", oslo, ObjectProcurement, "CreateCase") {
			t.Error("a failed reload wiped the policy")
		}
	})

	t.Run("passes_its_context_to_the_source", func(t *testing.T) {
		type key struct{}
		var got any
		src := GrantSourceFunc(func(ctx context.Context) ([]Grant, error) {
			got = ctx.Value(key{})
			return nil, ctx.Err()
		})
		e, err := NewEnforcer(context.Background(), src, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Reload(context.WithValue(context.Background(), key{}, "corr-42")); err != nil {
			t.Fatal(err)
		}
		if got != "corr-42" {
			t.Errorf("source saw context value %v, want corr-42", got)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := e.Reload(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Reload with a cancelled context error = %v, want context.Canceled", err)
		}
	})
}

func TestRolesFor(t *testing.T) {
	e, _ := newEnforcer(t,
		grant("kari", RoleMunicipalityAdmin, oslo),
		grant("kari", RoleHubCoordinator, oslo),
		grant("kari", RoleAuditor, PlatformOrg),
		grant("kari", RoleEvaluator, bergen),
		grant("kari", RoleAuditor, oslo), // also held platform-wide: listed once
	)
	table := []struct {
		name, user, org string
		want            []string
	}{
		{"lists_roles_in_the_organisation_and_platform_roles_sorted", "kari", oslo, []string{RoleAuditor, RoleHubCoordinator, RoleMunicipalityAdmin}},
		{"does_not_list_roles_from_other_organisations", "kari", bergen, []string{RoleAuditor, RoleEvaluator}},
		{"lists_only_platform_roles_where_nothing_else_is_held", "kari", "tromso", []string{RoleAuditor}},
		{"lists_the_system_principal_as_platform_admin", SystemUser, oslo, []string{RolePlatformAdmin}},
		{"lists_nothing_for_an_unknown_user", "nobody", oslo, nil},
		{"lists_nothing_for_an_empty_user", "", oslo, nil},
		{"lists_nothing_for_an_empty_organisation", "kari", "", nil},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			got := e.RolesFor(tc.user, tc.org)
			if !slices.Equal(got, tc.want) {
				t.Errorf("RolesFor(%q, %q) = %v, want %v", tc.user, tc.org, got, tc.want)
			}
		})
	}
}

func TestRoleTemplates(t *testing.T) {
	t.Run("every_role_is_known_and_has_a_read_template_for_each_object", func(t *testing.T) {
		templates, err := parseTemplates(rolesCSV)
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range Roles() {
			if !KnownRole(role) {
				t.Errorf("KnownRole(%q) = false", role)
			}
			for _, object := range []string{ObjectProcurement, ObjectOrganisation} {
				found := slices.ContainsFunc(templates, func(r []string) bool {
					return r[1] == rolePrefix+role && r[3] == object
				})
				if !found {
					t.Errorf("no template for %s on %s", role, object)
				}
			}
		}
	})

	t.Run("known_role_rejects_prefixed_and_unknown_names", func(t *testing.T) {
		for _, name := range []string{"", "role:auditor", "user:auditor", "Auditor", "superuser", "*"} {
			if KnownRole(name) {
				t.Errorf("KnownRole(%q) = true", name)
			}
		}
	})

	table := []struct {
		name, line string
	}{
		{"rejects_a_grant_line", "g, user:alice, role:auditor, oslo"},
		{"rejects_a_template_for_one_organisation", "p, role:auditor, oslo, procurement, ^(Read)$"},
		{"rejects_an_unknown_role", "p, role:superuser, *, procurement, ^(Read)$"},
		{"rejects_a_user_as_subject", "p, user:alice, *, procurement, ^(Read)$"},
		{"rejects_an_unprefixed_role", "p, auditor, *, procurement, ^(Read)$"},
		{"rejects_an_unknown_object", "p, role:auditor, *, bid, ^(Read)$"},
		{"rejects_an_unanchored_action", "p, role:auditor, *, procurement, Read"},
		{"rejects_an_invalid_regex", "p, role:auditor, *, procurement, ^(Read$"},
		{"rejects_a_short_line", "p, role:auditor, *, procurement"},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseTemplates(tc.line + "\n"); err == nil {
				t.Errorf("parseTemplates(%q) succeeded, want an error", tc.line)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Run("allowed_stays_correct_while_grants_change_and_reloads_run", func(t *testing.T) {
		e, src := newEnforcer(t, grant("steady", RoleAuditor, oslo))
		const rounds = 300
		var wg sync.WaitGroup
		errs := make(chan string, 16)
		report := func(msg string) {
			select {
			case errs <- msg:
			default:
			}
		}
		for w := range 8 {
			wg.Go(func() {
				for i := range rounds {
					if !e.Allowed("steady", oslo, ObjectProcurement, ActionRead) {
						report("a grant that never changed was denied")
					}
					if e.Allowed("steady", bergen, ObjectProcurement, ActionRead) {
						report("a grant in oslo allowed a read in bergen")
					}
					_ = e.Allowed(fmt.Sprintf("churn-%d", (w+i)%4), oslo, ObjectProcurement, "CreateCase")
					_ = e.RolesFor("steady", oslo)
				}
			})
		}
		wg.Go(func() {
			for i := range rounds {
				g := grant(fmt.Sprintf("churn-%d", i%4), RoleHubCoordinator, oslo)
				if err := e.Grant(g); err != nil {
					report(err.Error())
				}
				if err := e.Revoke(g); err != nil {
					report(err.Error())
				}
			}
		})
		wg.Go(func() {
			for i := range rounds / 10 {
				src.set(grant("steady", RoleAuditor, oslo), grant(fmt.Sprintf("new-%d", i), RoleEvaluator, bergen))
				if err := e.Reload(context.Background()); err != nil {
					report(err.Error())
				}
			}
		})
		wg.Wait()
		close(errs)
		var msgs []string
		for msg := range errs {
			msgs = append(msgs, msg)
		}
		if len(msgs) > 0 {
			t.Fatal(strings.Join(msgs, "; "))
		}
		for i := range 4 {
			if e.Allowed(fmt.Sprintf("churn-%d", i), oslo, ObjectProcurement, "CreateCase") {
				t.Errorf("churn-%d still allowed after its last revocation", i)
			}
		}
	})
}

// BenchmarkAllowed measures permission checks with 3,000 users spread over 300
// organisations, a few platform-wide grants and the full template set.
func BenchmarkAllowed(b *testing.B) {
	const users, orgs = 3000, 300
	var orgRoles []string
	for _, r := range Roles() {
		if r != RolePlatformAdmin {
			orgRoles = append(orgRoles, r)
		}
	}
	var grants []Grant
	for i := range users {
		grants = append(grants, grant(fmt.Sprintf("u%04d", i), orgRoles[i%len(orgRoles)], fmt.Sprintf("org%03d", i%orgs)))
	}
	grants = append(grants,
		grant("revisor-1", RoleAuditor, PlatformOrg),
		grant("revisor-2", RoleAuditor, PlatformOrg),
		grant("ops", RolePlatformAdmin, PlatformOrg),
	)
	e, _ := newEnforcer(b, grants...)

	// userWith finds the benchmark user holding role, and that user's organisation.
	userWith := func(role string) (string, string) {
		for i := range users {
			if orgRoles[i%len(orgRoles)] == role {
				return fmt.Sprintf("u%04d", i), fmt.Sprintf("org%03d", i%orgs)
			}
		}
		b.Fatalf("no user with role %s", role)
		return "", ""
	}
	hub, hubOrg := userWith(RoleHubCoordinator)
	aud, audOrg := userWith(RoleAuditor)

	cases := []struct {
		name                      string
		user, org, object, action string
		want                      bool
	}{
		{"command_allowed_in_own_organisation", hub, hubOrg, ObjectProcurement, "CreateCase", true},
		{"command_denied_to_a_read_only_role", aud, audOrg, ObjectProcurement, "CreateCase", false},
		{"command_denied_in_another_organisation", hub, "org299", ObjectProcurement, "CreateCase", false},
		{"read_by_a_platform_auditor", "revisor-1", "org150", ObjectProcurement, ActionRead, true},
		{"command_by_a_platform_admin", "ops", "org007", ObjectOrganisation, "GrantRole", true},
	}
	for _, c := range cases {
		if got := e.Allowed(c.user, c.org, c.object, c.action); got != c.want {
			b.Fatalf("%s: Allowed = %v, want %v", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				e.Allowed(c.user, c.org, c.object, c.action)
			}
		})
	}
	b.Run("mixed_parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				c := cases[i%len(cases)]
				e.Allowed(c.user, c.org, c.object, c.action)
				i++
			}
		})
	})
}
