// Package tendering is the market dialogue, the competition design and the
// tendering of a procurement case (DOMAIN.md §1 P3–P6): the dialogue notice,
// the supplier register, dialogue events with their minutes, questions and
// their published answers, the closing of the dialogue with its levelling
// measures; the procedure, lots, requirements, qualification and award
// criteria, partnership phases, evaluators, the timetable with its stored
// legal minima, the tender documents' versions and votes; the contract notice,
// amendments and deadline extensions; the metadata of sealed submissions,
// receipt closings, openings and reminders.
//
// The tables hold what the events hold and no more: a sealed submission is its
// metadata (never its content, which the log does not have, and not where its
// ciphertext is kept). Who may read which row is decided by the API per field
// (DOMAIN.md §5); the query functions say what each returns.
//
// Every update is keyed by what the event names (case, supplier, event,
// question, version, lot, round, or the event's revision in its stream) and
// takes every value from the event or its envelope, so a rebuild gives the
// same rows and applying an event again leaves the tables as they were.
package tendering

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// ReadModel projects the issue 5 events of procurement streams.
type ReadModel struct{}

func (ReadModel) Name() string { return "tendering_v1" }

func (ReadModel) Tables() []string {
	return []string{"tender_public_v1", "tender_dialogue_v1", "tender_suppliers_v1", "tender_dialogue_events_v1", "tender_questions_v1",
		"tender_design_v1", "tender_award_criteria_v1", "tender_evaluators_v1", "tender_timetables_v1", "tender_documents_v1",
		"tender_document_votes_v1", "tender_notice_v1", "tender_amendments_v1", "tender_deadline_extensions_v1", "tender_bids_v1",
		"tender_receipt_closings_v1", "tender_opening_starts_v1", "tender_openings_v1", "tender_reminders_v1"}
}

