package tendering

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// The query functions answer for one case. They do not filter by reader: the
// API decides per field who may see what (DOMAIN.md §5), and each function says
// which confidentiality class its answer belongs to.

type scanner interface{ Scan(...any) error }

func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func list[T any](ctx context.Context, db *sql.DB, what, caseID, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, append([]any{caseID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("tendering: %s of %s: %w", what, caseID, err)
	}
	out, err := collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("tendering: %s of %s: %w", what, caseID, err)
	}
	return out, nil
}

// one scans a single row; nil when there is none.
func one[T any](row *sql.Row, what, caseID string, scan func(scanner) (T, error)) (*T, error) {
	v, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tendering: %s of %s: %w", what, caseID, err)
	}
	return &v, nil
}

func unjson(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// --- publication ---

// Published is a case the market has been told about.
type Published struct {
	CaseID      string
	Seq         int64 // the global position of the first notice: the cursor
	PublishedAt time.Time
}

// PublishedPage lists the cases with a published dialogue or contract notice
// (PUBLIC), the most recently published first; before is the Seq cursor (0 =
// from the top).
func PublishedPage(ctx context.Context, db *sql.DB, before int64, limit int) ([]Published, bool, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT case_id, first_seq, published_at FROM tender_public_v1
		WHERE (?1 = 0 OR first_seq < ?1) ORDER BY first_seq DESC LIMIT %d`, limit+1), before)
	if err != nil {
		return nil, false, fmt.Errorf("tendering: published cases: %w", err)
	}
	out, err := collect(rows, func(r scanner) (Published, error) {
		var (
			p  Published
			at string
		)
		err := r.Scan(&p.CaseID, &p.Seq, &at)
		p.PublishedAt = parseStamp(at)
		return p, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("tendering: published cases: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// IsPublished says whether the market has been told about the case.
func IsPublished(ctx context.Context, db *sql.DB, caseID string) (bool, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM tender_public_v1 WHERE case_id = ?`, caseID).Scan(&n); err != nil {
		return false, fmt.Errorf("tendering: published %s: %w", caseID, err)
	}
	return n > 0, nil
}

// --- market dialogue ---

// Dialogue is the dialogue notice (PUBLIC) and, once closed, the summary
// report's hash and the levelling measures.
type Dialogue struct {
	Channel              procurement.NoticeChannel
	ExternalNoticeID     string
	Text                 string
	RegistrationDeadline time.Time
	PublishedAt          time.Time
	SummaryReportHash    string
	LevellingMeasures    []string
	ClosedAt             time.Time // zero while the dialogue is open
}

// DialogueOf returns the case's dialogue, nil before a notice.
func DialogueOf(ctx context.Context, db *sql.DB, caseID string) (*Dialogue, error) {
	return one(db.QueryRowContext(ctx, `SELECT channel, external_notice_id, text, registration_deadline, published_at, summary_report_hash,
		levelling_measures, closed_at FROM tender_dialogue_v1 WHERE case_id = ?`, caseID), "dialogue", caseID, func(r scanner) (Dialogue, error) {
		var (
			d                                Dialogue
			deadline, published, lev, closed string
		)
		if err := r.Scan(&d.Channel, &d.ExternalNoticeID, &d.Text, &deadline, &published, &d.SummaryReportHash, &lev, &closed); err != nil {
			return d, err
		}
		d.RegistrationDeadline, d.PublishedAt, d.ClosedAt = parseStamp(deadline), parseStamp(published), parseStamp(closed)
		return d, unjson(lev, &d.LevellingMeasures)
	})
}

// Registration is a supplier's registration (CASE_INTERNAL: who registered).
type Registration struct {
	Supplier      string
	Stage         procurement.Stage
	RecordedBy    string
	OfferedEvents []string
	RegisteredAt  time.Time
}

const registrationColumns = `supplier, stage, recorded_by, offered_events, registered_at`

