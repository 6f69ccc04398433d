package policies

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
)

// readOnlyAdapter is the only way policy enters Casbin: the embedded templates,
// the grants from the projection and the built-in system grant. It never
// writes, because the event log, not Casbin, is the record of who holds which
// role.
//
// persist.Adapter.LoadPolicy takes no context, so each load gets its own
// adapter bound to the caller's context (see Enforcer.Reload).
type readOnlyAdapter struct {
	ctx       context.Context
	src       GrantSource
	templates [][]string
	log       *slog.Logger
}

var _ persist.Adapter = (*readOnlyAdapter)(nil)

// LoadPolicy fetches the grants first so a failing source leaves the model
// untouched; Casbin then keeps the policy it had.
func (a *readOnlyAdapter) LoadPolicy(m model.Model) error {
	grants, err := a.src.Grants(a.ctx)
	if err != nil {
		return fmt.Errorf("policies: load grants: %w", err)
	}
	for _, t := range a.templates {
		// Clone: Casbin keeps the slice it is given, and the templates are
		// shared by every load.
		if err := persist.LoadPolicyArray(slices.Clone(t), m); err != nil {
			return fmt.Errorf("policies: load template %v: %w", t, err)
		}
	}
	for _, g := range append(slices.Clip(grants), systemGrant()) {
		// A bad row would grant nothing anyway (no template matches it); skip it
		// rather than lock every user out, but say so loudly.
		if err := g.validate(); err != nil {
			a.log.Error("policies: skipping invalid grant from source", "user", g.User, "role", g.Role, "org", g.Org, "err", err)
			continue
		}
		if err := persist.LoadPolicyArray(append([]string{"g"}, g.rule()...), m); err != nil {
			return fmt.Errorf("policies: load grant %+v: %w", g, err)
		}
	}
	return nil
}

func (a *readOnlyAdapter) SavePolicy(model.Model) error { return ErrReadOnly }

func (a *readOnlyAdapter) AddPolicy(string, string, []string) error { return ErrReadOnly }

func (a *readOnlyAdapter) RemovePolicy(string, string, []string) error { return ErrReadOnly }

func (a *readOnlyAdapter) RemoveFilteredPolicy(string, string, int, ...string) error {
	return ErrReadOnly
}
