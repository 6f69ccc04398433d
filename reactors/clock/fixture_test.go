package clock_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/messaging"
	"github.com/felles/felles/policies"
	"github.com/felles/felles/reactors/clock"
)

// The workflow clock with the real pieces: the embedded event store in a temp
// folder, the policy enforcer with the role templates (the system principal's
// built-in grant among them), app.Procurements, and a clock the test moves.
// The case is prepared by appending the domain events Dispatch would have
// appended: the hub lup runs it, oslo leads, bergen is the other member, acme
// is a registered supplier. The notice goes out on day 50, questions close on
// day 70 at 12:00 UTC, tenders are due on day 90 at 10:00 UTC.

var ctx = context.Background()

const caseID = "0193a5f0-7c1e-7000-8000-0000000c10c0"

var (
	leadOfficer = app.Principal{User: "officer@oslo", Org: "oslo"}
	bergenAdmin = app.Principal{User: "admin@bergen", Org: "bergen"}
	acmeSales   = app.Principal{User: "sales@acme", Org: "acme"}
)

var grants = []policies.Grant{
	{User: "officer@oslo", Role: policies.RoleLeadOfficer, Org: "oslo"},
	{User: "admin@bergen", Role: policies.RoleMunicipalityAdmin, Org: "bergen"},
	{User: "sales@acme", Role: policies.RoleSupplierUser, Org: "acme"},
}

// day is a time on day n of the case (day 1 is 3 March 2025) at hour:00 UTC.
func day(n, hour int) time.Time {
	return time.Date(2025, 3, 3, hour, 0, 0, 0, time.UTC).AddDate(0, 0, n-1)
}

// fakeClock is the injected clock of the dispatcher and the reactor alike.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// logBuffer collects a reactor's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	store     *sqlite.Store
	clock     *fakeClock
	cases     *app.Procurements
	commands  clock.Cases  // the clock's commands over cases
	sent      atomic.Int64 // commands the reactors sent, accepted or not
	procedure timelimits.Procedure
	plan      procurement.TimetablePlan
	docs      string
	givens    int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: &fakeClock{t: day(1, 9)}, docs: sha("tender documents v1"), procedure: timelimits.Open,
		plan: procurement.TimetablePlan{NoticeAt: day(50, 9), QACutoff: day(70, 12), TenderDeadline: day(90, 10), OpeningAt: day(90, 11)}}
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.store = s
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	enforcer, err := policies.NewEnforcer(ctx, policies.GrantSourceFunc(func(context.Context) ([]policies.Grant, error) {
		return grants, nil
	}), quiet)
	if err != nil {
		t.Fatal(err)
	}
	d, err := app.NewDispatcher(s, enforcer, f.clock.now, quiet)
	if err != nil {
		t.Fatal(err)
	}
	orgs := app.NewOrganisations(d)
	for _, o := range []app.RegisterInput{
		{ID: "lup", Kind: organisation.KindHub, Name: "LUP", OrgNumber: "999000001"},
		{ID: "oslo", Kind: organisation.KindMunicipality, Name: "Oslo kommune", OrgNumber: "958935420"},
		{ID: "bergen", Kind: organisation.KindMunicipality, Name: "Bergen kommune", OrgNumber: "964338531"},
		{ID: "acme", Kind: organisation.KindSupplier, Name: "Acme Sensor AS", OrgNumber: "999000101"},
	} {
		if _, err := orgs.Register(ctx, app.System, app.CommandMeta{}, o); err != nil {
			t.Fatal(err)
		}
	}
	f.cases = app.NewProcurements(d)
	if f.commands, err = clock.AppCases(f.cases, d); err != nil {
		t.Fatal(err)
	}
	return f
}