func scanRegistration(r scanner) (Registration, error) {
	var (
		g             Registration
		offered, when string
	)
	if err := r.Scan(&g.Supplier, &g.Stage, &g.RecordedBy, &offered, &when); err != nil {
		return g, err
	}
	g.RegisteredAt = parseStamp(when)
	return g, unjson(offered, &g.OfferedEvents)
}

// Suppliers lists the supplier register in the order of registration.
func Suppliers(ctx context.Context, db *sql.DB, caseID string) ([]Registration, error) {
	return list(ctx, db, "suppliers", caseID, `SELECT `+registrationColumns+` FROM tender_suppliers_v1 WHERE case_id = ?
		ORDER BY registered_at, supplier`, scanRegistration)
}

// RegistrationOf returns supplier's own registration, nil when not registered.
func RegistrationOf(ctx context.Context, db *sql.DB, caseID, supplier string) (*Registration, error) {
	return one(db.QueryRowContext(ctx, `SELECT `+registrationColumns+` FROM tender_suppliers_v1 WHERE case_id = ? AND supplier = ?`,
		caseID, supplier), "registration", caseID, scanRegistration)
}

// DialogueEvent is a scheduled dialogue event (SUPPLIER) and what became of
// it. Attendees (supplier identities) and the annex hash are CASE_INTERNAL;
// the public summary goes to every registered supplier.
type DialogueEvent struct {
	EventID       string
	Type          procurement.DialogueEventType
	Title         string
	StartsAt      time.Time
	OfferedTo     []string
	ScheduledAt   time.Time
	Cancelled     bool
	CancelReason  string
	CancelledAt   time.Time
	Minuted       bool
	Attendees     []string
	PublicSummary string
	AnnexHash     string
	MinutedAt     time.Time
}

// DialogueEvents lists the case's dialogue events by start, then ID.
func DialogueEvents(ctx context.Context, db *sql.DB, caseID string) ([]DialogueEvent, error) {
	return list(ctx, db, "dialogue events", caseID, `SELECT event_id, type, title, starts_at, offered_to, scheduled_at, cancelled, cancel_reason,
		cancelled_at, minuted, attendees, public_summary, annex_hash, minuted_at FROM tender_dialogue_events_v1 WHERE case_id = ?
		ORDER BY starts_at, event_id`, func(r scanner) (DialogueEvent, error) {
		var (
			e                                             DialogueEvent
			starts, offered, scheduled, cancelled, attend string
			minuted                                       string
		)
		if err := r.Scan(&e.EventID, &e.Type, &e.Title, &starts, &offered, &scheduled, &e.Cancelled, &e.CancelReason, &cancelled,
			&e.Minuted, &attend, &e.PublicSummary, &e.AnnexHash, &minuted); err != nil {
			return e, err
		}
		e.StartsAt, e.ScheduledAt, e.CancelledAt, e.MinutedAt = parseStamp(starts), parseStamp(scheduled), parseStamp(cancelled), parseStamp(minuted)
		if err := unjson(offered, &e.OfferedTo); err != nil {
			return e, err
		}
		return e, unjson(attend, &e.Attendees)
	})
}

// Question is a supplier's question (CASE_INTERNAL: the supplier and its own
// words) and its published answer (PUBLIC), if any.
type Question struct {
	QuestionID string
	Supplier   string
	Text       string
	Stage      procurement.Stage
	ReceivedAt time.Time
	RecordedBy string
	Answer     *Answer
}

// Answer is a published answer: the anonymised question, the answer and how
// many suppliers it went to (PUBLIC). Number counts the answers in the order
// published, so a public listing need not show the question's ID, which the
// asker chose.
type Answer struct {
	Number             int
	AnonymisedQuestion string
	Answer             string
	PublishedAt        time.Time
	RecipientCount     int // every registered supplier and bidder of the moment
}

