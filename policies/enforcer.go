package policies

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
)

// Enforcer answers permission questions from the role templates and the grants
// in force. It is safe for concurrent use.
type Enforcer struct {
	se        *casbin.SyncedEnforcer
	src       GrantSource
	templates [][]string
	log       *slog.Logger

	// mu serialises Grant, Revoke and Reload. Without it a reload that read the
	// source just before the projection committed could overwrite the in-memory
	// change that follows the commit, and a revoked grant would come back.
	mu sync.Mutex
}

// NewEnforcer loads the role templates, the grants from src and the built-in
// system grant. It fails if src or logger is nil or src cannot list its grants.
func NewEnforcer(ctx context.Context, src GrantSource, logger *slog.Logger) (*Enforcer, error) {
	if f, isFunc := src.(GrantSourceFunc); src == nil || (isFunc && f == nil) {
		return nil, fmt.Errorf("%w: grant source", ErrNilDependency)
	}
	if logger == nil {
		return nil, fmt.Errorf("%w: logger", ErrNilDependency)
	}
	templates, err := parseTemplates(rolesCSV)
	if err != nil {
		return nil, err
	}
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("policies: model.conf: %w", err)
	}
	e := &Enforcer{src: src, templates: templates, log: logger}
	// NewSyncedEnforcer loads the policy through the adapter straight away.
	se, err := casbin.NewSyncedEnforcer(m, e.adapter(ctx))
	if err != nil {
		return nil, fmt.Errorf("policies: new enforcer: %w", err)
	}
	// Grant and Revoke change memory only; the projection has already stored them.
	se.EnableAutoSave(false)
	e.se = se
	return e, nil
}

func (e *Enforcer) adapter(ctx context.Context) *readOnlyAdapter {
	return &readOnlyAdapter{ctx: ctx, src: e.src, templates: e.templates, log: e.log}
}

// Allowed reports whether user, acting for organisation org, may perform action
// (a command name or "Read") on object. It fails closed: an empty argument or
// any error is a "no", and the error is logged.
func (e *Enforcer) Allowed(user, org, object, action string) bool {
	if user == "" || org == "" || object == "" || action == "" {
		e.log.Warn("policies: permission check with an empty argument denied",
			"user", user, "org", org, "object", object, "action", action)
		return false
	}
	ok, err := e.se.Enforce(userPrefix+user, org, object, action)
	if err != nil {
		e.log.Error("policies: permission check failed, denied",
			"user", user, "org", org, "object", object, "action", action, "err", err)
		return false
	}
	return ok
}

// Grant adds g in memory; the role-grant projection calls it after committing
// the RoleGranted event. Granting what is already held is a no-op.
func (e *Enforcer) Grant(g Grant) error {
	if err := g.validate(); err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.se.AddGroupingPolicy(g.rule()); err != nil {
		return fmt.Errorf("policies: grant %s to %s in %s: %w", g.Role, g.User, g.Org, err)
	}
	return nil
}

// Revoke removes g in memory and takes effect for the next Allowed call.
// Revoking what is not held is a no-op.
func (e *Enforcer) Revoke(g Grant) error {
	if err := g.validate(); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	if g == systemGrant() {
		return ErrBuiltInGrant
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.se.RemoveGroupingPolicy(g.rule()); err != nil {
		return fmt.Errorf("policies: revoke %s from %s in %s: %w", g.Role, g.User, g.Org, err)
	}
	return nil
}

// Reload replaces every grant with what the source lists now. If the source
// fails, the enforcer keeps the policy it had and Reload returns the error.
func (e *Enforcer) Reload(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	// Safe without Casbin's lock: Enforce never reads the adapter, and every
	// other use of it (load, Grant, Revoke) runs under e.mu.
	e.se.SetAdapter(e.adapter(ctx))
	if err := e.se.LoadPolicy(); err != nil {
		return fmt.Errorf("policies: reload: %w", err)
	}
	return nil
}

// RolesFor returns the role names user holds in org plus their platform-wide
// roles, sorted and without duplicates.
func (e *Enforcer) RolesFor(user, org string) []string {
	if user == "" || org == "" {
		return nil
	}
	var roles []string
	for _, dom := range []string{org, PlatformOrg} {
		for _, r := range e.se.GetRolesForUserInDomain(userPrefix+user, dom) {
			if name, ok := strings.CutPrefix(r, rolePrefix); ok {
				roles = append(roles, name)
			}
		}
	}
	slices.Sort(roles)
	return slices.Compact(roles)
}
