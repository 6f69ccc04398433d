package graphql

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/policies"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/casework"
	"github.com/felles/felles/projections/organisations"
	"github.com/felles/felles/projections/rolegrants"
	"github.com/felles/felles/projections/tendering"
	"github.com/felles/felles/vault"
)

// awardSystem is Felles in one process for the award view tests: the embedded
// log, the views, the vault, the real role templates with fixed grants, and
// the API answering over HTTP. The case is prepared up to its contract notice
// from domain events (as the app's sealed-bid tests do) and taken on from
// there by commands through app.Dispatch, so every later event carries the
// metadata a real command gives it.
type awardSystem struct {
	t       *testing.T
	clock   *awardClock
	store   eventstore.Store
	runner  *projections.Runner
	d       *app.Dispatcher
	cases   *app.Procurements
	bids    *app.Bids
	api     *Server
	tokens  *Tokens
	caseID  string
	bidOf   map[string]string   // supplier → bid ID
	n       int                 // commands run, for command IDs
	viewsAt eventstore.Position // the log head the views were last rebuilt at
}

// awardDay is a time on day n of the case (day 1 is 2 March 2026) at hour:00 UTC.
func awardDay(n, hour int) time.Time {
	return time.Date(2026, 3, 2, hour, 0, 0, 0, time.UTC).AddDate(0, 0, n-1)
}

type awardClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *awardClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *awardClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// The people of the case and the roles they hold (DOMAIN.md §5 columns).
var awardGrants = []policies.Grant{
	{User: "hub-coordinator", Role: policies.RoleHubCoordinator, Org: "hub"},
	{User: "oslo-lead", Role: policies.RoleLeadOfficer, Org: "oslo"},
	{User: "oslo-admin", Role: policies.RoleMunicipalityAdmin, Org: "oslo"},
	{User: "bergen-admin", Role: policies.RoleMunicipalityAdmin, Org: "bergen"},
	{User: "bergen-eva", Role: policies.RoleEvaluator, Org: "bergen"},
	{User: "oslo-eva", Role: policies.RoleEvaluator, Org: "oslo"},
	{User: "auditor", Role: policies.RoleAuditor, Org: policies.PlatformOrg},
	{User: "acme-sales", Role: policies.RoleSupplierUser, Org: "acme"},
	{User: "nordic-sales", Role: policies.RoleSupplierUser, Org: "nordic"},
}

// commandsOpen checks reads against the real role templates and lets every
// command through to the decider: the issue 6 commands are not in the role
// templates yet, and what these tests check is who reads what.
type commandsOpen struct{ *policies.Enforcer }

func (c commandsOpen) Allowed(user, org, object, action string) bool {
	if strings.HasPrefix(action, "Read") {
		return c.Enforcer.Allowed(user, org, object, action)
	}
	return true
}

