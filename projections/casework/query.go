package casework

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/felles/felles/domain/procurement"
)

type scanner interface{ Scan(...any) error }

// Agreement is a case's cooperation agreement as it stands.
type Agreement struct {
	Version   int
	Terms     procurement.AgreementTerms
	Lead      string
	UpdatedAt time.Time
}

// AgreementOf returns the case's agreement, or nil when no agreement is
// drafted and no lead designated. A lead can be designated before the first
// draft: then Version is 0 and Terms are empty.
func AgreementOf(ctx context.Context, db *sql.DB, caseID string) (*Agreement, error) {
	var (
		a  Agreement
		at string
	)
	err := db.QueryRowContext(ctx, `SELECT version, document_hash, procedure_rule, approval_rule, award_rule, signing_model,
		liability_terms, withdrawal_terms, lead, updated_at FROM case_agreement_v1 WHERE case_id = ?`, caseID).
		Scan(append([]any{&a.Version}, termsDest(&a.Terms, &a.Lead, &at)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("casework: agreement of %s: %w", caseID, err)
	}
	a.UpdatedAt = parseStamp(at)
	return &a, nil
}

// termsDest are the scan destinations of the terms columns in table order,
// followed by rest.
func termsDest(t *procurement.AgreementTerms, rest ...any) []any {
	return append([]any{&t.DocumentHash, &t.DecisionRules.Procedure, &t.DecisionRules.Approval, &t.DecisionRules.Award,
		&t.SigningModel, &t.LiabilityTerms, &t.WithdrawalTerms}, rest...)
}

// AgreementVersion is what one version of the agreement said.
type AgreementVersion struct {
	Version int
	Terms   procurement.AgreementTerms
	At      time.Time
}

// AgreementVersions lists every version of the case's agreement, oldest first.
func AgreementVersions(ctx context.Context, db *sql.DB, caseID string) ([]AgreementVersion, error) {
	rows, err := db.QueryContext(ctx, `SELECT version, document_hash, procedure_rule, approval_rule, award_rule, signing_model,
		liability_terms, withdrawal_terms, created_at FROM case_agreement_versions_v1 WHERE case_id = ? ORDER BY version`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: agreement versions of %s: %w", caseID, err)
	}
	return collect(rows, func(r scanner) (AgreementVersion, error) {
		var (
			v  AgreementVersion
			at string
		)
		err := r.Scan(append([]any{&v.Version}, termsDest(&v.Terms, &at)...)...)
		v.At = parseStamp(at)
		return v, err
	})
}

// Signature is one member's signature of one version.
type Signature struct {
	Org                     string
	Version                 int
	Signatory, SignatureRef string
	SignedAt                time.Time
}

// Signatures lists every signature of every version, by version then organisation.
func Signatures(ctx context.Context, db *sql.DB, caseID string) ([]Signature, error) {
	rows, err := db.QueryContext(ctx, `SELECT org_id, version, signatory, signature_ref, signed_at FROM case_agreement_signatures_v1
		WHERE case_id = ? ORDER BY version, org_id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: signatures of %s: %w", caseID, err)
	}
	return collect(rows, func(r scanner) (Signature, error) {
		var (
			s  Signature
			at string
		)
		err := r.Scan(&s.Org, &s.Version, &s.Signatory, &s.SignatureRef, &at)
		s.SignedAt = parseStamp(at)
		return s, err
	})
}

// LeadConsent is a member's latest consent to a lead.
type LeadConsent struct {
	Org, Lead string
	At        time.Time
}

// LeadConsents lists each member's latest consent, by organisation.
func LeadConsents(ctx context.Context, db *sql.DB, caseID string) ([]LeadConsent, error) {
	rows, err := db.QueryContext(ctx, `SELECT org_id, lead, given_at FROM case_lead_consents_v1 WHERE case_id = ? ORDER BY org_id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: lead consents of %s: %w", caseID, err)
	}
	return collect(rows, func(r scanner) (LeadConsent, error) {
		var (
			c  LeadConsent
			at string
		)
		err := r.Scan(&c.Org, &c.Lead, &at)
		c.At = parseStamp(at)
		return c, err
	})
}

// Draft is a member's latest private needs draft.
type Draft struct {
	Org     string
	Version int
	Needs   []procurement.Need
	Notes   string
	SavedAt time.Time
}

// DraftOf is the ONLY way to read drafts: the caller passes the organisation
// that owns it (the one the reader acts for), and gets nil when that
// organisation has saved no draft in the case. Drafts are ORG_PRIVATE: there
// is deliberately no listing.
func DraftOf(ctx context.Context, db *sql.DB, caseID, org string) (*Draft, error) {
	var (
		d         Draft
		needs, at string
	)
	err := db.QueryRowContext(ctx, `SELECT org_id, version, needs, notes, saved_at FROM case_needs_drafts_v1 WHERE case_id = ? AND org_id = ?`,
		caseID, org).Scan(&d.Org, &d.Version, &needs, &d.Notes, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("casework: draft of %s in %s: %w", org, caseID, err)
	}
	if err := json.Unmarshal([]byte(needs), &d.Needs); err != nil {
		return nil, fmt.Errorf("casework: draft of %s in %s: %w", org, caseID, err)
	}
	d.SavedAt = parseStamp(at)
	return &d, nil
}

// Submission is a member's latest submitted needs.
type Submission struct {
	Org             string
	Version         int
	Needs           []procurement.Need
	AdoptCommonNeed bool
	SubmittedAt     time.Time
}

const submissionColumns = `org_id, version, needs, adopt_common_need, submitted_at`

func scanSubmission(r scanner) (Submission, error) {
	var (
		s         Submission
		needs, at string
	)
	if err := r.Scan(&s.Org, &s.Version, &needs, &s.AdoptCommonNeed, &at); err != nil {
		return s, err
	}
	s.SubmittedAt = parseStamp(at)
	return s, json.Unmarshal([]byte(needs), &s.Needs)
}

// Submissions lists each member's latest submission, by organisation.
func Submissions(ctx context.Context, db *sql.DB, caseID string) ([]Submission, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+submissionColumns+` FROM case_needs_submissions_v1 WHERE case_id = ? ORDER BY org_id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: submissions of %s: %w", caseID, err)
	}
	return collect(rows, scanSubmission)
}

// SubmissionOf returns org's latest submission, or nil.
func SubmissionOf(ctx context.Context, db *sql.DB, caseID, org string) (*Submission, error) {
	s, err := scanSubmission(db.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM case_needs_submissions_v1 WHERE case_id = ? AND org_id = ?`,
		caseID, org))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("casework: submission of %s in %s: %w", org, caseID, err)
	}
	return &s, nil
}

