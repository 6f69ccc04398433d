package graphql

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

func TestDatesAreCalendarDaysYYYYMMDD(t *testing.T) {
	for _, in := range []string{"2026-05-01", " 2026-12-31 ", "2028-02-29"} {
		got, err := parseDate("paidOn", in)
		if err != nil || got != strings.TrimSpace(in) {
			t.Errorf("parseDate(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "01.05.2026", "2026-5-1", "2026-02-30", "2027-02-29", "2026-05-01T00:00:00Z", "20260501", "tomorrow"} {
		_, err := parseDate("terms.startDate", bad)
		wantBadInput(t, fmt.Sprintf("parseDate(%q)", bad), err, "date.invalid")
		if !strings.Contains(err.Error(), "terms.startDate") {
			t.Errorf("the error must name the field: %v", err)
		}
	}
}

func TestEnumValuesOutsideTheVocabularyAreRefusedNamingTheField(t *testing.T) {
	if got, err := enumOf("channel", "ELECTRONIC", notificationChannels); err != nil || got != procurement.NotificationElectronic {
		t.Fatalf("a known value: %q, %v", got, err)
	}
	for _, bad := range []string{"", "electronic", "FAX", "ELECTRONIC "} {
		_, err := enumOf("channel", bad, notificationChannels)
		wantBadInput(t, fmt.Sprintf("enumOf(%q)", bad), err, "enum.invalid")
		if !strings.Contains(err.Error(), "channel") || !strings.Contains(err.Error(), "ELECTRONIC, OTHER") {
			t.Errorf("the error must name the field and the values: %v", err)
		}
	}
	if got, err := optEnumOf[procurement.TieRule]("tieRule", nil, tieRules); err != nil || got != "" {
		t.Fatalf("an absent tie rule is the default: %q, %v", got, err)
	}
	bad := "COIN_TOSS"
	_, err := optEnumOf("tieRule", &bad, tieRules)
	wantBadInput(t, "a tie rule no one declared", err, "enum.invalid")
}

// Each enum of schema_award.graphql must hold exactly the domain's values, or
// a value one side knows is refused by the other.
func TestTheAwardEnumsHoldTheDomainsVocabulary(t *testing.T) {
	for name, want := range map[string][]string{
		"TieRule":             strs(tieRules),
		"NotificationChannel": strs(notificationChannels),
		"ComplaintForum":      strs(complaintForums),
		"ReviewOutcome":       strs(reviewOutcomes),
		"MilestoneStatus":     strs(milestoneStatuses),
		"DeviationSeverity":   strs(deviationSeverity),
		"GateDecision":        strs(gateDecisions),
		"ContractFinalStatus": strs(finalStatuses),
		"UnsuccessfulReason":  strs(unsuccessfulReason),
		"NoticeChannel":       strs(noticeChannels),
	} {
		m := regexp.MustCompile(`(?s)enum ` + name + ` \{(.*?)\}`).FindStringSubmatch(SchemaSDL())
		if m == nil {
			t.Errorf("the schema has no enum %s", name)
			continue
		}
		if got := strings.Fields(m[1]); !slices.Equal(got, want) {
			t.Errorf("enum %s is %v; the domain's values are %v", name, got, want)
		}
	}
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func TestAwardInputsBecomeTheDomainsCommands(t *testing.T) {
	t.Run("a_contract_signature_with_its_terms", func(t *testing.T) {
		in := signContractInput{ContractID: "k1", AwardID: "a1", SignatureRef: "bankid-1"}
		in.Terms.Value, in.Terms.StartDate, in.Terms.EndDate, in.Terms.Framework = "1200000", "2026-01-01", "2027-12-31", true
		c, err := in.command()
		want := procurement.SignContract{ContractID: "k1", AwardID: "a1", SignatureRef: "bankid-1",
			Terms: procurement.ContractTerms{Value: "1200000", StartDate: "2026-01-01", EndDate: "2027-12-31", Framework: true}}
		if err != nil || !sameCommand(c, want) {
			t.Fatalf("%+v, %v", c, err)
		}
		for field, mutate := range map[string]func(*signContractInput){
			"terms.startDate": func(in *signContractInput) { in.Terms.StartDate = "1 January 2026" },
			"terms.endDate":   func(in *signContractInput) { in.Terms.EndDate = "2027-12-32" },
		} {
			bad := in
			mutate(&bad)
			_, err := bad.command()
			wantBadInput(t, field, err, "date.invalid")
			if !strings.Contains(err.Error(), field) {
				t.Errorf("the error must name %s: %v", field, err)
			}
		}
	})

	t.Run("an_effect_measured_over_a_period", func(t *testing.T) {
		in := effectInput{MeasurementID: "m1", KPI: "closures", Unit: "hours", Baseline: "120", Value: "35.5", PeriodFrom: "2026-01-01",
			PeriodTo: "2026-03-31", Method: "road log"}
		c, err := in.command()
		if err != nil || c.PeriodFrom != "2026-01-01" || c.PeriodTo != "2026-03-31" || c.Value != "35.5" || c.KPI != "closures" {
			t.Fatalf("%+v, %v", c, err)
		}
		in.PeriodTo = "Q1"
		_, err = in.command()
		wantBadInput(t, "periodTo", err, "date.invalid")
	})

	t.Run("a_payment_on_a_day", func(t *testing.T) {
		in := paymentInput{PaymentID: "p1", ContractID: "k1", Amount: "100000", PaidOn: "2026-02-01"}
		if c, err := in.command(); err != nil || c.PaidOn != "2026-02-01" || c.Amount != "100000" || c.ContractID != "k1" {
			t.Fatalf("%+v, %v", c, err)
		}
		in.PaidOn = "2026-02-01T10:00:00Z"
		_, err := in.command()
		wantBadInput(t, "paidOn", err, "date.invalid")
	})

	t.Run("an_invitation_with_an_optional_tender_deadline", func(t *testing.T) {
		reason := "lowest selection score"
		in := inviteCandidatesInput{Invited: ids([]string{"acme", "nordic"})}
		left := []struct {
			Supplier gql.ID
			Reason   string
		}{{"polar", reason}}
		in.NotInvited = &left
		invited, notInvited, deadline, err := in.parts()
		if err != nil || !slices.Equal(invited, []string{"acme", "nordic"}) || !deadline.IsZero() ||
			!slices.Equal(notInvited, []procurement.NotInvited{{Supplier: "polar", Reason: reason}}) {
			t.Fatalf("%v %v %v %v", invited, notInvited, deadline, err)
		}
		at := "2026-09-01T12:00:00+02:00"
		in.TenderDeadline = &at
		if _, _, deadline, err := in.parts(); err != nil || !deadline.Equal(time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("deadline %v, %v", deadline, err)
		}
		bad := "in two weeks"
		in.TenderDeadline = &bad
		_, _, _, err = in.parts()
		wantBadInput(t, "tenderDeadline", err, "time.invalid")
	})

	t.Run("a_qualification_with_a_result_per_criterion", func(t *testing.T) {
		note, grounds := "turnover below the minimum", "economic standing"
		results := []struct {
			Criterion gql.ID
			Met       bool
			Note      *string
		}{{"turnover", false, &note}, {"references", true, nil}}
		c := assessQualificationInput{SubmissionID: "req-1", Qualified: false, Results: &results, Grounds: &grounds}.command()
		want := procurement.AssessQualification{SubmissionID: "req-1", Grounds: grounds, Results: []procurement.CriterionResult{
			{Criterion: "turnover", Met: false, Note: note}, {Criterion: "references", Met: true}}}
		if !sameCommand(c, want) {
			t.Fatalf("%+v", c)
		}
	})

	t.Run("enums_of_the_review_and_the_follow_up", func(t *testing.T) {
		if c, err := (complaintInput{ComplaintID: "k1", Complainant: "Nordic", Forum: "KOFA", Grounds: "g", Suspensive: true}).command(); err != nil ||
			c.Forum != procurement.ForumKOFA || !c.Suspensive {
			t.Fatalf("complaint %+v, %v", c, err)
		}
		if c, err := (resolveReviewInput{ComplaintID: "k1", Outcome: "RE_EVALUATE", Ruling: "r"}).command(); err != nil || c.Outcome != procurement.ReviewReevaluate {
			t.Fatalf("review %+v, %v", c, err)
		}
		if c, err := (milestoneInput{MilestoneID: "m1", ContractID: "k1", Title: "t", Status: "PARTIALLY_MET"}).command(); err != nil ||
			c.Status != procurement.MilestonePartiallyMet {
			t.Fatalf("milestone %+v, %v", c, err)
		}
		if c, err := (deviationInput{DeviationID: "d1", ContractID: "k1", Severity: "HIGH", Description: "late"}).command(); err != nil ||
			c.Severity != procurement.SeverityHigh {
			t.Fatalf("deviation %+v, %v", c, err)
		}
		if c, err := (completePhaseInput{PhaseID: "p1", AssessmentHash: "h", Decision: "TERMINATE"}).command(); err != nil || c.Decision != procurement.GateTerminate {
			t.Fatalf("phase gate %+v, %v", c, err)
		}
		for name, err := range map[string]error{
			"forum":    second((complaintInput{Forum: "SUPREME_COURT"}).command()),
			"outcome":  second((resolveReviewInput{Outcome: "UPHELD"}).command()),
			"status":   second((milestoneInput{Status: "DONE"}).command()),
			"severity": second((deviationInput{Severity: "CRITICAL"}).command()),
			"decision": second((completePhaseInput{Decision: "PAUSE"}).command()),
		} {
			wantBadInput(t, name, err, "enum.invalid")
		}
	})
}

func second[T any](_ T, err error) error { return err }

func sameCommand(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// --- through the HTTP API ---

// recordingAuthz denies everything and records which actions were asked for:
// an action recorded means the mutation reached the dispatcher, none means
// the input was refused before anything could reach the case.
type recordingAuthz struct {
	mu      sync.Mutex
	actions []string
}

func (a *recordingAuthz) Allowed(_, _, _ string, action string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actions = append(a.actions, action)
	return false
}

func (a *recordingAuthz) take() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.actions
	a.actions = nil
	return out
}

type noViews struct{}

func (noViews) DB() *sql.DB                                        { return nil }
func (noViews) WaitFor(context.Context, eventstore.Position) error { return nil }

type noRoles struct{}

func (noRoles) RolesFor(string, string) []string { return nil }

type noSealed struct{ app.SealedStore }

type awardAPI struct {
	srv   *Server
	authz *recordingAuthz
	store eventstore.Store
	token string
}

func newAwardAPI(t *testing.T) *awardAPI {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	authz := &recordingAuthz{}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := app.NewDispatcher(store, authz, time.Now, logger)
	if err != nil {
		t.Fatal(err)
	}
	cases := app.NewProcurements(d)
	tokens, err := LoadTokens(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(Deps{Dispatcher: d, Cases: cases, Orgs: app.NewOrganisations(d), Bids: app.NewBids(cases, noSealed{}),
		Views: noViews{}, Roles: noRoles{}, Tokens: tokens, Log: logger})
	if err != nil {
		t.Fatal(err)
	}
	token, err := tokens.Mint("officer@oslo", "oslo", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &awardAPI{srv: srv, authz: authz, store: store, token: token}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func (a *awardAPI) post(t *testing.T, query string, vars map[string]any) []gqlError {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+a.token)
	rec := httptest.NewRecorder()
	a.srv.ServeHTTP(rec, req)
	var res struct {
		Errors []gqlError `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("response %q: %v", rec.Body.String(), err)
	}
	return res.Errors
}

func (a *awardAPI) head(t *testing.T) eventstore.Position {
	t.Helper()
	h, err := a.store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

const awardCase = "0193a5f0-7c1e-7000-8000-00000000c0de"

// awardMutations is one well-formed call of every award mutation and the
// action (the command) it must reach the dispatcher as.
var awardMutations = []struct{ action, call string }{
	{"AssessQualification", `assessQualification(input: {procurementId: $id, submissionId: "req-1", qualified: true, results: [{criterion: "c1", met: true}]})`},
	{"InviteCandidates", `inviteCandidates(input: {procurementId: $id, invited: ["acme"], notInvited: [{supplier: "polar", reason: "r"}], tenderDeadline: "2026-09-01T12:00:00Z"})`},
	{"HoldNegotiationRound", `holdNegotiationRound(input: {procurementId: $id, round: 1, supplier: "acme", minutesHash: "h", requirementsChanged: ["x"]})`},
	{"EliminateParticipant", `eliminateParticipant(input: {procurementId: $id, supplier: "acme", reason: "r"})`},
	{"CallForFinalTenders", `callForFinalTenders(input: {procurementId: $id, deadline: "2026-09-01T12:00:00+02:00"})`},
	{"DeclareConflictOfInterest", `declareConflictOfInterest(input: {procurementId: $id, hasConflict: false})`},
	{"RecuseEvaluator", `recuseEvaluator(input: {procurementId: $id, evaluator: "eva@bergen", reason: "r", replacement: "ola@oslo", replacementOrganisationId: "oslo"})`},
	{"ScoreBid", `scoreBid(input: {procurementId: $id, bidId: "b1", criterion: "quality", score: 7, justification: "j"})`},
	{"LockScores", `lockScores(input: {procurementId: $id})`},
	{"RecordConsensus", `recordConsensus(input: {procurementId: $id, bidId: "b1", criterion: "quality", score: 7, rationale: "r"})`},
	{"RequestClarification", `requestClarification(input: {procurementId: $id, clarificationId: "q1", bidId: "b1", question: "q", sameQuestionToAll: true})`},
	{"AnswerClarification", `answerClarification(input: {procurementId: $id, clarificationId: "q1", answer: "a"})`},
	{"RejectBid", `rejectBid(input: {procurementId: $id, bidId: "b1", grounds: "g", legalBasis: "l"})`},
	{"FinalizeEvaluation", `finalizeEvaluation(input: {procurementId: $id, reportHash: "h", signedBy: ["eva@bergen"]})`},
	{"DecideAward", `decideAward(input: {procurementId: $id, awardId: "a1", lot: "lot-1", bidId: "b1", value: "1000", decisionDocHash: "h"})`},
	{"SendAwardNotification", `sendAwardNotification(input: {procurementId: $id, channel: ELECTRONIC, reasonsHash: "h"})`},
	{"RegisterComplaint", `registerComplaint(input: {procurementId: $id, complaintId: "k1", complainant: "Nordic", forum: KOFA, grounds: "g", suspensive: true})`},
	{"RegisterInterimMeasure", `registerInterimMeasure(input: {procurementId: $id, complaintId: "k1", ruling: "r"})`},
	{"ResolveReview", `resolveReview(input: {procurementId: $id, complaintId: "k1", outcome: RE_DECIDE, ruling: "r"})`},
	{"RevokeAward", `revokeAward(input: {procurementId: $id, awardId: "a1", reason: "r"})`},
	{"SignContract", `signContract(input: {procurementId: $id, contractId: "k1", awardId: "a1", signatureRef: "s", terms: {value: "1000", startDate: "2026-01-01", endDate: "2026-12-31", framework: true}})`},
	{"PublishAwardNotice", `publishAwardNotice(input: {procurementId: $id, channel: TED, externalNoticeId: "2026/S 001-000001"})`},
	{"PlaceCallOff", `placeCallOff(input: {procurementId: $id, callOffId: "c1", contractId: "k1", description: "d", value: "10"})`},
	{"RecordMilestone", `recordMilestone(input: {procurementId: $id, milestoneId: "m1", contractId: "k1", title: "t", status: MET})`},
	{"RecordDeviation", `recordDeviation(input: {procurementId: $id, deviationId: "d1", contractId: "k1", severity: LOW, description: "d"})`},
	{"CompletePhase", `completePhase(input: {procurementId: $id, phaseId: "p1", targetsMet: ["t"], assessmentHash: "h", decision: CONTINUE})`},
	{"RecordPayment", `recordPayment(input: {procurementId: $id, paymentId: "p1", contractId: "k1", amount: "10", paidOn: "2026-02-01"})`},
	{"RecordEffect", `recordEffect(input: {procurementId: $id, measurementId: "e1", kpi: "k", unit: "u", baseline: "1", value: "2", periodFrom: "2026-01-01", periodTo: "2026-03-31", method: "m"})`},
	{"CloseContract", `closeContract(input: {procurementId: $id, contractId: "k1", finalStatus: COMPLETE})`},
	{"CloseCase", `closeCase(input: {procurementId: $id})`},
	{"ApproveCancellation", `approveCancellation(input: {procurementId: $id, version: 1})`},
	{"RejectCancellation", `rejectCancellation(input: {procurementId: $id, version: 1, comment: "no"})`},
	{"DeclareUnsuccessful", `declareUnsuccessful(input: {procurementId: $id, reason: NO_BIDS, explanation: "e"})`},
	{"ApproveWithdrawal", `approveWithdrawal(input: {procurementId: $id, organisationId: "bergen"})`},
	{"DefineAwardCriteria", `defineAwardCriteria(input: {procurementId: $id, tieRule: BEST_PRICE, criteria: [{id: "price", name: "Price", type: PRICE, weight: "100", scaleMin: 0, scaleMax: 10, scoringMethod: "linear", priceFormula: "f"}]})`},
	{"WithdrawMunicipality", `withdrawMunicipality(input: {procurementId: $id, reason: "r", assessmentHash: "h"})`},
}

func TestEveryAwardMutationReachesItsCommand(t *testing.T) {
	api := newAwardAPI(t)
	for _, m := range awardMutations {
		t.Run(m.action, func(t *testing.T) {
			errs := api.post(t, `mutation($id: ID!) { x: `+m.call+` { revision } }`, map[string]any{"id": awardCase})
			if len(errs) != 1 || errs[0].Extensions["code"] != CodeForbidden {
				t.Fatalf("want the dispatcher's FORBIDDEN, got %+v", errs)
			}
			if got := api.authz.take(); !slices.Equal(got, []string{m.action}) {
				t.Fatalf("the dispatcher was asked %v, want %s", got, m.action)
			}
		})
	}
}

func TestBadAwardInputIsRefusedBeforeItReachesTheCase(t *testing.T) {
	api := newAwardAPI(t)
	before := api.head(t)
	for _, tc := range []struct {
		name, query, reason string
		vars                map[string]any
	}{
		{"an_unknown_enum_literal", `mutation($id: ID!) { sendAwardNotification(input: {procurementId: $id, channel: FAX, reasonsHash: "h"}) { revision } }`, "", nil},
		{"an_unknown_enum_in_a_variable", `mutation($id: ID!, $f: ComplaintForum!) { registerComplaint(input: {procurementId: $id, complaintId: "k1", complainant: "c", forum: $f, grounds: "g", suspensive: false}) { revision } }`,
			"", map[string]any{"f": "SUPREME_COURT"}},
		{"an_enum_given_as_a_string", `mutation($id: ID!) { recordMilestone(input: {procurementId: $id, milestoneId: "m1", contractId: "k1", title: "t", status: "MET"}) { revision } }`, "", nil},
		{"an_unknown_tie_rule", `mutation($id: ID!, $r: TieRule) { defineAwardCriteria(input: {procurementId: $id, tieRule: $r, criteria: []}) { revision } }`,
			"", map[string]any{"r": "COIN_TOSS"}},
		{"a_score_that_is_not_a_number", `mutation($id: ID!) { scoreBid(input: {procurementId: $id, bidId: "b1", criterion: "q", score: "high"}) { revision } }`, "", nil},
		{"a_score_with_decimals", `mutation($id: ID!, $s: Int!) { scoreBid(input: {procurementId: $id, bidId: "b1", criterion: "q", score: $s}) { revision } }`,
			"", map[string]any{"s": 7.5}},
		{"a_version_that_is_not_a_number", `mutation($id: ID!) { approveCancellation(input: {procurementId: $id, version: "latest"}) { revision } }`, "", nil},
		{"a_missing_required_field", `mutation($id: ID!) { rejectBid(input: {procurementId: $id, bidId: "b1", grounds: "g"}) { revision } }`, "", nil},
		{"a_field_the_input_does_not_have", `mutation($id: ID!) { lockScores(input: {procurementId: $id, evaluator: "eva@bergen"}) { revision } }`, "", nil},
		{"a_malformed_final_tender_deadline", `mutation($id: ID!) { callForFinalTenders(input: {procurementId: $id, deadline: "2026-09-01 12:00"}) { revision } }`, "time.invalid", nil},
		{"a_malformed_tender_deadline", `mutation($id: ID!) { inviteCandidates(input: {procurementId: $id, invited: ["acme"], tenderDeadline: "next month"}) { revision } }`, "time.invalid", nil},
		{"a_malformed_contract_start", `mutation($id: ID!) { signContract(input: {procurementId: $id, contractId: "k1", awardId: "a1", signatureRef: "s", terms: {value: "1", startDate: "01.01.2026", endDate: "2026-12-31", framework: false}}) { revision } }`, "date.invalid", nil},
		{"a_malformed_payment_date", `mutation($id: ID!) { recordPayment(input: {procurementId: $id, paymentId: "p1", contractId: "k1", amount: "1", paidOn: "2026-02-30"}) { revision } }`, "date.invalid", nil},
		{"a_malformed_measurement_period", `mutation($id: ID!) { recordEffect(input: {procurementId: $id, measurementId: "e1", kpi: "k", unit: "u", baseline: "1", value: "2", periodFrom: "2026", periodTo: "2026-03-31", method: "m"}) { revision } }`, "date.invalid", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]any{"id": awardCase}
			for k, v := range tc.vars {
				vars[k] = v
			}
			errs := api.post(t, tc.query, vars)
			if len(errs) == 0 || errs[0].Extensions["code"] != CodeBadUserInput || errs[0].Message == "" {
				t.Fatalf("want BAD_USER_INPUT with a message, got %+v", errs)
			}
			if tc.reason != "" && errs[0].Extensions["reason"] != tc.reason {
				t.Fatalf("want reason %s, got %+v", tc.reason, errs[0])
			}
			if got := api.authz.take(); len(got) != 0 {
				t.Fatalf("bad input reached the dispatcher (%v)", got)
			}
		})
	}
	if api.head(t) != before {
		t.Fatal("bad input appended events")
	}
}
