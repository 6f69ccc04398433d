package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Summary is one row of case_summary_v1.
type Summary struct {
	ID, Title, Description, Jurisdiction, Hub, Phase string
	CPV                                              []string
	Invited, Joined, Declined, Withdrawn             int
	CreatedSeq                                       int64
	CreatedAt, UpdatedAt                             time.Time
	Revision                                         int64
}

// Member is one row of case_members_v1.
type Member struct {
	CaseID, Org, Status  string
	InvitedAt, UpdatedAt time.Time
}

const summaryColumns = `id, title, description, jurisdiction, cpv, hub, phase, invited, joined, declined, withdrawn, created_seq, created_at, updated_at, revision`

func scanSummary(row interface{ Scan(...any) error }) (Summary, error) {
	var (
		s                    Summary
		cpv, created, update string
	)
	err := row.Scan(&s.ID, &s.Title, &s.Description, &s.Jurisdiction, &cpv, &s.Hub, &s.Phase, &s.Invited, &s.Joined,
		&s.Declined, &s.Withdrawn, &s.CreatedSeq, &created, &update, &s.Revision)
	if err != nil {
		return s, err
	}
	_ = json.Unmarshal([]byte(cpv), &s.CPV)
	s.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	s.UpdatedAt, _ = time.Parse(time.RFC3339Nano, update)
	return s, nil
}

// Get returns one case, or nil when there is none.
func Get(ctx context.Context, db *sql.DB, id string) (*Summary, error) {
	s, err := scanSummary(db.QueryRowContext(ctx, `SELECT `+summaryColumns+` FROM case_summary_v1 WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cases: get %s: %w", id, err)
	}
	return &s, nil
}

// Page lists cases newest first. visibleTo limits the list to cases the
// organisation coordinates or was invited to ("" lists every case, for
// platform-wide readers). before is the created_seq cursor (0 = from the top).
func Page(ctx context.Context, db *sql.DB, visibleTo string, before int64, limit int) ([]Summary, bool, error) {
	q := `SELECT ` + summaryColumns + ` FROM case_summary_v1 WHERE (?1 = 0 OR created_seq < ?1)`
	args := []any{before}
	if visibleTo != "" {
		q += ` AND (hub = ?2 OR id IN (SELECT case_id FROM case_members_v1 WHERE org_id = ?2))`
		args = append(args, visibleTo)
	}
	q += fmt.Sprintf(` ORDER BY created_seq DESC LIMIT %d`, limit+1)
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("cases: page: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		s, err := scanSummary(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// Members lists a case's invited municipalities by organisation ID.
func Members(ctx context.Context, db *sql.DB, caseID string) ([]Member, error) {
	rows, err := db.QueryContext(ctx, `SELECT case_id, org_id, status, invited_at, updated_at FROM case_members_v1 WHERE case_id = ? ORDER BY org_id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases: members of %s: %w", caseID, err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var (
			m        Member
			inv, upd string
		)
		if err := rows.Scan(&m.CaseID, &m.Org, &m.Status, &inv, &upd); err != nil {
			return nil, err
		}
		m.InvitedAt, _ = time.Parse(time.RFC3339Nano, inv)
		m.UpdatedAt, _ = time.Parse(time.RFC3339Nano, upd)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Anchoring is a member's recorded decision to take part.
type Anchoring struct {
	DecidingBody, DecisionDate, CaseRef string
	RecordedAt                          time.Time
}

// AnchoringOf returns org's anchoring decision in the case, or nil.
func AnchoringOf(ctx context.Context, db *sql.DB, caseID, org string) (*Anchoring, error) {
	var (
		a  Anchoring
		at string
	)
	err := db.QueryRowContext(ctx, `SELECT deciding_body, decision_date, case_ref, recorded_at FROM case_anchoring_v1 WHERE case_id = ? AND org_id = ?`,
		caseID, org).Scan(&a.DecidingBody, &a.DecisionDate, &a.CaseRef, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cases: anchoring of %s in %s: %w", org, caseID, err)
	}
	a.RecordedAt, _ = time.Parse(time.RFC3339Nano, at)
	return &a, nil
}

// Mandate is one row of case_mandates_v1.
type Mandate struct {
	ID, From, To, ValidUntil string
	Scope                    []string
	GrantedAt                time.Time
	RevokedAt                *time.Time
}

// Mandates lists a case's mandates by ID.
func Mandates(ctx context.Context, db *sql.DB, caseID string) ([]Mandate, error) {
	rows, err := db.QueryContext(ctx, `SELECT mandate_id, from_org, to_org, scope, valid_until, granted_at, revoked_at FROM case_mandates_v1 WHERE case_id = ? ORDER BY mandate_id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases: mandates of %s: %w", caseID, err)
	}
	defer rows.Close()
	var out []Mandate
	for rows.Next() {
		var (
			m                       Mandate
			scope, granted, revoked string
		)
		if err := rows.Scan(&m.ID, &m.From, &m.To, &scope, &m.ValidUntil, &granted, &revoked); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(scope), &m.Scope)
		m.GrantedAt, _ = time.Parse(time.RFC3339Nano, granted)
		if revoked != "" {
			t, _ := time.Parse(time.RFC3339Nano, revoked)
			m.RevokedAt = &t
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MemberStatus is the status of org in the case, "" when it was never invited.
func MemberStatus(ctx context.Context, db *sql.DB, caseID, org string) (string, error) {
	var st string
	err := db.QueryRowContext(ctx, `SELECT status FROM case_members_v1 WHERE case_id = ? AND org_id = ?`, caseID, org).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}