const questionColumns = `question_id, supplier, text, stage, received_at, recorded_by, answer_seq, anonymised_question, answer, answered_at,
	recipients, (SELECT COUNT(*) FROM tender_questions_v1 p WHERE p.case_id = q.case_id AND p.answer_seq > 0 AND p.answer_seq <= q.answer_seq)`

func scanQuestion(r scanner) (Question, error) {
	var (
		q                          Question
		a                          Answer
		received, answered, recips string
		answerSeq                  int64
	)
	if err := r.Scan(&q.QuestionID, &q.Supplier, &q.Text, &q.Stage, &received, &q.RecordedBy, &answerSeq, &a.AnonymisedQuestion, &a.Answer,
		&answered, &recips, &a.Number); err != nil {
		return q, err
	}
	q.ReceivedAt = parseStamp(received)
	if answerSeq > 0 {
		a.PublishedAt = parseStamp(answered)
		if err := unjson(recips, &a.RecipientCount); err != nil {
			return q, err
		}
		q.Answer = &a
	}
	return q, nil
}

// Questions lists every question of the case in the order received.
func Questions(ctx context.Context, db *sql.DB, caseID string) ([]Question, error) {
	return list(ctx, db, "questions", caseID, `SELECT `+questionColumns+` FROM tender_questions_v1 q WHERE case_id = ? ORDER BY seq`, scanQuestion)
}

// QuestionsOf lists supplier's own questions in the order received.
func QuestionsOf(ctx context.Context, db *sql.DB, caseID, supplier string) ([]Question, error) {
	return list(ctx, db, "questions", caseID, `SELECT `+questionColumns+` FROM tender_questions_v1 q WHERE case_id = ? AND supplier = ?
		ORDER BY seq`, scanQuestion, supplier)
}

// Answers lists the published answers in the order published.
func Answers(ctx context.Context, db *sql.DB, caseID string) ([]Answer, error) {
	qs, err := list(ctx, db, "answers", caseID, `SELECT `+questionColumns+` FROM tender_questions_v1 q WHERE case_id = ? AND answer_seq > 0
		ORDER BY answer_seq`, scanQuestion)
	out := make([]Answer, len(qs))
	for i, q := range qs {
		out[i] = *q.Answer
	}
	return out, err
}

// --- competition design ---

// Design is the competition design as it stands (CASE_INTERNAL until the
// contract notice publishes it; the evaluators stay internal).
type Design struct {
	Procedure        *procurement.ProcedureSelected
	ProcedureAt      time.Time
	Lots             procurement.LotsDefined
	Requirements     procurement.RequirementsDefined
	Qualification    procurement.QualificationCriteriaDefined
	Partnership      *procurement.PartnershipPhasesDefined
	TimetableVersion int // 0 = no timetable in force
	UpdatedAt        time.Time
}

// DesignOf returns the case's design, nil before anything of it is defined.
func DesignOf(ctx context.Context, db *sql.DB, caseID string) (*Design, error) {
	return one(db.QueryRowContext(ctx, `SELECT procedure, procedure_at, lots, requirements, qualification, partnership, timetable_version,
		updated_at FROM tender_design_v1 WHERE case_id = ?`, caseID), "design", caseID, func(r scanner) (Design, error) {
		var (
			d                                      Design
			proc, procAt, lots, reqs, qual, ip, at string
		)
		if err := r.Scan(&proc, &procAt, &lots, &reqs, &qual, &ip, &d.TimetableVersion, &at); err != nil {
			return d, err
		}
		d.ProcedureAt, d.UpdatedAt = parseStamp(procAt), parseStamp(at)
		if proc != "" {
			d.Procedure = &procurement.ProcedureSelected{}
		}
		if ip != "" {
			d.Partnership = &procurement.PartnershipPhasesDefined{}
		}
		return d, errors.Join(unjson(proc, d.Procedure), unjson(lots, &d.Lots), unjson(reqs, &d.Requirements),
			unjson(qual, &d.Qualification), unjson(ip, d.Partnership))
	})
}