// Vote is a member's vote on a consolidated version.
type Vote struct {
	Org     string
	Approve bool
	Comment string
	At      time.Time
}

// Consolidation is one consolidated version of the common needs with its votes.
type Consolidation struct {
	Version        int
	Sources        []procurement.SubmissionRef
	CommonNeeds    []procurement.CommonNeed
	Divergences    []procurement.Divergence
	Outcome        string // "" while the vote is open
	ConsolidatedAt time.Time
	DecidedAt      *time.Time
	Votes          []Vote
}

// Consolidations lists the case's consolidated versions oldest first, each
// with its votes in the order they were cast.
func Consolidations(ctx context.Context, db *sql.DB, caseID string) ([]Consolidation, error) {
	rows, err := db.QueryContext(ctx, `SELECT version, sources, common_needs, divergences, outcome, consolidated_at, decided_at
		FROM case_needs_consolidations_v1 WHERE case_id = ? ORDER BY version`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: consolidations of %s: %w", caseID, err)
	}
	out, err := collect(rows, func(r scanner) (Consolidation, error) {
		var (
			c                                   Consolidation
			sources, common, divergences, at, d string
		)
		if err := r.Scan(&c.Version, &sources, &common, &divergences, &c.Outcome, &at, &d); err != nil {
			return c, err
		}
		c.ConsolidatedAt = parseStamp(at)
		if d != "" {
			t := parseStamp(d)
			c.DecidedAt = &t
		}
		return c, errors.Join(json.Unmarshal([]byte(sources), &c.Sources), json.Unmarshal([]byte(common), &c.CommonNeeds),
			json.Unmarshal([]byte(divergences), &c.Divergences))
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	byVersion := make(map[int]int, len(out))
	for i, c := range out {
		byVersion[c.Version] = i
	}
	rows, err = db.QueryContext(ctx, `SELECT version, org_id, approve, comment, voted_at FROM case_needs_votes_v1 WHERE case_id = ? ORDER BY version, seq`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: votes of %s: %w", caseID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			v       Vote
			version int
			at      string
		)
		if err := rows.Scan(&version, &v.Org, &v.Approve, &v.Comment, &at); err != nil {
			return nil, err
		}
		v.At = parseStamp(at)
		if i, ok := byVersion[version]; ok {
			out[i].Votes = append(out[i].Votes, v)
		}
	}
	return out, rows.Err()
}

// Commitment is a member's commitment for one lot and type, with when it was
// first made and last changed.
type Commitment struct {
	procurement.Commitment
	CommittedAt, UpdatedAt time.Time
}

// Commitments lists every commitment in the case, withdrawn members' too, by
// organisation, lot and type.
func Commitments(ctx context.Context, db *sql.DB, caseID string) ([]Commitment, error) {
	rows, err := db.QueryContext(ctx, `SELECT org_id, lot, type, quantity, unit, estimated_value, currency, budget_years, committed_at, updated_at
		FROM case_commitments_v1 WHERE case_id = ? ORDER BY org_id, lot, type`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: commitments of %s: %w", caseID, err)
	}
	return collect(rows, func(r scanner) (Commitment, error) {
		var (
			c                    Commitment
			years, committed, up string
		)
		if err := r.Scan(&c.Org, &c.Lot, &c.Type, &c.Quantity, &c.Unit, &c.EstimatedValue, &c.Currency, &years, &committed, &up); err != nil {
			return c, err
		}
		c.CommittedAt, c.UpdatedAt = parseStamp(committed), parseStamp(up)
		return c, json.Unmarshal([]byte(years), &c.BudgetYears)
	})
}

// JointValue sums the commitments in currency of the members whose status in
// case_members_v1 (the cases read model, same views database) is JOINED, the
// way procurement.State.JointEstimatedValue does. Commitments in another
// currency are left out (the decider admits only the case's currency).
func JointValue(ctx context.Context, db *sql.DB, caseID, currency string) (procurement.JointValue, error) {
	v := procurement.JointValue{Currency: currency, PerMember: map[string]int64{}}
	rows, err := db.QueryContext(ctx, `SELECT c.org_id, c.type, SUM(c.estimated_value) FROM case_commitments_v1 c
		JOIN case_members_v1 m ON m.case_id = c.case_id AND m.org_id = c.org_id
		WHERE c.case_id = ? AND c.currency = ? AND m.status = ? GROUP BY c.org_id, c.type`, caseID, currency, string(procurement.MemberJoined))
	if err != nil {
		return v, fmt.Errorf("casework: joint value of %s: %w", caseID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			org string
			typ procurement.CommitmentType
			sum int64
		)
		if err := rows.Scan(&org, &typ, &sum); err != nil {
			return v, err
		}
		switch typ {
		case procurement.CommitmentBinding:
			v.Binding += sum
		case procurement.CommitmentIndicative:
			v.Indicative += sum
		case procurement.CommitmentOption:
			v.Option += sum
		}
		v.PerMember[org] += sum
	}
	return v, rows.Err()
}

// CostKey is one version of the case's cost-sharing key.
type CostKey struct {
	Version int
	Key     procurement.CostKey
	SetAt   time.Time
}

// CostKeyOf returns the key in force (the latest version), or nil when none is set.
func CostKeyOf(ctx context.Context, db *sql.DB, caseID string) (*CostKey, error) {
	var (
		k       CostKey
		key, at string
	)
	err := db.QueryRowContext(ctx, `SELECT version, key, set_at FROM case_cost_keys_v1 WHERE case_id = ? ORDER BY version DESC LIMIT 1`, caseID).
		Scan(&k.Version, &key, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("casework: cost key of %s: %w", caseID, err)
	}
	if err := json.Unmarshal([]byte(key), &k.Key); err != nil {
		return nil, fmt.Errorf("casework: cost key of %s: %w", caseID, err)
	}
	k.SetAt = parseStamp(at)
	return &k, nil
}

// CostShares is one dated set of shares.
type CostShares struct {
	KeyVersion  int
	EffectiveAt time.Time
	Reason      string
	Shares      []procurement.MemberShare
}

const sharesColumns = `key_version, effective_at, reason, shares`

func scanShares(r scanner) (CostShares, error) {
	var (
		s          CostShares
		at, shares string
	)
	if err := r.Scan(&s.KeyVersion, &at, &s.Reason, &shares); err != nil {
		return s, err
	}
	s.EffectiveAt = parseStamp(at)
	return s, json.Unmarshal([]byte(shares), &s.Shares)
}

// CostSharesAsOf returns the shares in force at moment at: like
// procurement.State.SharesAsOf, the latest calculated (in log order) that took
// effect at or before at; nil when none had by then.
func CostSharesAsOf(ctx context.Context, db *sql.DB, caseID string, at time.Time) (*CostShares, error) {
	s, err := scanShares(db.QueryRowContext(ctx, `SELECT `+sharesColumns+` FROM case_cost_shares_v1
		WHERE case_id = ? AND effective_at <= ? ORDER BY seq DESC LIMIT 1`, caseID, stamp(at)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("casework: cost shares of %s as of %s: %w", caseID, stamp(at), err)
	}
	return &s, nil
}

// CostShareHistory lists every calculation of the shares, oldest first.
func CostShareHistory(ctx context.Context, db *sql.DB, caseID string) ([]CostShares, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+sharesColumns+` FROM case_cost_shares_v1 WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: cost share history of %s: %w", caseID, err)
	}
	return collect(rows, scanShares)
}

// collect scans every row and closes rows.
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
