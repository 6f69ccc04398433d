// Package cases is the shared overview of procurement cases: case_summary_v1
// (one row per case with its phase and member counts) and case_members_v1 (one
// row per invited municipality with its status).
package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// ReadModel projects procurement events.
type ReadModel struct{}

func (ReadModel) Name() string { return "cases_v5" }
func (ReadModel) Tables() []string {
	return []string{"case_summary_v1", "case_members_v1", "case_anchoring_v1", "case_mandates_v1"}
}
func (ReadModel) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS case_summary_v1 (
	id           TEXT PRIMARY KEY,
	title        TEXT NOT NULL,
	description  TEXT NOT NULL,
	jurisdiction TEXT NOT NULL,
	cpv          TEXT NOT NULL,
	hub          TEXT NOT NULL,
	phase        TEXT NOT NULL,
	invited      INTEGER NOT NULL DEFAULT 0,
	joined       INTEGER NOT NULL DEFAULT 0,
	declined     INTEGER NOT NULL DEFAULT 0,
	withdrawn    INTEGER NOT NULL DEFAULT 0,
	created_seq  INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	revision     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS case_summary_v1_hub ON case_summary_v1 (hub, created_seq);
CREATE INDEX IF NOT EXISTS case_summary_v1_created ON case_summary_v1 (created_seq);
CREATE TABLE IF NOT EXISTS case_members_v1 (
	case_id    TEXT NOT NULL,
	org_id     TEXT NOT NULL,
	status     TEXT NOT NULL,
	invited_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (case_id, org_id)
);
CREATE INDEX IF NOT EXISTS case_members_v1_org ON case_members_v1 (org_id, case_id);
CREATE TABLE IF NOT EXISTS case_anchoring_v1 (
	case_id       TEXT NOT NULL,
	org_id        TEXT NOT NULL,
	deciding_body TEXT NOT NULL,
	decision_date TEXT NOT NULL,
	case_ref      TEXT NOT NULL,
	recorded_at   TEXT NOT NULL,
	PRIMARY KEY (case_id, org_id)
);
CREATE TABLE IF NOT EXISTS case_mandates_v1 (
	case_id     TEXT NOT NULL,
	mandate_id  TEXT NOT NULL,
	from_org    TEXT NOT NULL,
	to_org      TEXT NOT NULL,
	scope       TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	granted_at  TEXT NOT NULL,
	revoked_at  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, mandate_id)
);
`
}

var registry = procurement.Events()

// Apply folds one event into the case tables.
func (ReadModel) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	ev, ok, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil || !ok {
		return err // unknown types are not ours
	}
	caseID := rec.Stream[len("procurement-"):]
	at := rec.Metadata.OccurredAt.UTC().Format(time.RFC3339Nano)
	switch e := ev.(type) {
	case procurement.CaseCreated:
		cpv, _ := json.Marshal(nonNil(e.CPV))
		_, err = tx.ExecContext(ctx, `INSERT INTO case_summary_v1 (id, title, description, jurisdiction, cpv, hub, phase, created_seq, created_at, updated_at, revision)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, e.ID, e.Title, e.Description, string(e.Jurisdiction), string(cpv), e.Hub,
			string(procurement.PhaseDraft), rec.Position.Commit, at, at, rec.Revision)
		return err
	case procurement.MunicipalityInvited:
		err = setMember(ctx, tx, caseID, e.Org, procurement.MemberInvited, at)
	case procurement.MunicipalityJoined:
		err = setMember(ctx, tx, caseID, e.Org, procurement.MemberJoined, at)
	case procurement.InvitationDeclined:
		err = setMember(ctx, tx, caseID, e.Org, procurement.MemberDeclined, at)
	case procurement.MunicipalityWithdrawn:
		err = setMember(ctx, tx, caseID, e.Org, procurement.MemberWithdrawn, at)
	case procurement.ProcurementCancelled:
		err = setPhase(ctx, tx, caseID, procurement.PhaseCancelled)
	case procurement.RecruitmentOpened:
		err = setPhase(ctx, tx, caseID, procurement.PhaseRecruiting)
	case procurement.RecruitmentClosed:
		err = setPhase(ctx, tx, caseID, procurement.PhaseAgreement)
	case procurement.AgreementConcluded:
		err = setPhase(ctx, tx, caseID, procurement.PhaseNeeds)
	case procurement.MandateGranted:
		scope, _ := json.Marshal(e.Scope)
		_, err = tx.ExecContext(ctx, `INSERT INTO case_mandates_v1 (case_id, mandate_id, from_org, to_org, scope, valid_until, granted_at) VALUES (?,?,?,?,?,?,?)`,
			caseID, e.MandateID, e.From, e.To, string(scope), e.ValidUntil, at)
	case procurement.MandateRevoked:
		_, err = tx.ExecContext(ctx, `UPDATE case_mandates_v1 SET revoked_at = ? WHERE case_id = ? AND mandate_id = ?`, at, caseID, e.MandateID)
	case procurement.AnchoringDecisionRecorded:
		_, err = tx.ExecContext(ctx, `INSERT INTO case_anchoring_v1 (case_id, org_id, deciding_body, decision_date, case_ref, recorded_at)
			VALUES (?,?,?,?,?,?) ON CONFLICT (case_id, org_id) DO UPDATE SET deciding_body = excluded.deciding_body,
			decision_date = excluded.decision_date, case_ref = excluded.case_ref, recorded_at = excluded.recorded_at`,
			caseID, e.Org, e.DecidingBody, e.DecisionDate, e.CaseRef, at)
	default:
		err = followPhase(ctx, tx, caseID, ev)
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE case_summary_v1 SET updated_at = ?, revision = ? WHERE id = ?`, at, rec.Revision, caseID)
	return err
}

func setPhase(ctx context.Context, tx *sql.Tx, caseID string, p procurement.Phase) error {
	_, err := tx.ExecContext(ctx, `UPDATE case_summary_v1 SET phase = ? WHERE id = ?`, string(p), caseID)
	return err
}

// followPhase moves the case's phase as the domain does for the events of the
// market dialogue, the design and the tendering (DialogueNoticePublished →
// MARKET_DIALOGUE … BidsOpened → EVALUATION): the domain's own Evolve, given
// the phase the view holds, says where the case goes, so the two never differ.
func followPhase(ctx context.Context, tx *sql.Tx, caseID string, ev procurement.Event) error {
	var cur string
	err := tx.QueryRowContext(ctx, `SELECT phase FROM case_summary_v1 WHERE id = ?`, caseID).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	next := procurement.Decider.Evolve(procurement.State{Phase: procurement.Phase(cur)}, ev).Phase
	if string(next) == cur {
		return nil
	}
	return setPhase(ctx, tx, caseID, next)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func setMember(ctx context.Context, tx *sql.Tx, caseID, org string, st procurement.MemberStatus, at string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_members_v1 (case_id, org_id, status, invited_at, updated_at) VALUES (?,?,?,?,?)
		ON CONFLICT (case_id, org_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
		caseID, org, string(st), at, at); err != nil {
		return fmt.Errorf("member %s of %s: %w", org, caseID, err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE case_summary_v1 SET
		invited   = (SELECT COUNT(*) FROM case_members_v1 WHERE case_id = ?1 AND status = 'INVITED'),
		joined    = (SELECT COUNT(*) FROM case_members_v1 WHERE case_id = ?1 AND status = 'JOINED'),
		declined  = (SELECT COUNT(*) FROM case_members_v1 WHERE case_id = ?1 AND status = 'DECLINED'),
		withdrawn = (SELECT COUNT(*) FROM case_members_v1 WHERE case_id = ?1 AND status = 'WITHDRAWN')
		WHERE id = ?1`, caseID)
	return err
}