// Schema: times are written by stamp (UTC, fixed-width nanoseconds), so
// comparing the strings compares the moments; an empty string is "not yet". Lists and
// domain structs are JSON.
func (ReadModel) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS tender_public_v1 (
	case_id      TEXT PRIMARY KEY,
	first_seq    INTEGER NOT NULL,
	published_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tender_public_v1_seq ON tender_public_v1 (first_seq);
CREATE TABLE IF NOT EXISTS tender_dialogue_v1 (
	case_id               TEXT PRIMARY KEY,
	channel               TEXT NOT NULL,
	external_notice_id    TEXT NOT NULL,
	text                  TEXT NOT NULL,
	registration_deadline TEXT NOT NULL,
	published_at          TEXT NOT NULL,
	summary_report_hash   TEXT NOT NULL DEFAULT '',
	levelling_measures    TEXT NOT NULL DEFAULT '[]',
	closed_at             TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS tender_suppliers_v1 (
	case_id        TEXT NOT NULL,
	supplier       TEXT NOT NULL,
	stage          TEXT NOT NULL,
	recorded_by    TEXT NOT NULL,
	offered_events TEXT NOT NULL,
	registered_at  TEXT NOT NULL,
	PRIMARY KEY (case_id, supplier)
);
CREATE TABLE IF NOT EXISTS tender_dialogue_events_v1 (
	case_id       TEXT NOT NULL,
	event_id      TEXT NOT NULL,
	type          TEXT NOT NULL,
	title         TEXT NOT NULL,
	starts_at     TEXT NOT NULL,
	offered_to    TEXT NOT NULL,
	scheduled_at  TEXT NOT NULL,
	cancelled     INTEGER NOT NULL DEFAULT 0,
	cancel_reason TEXT NOT NULL DEFAULT '',
	cancelled_at  TEXT NOT NULL DEFAULT '',
	minuted       INTEGER NOT NULL DEFAULT 0,
	attendees     TEXT NOT NULL DEFAULT '[]',
	public_summary TEXT NOT NULL DEFAULT '',
	annex_hash    TEXT NOT NULL DEFAULT '',
	minuted_at    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, event_id)
);
CREATE TABLE IF NOT EXISTS tender_questions_v1 (
	case_id             TEXT NOT NULL,
	question_id         TEXT NOT NULL,
	seq                 INTEGER NOT NULL,
	supplier            TEXT NOT NULL,
	text                TEXT NOT NULL,
	stage               TEXT NOT NULL,
	received_at         TEXT NOT NULL,
	recorded_by         TEXT NOT NULL,
	answer_seq          INTEGER NOT NULL DEFAULT 0,
	anonymised_question TEXT NOT NULL DEFAULT '',
	answer              TEXT NOT NULL DEFAULT '',
	answered_at         TEXT NOT NULL DEFAULT '',
	recipients          TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (case_id, question_id)
);
CREATE TABLE IF NOT EXISTS tender_design_v1 (
	case_id           TEXT PRIMARY KEY,
	procedure         TEXT NOT NULL DEFAULT '',
	procedure_at      TEXT NOT NULL DEFAULT '',
	lots              TEXT NOT NULL DEFAULT '',
	requirements      TEXT NOT NULL DEFAULT '',
	qualification     TEXT NOT NULL DEFAULT '',
	partnership       TEXT NOT NULL DEFAULT '',
	timetable_version INTEGER NOT NULL DEFAULT 0,
	updated_at        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tender_award_criteria_v1 (
	case_id    TEXT NOT NULL,
	lot        TEXT NOT NULL,
	version    INTEGER NOT NULL,
	criteria   TEXT NOT NULL,
	defined_at TEXT NOT NULL,
	PRIMARY KEY (case_id, lot)
);
CREATE TABLE IF NOT EXISTS tender_evaluators_v1 (
	case_id      TEXT NOT NULL,
	person       TEXT NOT NULL,
	org_id       TEXT NOT NULL,
	criteria     TEXT NOT NULL,
	lots         TEXT NOT NULL,
	appointed_at TEXT NOT NULL,
	PRIMARY KEY (case_id, person)
);
CREATE TABLE IF NOT EXISTS tender_timetables_v1 (
	case_id   TEXT NOT NULL,
	version   INTEGER NOT NULL,
	timetable TEXT NOT NULL,
	time_zone TEXT NOT NULL,
	minima    TEXT NOT NULL,
	set_at    TEXT NOT NULL,
	PRIMARY KEY (case_id, version)
);
CREATE TABLE IF NOT EXISTS tender_documents_v1 (
	case_id       TEXT NOT NULL,
	version       INTEGER NOT NULL,
	document_hash TEXT NOT NULL,
	submitted_at  TEXT NOT NULL,
	outcome       TEXT NOT NULL DEFAULT '',
	rule          TEXT NOT NULL DEFAULT '',
	decided_at    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, version)
);
CREATE TABLE IF NOT EXISTS tender_document_votes_v1 (
	case_id       TEXT NOT NULL,
	version       INTEGER NOT NULL,
	org_id        TEXT NOT NULL,
	approve       INTEGER NOT NULL,
	document_hash TEXT NOT NULL,
	comment       TEXT NOT NULL,
	voted_at      TEXT NOT NULL,
	seq           INTEGER NOT NULL,
	PRIMARY KEY (case_id, version, org_id)
);
CREATE TABLE IF NOT EXISTS tender_notice_v1 (
	case_id            TEXT PRIMARY KEY,
	channel            TEXT NOT NULL,
	external_notice_id TEXT NOT NULL,
	documents_version  INTEGER NOT NULL,
	document_hash      TEXT NOT NULL,
	buyers             TEXT NOT NULL,
	mandate_ids        TEXT NOT NULL,
	published_at       TEXT NOT NULL,
	round              TEXT NOT NULL,
	deadline           TEXT NOT NULL,
	minima             TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tender_amendments_v1 (
	case_id       TEXT NOT NULL,
	number        INTEGER NOT NULL,
	seq           INTEGER NOT NULL,
	changes       TEXT NOT NULL,
	rationale     TEXT NOT NULL,
	material      INTEGER NOT NULL,
	document_hash TEXT NOT NULL,
	recipients    TEXT NOT NULL,
	amended_at    TEXT NOT NULL,
	PRIMARY KEY (case_id, number)
);
CREATE TABLE IF NOT EXISTS tender_deadline_extensions_v1 (
	case_id     TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	amendment   INTEGER NOT NULL,
	round       TEXT NOT NULL,
	from_at     TEXT NOT NULL,
	to_at       TEXT NOT NULL,
	computation TEXT NOT NULL,
	PRIMARY KEY (case_id, seq)
);
CREATE TABLE IF NOT EXISTS tender_bids_v1 (
	case_id            TEXT NOT NULL,
	bid_id             TEXT NOT NULL,
	seq                INTEGER NOT NULL,
	supplier           TEXT NOT NULL,
	round              TEXT NOT NULL,
	lots               TEXT NOT NULL,
	submitted_at       TEXT NOT NULL,
	received_at        TEXT NOT NULL,
	sha256             TEXT NOT NULL,
	size_bytes         INTEGER NOT NULL,
	version            INTEGER NOT NULL,
	withdrawn_at       TEXT NOT NULL DEFAULT '',
	required_amendment INTEGER NOT NULL DEFAULT 0,
	settled_amendment  INTEGER NOT NULL DEFAULT 0,
	opened             INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (case_id, bid_id)
);
CREATE INDEX IF NOT EXISTS tender_bids_v1_supplier ON tender_bids_v1 (case_id, supplier);
CREATE TABLE IF NOT EXISTS tender_receipt_closings_v1 (
	case_id     TEXT NOT NULL,
	round       TEXT NOT NULL,
	deadline    TEXT NOT NULL,
	closed_at   TEXT NOT NULL,
	submissions TEXT NOT NULL,
	per_lot     TEXT NOT NULL,
	PRIMARY KEY (case_id, round)
);
CREATE TABLE IF NOT EXISTS tender_opening_starts_v1 (
	case_id    TEXT NOT NULL,
	round      TEXT NOT NULL,
	started_by TEXT NOT NULL,
	started_at TEXT NOT NULL,
	PRIMARY KEY (case_id, round)
);
CREATE TABLE IF NOT EXISTS tender_openings_v1 (
	case_id         TEXT NOT NULL,
	round           TEXT NOT NULL,
	opened_at       TEXT NOT NULL,
	opened_by       TEXT NOT NULL,
	bids            TEXT NOT NULL,
	hashes_verified INTEGER NOT NULL,
	protocol_hash   TEXT NOT NULL,
	PRIMARY KEY (case_id, round)
);
CREATE TABLE IF NOT EXISTS tender_reminders_v1 (
	case_id    TEXT NOT NULL,
	kind       TEXT NOT NULL,
	subject    TEXT NOT NULL,
	day        TEXT NOT NULL,
	recipients TEXT NOT NULL,
	sent_at    TEXT NOT NULL,
	PRIMARY KEY (case_id, kind, subject, day)
);
`
}

var registry = procurement.Events()

// stampLayout is RFC 3339 in UTC with all nine digits of the fraction, so the
// strings sort as the moments do.
const stampLayout = "2006-01-02T15:04:05.000000000Z"

// stamp writes a moment; the zero time is the empty string (not set).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(stampLayout)
}

func parseStamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// jsonOf writes v as JSON; a nil slice is written as [] so every list column
// reads back the same way whether the event had an empty or a missing list.
func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	if string(b) == "null" {
		return "[]", err
	}
	return string(b), err
}

// Apply folds one event into the tendering tables.
func (ReadModel) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	ev, ok, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil || !ok {
		return err // unknown types are not ours
	}
	caseID := rec.Stream[len("procurement-"):]
	a := applier{ctx: ctx, tx: tx, caseID: caseID, at: stamp(rec.Metadata.OccurredAt), seq: rec.Revision}
	switch e := ev.(type) {
	case procurement.DialogueNoticePublished:
		err = a.dialogueNotice(e, rec.Position.Commit)
	case procurement.SupplierRegistered:
		err = a.insert(`INSERT INTO tender_suppliers_v1 (case_id, supplier, stage, recorded_by, offered_events, registered_at) VALUES (?,?,?,?,?,?)
			ON CONFLICT DO NOTHING`, e.Supplier, string(e.Stage), e.RecordedBy, a.json(e.OfferedEvents), stamp(e.RegisteredAt))
	case procurement.DialogueEventScheduled:
		err = a.insert(`INSERT INTO tender_dialogue_events_v1 (case_id, event_id, type, title, starts_at, offered_to, scheduled_at) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT (case_id, event_id) DO UPDATE SET type = excluded.type, title = excluded.title, starts_at = excluded.starts_at,
			offered_to = excluded.offered_to`, e.EventID, string(e.Type), e.Title, stamp(e.StartsAt), a.json(e.OfferedTo), a.at)
	case procurement.DialogueEventCancelled:
		err = a.exec(`UPDATE tender_dialogue_events_v1 SET cancelled = 1, cancel_reason = ?, cancelled_at = ? WHERE case_id = ? AND event_id = ?`,
			e.Reason, a.at, a.caseID, e.EventID)
	case procurement.DialogueMeetingMinuted:
		err = a.exec(`UPDATE tender_dialogue_events_v1 SET minuted = 1, attendees = ?, public_summary = ?, annex_hash = ?, minuted_at = ?
			WHERE case_id = ? AND event_id = ?`, a.json(e.Attendees), e.PublicSummary, e.ConfidentialAnnexHash, a.at, a.caseID, e.EventID)
	case procurement.QuestionReceived:
		err = a.insert(`INSERT INTO tender_questions_v1 (case_id, question_id, seq, supplier, text, stage, received_at, recorded_by) VALUES (?,?,?,?,?,?,?,?)
			ON CONFLICT DO NOTHING`, e.QuestionID, a.seq, e.Supplier, e.Text, string(e.Stage), stamp(e.ReceivedAt), e.RecordedBy)
	case procurement.AnswerPublished:
		err = a.exec(`UPDATE tender_questions_v1 SET answer_seq = ?, anonymised_question = ?, answer = ?, answered_at = ?, recipients = ?
			WHERE case_id = ? AND question_id = ?`, a.seq, e.AnonymisedQuestion, e.Answer, stamp(e.PublishedAt), a.json(e.RecipientCount), a.caseID, e.QuestionID)
	case procurement.MarketDialogueClosed:
		err = a.exec(`UPDATE tender_dialogue_v1 SET summary_report_hash = ?, levelling_measures = ?, closed_at = ? WHERE case_id = ?`,
			e.SummaryReportHash, a.json(e.LevellingMeasures), stamp(e.ClosedAt), a.caseID)
	case procurement.ProcedureSelected:
		// The periods depend on the procedure: the case has no timetable until
		// one is set again (as the domain's state has it).
		err = a.design(`procedure = ?, procedure_at = ?, timetable_version = 0`, a.json(e), a.at)
	case procurement.LotsDefined:
		err = a.design(`lots = ?`, a.json(e))
	case procurement.RequirementsDefined:
		err = a.design(`requirements = ?`, a.json(e))
	case procurement.QualificationCriteriaDefined:
		err = a.design(`qualification = ?`, a.json(e))
	case procurement.PartnershipPhasesDefined:
		err = a.design(`partnership = ?`, a.json(e))
	case procurement.AwardCriteriaDefined:
		err = a.insert(`INSERT INTO tender_award_criteria_v1 (case_id, lot, version, criteria, defined_at) VALUES (?,?,?,?,?)
			ON CONFLICT (case_id, lot) DO UPDATE SET version = excluded.version, criteria = excluded.criteria, defined_at = excluded.defined_at`,
			e.Lot, e.Version, a.json(e.Criteria), a.at)
	case procurement.EvaluatorAppointed:
		err = a.insert(`INSERT INTO tender_evaluators_v1 (case_id, person, org_id, criteria, lots, appointed_at) VALUES (?,?,?,?,?,?)
			ON CONFLICT (case_id, person) DO UPDATE SET org_id = excluded.org_id, criteria = excluded.criteria, lots = excluded.lots,
			appointed_at = excluded.appointed_at`, e.Person, e.Org, a.json(e.Criteria), a.json(e.Lots), a.at)
	case procurement.TimetableSet:
		err = a.insert(`INSERT INTO tender_timetables_v1 (case_id, version, timetable, time_zone, minima, set_at) VALUES (?,?,?,?,?,?)
			ON CONFLICT DO NOTHING`, e.Version, a.json(e.Timetable), e.TimeZone, a.json(e.Minima), a.at)
		if err == nil {
			err = a.design(`timetable_version = ?`, e.Version)
		}
	case procurement.TenderDocumentsSubmitted:
		err = a.insert(`INSERT INTO tender_documents_v1 (case_id, version, document_hash, submitted_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`,
			e.Version, e.DocumentHash, stamp(e.SubmittedAt))
	case procurement.TenderDocumentsApproved:
		err = a.insert(`INSERT INTO tender_document_votes_v1 (case_id, version, org_id, approve, document_hash, comment, voted_at, seq) VALUES (?,?,?,1,?,?,?,?)
			ON CONFLICT DO NOTHING`, e.Version, e.Org, e.DocumentHash, e.Comment, a.at, a.seq)
	case procurement.TenderDocumentsRejected:
		err = a.insert(`INSERT INTO tender_document_votes_v1 (case_id, version, org_id, approve, document_hash, comment, voted_at, seq) VALUES (?,?,?,0,'',?,?,?)
			ON CONFLICT DO NOTHING`, e.Version, e.Org, e.Comment, a.at, a.seq)
	case procurement.TenderDocumentsDecided:
		err = a.exec(`UPDATE tender_documents_v1 SET outcome = ?, rule = ?, decided_at = ? WHERE case_id = ? AND version = ?`,
			string(e.Outcome), string(e.Rule), a.at, a.caseID, e.Version)
	case procurement.ContractNoticePublished:
		err = a.contractNotice(e, rec.Position.Commit)
	case procurement.TenderAmended:
		err = a.insert(`INSERT INTO tender_amendments_v1 (case_id, number, seq, changes, rationale, material, document_hash, recipients, amended_at)
			VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`, e.Number, a.seq, a.json(e.Changes), e.Rationale, e.Material, e.DocumentHash,
			a.json(e.RecipientCount), stamp(e.AmendedAt))
	case procurement.TenderDeadlineExtended:
		// An extension follows the amendment that made it, in the same append.
		err = a.exec(`INSERT INTO tender_deadline_extensions_v1 (case_id, seq, amendment, round, from_at, to_at, computation)
			VALUES (?1, ?2, COALESCE((SELECT MAX(number) FROM tender_amendments_v1 WHERE case_id = ?1 AND seq < ?2), 0), ?3, ?4, ?5, ?6)
			ON CONFLICT DO NOTHING`, a.caseID, a.seq, string(e.Round), stamp(e.From), stamp(e.To), a.json(e.Computation))
	case procurement.BidsRequireConfirmation:
		for _, id := range e.BidIDs {
			if err = a.exec(`UPDATE tender_bids_v1 SET required_amendment = MAX(required_amendment, ?) WHERE case_id = ? AND bid_id = ?`,
				e.Amendment, a.caseID, id); err != nil {
				break
			}
		}
	case procurement.RequestToParticipateReceived:
		err = a.sealed(e.SealedSubmission, procurement.RoundRequests)
	case procurement.BidSubmitted:
		err = a.sealed(e.SealedSubmission, procurement.RoundTenders)
	case procurement.BidReplaced:
		// A replacement answers every amendment so far.
		err = a.exec(`UPDATE tender_bids_v1 SET version = ?1, received_at = ?2, sha256 = ?3, size_bytes = ?4,
			settled_amendment = MAX(settled_amendment, COALESCE((SELECT MAX(number) FROM tender_amendments_v1 WHERE case_id = ?5 AND seq < ?6), 0))
			WHERE case_id = ?5 AND bid_id = ?7 AND version < ?1`, e.Version, stamp(e.ReceivedAt), e.SHA256, e.SizeBytes, a.caseID, a.seq, e.BidID)
	case procurement.BidWithdrawn:
		err = a.exec(`UPDATE tender_bids_v1 SET withdrawn_at = ? WHERE case_id = ? AND bid_id = ?`, stamp(e.WithdrawnAt), a.caseID, e.BidID)
	case procurement.BidConfirmed:
		err = a.exec(`UPDATE tender_bids_v1 SET settled_amendment = MAX(settled_amendment, ?) WHERE case_id = ? AND bid_id = ?`,
			e.Amendment, a.caseID, e.BidID)
	case procurement.TenderingClosed:
		err = a.insert(`INSERT INTO tender_receipt_closings_v1 (case_id, round, deadline, closed_at, submissions, per_lot) VALUES (?,?,?,?,?,?)
			ON CONFLICT DO NOTHING`, string(e.Round), stamp(e.Deadline), stamp(e.ClosedAt), a.json(e.Submissions), a.perLot(e.PerLot))
	case procurement.BidOpeningStarted:
		err = a.insert(`INSERT INTO tender_opening_starts_v1 (case_id, round, started_by, started_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`,
			string(e.Round), e.By, a.at)
	case procurement.BidsOpened:
		err = a.opened(e)
	case procurement.ReminderSent:
		err = a.insert(`INSERT INTO tender_reminders_v1 (case_id, kind, subject, day, recipients, sent_at) VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING`,
			string(e.Kind), e.Subject, e.Day, a.json(e.Recipients), a.at)
	}
	if err == nil {
		err = a.err
	}
	if err != nil {
		return fmt.Errorf("tendering: %s in %s: %w", rec.Type, caseID, err)
	}
	return nil
}

// applier applies one event of one case.
type applier struct {
	ctx    context.Context
	tx     *sql.Tx
	caseID string
	at     string // when the event occurred
	seq    uint64 // its revision in the case stream
	err    error  // the first JSON encoding error
}

// exec runs a statement with the arguments as given.
func (a *applier) exec(query string, args ...any) error {
	if a.err != nil {
		return a.err
	}
	_, err := a.tx.ExecContext(a.ctx, query, args...)
	return err
}

// insert runs an INSERT whose first column is the case.
func (a *applier) insert(query string, args ...any) error {
	return a.exec(query, append([]any{a.caseID}, args...)...)
}

func (a *applier) json(v any) string {
	s, err := jsonOf(v)
	if err != nil && a.err == nil {
		a.err = err
	}
	return s
}

// perLot stores the counts per lot as JSON; encoding/json sorts map keys, so
// the text is the same at every rebuild.
func (a *applier) perLot(m map[string]int) string {
	if m == nil {
		return "{}"
	}
	return a.json(m)
}

// published records the first notice that made the case known to the market.
func (a *applier) published(seq uint64) error {
	return a.insert(`INSERT INTO tender_public_v1 (case_id, first_seq, published_at) VALUES (?,?,?) ON CONFLICT DO NOTHING`, seq, a.at)
}

func (a *applier) dialogueNotice(e procurement.DialogueNoticePublished, position uint64) error {
	if err := a.insert(`INSERT INTO tender_dialogue_v1 (case_id, channel, external_notice_id, text, registration_deadline, published_at)
		VALUES (?,?,?,?,?,?) ON CONFLICT (case_id) DO UPDATE SET channel = excluded.channel, external_notice_id = excluded.external_notice_id,
		text = excluded.text, registration_deadline = excluded.registration_deadline, published_at = excluded.published_at`,
		string(e.Channel), e.ExternalNoticeID, e.Text, stamp(e.RegistrationDeadline), stamp(e.PublishedAt)); err != nil {
		return err
	}
	return a.published(position)
}

// design sets columns of the case's design row, creating it when needed.
func (a *applier) design(set string, args ...any) error {
	if err := a.insert(`INSERT INTO tender_design_v1 (case_id, updated_at) VALUES (?,?) ON CONFLICT DO NOTHING`, a.at); err != nil {
		return err
	}
	args = append(args, a.at, a.caseID)
	return a.exec(`UPDATE tender_design_v1 SET `+set+`, updated_at = ? WHERE case_id = ?`, args...)
}

func (a *applier) contractNotice(e procurement.ContractNoticePublished, position uint64) error {
	if err := a.insert(`INSERT INTO tender_notice_v1 (case_id, channel, external_notice_id, documents_version, document_hash, buyers, mandate_ids,
		published_at, round, deadline, minima) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`,
		string(e.Channel), e.ExternalNoticeID, e.DocumentsVersion, e.DocumentHash, a.json(e.Buyers), a.json(e.MandateIDs),
		stamp(e.PublishedAt), string(e.Round), stamp(e.Deadline), a.json(e.Minima)); err != nil {
		return err
	}
	return a.published(position)
}

func (a *applier) sealed(s procurement.SealedSubmission, round procurement.Round) error {
	// Only metadata: the ciphertext reference stays in the log, for the
	// application's opening; no view serves it.
	return a.insert(`INSERT INTO tender_bids_v1 (case_id, bid_id, seq, supplier, round, lots, submitted_at, received_at, sha256, size_bytes, version)
		VALUES (?,?,?,?,?,?,?,?,?,?,1) ON CONFLICT DO NOTHING`, s.BidID, a.seq, s.Supplier, string(round), a.json(s.Lots),
		stamp(s.ReceivedAt), stamp(s.ReceivedAt), s.SHA256, s.SizeBytes)
}

func (a *applier) opened(e procurement.BidsOpened) error {
	if err := a.insert(`INSERT INTO tender_openings_v1 (case_id, round, opened_at, opened_by, bids, hashes_verified, protocol_hash) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT DO NOTHING`, string(e.Round), stamp(e.OpenedAt), a.json(e.OpenedBy), a.json(e.Bids), e.HashesVerified, e.ProtocolHash); err != nil {
		return err
	}
	for _, b := range e.Bids {
		if err := a.exec(`UPDATE tender_bids_v1 SET opened = 1 WHERE case_id = ? AND bid_id = ?`, a.caseID, b.BidID); err != nil {
			return err
		}
	}
	return nil
}
