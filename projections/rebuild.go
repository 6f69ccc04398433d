package projections

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/felles/felles/eventstore"
)

const rebuildPage = 2000

// Rebuild drops every read model and replays the whole log into it, a page per
// transaction. It must not run while the live runner consumes.
func (r *Runner) Rebuild(ctx context.Context, store eventstore.Store) (events int, err error) {
	if err := r.reset(ctx); err != nil {
		return 0, err
	}
	after := eventstore.Position{}
	for {
		page, err := store.ReadAll(ctx, after, rebuildPage)
		if err != nil {
			return events, err
		}
		if len(page) == 0 {
			return events, nil
		}
		n, err := r.apply(ctx, page)
		if err != nil {
			return events, err
		}
		events += n
		r.committed(page)
		after = page[len(page)-1].Position
	}
}

// Digest is a SHA-256 over every read model's rows in a canonical order: two
// rebuilds of the same log give the same digest.
func (r *Runner) Digest(ctx context.Context) (string, error) {
	h := sha256.New()
	var tables []string
	for _, m := range r.models {
		tables = append(tables, m.Tables()...)
	}
	sort.Strings(tables)
	for _, t := range tables {
		rows, err := r.db.QueryContext(ctx, `SELECT * FROM `+t)
		if err != nil {
			return "", fmt.Errorf("projections: digest %s: %w", t, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				parts[i] = fmt.Sprintf("%v", v)
			}
			lines = append(lines, strings.Join(parts, "\x1f"))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(h, "table %s %s\n", t, strings.Join(cols, ","))
		for _, l := range lines {
			h.Write([]byte(l))
			h.Write([]byte{'\n'})
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