// AwardCriteria are one lot's award criteria ("" = every lot without its own).
type AwardCriteria struct {
	Lot       string
	Version   int
	Criteria  []procurement.AwardCriterion
	DefinedAt time.Time
}

// AwardCriteriaOf lists the award criteria per lot, the default ("") first.
func AwardCriteriaOf(ctx context.Context, db *sql.DB, caseID string) ([]AwardCriteria, error) {
	return list(ctx, db, "award criteria", caseID, `SELECT lot, version, criteria, defined_at FROM tender_award_criteria_v1 WHERE case_id = ?
		ORDER BY lot`, func(r scanner) (AwardCriteria, error) {
		var (
			c            AwardCriteria
			criteria, at string
		)
		if err := r.Scan(&c.Lot, &c.Version, &criteria, &at); err != nil {
			return c, err
		}
		c.DefinedAt = parseStamp(at)
		return c, unjson(criteria, &c.Criteria)
	})
}

// Evaluator is an appointed evaluator (CASE_INTERNAL).
type Evaluator struct {
	Person, Org    string
	Criteria, Lots []string
	AppointedAt    time.Time
}

// Evaluators lists the evaluation committee by person.
func Evaluators(ctx context.Context, db *sql.DB, caseID string) ([]Evaluator, error) {
	return list(ctx, db, "evaluators", caseID, `SELECT person, org_id, criteria, lots, appointed_at FROM tender_evaluators_v1 WHERE case_id = ?
		ORDER BY person`, func(r scanner) (Evaluator, error) {
		var (
			e                  Evaluator
			criteria, lots, at string
		)
		if err := r.Scan(&e.Person, &e.Org, &criteria, &lots, &at); err != nil {
			return e, err
		}
		e.AppointedAt = parseStamp(at)
		return e, errors.Join(unjson(criteria, &e.Criteria), unjson(lots, &e.Lots))
	})
}

// Timetable is a timetable version with the legal minima computed when it was
// set, as stored (a replay never recomputes them).
type Timetable struct {
	Version  int
	Plan     procurement.TimetablePlan
	TimeZone string
	Minima   []timelimits.Computation
	SetAt    time.Time
}

// TimetableOf returns the timetable in force, nil when none is (never set, or
// a procedure was selected since).
func TimetableOf(ctx context.Context, db *sql.DB, caseID string) (*Timetable, error) {
	return one(db.QueryRowContext(ctx, `SELECT t.version, t.timetable, t.time_zone, t.minima, t.set_at FROM tender_timetables_v1 t
		JOIN tender_design_v1 d ON d.case_id = t.case_id AND d.timetable_version = t.version WHERE t.case_id = ?`, caseID),
		"timetable", caseID, func(r scanner) (Timetable, error) {
			var (
				t                Timetable
				plan, minima, at string
			)
			if err := r.Scan(&t.Version, &plan, &t.TimeZone, &minima, &at); err != nil {
				return t, err
			}
			t.SetAt = parseStamp(at)
			return t, errors.Join(unjson(plan, &t.Plan), unjson(minima, &t.Minima))
		})
}

// DocumentsVote is a member's vote on a version of the tender documents.
type DocumentsVote struct {
	Org          string
	Approve      bool
	DocumentHash string
	Comment      string
	At           time.Time
}

// DocumentsVersion is a version of the tender documents with its votes and
// outcome (CASE_INTERNAL).
type DocumentsVersion struct {
	Version      int
	DocumentHash string
	SubmittedAt  time.Time
	Outcome      procurement.NeedsOutcome // "" while the vote is open
	Rule         procurement.DecisionRule
	DecidedAt    time.Time
	Votes        []DocumentsVote // in the order cast
}

