// Package rolegrants is role_grants_v1: which person holds which role in which
// organisation. It is what the policy enforcer loads at start; after start the
// runner's commit hook keeps the enforcer in step (see Hook).
package rolegrants

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/eventstore"
)

// ReadModel projects RoleGranted and RoleRevoked.
type ReadModel struct{}

func (ReadModel) Name() string     { return "role_grants_v1" }
func (ReadModel) Tables() []string { return []string{"role_grants_v1"} }
func (ReadModel) Schema() string {
	return `CREATE TABLE IF NOT EXISTS role_grants_v1 (
	org_id     TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	role       TEXT NOT NULL,
	granted_at TEXT NOT NULL,
	PRIMARY KEY (org_id, user_id, role)
);`
}

var registry = organisation.Events()

// Change is a grant or revocation decoded from the log.
type Change struct {
	Granted         bool
	Org, User, Role string
}

// Decode reads a role change from a record; ok is false for other events.
func Decode(rec eventstore.Record) (Change, bool, error) {
	ev, known, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil || !known {
		return Change{}, false, err
	}
	switch e := ev.(type) {
	case organisation.RoleGranted:
		return Change{Granted: true, Org: e.Org, User: e.User, Role: string(e.Role)}, true, nil
	case organisation.RoleRevoked:
		return Change{Org: e.Org, User: e.User, Role: string(e.Role)}, true, nil
	}
	return Change{}, false, nil
}

// Apply records a grant or deletes a revoked one.
func (ReadModel) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	c, ok, err := Decode(rec)
	if err != nil || !ok {
		return err
	}
	if c.Granted {
		_, err = tx.ExecContext(ctx, `INSERT INTO role_grants_v1 (org_id, user_id, role, granted_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`,
			c.Org, c.User, c.Role, rec.Metadata.OccurredAt.UTC().Format(time.RFC3339Nano))
	} else {
		_, err = tx.ExecContext(ctx, `DELETE FROM role_grants_v1 WHERE org_id = ? AND user_id = ? AND role = ?`, c.Org, c.User, c.Role)
	}
	return err
}

// Grant is one row.
type Grant struct{ Org, User, Role string }

// All lists every grant.
func All(ctx context.Context, db *sql.DB) ([]Grant, error) {
	rows, err := db.QueryContext(ctx, `SELECT org_id, user_id, role FROM role_grants_v1 ORDER BY org_id, user_id, role`)
	if err != nil {
		return nil, fmt.Errorf("role grants: list: %w", err)
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&g.Org, &g.User, &g.Role); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
