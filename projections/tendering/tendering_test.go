package tendering_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/messaging"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/tendering"
)

var ctx = context.Background()

// world is a real embedded log and a real views database with the cases and
// tendering read models behind one runner, as cmd/felles wires them.
type world struct {
	store  *sqlite.Store
	runner *projections.Runner
	recs   []eventstore.Record
	n      int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	dir := t.TempDir()
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
	r, err := projections.NewRunner(ctx, views, "views", "test-log", slog.New(slog.NewTextHandler(io.Discard, nil)),
		cases.ReadModel{}, tendering.ReadModel{})
	if err != nil {
		t.Fatal(err)
	}
	return &world{store: store, runner: r}
}

var registry = procurement.Events()

// emit appends events to the case's stream (one append, as one command's
// events are) as having occurred at `at`, and hands them to the runner the way
// the live subscription does.
func (w *world) emit(t *testing.T, caseID string, at time.Time, evs ...procurement.Event) {
	t.Helper()
	data := make([]eventstore.EventData, len(evs))
	for i, ev := range evs {
		name, version, raw, err := registry.Encode(ev)
		if err != nil {
			t.Fatal(err)
		}
		w.n++
		data[i] = eventstore.EventData{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", w.n), Type: name, SchemaVersion: version, Data: raw,
			Metadata: eventstore.Metadata{User: "test", Org: "oslo", OccurredAt: at}}
	}
	if _, err := w.store.Append(ctx, procurement.StreamID(caseID), eventstore.Any, data); err != nil {
		t.Fatal(err)
	}
	recs, err := w.store.ReadAll(ctx, w.runner.Position(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if err := w.runner.Handle(messaging.ToMessage(rec)); err != nil {
			t.Fatal(err)
		}
	}
	w.recs = append(w.recs, recs...)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

var (
	hashA = strings.Repeat("a1", 32)
	hashB = strings.Repeat("b2", 32)
	hashC = strings.Repeat("c3", 32)
	hashD = strings.Repeat("d4", 32)
)

func phaseOf(t *testing.T, w *world, caseID string) string {
	t.Helper()
	s := must[*cases.Summary](t)(cases.Get(ctx, w.runner.DB(), caseID))
	if s == nil {
		t.Fatalf("no case %s", caseID)
	}
	return s.Phase
}

func expectPhase(t *testing.T, w *world, caseID string, want procurement.Phase) {
	t.Helper()
	if got := phaseOf(t, w, caseID); got != string(want) {
		t.Fatalf("phase %s, want %s", got, want)
	}
}

func comp(rule string, days int, end time.Time) timelimits.Computation {
	return timelimits.Computation{Rule: rule, Name: "receipt of tenders", Table: "test", Sources: []string{"EU-27"}, Bound: timelimits.AtLeast,
		HasLimit: true, BaseDays: days, Days: days, TimeZone: "Europe/Oslo", SentAt: t0, SentDate: "2026-03-02",
		EndDate: end.Format(time.DateOnly), End: end}
}

// TestTheTenderingViewsFollowACase runs one case from the dialogue notice to the
// opening and checks every table, then that applying again and rebuilding give
// the same views.
func TestTheTenderingViewsFollowACase(t *testing.T) {
	w := newWorld(t)
	db := w.runner.DB()
	const c = "c1"
	w.emit(t, c, day(0), procurement.CaseCreated{ID: c, Title: "Digitalt tilsyn", Jurisdiction: "NO", Hub: "hub"},
		procurement.MunicipalityInvited{Org: "oslo"}, procurement.MunicipalityInvited{Org: "bergen"}, procurement.RecruitmentOpened{},
		procurement.MunicipalityJoined{Org: "oslo"}, procurement.MunicipalityJoined{Org: "bergen"}, procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
		procurement.AgreementConcluded{})
	expectPhase(t, w, c, procurement.PhaseNeeds)
	if p := must[bool](t)(tendering.IsPublished(ctx, db, c)); p {
		t.Fatal("a case is not public before a notice")
	}

	// --- market dialogue ---
	w.emit(t, c, day(1), procurement.DialogueNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2026-101",
		Text: "Dialogue on digital supervision", RegistrationDeadline: day(20), PublishedAt: day(1)})
	expectPhase(t, w, c, procurement.PhaseMarketDialogue)
	w.emit(t, c, day(2), procurement.SupplierRegistered{Supplier: "acme", Stage: procurement.StageDialogue, RecordedBy: "acme", RegisteredAt: day(2)})
	w.emit(t, c, day(3),
		procurement.DialogueEventScheduled{EventID: "conf", Type: procurement.DialogueConference, Title: "Conference", StartsAt: day(10), OfferedTo: []string{"acme"}},
		procurement.DialogueEventScheduled{EventID: "121", Type: procurement.DialogueOneToOne, Title: "One to one", StartsAt: day(12), OfferedTo: []string{"acme"}},
		procurement.DialogueEventScheduled{EventID: "web", Type: procurement.DialogueWebinar, Title: "Webinar", StartsAt: day(11), OfferedTo: []string{"acme"}})
	w.emit(t, c, day(4), procurement.SupplierRegistered{Supplier: "nordic", Stage: procurement.StageDialogue, RecordedBy: "oslo",
		OfferedEvents: []string{"121"}, RegisteredAt: day(4)})
	w.emit(t, c, day(5), procurement.DialogueEventCancelled{EventID: "web", Reason: "Too few"})
	w.emit(t, c, day(10), procurement.DialogueMeetingMinuted{EventID: "conf", Attendees: []string{"acme", "nordic"}, PublicSummary: "We met.",
		ConfidentialAnnexHash: hashA})
	w.emit(t, c, day(11), procurement.QuestionReceived{QuestionID: "acme-q1", Supplier: "acme", Text: "Acme asks: APIs?", Stage: procurement.StageDialogue,
		ReceivedAt: day(11), RecordedBy: "acme"})
	w.emit(t, c, day(11).Add(time.Hour), procurement.QuestionReceived{QuestionID: "q2", Supplier: "nordic", Text: "Volumes?", Stage: procurement.StageDialogue,
		ReceivedAt: day(11).Add(time.Hour), RecordedBy: "oslo"})
	w.emit(t, c, day(12), procurement.AnswerPublished{QuestionID: "q2", AnonymisedQuestion: "What volumes?", Answer: "About 3,000 users.",
		PublishedAt: day(12), RecipientCount: 2})
	w.emit(t, c, day(13), procurement.AnswerPublished{QuestionID: "acme-q1", AnonymisedQuestion: "Which APIs?", Answer: "FHIR.",
		PublishedAt: day(13), RecipientCount: 2})
	w.emit(t, c, day(14), procurement.MarketDialogueClosed{SummaryReportHash: hashB, LevellingMeasures: []string{"All minutes published"}, ClosedAt: day(14)})
	expectPhase(t, w, c, procurement.PhaseDesign)

	t.Run("dialogue_notice_and_closing", func(t *testing.T) {
		d := must[*tendering.Dialogue](t)(tendering.DialogueOf(ctx, db, c))
		want := tendering.Dialogue{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2026-101", Text: "Dialogue on digital supervision",
			RegistrationDeadline: day(20), PublishedAt: day(1), SummaryReportHash: hashB, LevellingMeasures: []string{"All minutes published"}, ClosedAt: day(14)}
		if d == nil || !reflect.DeepEqual(*d, want) {
			t.Fatalf("dialogue:\n got %+v\nwant %+v", d, want)
		}
		if !must[bool](t)(tendering.IsPublished(ctx, db, c)) {
			t.Fatal("the dialogue notice makes the case public")
		}
	})
	t.Run("supplier_register_in_the_order_of_registration", func(t *testing.T) {
		got := must[[]tendering.Registration](t)(tendering.Suppliers(ctx, db, c))
		want := []tendering.Registration{
			{Supplier: "acme", Stage: procurement.StageDialogue, RecordedBy: "acme", OfferedEvents: []string{}, RegisteredAt: day(2)},
			{Supplier: "nordic", Stage: procurement.StageDialogue, RecordedBy: "oslo", OfferedEvents: []string{"121"}, RegisteredAt: day(4)},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("register:\n got %+v\nwant %+v", got, want)
		}
		own := must[*tendering.Registration](t)(tendering.RegistrationOf(ctx, db, c, "nordic"))
		if own == nil || !reflect.DeepEqual(*own, want[1]) {
			t.Fatalf("nordic's own: %+v", own)
		}
		if none := must[*tendering.Registration](t)(tendering.RegistrationOf(ctx, db, c, "other")); none != nil {
			t.Fatalf("an unregistered supplier: %+v", none)
		}
	})
	t.Run("dialogue_events_by_start_with_cancellation_and_minutes", func(t *testing.T) {
		evs := must[[]tendering.DialogueEvent](t)(tendering.DialogueEvents(ctx, db, c))
		if len(evs) != 3 || evs[0].EventID != "conf" || evs[1].EventID != "web" || evs[2].EventID != "121" {
			t.Fatalf("order: %+v", evs)
		}
		conf := evs[0]
		if !conf.Minuted || conf.PublicSummary != "We met." || conf.AnnexHash != hashA || !reflect.DeepEqual(conf.Attendees, []string{"acme", "nordic"}) ||
			!conf.MinutedAt.Equal(day(10)) || conf.Cancelled || !conf.ScheduledAt.Equal(day(3)) || !reflect.DeepEqual(conf.OfferedTo, []string{"acme"}) {
			t.Fatalf("conference: %+v", conf)
		}
		if web := evs[1]; !web.Cancelled || web.CancelReason != "Too few" || !web.CancelledAt.Equal(day(5)) || web.Minuted || len(web.Attendees) != 0 {
			t.Fatalf("webinar: %+v", web)
		}
	})
	t.Run("questions_with_their_answers_numbered_as_published", func(t *testing.T) {
		qs := must[[]tendering.Question](t)(tendering.Questions(ctx, db, c))
		if len(qs) != 2 || qs[0].QuestionID != "acme-q1" || qs[1].QuestionID != "q2" {
			t.Fatalf("questions: %+v", qs)
		}
		if a := qs[0].Answer; a == nil || a.Number != 2 || a.AnonymisedQuestion != "Which APIs?" || a.Answer != "FHIR." || !a.PublishedAt.Equal(day(13)) {
			t.Fatalf("acme's answer: %+v", a)
		}
		if qs[1].Supplier != "nordic" || qs[1].RecordedBy != "oslo" || qs[1].Answer == nil || qs[1].Answer.Number != 1 {
			t.Fatalf("nordic's question: %+v", qs[1])
		}
		answers := must[[]tendering.Answer](t)(tendering.Answers(ctx, db, c))
		if len(answers) != 2 || answers[0].Answer != "About 3,000 users." || answers[1].Answer != "FHIR." || answers[0].Number != 1 ||
			answers[1].RecipientCount != 2 {
			t.Fatalf("answers: %+v", answers)
		}
		own := must[[]tendering.Question](t)(tendering.QuestionsOf(ctx, db, c, "acme"))
		if len(own) != 1 || own[0].Text != "Acme asks: APIs?" {
			t.Fatalf("acme's own: %+v", own)
		}
	})

	// --- design ---
	proc := procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.EUAbove, LegalBasis: "FOA §13-1",
		Conditions: []timelimits.Condition{timelimits.ESubmission}}
	lots := procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{{ID: "L1", Title: "Sensors", Members: []string{"bergen", "oslo"}, EstimatedValue: "1000000.00"}}}
	reqs := procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{{ID: "R1", Kind: procurement.RequirementMinimum, Text: "CE marked"}}}
	qual := procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"Convictions"},
		SelectionCriteria: []procurement.SelectionCriterion{{ID: "S1", Text: "Turnover", Evidence: "Accounts"}}}
	criteria := []procurement.AwardCriterion{
		{ID: "price", Name: "Price", Type: procurement.CriterionPrice, Weight: "40", WeightBP: 4000, ScaleMin: 0, ScaleMax: 10, ScoringMethod: "linear", PriceFormula: "min/x"},
		{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: "60", WeightBP: 6000, ScaleMin: 0, ScaleMax: 10, ScoringMethod: "panel"},
	}
	plan1 := procurement.TimetablePlan{NoticeAt: day(20), QACutoff: day(40), TenderDeadline: day(55), OpeningAt: day(55).Add(time.Hour), FourEyesOpening: true}
	plan2 := plan1
	plan2.TenderDeadline = day(60)
	plan2.OpeningAt = day(60).Add(time.Hour)
	w.emit(t, c, day(15), proc)
	w.emit(t, c, day(15), lots, reqs, qual)
	w.emit(t, c, day(15), procurement.AwardCriteriaDefined{Lot: "", Version: 1, Criteria: criteria})
	w.emit(t, c, day(15), procurement.EvaluatorAppointed{Person: "eva", Org: "bergen", Lots: []string{"L1"}})
	w.emit(t, c, day(16), procurement.TimetableSet{Version: 1, Timetable: plan1, TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{comp("NO/EU_ABOVE/OPEN/TENDER_RECEIPT", 30, day(50))}})
	t.Run("a_new_procedure_drops_the_timetable", func(t *testing.T) {
		if tt := must[*tendering.Timetable](t)(tendering.TimetableOf(ctx, db, c)); tt == nil || tt.Version != 1 {
			t.Fatalf("timetable 1: %+v", tt)
		}
		w.emit(t, c, day(16), proc)
		if tt := must[*tendering.Timetable](t)(tendering.TimetableOf(ctx, db, c)); tt != nil {
			t.Fatalf("after a new procedure there is no timetable: %+v", tt)
		}
	})
	minima := []timelimits.Computation{comp("NO/EU_ABOVE/OPEN/TENDER_RECEIPT", 30, day(50))}
	w.emit(t, c, day(17), procurement.TimetableSet{Version: 2, Timetable: plan2, TimeZone: "Europe/Oslo", Minima: minima})
	w.emit(t, c, day(18), procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: hashC, SubmittedAt: day(18)})
	expectPhase(t, w, c, procurement.PhaseApproval)
	w.emit(t, c, day(19), procurement.TenderDocumentsRejected{Org: "bergen", Version: 1, Comment: "Lot split"},
		procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleUnanimous})
	expectPhase(t, w, c, procurement.PhaseDesign)
	w.emit(t, c, day(19), procurement.TenderDocumentsSubmitted{Version: 2, DocumentHash: hashD, SubmittedAt: day(19)})
	w.emit(t, c, day(19).Add(time.Hour), procurement.TenderDocumentsApproved{Org: "oslo", Version: 2, DocumentHash: hashD})
	w.emit(t, c, day(19).Add(2*time.Hour), procurement.TenderDocumentsApproved{Org: "bergen", Version: 2, DocumentHash: hashD, Comment: "OK"},
		procurement.TenderDocumentsDecided{Version: 2, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous})

	t.Run("design_criteria_evaluators_timetable_and_documents", func(t *testing.T) {
		d := must[*tendering.Design](t)(tendering.DesignOf(ctx, db, c))
		if d == nil || !reflect.DeepEqual(d.Procedure, &proc) || !d.ProcedureAt.Equal(day(16)) || !reflect.DeepEqual(d.Lots, lots) ||
			!reflect.DeepEqual(d.Requirements, reqs) || !reflect.DeepEqual(d.Qualification, qual) || d.Partnership != nil || d.TimetableVersion != 2 {
			t.Fatalf("design: %+v", d)
		}
		ac := must[[]tendering.AwardCriteria](t)(tendering.AwardCriteriaOf(ctx, db, c))
		if len(ac) != 1 || ac[0].Lot != "" || ac[0].Version != 1 || !reflect.DeepEqual(ac[0].Criteria, criteria) {
			t.Fatalf("award criteria: %+v", ac)
		}
		ev := must[[]tendering.Evaluator](t)(tendering.Evaluators(ctx, db, c))
		if len(ev) != 1 || ev[0].Person != "eva" || ev[0].Org != "bergen" || !reflect.DeepEqual(ev[0].Lots, []string{"L1"}) || len(ev[0].Criteria) != 0 {
			t.Fatalf("evaluators: %+v", ev)
		}
		tt := must[*tendering.Timetable](t)(tendering.TimetableOf(ctx, db, c))
		if tt == nil || tt.Version != 2 || !reflect.DeepEqual(tt.Plan, plan2) || tt.TimeZone != "Europe/Oslo" || len(tt.Minima) != 1 ||
			tt.Minima[0].Days != 30 || !tt.Minima[0].End.Equal(day(50)) || !tt.SetAt.Equal(day(17)) {
			t.Fatalf("timetable: %+v", tt)
		}
		docs := must[[]tendering.DocumentsVersion](t)(tendering.Documents(ctx, db, c))
		if len(docs) != 2 || docs[0].Outcome != procurement.NeedsRejected || len(docs[0].Votes) != 1 || docs[0].Votes[0].Approve ||
			docs[0].Votes[0].Comment != "Lot split" || docs[1].Outcome != procurement.NeedsApproved || docs[1].Rule != procurement.RuleUnanimous ||
			len(docs[1].Votes) != 2 || docs[1].Votes[0].Org != "oslo" || docs[1].Votes[1].Org != "bergen" || docs[1].Votes[1].DocumentHash != hashD ||
			!docs[1].DecidedAt.Equal(day(19).Add(2*time.Hour)) {
			t.Fatalf("documents: %+v", docs)
		}
	})

	// --- tendering ---
	noticeMinima := []timelimits.Computation{comp("NO/EU_ABOVE/OPEN/TENDER_RECEIPT", 30, day(51))}
	w.emit(t, c, day(21), procurement.ContractNoticePublished{Channel: procurement.ChannelTED, ExternalNoticeID: "2026/S 001-000001",
		DocumentsVersion: 2, DocumentHash: hashD, Buyers: []string{"bergen", "oslo"}, MandateIDs: []string{"m-bergen"}, PublishedAt: day(21),
		Round: procurement.RoundTenders, Deadline: day(60), Minima: noticeMinima})
	expectPhase(t, w, c, procurement.PhaseTendering)
	sub := func(id, supplier, sha string, at time.Time) procurement.SealedSubmission {
		return procurement.SealedSubmission{BidID: id, Supplier: supplier, Lots: []string{"L1"}, ReceivedAt: at, SHA256: sha,
			CiphertextRef: c + "/" + id + "/" + sha, SizeBytes: 1234}
	}
	w.emit(t, c, day(30), procurement.BidSubmitted{SealedSubmission: sub("b-acme", "acme", hashA, day(30))})
	w.emit(t, c, day(31), procurement.BidSubmitted{SealedSubmission: sub("b-nordic", "nordic", hashB, day(31))})
	w.emit(t, c, day(32), procurement.SupplierRegistered{Supplier: "late", Stage: procurement.StageTender, RecordedBy: "late", RegisteredAt: day(32)})
	w.emit(t, c, day(33), procurement.BidSubmitted{SealedSubmission: sub("b-late", "late", hashC, day(33))})
	w.emit(t, c, day(34), procurement.TenderAmended{Number: 1, Changes: []string{"Lot 1 volume"}, Rationale: "New numbers", Material: true,
		DocumentHash: hashA, RecipientCount: 3, AmendedAt: day(34)},
		procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: day(60), To: day(67), Computation: comp("NO/EU_ABOVE/OPEN/LATE_CHANGE_EXTENSION", 7, day(41))},
		procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b-acme", "b-nordic", "b-late"}})
	w.emit(t, c, day(35), procurement.TenderAmended{Number: 2, Changes: []string{"Typo"}, Rationale: "Typo", RecipientCount: 3, AmendedAt: day(35)})
	w.emit(t, c, day(36), procurement.BidConfirmed{BidID: "b-acme", Amendment: 1})
	w.emit(t, c, day(37), procurement.BidReplaced{BidID: "b-nordic", Version: 2, ReceivedAt: day(37), SHA256: hashD, CiphertextRef: "x", SizeBytes: 99})
	w.emit(t, c, day(38), procurement.BidWithdrawn{BidID: "b-late", WithdrawnAt: day(38)})

	t.Run("notice_amendments_and_the_deadline_in_force", func(t *testing.T) {
		n := must[*tendering.Notice](t)(tendering.NoticeOf(ctx, db, c))
		if n == nil || n.Channel != procurement.ChannelTED || n.DocumentsVersion != 2 || !reflect.DeepEqual(n.Buyers, []string{"bergen", "oslo"}) ||
			!reflect.DeepEqual(n.MandateIDs, []string{"m-bergen"}) || !n.FirstDeadline.Equal(day(60)) || !n.Deadline.Equal(day(67)) ||
			n.Round != procurement.RoundTenders || !reflect.DeepEqual(n.Minima, noticeMinima) {
			t.Fatalf("notice: %+v", n)
		}
		as := must[[]tendering.Amendment](t)(tendering.Amendments(ctx, db, c))
		if len(as) != 2 || !as[0].Material || as[0].Extension == nil || !as[0].Extension.To.Equal(day(67)) || as[0].Extension.Computation.Days != 7 ||
			as[1].Extension != nil || as[1].Material || as[1].RecipientCount != 3 {
			t.Fatalf("amendments: %+v", as)
		}
	})
	t.Run("sealed_submissions_are_metadata_with_their_confirmations", func(t *testing.T) {
		bs := must[[]tendering.Bid](t)(tendering.Bids(ctx, db, c))
		if len(bs) != 3 {
			t.Fatalf("bids: %+v", bs)
		}
		acme, nordic, late := bs[0], bs[1], bs[2]
		if acme.BidID != "b-acme" || acme.NeedsConfirmation || acme.Version != 1 || acme.SHA256 != hashA || acme.SizeBytes != 1234 || acme.Round != procurement.RoundTenders {
			t.Fatalf("acme confirmed: %+v", acme)
		}
		if nordic.NeedsConfirmation || nordic.Version != 2 || nordic.SHA256 != hashD || nordic.SizeBytes != 99 || !nordic.ReceivedAt.Equal(day(37)) ||
			!nordic.SubmittedAt.Equal(day(31)) {
			t.Fatalf("nordic replaced after the amendment: %+v", nordic)
		}
		if !late.NeedsConfirmation || !late.Withdrawn || !late.WithdrawnAt.Equal(day(38)) {
			t.Fatalf("late withdrawn, never confirmed: %+v", late)
		}
		own := must[[]tendering.Bid](t)(tendering.BidsOf(ctx, db, c, "nordic"))
		if len(own) != 1 || own[0].BidID != "b-nordic" {
			t.Fatalf("nordic's own: %+v", own)
		}
		var refs int
		if err := db.QueryRow(`SELECT COUNT(*) FROM pragma_table_info('tender_bids_v1') WHERE name LIKE '%cipher%' OR name LIKE '%ref%'`).Scan(&refs); err != nil || refs != 0 {
			t.Fatalf("the bids view must not keep where the ciphertext is: %d columns, %v", refs, err)
		}
	})

	w.emit(t, c, day(67), procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: day(67), ClosedAt: day(67),
		Submissions: []string{"b-acme", "b-nordic"}, PerLot: map[string]int{"L1": 2}})
	expectPhase(t, w, c, procurement.PhaseReceiptClosed)
	w.emit(t, c, day(67).Add(2*time.Hour), procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: "oslo-lead"})
	opened := []procurement.OpenedBid{
		{BidID: "b-acme", Supplier: "acme", Lots: []string{"L1"}, ReceivedAt: day(30), SHA256: hashA, HashVerified: true},
		{BidID: "b-nordic", Supplier: "nordic", Lots: []string{"L1"}, ReceivedAt: day(37), SHA256: hashD, HashVerified: true},
	}
	w.emit(t, c, day(67).Add(3*time.Hour), procurement.BidsOpened{Round: procurement.RoundTenders, OpenedAt: day(67).Add(3 * time.Hour),
		OpenedBy: []string{"oslo-lead", "oslo-lead-signatory"}, Bids: opened, HashesVerified: true, ProtocolHash: hashB})
	expectPhase(t, w, c, procurement.PhaseEvaluation)
	w.emit(t, c, day(68), procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q9", Recipients: []string{"oslo"}, Day: "2026-05-09"})

	t.Run("closing_opening_and_reminders", func(t *testing.T) {
		cl := must[[]tendering.Closing](t)(tendering.Closings(ctx, db, c))
		if len(cl) != 1 || cl[0].PerLot["L1"] != 2 || len(cl[0].Submissions) != 2 || !cl[0].ClosedAt.Equal(day(67)) {
			t.Fatalf("closings: %+v", cl)
		}
		st := must[[]tendering.OpeningStart](t)(tendering.OpeningStarts(ctx, db, c))
		if len(st) != 1 || st[0].StartedBy != "oslo-lead" {
			t.Fatalf("opening starts: %+v", st)
		}
		op := must[[]tendering.Opening](t)(tendering.Openings(ctx, db, c))
		if len(op) != 1 || !reflect.DeepEqual(op[0].Bids, opened) || !op[0].HashesVerified || op[0].ProtocolHash != hashB ||
			!reflect.DeepEqual(op[0].OpenedBy, []string{"oslo-lead", "oslo-lead-signatory"}) {
			t.Fatalf("openings: %+v", op)
		}
		bs := must[[]tendering.Bid](t)(tendering.Bids(ctx, db, c))
		if !bs[0].Opened || !bs[1].Opened || bs[2].Opened {
			t.Fatalf("opened flags: %+v", bs)
		}
		rs := must[[]tendering.Reminder](t)(tendering.Reminders(ctx, db, c))
		if len(rs) != 1 || rs[0].Subject != "q9" || rs[0].Day != "2026-05-09" || !rs[0].SentAt.Equal(day(68)) {
			t.Fatalf("reminders: %+v", rs)
		}
	})

	t.Run("the_public_list_holds_published_cases_newest_first", func(t *testing.T) {
		w.emit(t, "c2", day(70), procurement.CaseCreated{ID: "c2", Title: "Other", Jurisdiction: "SE", Hub: "hub"})
		w.emit(t, "c3", day(71), procurement.CaseCreated{ID: "c3", Title: "Third", Jurisdiction: "NO", Hub: "hub"},
			procurement.ContractNoticePublished{Channel: procurement.ChannelOwn, ExternalNoticeID: "x", Buyers: []string{"oslo"},
				PublishedAt: day(71), Round: procurement.RoundTenders, Deadline: day(120)})
		page, more := must2(t)(tendering.PublishedPage(ctx, db, 0, 1))
		if len(page) != 1 || page[0].CaseID != "c3" || !more {
			t.Fatalf("first page: %+v %v", page, more)
		}
		page, more = must2(t)(tendering.PublishedPage(ctx, db, page[0].Seq, 10))
		if len(page) != 1 || page[0].CaseID != c || more || !page[0].PublishedAt.Equal(day(1)) {
			t.Fatalf("second page: %+v %v", page, more)
		}
		if must[bool](t)(tendering.IsPublished(ctx, db, "c2")) {
			t.Fatal("c2 has no notice")
		}
		if d := must[*tendering.Design](t)(tendering.DesignOf(ctx, db, "c2")); d != nil {
			t.Fatalf("nothing of c1 under c2: %+v", d)
		}
	})

	t.Run("applying_every_event_again_changes_nothing", func(t *testing.T) {
		before := must[string](t)(w.runner.Digest(ctx))
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, rec := range w.recs {
			if err := (tendering.ReadModel{}).Apply(ctx, tx, rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if after := must[string](t)(w.runner.Digest(ctx)); after != before {
			t.Fatal("a repeated event changed the views")
		}
	})

	t.Run("a_rebuild_from_the_log_gives_the_same_views", func(t *testing.T) {
		before := must[string](t)(w.runner.Digest(ctx))
		for i := 0; i < 2; i++ {
			n, err := w.runner.Rebuild(ctx, w.store)
			if err != nil || n != len(w.recs) {
				t.Fatalf("rebuild: %d of %d, %v", n, len(w.recs), err)
			}
			if after := must[string](t)(w.runner.Digest(ctx)); after != before {
				t.Fatalf("rebuild %d differs", i+1)
			}
		}
		expectPhase(t, w, c, procurement.PhaseEvaluation)
	})
}

func must2(t *testing.T) func([]tendering.Published, bool, error) ([]tendering.Published, bool) {
	return func(p []tendering.Published, more bool, err error) ([]tendering.Published, bool) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p, more
	}
}