// tendering prepares the case up to its published contract notice.
func (f *fixture) tendering(t *testing.T) {
	t.Helper()
	f.given(t, f.documentsSubmitted()...)
	f.given(t,
		procurement.TenderDocumentsApproved{Org: "oslo", Version: 1, DocumentHash: f.docs},
		procurement.TenderDocumentsApproved{Org: "bergen", Version: 1, DocumentHash: f.docs},
		procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous},
		f.notice())
	if st := f.state(t); st.Phase != procurement.PhaseTendering || st.Lead != "oslo" {
		t.Fatalf("the prepared case is not tendering under oslo's lead: %s %q", st.Phase, st.Lead)
	}
}

// notice opens the first round: tenders, or requests to participate in a
// two-stage procedure.
func (f *fixture) notice() procurement.Event {
	round, deadline := procurement.RoundTenders, f.plan.TenderDeadline
	if procurement.TwoStage(f.procedure) {
		round, deadline = procurement.RoundRequests, f.plan.RequestDeadline
	}
	return procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-200300", DocumentsVersion: 1,
		DocumentHash: f.docs, Buyers: []string{"bergen", "oslo"}, MandateIDs: []string{"m-bergen"}, PublishedAt: f.plan.NoticeAt,
		Round: round, Deadline: deadline}
}