// Documents lists every version of the tender documents, oldest first.
func Documents(ctx context.Context, db *sql.DB, caseID string) ([]DocumentsVersion, error) {
	vs, err := list(ctx, db, "tender documents", caseID, `SELECT version, document_hash, submitted_at, outcome, rule, decided_at
		FROM tender_documents_v1 WHERE case_id = ? ORDER BY version`, func(r scanner) (DocumentsVersion, error) {
		var (
			v                  DocumentsVersion
			submitted, decided string
		)
		err := r.Scan(&v.Version, &v.DocumentHash, &submitted, &v.Outcome, &v.Rule, &decided)
		v.SubmittedAt, v.DecidedAt = parseStamp(submitted), parseStamp(decided)
		return v, err
	})
	if err != nil || len(vs) == 0 {
		return vs, err
	}
	type vote struct {
		version int
		DocumentsVote
	}
	votes, err := list(ctx, db, "tender document votes", caseID, `SELECT version, org_id, approve, document_hash, comment, voted_at
		FROM tender_document_votes_v1 WHERE case_id = ? ORDER BY version, seq`, func(r scanner) (vote, error) {
		var (
			v  vote
			at string
		)
		err := r.Scan(&v.version, &v.Org, &v.Approve, &v.DocumentHash, &v.Comment, &at)
		v.At = parseStamp(at)
		return v, err
	})
	for _, v := range votes {
		for i := range vs {
			if vs[i].Version == v.version {
				vs[i].Votes = append(vs[i].Votes, v.DocumentsVote)
			}
		}
	}
	return vs, err
}

// --- tendering ---

// Notice is the contract notice (PUBLIC) with the deadline in force after
// every extension. MandateIDs are CASE_INTERNAL.
type Notice struct {
	Channel          procurement.NoticeChannel
	ExternalNoticeID string
	DocumentsVersion int
	DocumentHash     string
	Buyers           []string
	MandateIDs       []string
	PublishedAt      time.Time
	Round            procurement.Round
	FirstDeadline    time.Time // as published
	Deadline         time.Time // in force: the latest extension's, else the published one
	Minima           []timelimits.Computation
}

// NoticeOf returns the case's contract notice, nil before it is published.
func NoticeOf(ctx context.Context, db *sql.DB, caseID string) (*Notice, error) {
	return one(db.QueryRowContext(ctx, `SELECT channel, external_notice_id, documents_version, document_hash, buyers, mandate_ids, published_at,
		round, deadline, COALESCE((SELECT to_at FROM tender_deadline_extensions_v1 x WHERE x.case_id = n.case_id AND x.round = n.round
		ORDER BY seq DESC LIMIT 1), deadline), minima FROM tender_notice_v1 n WHERE case_id = ?`, caseID), "contract notice", caseID,
		func(r scanner) (Notice, error) {
			var (
				n                                               Notice
				buyers, mandates, published, first, now, minima string
			)
			if err := r.Scan(&n.Channel, &n.ExternalNoticeID, &n.DocumentsVersion, &n.DocumentHash, &buyers, &mandates, &published,
				&n.Round, &first, &now, &minima); err != nil {
				return n, err
			}
			n.PublishedAt, n.FirstDeadline, n.Deadline = parseStamp(published), parseStamp(first), parseStamp(now)
			return n, errors.Join(unjson(buyers, &n.Buyers), unjson(mandates, &n.MandateIDs), unjson(minima, &n.Minima))
		})
}

// Extension is a deadline extension with the computation that allowed it (PUBLIC).
type Extension struct {
	Round       procurement.Round
	From, To    time.Time
	Computation timelimits.Computation
}

// Amendment is a tender amendment (SUPPLIER) and the extension it made, if
// any.
type Amendment struct {
	Number         int
	Changes        []string
	Rationale      string
	Material       bool
	DocumentHash   string
	RecipientCount int
	AmendedAt      time.Time
	Extension      *Extension
}