func newAwardSystem(t *testing.T) *awardSystem {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	views, err := projections.OpenViews(filepath.Join(dir, "views.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { views.Close() })
	sealed, err := vault.Open(filepath.Join(dir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sealed.Close() })
	models := func() []projections.ReadModel {
		return []projections.ReadModel{cases.ReadModel{}, casework.ReadModel{}, organisations.ReadModel{}, rolegrants.ReadModel{}, tendering.ReadModel{}}
	}
	runner, err := projections.NewRunner(ctx, views, "views", "embedded:test", log, models()...)
	if err != nil {
		t.Fatal(err)
	}
	enforcer, err := policies.NewEnforcer(ctx, policies.GrantSourceFunc(func(context.Context) ([]policies.Grant, error) {
		return awardGrants, nil
	}), log)
	if err != nil {
		t.Fatal(err)
	}
	clock := &awardClock{t: awardDay(1, 9)}
	d, err := app.NewDispatcher(store, commandsOpen{enforcer}, clock.now, log)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := LoadTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	cs := app.NewProcurements(d)
	x := &awardSystem{t: t, clock: clock, store: store, runner: runner, d: d, cases: cs, bids: app.NewBids(cs, sealed),
		tokens: tokens, caseID: "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f", bidOf: map[string]string{}}
	x.api, err = NewServer(Deps{Dispatcher: d, Cases: cs, Orgs: app.NewOrganisations(d), Bids: x.bids, Views: runner,
		Roles: enforcer, Tokens: tokens, Log: log, ReadModels: models})
	if err != nil {
		t.Fatal(err)
	}
	orgs := app.NewOrganisations(d)
	for _, o := range []app.RegisterInput{
		{ID: "hub", Kind: organisation.KindHub, Name: "Innkjøpshuben", OrgNumber: "999000001"},
		{ID: "oslo", Kind: organisation.KindMunicipality, Name: "Oslo kommune", OrgNumber: "958935420"},
		{ID: "bergen", Kind: organisation.KindMunicipality, Name: "Bergen kommune", OrgNumber: "964338531"},
		{ID: "acme", Kind: organisation.KindSupplier, Name: "Acme Sensor AS", OrgNumber: "999000101"},
		{ID: "nordic", Kind: organisation.KindSupplier, Name: "Nordic Vision AB", OrgNumber: "999000102"},
	} {
		if _, err := orgs.Register(ctx, app.System, app.CommandMeta{}, o); err != nil {
			t.Fatal(err)
		}
	}
	x.history()
	return x
}

func awardHash(label string) string {
	sum := sha256.Sum256([]byte(label))
	return hex.EncodeToString(sum[:])
}

// The case's calendar: the notice on day 50, the tender deadline on day 90
// at 10:00 UTC, the opening an hour later.
var awardPlan = procurement.TimetablePlan{NoticeAt: awardDay(50, 9), QACutoff: awardDay(70, 12), TenderDeadline: awardDay(90, 10),
	OpeningAt: awardDay(90, 11)}

// history appends the case up to its contract notice: oslo leads for oslo and
// bergen under a mandate that covers deciding the award and managing the
// contract but not signing it (so bergen signs itself), one lot, price 40 and
// quality 60, two evaluators, bergen-eva and oslo-eva. Bergen's private
// needs draft is in it too.
func (x *awardSystem) history() {
	x.t.Helper()
	docs, agreement := awardHash("tender documents v1"), awardHash("cooperation agreement v1")
	need := procurement.Need{ID: "n1", Statement: "alert when an elderly person falls at home", UserGroup: "home care users",
		SuccessCriteria: "fewer injuries from falls"}
	commitment := func(org string, value int64) procurement.Event {
		return procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: org, Lot: "L1", Type: procurement.CommitmentBinding,
			Quantity: "100", Unit: "sensors", EstimatedValue: value, Currency: "NOK", BudgetYears: []int{2026, 2027}}}
	}
	type step struct {
		org, user string
		ev        procurement.Event
	}
	hub, oslo, bergen := func(ev procurement.Event) step { return step{"hub", "hub-coordinator", ev} },
		func(ev procurement.Event) step { return step{"oslo", "oslo-lead", ev} },
		func(ev procurement.Event) step { return step{"bergen", "bergen-admin", ev} }
	steps := []step{
		hub(procurement.CaseCreated{ID: x.caseID, Title: "Digital supervision in home care", Jurisdiction: procurement.JurisdictionNO,
			CPV: []string{"48000000-8"}, Hub: "hub"}),
		hub(procurement.MunicipalityInvited{Org: "oslo"}), hub(procurement.MunicipalityInvited{Org: "bergen"}),
		hub(procurement.RecruitmentOpened{}),
		oslo(procurement.MunicipalityJoined{Org: "oslo"}), bergen(procurement.MunicipalityJoined{Org: "bergen"}),
		hub(procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}),
		hub(procurement.CooperationAgreementDrafted{Version: 1, Terms: procurement.AgreementTerms{DocumentHash: agreement,
			DecisionRules: procurement.DecisionRules{Procedure: procurement.RuleUnanimous, Approval: procurement.RuleUnanimous, Award: procurement.RuleUnanimous},
			SigningModel:  procurement.SigningLeadSignsAll, LiabilityTerms: "Joint responsibility.", WithdrawalTerms: "Accrued costs stay."}}),
		oslo(procurement.CooperationAgreementSigned{Org: "oslo", Version: 1, DocumentHash: agreement, Signatory: "oslo-signatory", SignatureRef: "bankid-oslo"}),
		oslo(procurement.LeadConsentGiven{Org: "oslo", Lead: "oslo"}),
		bergen(procurement.CooperationAgreementSigned{Org: "bergen", Version: 1, DocumentHash: agreement, Signatory: "bergen-signatory", SignatureRef: "bankid-bergen"}),
		bergen(procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"}),
		hub(procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}}),
		bergen(procurement.MandateGranted{MandateID: "m-bergen", From: "bergen", To: "oslo",
			Scope:      []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish, procurement.ScopeDecideAward, procurement.ScopeManageContract},
			ValidUntil: "2028-12-31"}),
		hub(procurement.CostSharingKeySet{Version: 1, Key: procurement.CostKey{Method: costshare.Equal}}),
		hub(procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: awardDay(15, 9), Reason: procurement.ReasonKeySet,
			Shares: []procurement.MemberShare{{Org: "bergen", BasisPoints: 5000}, {Org: "oslo", BasisPoints: 5000}}}),
		hub(procurement.AgreementConcluded{Version: 1, DocumentHash: agreement, Lead: "oslo", Members: []string{"bergen", "oslo"},
			Mandates: []string{"m-bergen"}, CostKeyVersion: 1}),
		bergen(procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 1, Needs: []procurement.Need{need}, Notes: "bergen-private-draft-note"}),
		oslo(procurement.NeedsSubmitted{Org: "oslo", Version: 1, Needs: []procurement.Need{need}}),
		bergen(procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: []procurement.Need{need}}),
		oslo(procurement.NeedsConsolidated{Version: 1,
			Sources: []procurement.SubmissionRef{{Org: "bergen", Version: 1}, {Org: "oslo", Version: 1}},
			CommonNeeds: []procurement.CommonNeed{{ID: "c1", Statement: "alert on falls at home",
				Sources: []procurement.NeedRef{{Org: "bergen", NeedID: "n1"}, {Org: "oslo", NeedID: "n1"}}}},
			Divergences: []procurement.Divergence{}}),
		oslo(procurement.ConsolidatedNeedsApproved{Org: "oslo", Version: 1}),
		bergen(procurement.ConsolidatedNeedsApproved{Org: "bergen", Version: 1}),
		bergen(procurement.ConsolidatedNeedsDecided{Version: 1, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous,
			Approvals: []string{"bergen", "oslo"}}),
		oslo(commitment("oslo", 500000000)), bergen(commitment("bergen", 250000000)),
		oslo(procurement.DialogueNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2026-100200",
			Text: "Market dialogue on fall sensors", RegistrationDeadline: awardDay(30, 12), PublishedAt: awardDay(20, 9)}),
		step{"acme", "acme-sales", procurement.SupplierRegistered{Supplier: "acme", Stage: procurement.StageDialogue, RecordedBy: "acme", RegisteredAt: awardDay(21, 9)}},
		oslo(procurement.MarketDialogueClosed{SummaryReportHash: awardHash("summary"), LevellingMeasures: []string{"all answers published to all"},
			ClosedAt: awardDay(40, 9)}),
		oslo(procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1",
			Conditions: []timelimits.Condition{timelimits.ESubmission}}),
		oslo(procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{{ID: "L1", Title: "Fall sensors", Members: []string{"bergen", "oslo"}}}}),
		oslo(procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementMinimum, Text: "Data stays in the EEA"}}}),
		oslo(procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}}),
		oslo(procurement.AwardCriteriaDefined{Version: 1, Criteria: []procurement.AwardCriterion{
			{ID: "price", Name: "Price", Type: procurement.CriterionPrice, Weight: "40", WeightBP: 4000, ScaleMax: 10, ScoringMethod: "linear", PriceFormula: "lowest/offered*10"},
			{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: "60", WeightBP: 6000, ScaleMax: 10, ScoringMethod: "panel consensus"},
		}}),
		oslo(procurement.EvaluatorAppointed{Person: "bergen-eva", Org: "bergen"}),
		oslo(procurement.EvaluatorAppointed{Person: "oslo-eva", Org: "oslo"}),
		oslo(procurement.TimetableSet{Version: 1, Timetable: awardPlan, TimeZone: "Europe/Oslo"}),
		oslo(procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: docs, SubmittedAt: awardDay(45, 9)}),
		oslo(procurement.TenderDocumentsApproved{Org: "oslo", Version: 1, DocumentHash: docs}),
		bergen(procurement.TenderDocumentsApproved{Org: "bergen", Version: 1, DocumentHash: docs}),
		bergen(procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous}),
		oslo(procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2026-200300", DocumentsVersion: 1,
			DocumentHash: docs, Buyers: []string{"bergen", "oslo"}, MandateIDs: []string{"m-bergen"}, PublishedAt: awardPlan.NoticeAt,
			Round: procurement.RoundTenders, Deadline: awardPlan.TenderDeadline}),
	}
	stream := procurement.StreamID(x.caseID)
	reg := procurement.Events()
	data := make([]eventstore.EventData, len(steps))
	for i, st := range steps {
		name, version, body, err := reg.Encode(st.ev)
		if err != nil {
			x.t.Fatal(err)
		}
		data[i] = eventstore.EventData{ID: app.EventID("history", stream, i), Type: name, SchemaVersion: version, Data: body,
			Metadata: eventstore.Metadata{User: st.user, Org: st.org, CommandID: "history-" + strconv.Itoa(i),
				CorrelationID: "history", OccurredAt: awardDay(1+i, 9)}}
	}
	if _, err := x.store.Append(context.Background(), stream, eventstore.NoStream, data); err != nil {
		x.t.Fatal(err)
	}
}