// documentsSubmitted is the case's history up to version 1 of the tender
// documents going to the members on day 45 at 09:00 UTC.
func (f *fixture) documentsSubmitted() []procurement.Event {
	agreement := sha("cooperation agreement v1")
	need := procurement.Need{ID: "n1", Statement: "warn drivers before an avalanche reaches the road", UserGroup: "road users",
		CurrentSolution: "manual closure", SuccessCriteria: "no car hit in a season"}
	commitment := func(org string, value int64) procurement.Event {
		return procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: org, Lot: "L1", Type: procurement.CommitmentBinding,
			Quantity: "100", Unit: "sensors", EstimatedValue: value, Currency: "NOK", BudgetYears: []int{2025, 2026}}}
	}
	return []procurement.Event{
		procurement.CaseCreated{ID: caseID, Title: "Detecting snow avalanches over county roads", Jurisdiction: procurement.JurisdictionNO,
			CPV: []string{"48000000-8"}, Hub: "lup"},
		procurement.MunicipalityInvited{Org: "oslo"}, procurement.MunicipalityInvited{Org: "bergen"},
		procurement.RecruitmentOpened{},
		procurement.MunicipalityJoined{Org: "oslo"}, procurement.MunicipalityJoined{Org: "bergen"},
		procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
		procurement.CooperationAgreementDrafted{Version: 1, Terms: procurement.AgreementTerms{DocumentHash: agreement,
			DecisionRules: procurement.DecisionRules{Procedure: procurement.RuleUnanimous, Approval: procurement.RuleUnanimous, Award: procurement.RuleUnanimous},
			SigningModel:  procurement.SigningLeadSignsAll, LiabilityTerms: "Joint responsibility.", WithdrawalTerms: "Accrued costs stay."}},
		procurement.CooperationAgreementSigned{Org: "oslo", Version: 1, DocumentHash: agreement, Signatory: "mayor@oslo", SignatureRef: "bankid-oslo"},
		procurement.LeadConsentGiven{Org: "oslo", Lead: "oslo"},
		procurement.CooperationAgreementSigned{Org: "bergen", Version: 1, DocumentHash: agreement, Signatory: "mayor@bergen", SignatureRef: "bankid-bergen"},
		procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}},
		procurement.MandateGranted{MandateID: "m-bergen", From: "bergen", To: "oslo",
			Scope: []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish, procurement.ScopeAnswerQuestions}, ValidUntil: "2025-12-31"},
		procurement.CostSharingKeySet{Version: 1, Key: procurement.CostKey{Method: costshare.Equal}},
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(15, 9), Reason: procurement.ReasonKeySet,
			Shares: []procurement.MemberShare{{Org: "bergen", BasisPoints: 5000}, {Org: "oslo", BasisPoints: 5000}}},
		procurement.AgreementConcluded{Version: 1, DocumentHash: agreement, Lead: "oslo", Members: []string{"bergen", "oslo"},
			Mandates: []string{"m-bergen"}, CostKeyVersion: 1},
		procurement.NeedsSubmitted{Org: "oslo", Version: 1, Needs: []procurement.Need{need}},
		procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: []procurement.Need{need}},
		procurement.NeedsConsolidated{Version: 1,
			Sources: []procurement.SubmissionRef{{Org: "bergen", Version: 1}, {Org: "oslo", Version: 1}},
			CommonNeeds: []procurement.CommonNeed{{ID: "c1", Statement: "detect avalanches over roads and warn in time",
				Sources: []procurement.NeedRef{{Org: "bergen", NeedID: "n1"}, {Org: "oslo", NeedID: "n1"}}}},
			Divergences: []procurement.Divergence{}},
		procurement.ConsolidatedNeedsApproved{Org: "oslo", Version: 1},
		procurement.ConsolidatedNeedsApproved{Org: "bergen", Version: 1},
		procurement.ConsolidatedNeedsDecided{Version: 1, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous,
			Approvals: []string{"bergen", "oslo"}},
		commitment("oslo", 500000), commitment("bergen", 250000),
		procurement.DialogueNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-100200",
			Text: "Market dialogue on avalanche sensors", RegistrationDeadline: day(30, 12), PublishedAt: day(20, 9)},
		procurement.SupplierRegistered{Supplier: "acme", Stage: procurement.StageDialogue, RecordedBy: "acme", RegisteredAt: day(21, 9)},
		procurement.MarketDialogueClosed{SummaryReportHash: sha("summary"), LevellingMeasures: []string{"all answers published to all"},
			ClosedAt: day(40, 9)},
		procurement.ProcedureSelected{Procedure: f.procedure, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1",
			Conditions: []timelimits.Condition{timelimits.ESubmission}},
		procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{{ID: "lot-1", Title: "Sensors", Members: []string{"bergen", "oslo"}}}},
		procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementMinimum, Text: "Works at -30 °C"}}},
		procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}},
		procurement.AwardCriteriaDefined{Version: 1, Criteria: []procurement.AwardCriterion{
			{ID: "price", Name: "Price", Type: procurement.CriterionPrice, Weight: "40", WeightBP: 4000, ScaleMax: 10, ScoringMethod: "linear", PriceFormula: "lowest/offered*10"},
			{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: "60", WeightBP: 6000, ScaleMax: 10, ScoringMethod: "panel consensus"},
		}},
		procurement.EvaluatorAppointed{Person: "eva@bergen", Org: "bergen"},
		procurement.TimetableSet{Version: 1, Timetable: f.plan, TimeZone: "Europe/Oslo"},
		procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: f.docs, SubmittedAt: day(45, 9)},
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// given appends domain events to the case with the envelope Dispatch gives
// its events, at the fake clock's time.
func (f *fixture) given(t *testing.T, events ...procurement.Event) {
	t.Helper()
	f.givens++
	stream := procurement.StreamID(caseID)
	reg := procurement.Events()
	data := make([]eventstore.EventData, len(events))
	for i, ev := range events {
		name, version, body, err := reg.Encode(ev)
		if err != nil {
			t.Fatal(err)
		}
		cmd := "given-" + strconv.Itoa(f.givens)
		data[i] = eventstore.EventData{ID: app.EventID(cmd, stream, i), Type: name, SchemaVersion: version, Data: body,
			Metadata: eventstore.Metadata{User: "system", Org: actor.Platform, CommandID: cmd, CorrelationID: cmd, OccurredAt: f.clock.now()}}
	}
	if _, err := f.store.Append(ctx, stream, eventstore.Any, data); err != nil {
		t.Fatal(err)
	}
}

// decide has the domain decide cmd on the case as the log folds it and
// appends the events it decides as given does: the steps of the award, which
// app.Procurements has no methods for, are the decider's own events.
func (f *fixture) decide(t *testing.T, cmd procurement.Command) []procurement.Event {
	t.Helper()
	events, err := procurement.Decider.Decide(f.state(t), cmd)
	if err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
	f.given(t, events...)
	return events
}

