package projections

import (
	"context"
	"database/sql"

	"github.com/felles/felles/eventstore"
)

// ReadModel is one projection into the views database.
type ReadModel interface {
	// Name is the read model and its version (case_summary_v1): changing the
	// schema or meaning means a new version, and the runner rebuilds.
	Name() string
	// Schema creates the read model's tables if they do not exist.
	Schema() string
	// Tables lists the tables Schema creates, for rebuilds and digests.
	Tables() []string
	// Apply updates the read model for one event inside the runner's transaction.
	// Events it does not care about are ignored; it never rejects a stored event.
	Apply(ctx context.Context, tx *sql.Tx, rec eventstore.Record) error
}