// run dispatches one case command as p at the clock's time.
func (x *awardSystem) run(p app.Principal, build func(at time.Time) procurement.Command) {
	x.t.Helper()
	x.n++
	_, err := app.Dispatch(context.Background(), x.d, app.ProcurementAggregate, p, app.CommandMeta{CommandID: "cmd-" + strconv.Itoa(x.n)},
		"Award", procurement.StreamID(x.caseID), func(at time.Time) (procurement.Command, error) { return build(at), nil })
	if err != nil {
		x.t.Fatalf("command %d by %s for %s: %v", x.n, p.User, p.Org, err)
	}
}

func (x *awardSystem) at(t time.Time) *awardSystem { x.clock.set(t); return x }

func (x *awardSystem) state() procurement.State {
	x.t.Helper()
	s, err := x.cases.State(context.Background(), x.caseID)
	if err != nil {
		x.t.Fatal(err)
	}
	return s
}

// submit hands in a supplier's sealed tender for L1.
func (x *awardSystem) submit(supplier string) {
	x.t.Helper()
	p := app.Principal{User: supplier + "-sales", Org: supplier}
	id, _, err := x.bids.Submit(context.Background(), p, app.CommandMeta{CommandID: "bid-" + supplier}, x.caseID, []string{"L1"},
		[]byte("tender of "+supplier))
	if err != nil {
		x.t.Fatalf("%s submits: %v", supplier, err)
	}
	x.bidOf[supplier] = id
}