// Amendments lists the amendments in order.
func Amendments(ctx context.Context, db *sql.DB, caseID string) ([]Amendment, error) {
	as, err := list(ctx, db, "amendments", caseID, `SELECT number, changes, rationale, material, document_hash, recipients, amended_at
		FROM tender_amendments_v1 WHERE case_id = ? ORDER BY number`, func(r scanner) (Amendment, error) {
		var (
			a                      Amendment
			changes, recipts, when string
		)
		if err := r.Scan(&a.Number, &changes, &a.Rationale, &a.Material, &a.DocumentHash, &recipts, &when); err != nil {
			return a, err
		}
		a.AmendedAt = parseStamp(when)
		return a, errors.Join(unjson(changes, &a.Changes), unjson(recipts, &a.RecipientCount))
	})
	if err != nil || len(as) == 0 {
		return as, err
	}
	type ext struct {
		amendment int
		Extension
	}
	xs, err := list(ctx, db, "deadline extensions", caseID, `SELECT amendment, round, from_at, to_at, computation FROM tender_deadline_extensions_v1
		WHERE case_id = ? ORDER BY seq`, func(r scanner) (ext, error) {
		var (
			x              ext
			from, to, comp string
		)
		if err := r.Scan(&x.amendment, &x.Round, &from, &to, &comp); err != nil {
			return x, err
		}
		x.From, x.To = parseStamp(from), parseStamp(to)
		return x, unjson(comp, &x.Computation)
	})
	for _, x := range xs {
		for i := range as {
			if as[i].Number == x.amendment {
				e := x.Extension
				as[i].Extension = &e
			}
		}
	}
	return as, err
}

// Bid is a sealed submission's metadata (SEALED: the lead and auditors before
// receipt closes, the supplier its own, the case's organisations after): never
// content, never where the ciphertext is.
type Bid struct {
	BidID             string
	Supplier          string
	Round             procurement.Round
	Lots              []string
	SubmittedAt       time.Time // first received
	ReceivedAt        time.Time // of the version in force
	SHA256            string
	SizeBytes         int64
	Version           int
	Withdrawn         bool
	WithdrawnAt       time.Time
	NeedsConfirmation bool
	Opened            bool
}

const bidColumns = `bid_id, supplier, round, lots, submitted_at, received_at, sha256, size_bytes, version, withdrawn_at,
	required_amendment > settled_amendment, opened`

func scanBid(r scanner) (Bid, error) {
	var (
		b                                    Bid
		lots, submitted, received, withdrawn string
	)
	if err := r.Scan(&b.BidID, &b.Supplier, &b.Round, &lots, &submitted, &received, &b.SHA256, &b.SizeBytes, &b.Version, &withdrawn,
		&b.NeedsConfirmation, &b.Opened); err != nil {
		return b, err
	}
	b.SubmittedAt, b.ReceivedAt, b.WithdrawnAt = parseStamp(submitted), parseStamp(received), parseStamp(withdrawn)
	b.Withdrawn = withdrawn != ""
	return b, unjson(lots, &b.Lots)
}

// Bids lists every sealed submission of the case in the order received.
func Bids(ctx context.Context, db *sql.DB, caseID string) ([]Bid, error) {
	return list(ctx, db, "bids", caseID, `SELECT `+bidColumns+` FROM tender_bids_v1 WHERE case_id = ? ORDER BY seq`, scanBid)
}

// BidsOf lists supplier's own submissions in the order received.
func BidsOf(ctx context.Context, db *sql.DB, caseID, supplier string) ([]Bid, error) {
	return list(ctx, db, "bids", caseID, `SELECT `+bidColumns+` FROM tender_bids_v1 WHERE case_id = ? AND supplier = ? ORDER BY seq`,
		scanBid, supplier)
}

// BidOf returns one submission, nil when the case has none with that ID.
func BidOf(ctx context.Context, db *sql.DB, caseID, bidID string) (*Bid, error) {
	return one(db.QueryRowContext(ctx, `SELECT `+bidColumns+` FROM tender_bids_v1 WHERE case_id = ? AND bid_id = ?`, caseID, bidID),
		"bid", caseID, scanBid)
}