func (f *fixture) state(t *testing.T) procurement.State {
	t.Helper()
	st, err := f.cases.State(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// records are the case's stored events.
func (f *fixture) records(t *testing.T) []eventstore.Record {
	t.Helper()
	recs, err := f.store.ReadStream(ctx, procurement.StreamID(caseID), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// stored is one stored event of the case, decoded.
type stored struct {
	eventstore.Record
	Event procurement.Event
}

// events lists the case's stored events of type T, oldest first.
func events[T procurement.Event](t *testing.T, f *fixture) []stored {
	t.Helper()
	var out []stored
	for _, r := range f.records(t) {
		ev, ok, err := procurement.Events().Decode(r.Type, r.SchemaVersion, r.Data)
		if err != nil || !ok {
			t.Fatalf("decode %s: %v", r.Type, err)
		}
		if _, is := ev.(T); is {
			out = append(out, stored{Record: r, Event: ev})
		}
	}
	return out
}

func (f *fixture) head(t *testing.T) eventstore.Position {
	t.Helper()
	h, err := f.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// startClock runs a reactor behind its own Router over the store's log, as
// `felles serve` wires it, and stops it when the test ends. Run is not
// started: tests tick by hand unless they test Run.
func (f *fixture) startClock(t *testing.T, cfg clock.Config) *clock.Reactor {
	t.Helper()
	return f.startClockWith(t, cfg, f.store)
}

// startClockWith is startClock with the log's head as head tells it.
func (f *fixture) startClockWith(t *testing.T, cfg clock.Config, head clock.Head) *clock.Reactor {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = f.clock.now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r, err := clock.New(countingCases{f}, head, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.runClock(t, r)
	return r
}

// runClock feeds a reactor from its own Router over the store's log until the
// test ends.
func (f *fixture) runClock(t *testing.T, r *clock.Reactor) {
	t.Helper()
	wlog := watermill.NewSlogLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	sub, err := messaging.NewSubscriber(f.store, clock.FromStart{}, wlog)
	if err != nil {
		t.Fatal(err)
	}
	router, err := messaging.NewRouter(messaging.DefaultRouterConfig, r.PoisonSink(), wlog)
	if err != nil {
		t.Fatal(err)
	}
	router.AddConsumerHandler(clock.Consumer, clock.Consumer, sub, r.Handle)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		router.Run(runCtx)
	}()
	<-router.Running()
	t.Cleanup(func() { router.Close(); cancel(); <-done })
}

// tick lets the reactor read the log up to its head (bounded wait: delivery
// is asynchronous), then ticks once.
func (f *fixture) tick(t *testing.T, r *clock.Reactor) {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.WaitFor(wait, f.head(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.Tick(ctx); err != nil {
		t.Fatalf("tick: %v", err)
	}
}

// tickAfterMessage is tick with the tick Run makes after a message.
func (f *fixture) tickAfterMessage(t *testing.T, r *clock.Reactor) {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.WaitFor(wait, f.head(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.TickAfterMessage(ctx); err != nil {
		t.Fatalf("tick: %v", err)
	}
}

// eventually polls cond until it holds or ten seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countingCases counts the commands the reactors send before passing them on.
type countingCases struct{ f *fixture }

func (c countingCases) CloseReceipt(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string) (app.Result, error) {
	c.f.sent.Add(1)
	return c.f.cases.CloseReceipt(ctx, p, meta, caseID)
}

func (c countingCases) EndStandstill(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string) (app.Result, error) {
	c.f.sent.Add(1)
	return c.f.commands.EndStandstill(ctx, p, meta, caseID)
}

func (c countingCases) SendReminder(ctx context.Context, p app.Principal, meta app.CommandMeta, caseID string, kind procurement.ReminderKind, subject string) (app.Result, error) {
	c.f.sent.Add(1)
	return c.f.cases.SendReminder(ctx, p, meta, caseID, kind, subject)
}

// sending counts the commands sent while fn runs.
func (f *fixture) sending(fn func()) int64 {
	before := f.sent.Load()
	fn()
	return f.sent.Load() - before
}