// views brings the read models up to the log (they are disposable: a rebuild
// is the simplest way to catch up without the Watermill router), when the log
// has moved since the last time.
func (x *awardSystem) views() {
	x.t.Helper()
	head, err := x.store.Head(context.Background())
	if err != nil {
		x.t.Fatal(err)
	}
	if head == x.viewsAt && !head.IsZero() {
		return
	}
	if _, err := x.runner.Rebuild(context.Background(), x.store); err != nil {
		x.t.Fatal(err)
	}
	x.viewsAt = head
}

type gqlAnswer struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// query asks the API as user acting for org, and fails on any error.
func (x *awardSystem) query(user, org, q string) gqlAnswer {
	x.t.Helper()
	x.views()
	token, err := x.tokens.Mint(user, org, time.Hour, time.Now())
	if err != nil {
		x.t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"id": x.caseID}})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	x.api.ServeHTTP(rec, req)
	var ans gqlAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		x.t.Fatalf("not JSON: %s", rec.Body.String())
	}
	if len(ans.Errors) > 0 || rec.Code != http.StatusOK {
		x.t.Fatalf("%s@%s: %d %s", user, org, rec.Code, rec.Body.String())
	}
	return ans
}

// get walks the answer's data by a dotted path.
func (a gqlAnswer) get(path string) any {
	var cur any = a.Data
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func (a gqlAnswer) list(path string) []any {
	l, _ := a.get(path).([]any)
	return l
}

// reader is one person of the case acting for one organisation.
type reader struct{ user, org string }

var (
	hubReader       = reader{"hub-coordinator", "hub"}
	leadReader      = reader{"oslo-lead", "oslo"}
	osloAdmin       = reader{"oslo-admin", "oslo"}
	bergenAdmin     = reader{"bergen-admin", "bergen"}
	bergenEvaluator = reader{"bergen-eva", "bergen"}
	osloEvaluator   = reader{"oslo-eva", "oslo"}
	auditorReader   = reader{"auditor", "hub"} // a platform-wide grant: reads everything whatever it acts for
)

func (r reader) String() string { return r.user + "@" + r.org }

func (r reader) principal() app.Principal { return app.Principal{User: r.user, Org: r.org} }

var platform = app.Principal{User: "system", Org: actor.Platform}
