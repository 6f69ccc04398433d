// Package organisations is the directory of registered organisations,
// organisations_v1: who takes part in joint procurements, with kind and name.
package organisations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/eventstore"
)

// ReadModel projects OrganisationRegistered.
type ReadModel struct{}

func (ReadModel) Name() string     { return "organisations_v1" }
func (ReadModel) Tables() []string { return []string{"organisations_v1"} }
func (ReadModel) Schema() string {
	return `CREATE TABLE IF NOT EXISTS organisations_v1 (
	id            TEXT PRIMARY KEY,
	kind          TEXT NOT NULL,
	name          TEXT NOT NULL,
	org_number    TEXT NOT NULL,
	registered_at TEXT NOT NULL
);`
}

var registry = organisation.Events()

// Apply records a registration.
func (ReadModel) Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error {
	if rec.Type != (organisation.OrganisationRegistered{}).EventType() {
		return nil
	}
	ev, _, err := registry.Decode(rec.Type, rec.SchemaVersion, rec.Data)
	if err != nil {
		return err
	}
	e := ev.(organisation.OrganisationRegistered)
	_, err = tx.ExecContext(ctx, `INSERT INTO organisations_v1 (id, kind, name, org_number, registered_at) VALUES (?,?,?,?,?)`,
		e.ID, string(e.Kind), e.Name, e.OrgNumber, rec.Metadata.OccurredAt.UTC().Format(time.RFC3339Nano))
	return err
}

// Organisation is one row.
type Organisation struct {
	ID, Kind, Name, OrgNumber string
	RegisteredAt              time.Time
}

func scan(row interface{ Scan(...any) error }) (Organisation, error) {
	var (
		o  Organisation
		at string
	)
	if err := row.Scan(&o.ID, &o.Kind, &o.Name, &o.OrgNumber, &at); err != nil {
		return o, err
	}
	o.RegisteredAt, _ = time.Parse(time.RFC3339Nano, at)
	return o, nil
}

// Get returns one organisation, or nil.
func Get(ctx context.Context, db *sql.DB, id string) (*Organisation, error) {
	o, err := scan(db.QueryRowContext(ctx, `SELECT id, kind, name, org_number, registered_at FROM organisations_v1 WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("organisations: get %s: %w", id, err)
	}
	return &o, nil
}

// All lists every organisation by ID.
func All(ctx context.Context, db *sql.DB) ([]Organisation, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, kind, name, org_number, registered_at FROM organisations_v1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("organisations: list: %w", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		o, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
