// Package casework is the work inside a procurement case from the cooperation
// agreement to the committed volumes: the agreement and every version's terms,
// signatures, lead consents, the members' needs drafts (ORG_PRIVATE: read only
// through DraftOf with the owner's organisation), submissions, consolidations
// and their votes, volume commitments, cost-sharing keys and the dated history
// of cost shares.
//
// Every update is keyed by what the event names (case, version, organisation,
// lot, or the event's revision in its stream), so applying an event again
// leaves the tables as they were.
package casework

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// ReadModel projects the case work events of procurement streams.
type ReadModel struct{}

func (ReadModel) Name() string { return "casework_v1" }
func (ReadModel) Tables() []string {
	return []string{"case_agreement_v1", "case_agreement_versions_v1", "case_agreement_signatures_v1", "case_lead_consents_v1",
		"case_needs_drafts_v1", "case_needs_submissions_v1", "case_needs_consolidations_v1", "case_needs_votes_v1",
		"case_commitments_v1", "case_cost_keys_v1", "case_cost_shares_v1"}
}

// Schema: every time is written by stamp (UTC, fixed-width nanoseconds), so
// comparing the strings compares the moments.
func (ReadModel) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS case_agreement_v1 (
	case_id          TEXT PRIMARY KEY,
	version          INTEGER NOT NULL DEFAULT 0,
	document_hash    TEXT NOT NULL DEFAULT '',
	procedure_rule   TEXT NOT NULL DEFAULT '',
	approval_rule    TEXT NOT NULL DEFAULT '',
	award_rule       TEXT NOT NULL DEFAULT '',
	signing_model    TEXT NOT NULL DEFAULT '',
	liability_terms  TEXT NOT NULL DEFAULT '',
	withdrawal_terms TEXT NOT NULL DEFAULT '',
	lead             TEXT NOT NULL DEFAULT '',
	updated_at       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_agreement_versions_v1 (
	case_id          TEXT NOT NULL,
	version          INTEGER NOT NULL,
	document_hash    TEXT NOT NULL,
	procedure_rule   TEXT NOT NULL,
	approval_rule    TEXT NOT NULL,
	award_rule       TEXT NOT NULL,
	signing_model    TEXT NOT NULL,
	liability_terms  TEXT NOT NULL,
	withdrawal_terms TEXT NOT NULL,
	created_at       TEXT NOT NULL,
	PRIMARY KEY (case_id, version)
);
CREATE TABLE IF NOT EXISTS case_agreement_signatures_v1 (
	case_id       TEXT NOT NULL,
	version       INTEGER NOT NULL,
	org_id        TEXT NOT NULL,
	document_hash TEXT NOT NULL,
	signatory     TEXT NOT NULL,
	signature_ref TEXT NOT NULL,
	signed_at     TEXT NOT NULL,
	PRIMARY KEY (case_id, version, org_id)
);
CREATE TABLE IF NOT EXISTS case_lead_consents_v1 (
	case_id  TEXT NOT NULL,
	org_id   TEXT NOT NULL,
	lead     TEXT NOT NULL,
	given_at TEXT NOT NULL,
	PRIMARY KEY (case_id, org_id)
);
CREATE TABLE IF NOT EXISTS case_needs_drafts_v1 (
	case_id  TEXT NOT NULL,
	org_id   TEXT NOT NULL,
	version  INTEGER NOT NULL,
	needs    TEXT NOT NULL,
	notes    TEXT NOT NULL,
	saved_at TEXT NOT NULL,
	PRIMARY KEY (case_id, org_id)
);
CREATE TABLE IF NOT EXISTS case_needs_submissions_v1 (
	case_id           TEXT NOT NULL,
	org_id            TEXT NOT NULL,
	version           INTEGER NOT NULL,
	needs             TEXT NOT NULL,
	adopt_common_need INTEGER NOT NULL,
	submitted_at      TEXT NOT NULL,
	PRIMARY KEY (case_id, org_id)
);
CREATE TABLE IF NOT EXISTS case_needs_consolidations_v1 (
	case_id         TEXT NOT NULL,
	version         INTEGER NOT NULL,
	sources         TEXT NOT NULL,
	common_needs    TEXT NOT NULL,
	divergences     TEXT NOT NULL,
	outcome         TEXT NOT NULL DEFAULT '',
	consolidated_at TEXT NOT NULL,
	decided_at      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, version)
);
CREATE TABLE IF NOT EXISTS case_needs_votes_v1 (
	case_id  TEXT NOT NULL,
	version  INTEGER NOT NULL,
	org_id   TEXT NOT NULL,
	approve  INTEGER NOT NULL,
	comment  TEXT NOT NULL,
	voted_at TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	PRIMARY KEY (case_id, version, org_id)
);
CREATE TABLE IF NOT EXISTS case_commitments_v1 (
	case_id         TEXT NOT NULL,
	org_id          TEXT NOT NULL,
	lot             TEXT NOT NULL,
	type            TEXT NOT NULL,
	quantity        TEXT NOT NULL,
	unit            TEXT NOT NULL,
	estimated_value INTEGER NOT NULL,
	currency        TEXT NOT NULL,
	budget_years    TEXT NOT NULL,
	committed_at    TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	PRIMARY KEY (case_id, org_id, lot, type)
);
CREATE TABLE IF NOT EXISTS case_cost_keys_v1 (
	case_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	key     TEXT NOT NULL,
	set_at  TEXT NOT NULL,
	PRIMARY KEY (case_id, version)
);
CREATE TABLE IF NOT EXISTS case_cost_shares_v1 (
	case_id      TEXT NOT NULL,
	seq          INTEGER NOT NULL,
	key_version  INTEGER NOT NULL,
	effective_at TEXT NOT NULL,
	reason       TEXT NOT NULL,
	shares       TEXT NOT NULL,
	PRIMARY KEY (case_id, seq)
);
`
}

var registry = procurement.Events()

// stampLayout is RFC 3339 in UTC with all nine digits of the fraction: unlike
// time.RFC3339Nano it never drops trailing zeros, so the strings sort as the
// moments do.
const stampLayout = "2006-01-02T15:04:05.000000000Z"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Apply folds one event into the case work tables.
func (ReadModel) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	ev, ok, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil || !ok {
		return err // unknown types are not ours
	}
	caseID := rec.Stream[len("procurement-"):]
	at := stamp(rec.Metadata.OccurredAt)
	switch e := ev.(type) {
	case procurement.CooperationAgreementDrafted:
		err = setAgreement(ctx, tx, caseID, e.Version, e.Terms, at)
	case procurement.CooperationAgreementAmended:
		err = setAgreement(ctx, tx, caseID, e.Version, e.Terms, at)
	case procurement.CooperationAgreementSigned:
		_, err = tx.ExecContext(ctx, `INSERT INTO case_agreement_signatures_v1 (case_id, version, org_id, document_hash, signatory, signature_ref, signed_at)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`, caseID, e.Version, e.Org, e.DocumentHash, e.Signatory, e.SignatureRef, at)
	case procurement.LeadConsentGiven:
		_, err = tx.ExecContext(ctx, `INSERT INTO case_lead_consents_v1 (case_id, org_id, lead, given_at) VALUES (?,?,?,?)
			ON CONFLICT (case_id, org_id) DO UPDATE SET lead = excluded.lead, given_at = excluded.given_at`, caseID, e.Org, e.Lead, at)
	case procurement.LeadAuthorityDesignated:
		_, err = tx.ExecContext(ctx, `INSERT INTO case_agreement_v1 (case_id, lead, updated_at) VALUES (?,?,?)
			ON CONFLICT (case_id) DO UPDATE SET lead = excluded.lead, updated_at = excluded.updated_at`, caseID, e.Lead, at)
	case procurement.CostSharingKeySet:
		var key string
		if key, err = jsonOf(e.Key); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO case_cost_keys_v1 (case_id, version, key, set_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`,
				caseID, e.Version, key, at)
		}
	case procurement.CostSharesCalculated:
		var shares string
		if shares, err = jsonOf(e.Shares); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO case_cost_shares_v1 (case_id, seq, key_version, effective_at, reason, shares) VALUES (?,?,?,?,?,?)
				ON CONFLICT DO NOTHING`, caseID, rec.Revision, e.KeyVersion, stamp(e.EffectiveAt), e.Reason, shares)
		}
	case procurement.NeedsDraftSaved:
		var needs string
		if needs, err = jsonOf(e.Needs); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO case_needs_drafts_v1 (case_id, org_id, version, needs, notes, saved_at) VALUES (?,?,?,?,?,?)
				ON CONFLICT (case_id, org_id) DO UPDATE SET version = excluded.version, needs = excluded.needs, notes = excluded.notes,
				saved_at = excluded.saved_at WHERE excluded.version >= case_needs_drafts_v1.version`, caseID, e.Org, e.DraftVersion, needs, e.Notes, at)
		}
	case procurement.NeedsSubmitted:
		var needs string
		if needs, err = jsonOf(e.Needs); err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO case_needs_submissions_v1 (case_id, org_id, version, needs, adopt_common_need, submitted_at) VALUES (?,?,?,?,?,?)
				ON CONFLICT (case_id, org_id) DO UPDATE SET version = excluded.version, needs = excluded.needs, adopt_common_need = excluded.adopt_common_need,
				submitted_at = excluded.submitted_at WHERE excluded.version >= case_needs_submissions_v1.version`,
				caseID, e.Org, e.Version, needs, e.AdoptCommonNeed, at)
		}
	case procurement.NeedsConsolidated:
		err = consolidate(ctx, tx, caseID, e, at)
	case procurement.ConsolidatedNeedsApproved:
		err = vote(ctx, tx, caseID, e.Version, e.Org, true, e.Comment, at, rec.Revision)
	case procurement.ConsolidatedNeedsRejected:
		err = vote(ctx, tx, caseID, e.Version, e.Org, false, e.Comment, at, rec.Revision)
	case procurement.ConsolidatedNeedsDecided:
		_, err = tx.ExecContext(ctx, `UPDATE case_needs_consolidations_v1 SET outcome = ?, decided_at = ? WHERE case_id = ? AND version = ?`,
			string(e.Outcome), at, caseID, e.Version)
	case procurement.VolumeCommitted:
		err = commit(ctx, tx, caseID, e.Commitment, at)
	case procurement.VolumeCommitmentChanged:
		err = commit(ctx, tx, caseID, e.Commitment, at)
	}
	if err != nil {
		return fmt.Errorf("casework: %s in %s: %w", rec.Type, caseID, err)
	}
	return nil
}

// setAgreement makes version the current one (an older version arriving again
// does not push a newer one out) and keeps its terms in the history.
func setAgreement(ctx context.Context, tx *sql.Tx, caseID string, version int, t procurement.AgreementTerms, at string) error {
	terms := []any{t.DocumentHash, string(t.DecisionRules.Procedure), string(t.DecisionRules.Approval), string(t.DecisionRules.Award),
		string(t.SigningModel), t.LiabilityTerms, t.WithdrawalTerms}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_agreement_versions_v1 (case_id, version, document_hash, procedure_rule, approval_rule,
		award_rule, signing_model, liability_terms, withdrawal_terms, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`,
		append(append([]any{caseID, version}, terms...), at)...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_agreement_v1 (case_id, version, document_hash, procedure_rule, approval_rule,
		award_rule, signing_model, liability_terms, withdrawal_terms, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (case_id) DO UPDATE SET version = excluded.version, document_hash = excluded.document_hash,
		procedure_rule = excluded.procedure_rule, approval_rule = excluded.approval_rule, award_rule = excluded.award_rule,
		signing_model = excluded.signing_model, liability_terms = excluded.liability_terms,
		withdrawal_terms = excluded.withdrawal_terms, updated_at = excluded.updated_at
		WHERE excluded.version >= case_agreement_v1.version`,
		append(append([]any{caseID, version}, terms...), at)...)
	return err
}

func consolidate(ctx context.Context, tx *sql.Tx, caseID string, e procurement.NeedsConsolidated, at string) error {
	sources, err := jsonOf(e.Sources)
	if err != nil {
		return err
	}
	common, err := jsonOf(e.CommonNeeds)
	if err != nil {
		return err
	}
	divergences, err := jsonOf(e.Divergences)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO case_needs_consolidations_v1 (case_id, version, sources, common_needs, divergences, consolidated_at)
		VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING`, caseID, e.Version, sources, common, divergences, at)
	return err
}

func vote(ctx context.Context, tx *sql.Tx, caseID string, version int, org string, approve bool, comment, at string, seq uint64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_needs_votes_v1 (case_id, version, org_id, approve, comment, voted_at, seq) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT DO NOTHING`, caseID, version, org, approve, comment, at, seq)
	return err
}

// commit writes a member's commitment for a lot and type; committed_at stays
// the moment of the first commitment.
func commit(ctx context.Context, tx *sql.Tx, caseID string, c procurement.Commitment, at string) error {
	years := c.BudgetYears
	if years == nil {
		years = []int{}
	}
	yearsJSON, err := jsonOf(years)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO case_commitments_v1 (case_id, org_id, lot, type, quantity, unit, estimated_value, currency,
		budget_years, committed_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (case_id, org_id, lot, type) DO UPDATE SET quantity = excluded.quantity, unit = excluded.unit,
		estimated_value = excluded.estimated_value, currency = excluded.currency, budget_years = excluded.budget_years,
		updated_at = excluded.updated_at`,
		caseID, c.Org, c.Lot, string(c.Type), c.Quantity, c.Unit, c.EstimatedValue, c.Currency, yearsJSON, at, at)
	return err
}