// Closing is the closing of receipt for one round (SEALED metadata: counts).
type Closing struct {
	Round       procurement.Round
	Deadline    time.Time
	ClosedAt    time.Time
	Submissions []string
	PerLot      map[string]int
}

// Closings lists the closed rounds in the order closed.
func Closings(ctx context.Context, db *sql.DB, caseID string) ([]Closing, error) {
	return list(ctx, db, "receipt closings", caseID, `SELECT round, deadline, closed_at, submissions, per_lot FROM tender_receipt_closings_v1
		WHERE case_id = ? ORDER BY closed_at, round`, func(r scanner) (Closing, error) {
		var (
			c                              Closing
			deadline, closed, subs, perLot string
		)
		if err := r.Scan(&c.Round, &deadline, &closed, &subs, &perLot); err != nil {
			return c, err
		}
		c.Deadline, c.ClosedAt = parseStamp(deadline), parseStamp(closed)
		return c, errors.Join(unjson(subs, &c.Submissions), unjson(perLot, &c.PerLot))
	})
}

// OpeningStart is the first person's start of a four-eyes opening.
type OpeningStart struct {
	Round     procurement.Round
	StartedBy string
	StartedAt time.Time
}

// OpeningStarts lists the four-eyes openings started, by round.
func OpeningStarts(ctx context.Context, db *sql.DB, caseID string) ([]OpeningStart, error) {
	return list(ctx, db, "opening starts", caseID, `SELECT round, started_by, started_at FROM tender_opening_starts_v1 WHERE case_id = ?
		ORDER BY started_at, round`, func(r scanner) (OpeningStart, error) {
		var (
			s  OpeningStart
			at string
		)
		err := r.Scan(&s.Round, &s.StartedBy, &at)
		s.StartedAt = parseStamp(at)
		return s, err
	})
}

// Opening is the opening protocol of one round.
type Opening struct {
	Round          procurement.Round
	OpenedAt       time.Time
	OpenedBy       []string
	Bids           []procurement.OpenedBid
	HashesVerified bool
	ProtocolHash   string
}

// Openings lists the opening protocols in the order opened.
func Openings(ctx context.Context, db *sql.DB, caseID string) ([]Opening, error) {
	return list(ctx, db, "openings", caseID, `SELECT round, opened_at, opened_by, bids, hashes_verified, protocol_hash FROM tender_openings_v1
		WHERE case_id = ? ORDER BY opened_at, round`, func(r scanner) (Opening, error) {
		var (
			o            Opening
			at, by, bids string
		)
		if err := r.Scan(&o.Round, &at, &by, &bids, &o.HashesVerified, &o.ProtocolHash); err != nil {
			return o, err
		}
		o.OpenedAt = parseStamp(at)
		return o, errors.Join(unjson(by, &o.OpenedBy), unjson(bids, &o.Bids))
	})
}

// Reminder is a reminder the workflow clock sent (CASE_INTERNAL).
type Reminder struct {
	Kind       procurement.ReminderKind
	Subject    string
	Day        string
	Recipients []string
	SentAt     time.Time
}

// Reminders lists the reminders sent, oldest first.
func Reminders(ctx context.Context, db *sql.DB, caseID string) ([]Reminder, error) {
	return list(ctx, db, "reminders", caseID, `SELECT kind, subject, day, recipients, sent_at FROM tender_reminders_v1 WHERE case_id = ?
		ORDER BY sent_at, kind, subject, day`, func(r scanner) (Reminder, error) {
		var (
			m          Reminder
			recips, at string
		)
		if err := r.Scan(&m.Kind, &m.Subject, &m.Day, &recips, &at); err != nil {
			return m, err
		}
		m.SentAt = parseStamp(at)
		return m, unjson(recips, &m.Recipients)
	})
}
