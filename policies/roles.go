package policies

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Role names as they appear in grants, tokens and the API.
const (
	RoleHubCoordinator    = "hub-coordinator"
	RoleLeadOfficer       = "lead-officer"
	RoleLeadSignatory     = "lead-signatory"
	RoleSignatory         = "signatory"
	RoleMunicipalityAdmin = "municipality-admin"
	RoleNeedsOwner        = "needs-owner"
	RoleBudgetHolder      = "budget-holder"
	RoleEvaluator         = "evaluator"
	RoleSupplierUser      = "supplier-user"
	RoleAuditor           = "auditor"
	RolePlatformAdmin     = "platform-admin"
)

// Objects a permission is about, and the actions that are not commands.
const (
	ObjectProcurement  = "procurement"
	ObjectOrganisation = "organisation"
	ActionRead         = "Read"
	// ActionReadNeedsDraft is reading the acting municipality's own private
	// needs draft before it is submitted (DOMAIN.md §5 "Member needs draft").
	ActionReadNeedsDraft = "ReadNeedsDraft"
)

// PlatformOrg is the domain of platform-wide grants: a role granted here holds
// in every organisation.
const PlatformOrg = "*"

// SystemUser is the built-in principal that timers and projections act as. It
// is always a platform-admin, so identity providers must never issue a token
// for a person with this name.
const SystemUser = "system"

// Prefixes keep users and roles in distinct namespaces inside Casbin, which
// stores both as plain strings: a person called "auditor" is "user:auditor" and
// can never be mistaken for "role:auditor".
const (
	userPrefix = "user:"
	rolePrefix = "role:"
)

var (
	// ErrNilDependency is a constructor called without a required dependency.
	ErrNilDependency = errors.New("policies: a required dependency is nil")
	// ErrInvalidGrant is a grant without a user or an organisation.
	ErrInvalidGrant = errors.New("policies: a grant needs a user, a role and an organisation")
	// ErrUnknownRole is a role name that is not one of the roles listed in Roles.
	ErrUnknownRole = errors.New("policies: unknown role")
	// ErrBuiltInGrant is an attempt to revoke the system principal's grant,
	// which timers and projections cannot work without.
	ErrBuiltInGrant = errors.New("policies: the built-in system grant cannot be revoked")
	// ErrReadOnly is a write to the policy store. Roles change only through
	// commands (GrantRole, RevokeRole) whose events feed the projection.
	// Its text must not be "not implemented": Casbin silently ignores that one.
	ErrReadOnly = errors.New("policies: the policy store is read-only; grant or revoke roles with a command")
)

// Roles returns every role name, sorted.
func Roles() []string {
	return []string{
		RoleAuditor,
		RoleBudgetHolder,
		RoleEvaluator,
		RoleHubCoordinator,
		RoleLeadOfficer,
		RoleLeadSignatory,
		RoleMunicipalityAdmin,
		RoleNeedsOwner,
		RolePlatformAdmin,
		RoleSignatory,
		RoleSupplierUser,
	}
}

// KnownRole reports whether role is one of the roles listed in Roles.
func KnownRole(role string) bool {
	return slices.Contains(Roles(), role)
}

// Grant gives User the role Role in organisation Org. Org PlatformOrg ("*")
// makes it a platform-wide grant.
type Grant struct{ User, Role, Org string }

// systemGrant is loaded on every load whatever the source says, so the system
// principal cannot be locked out by a missing projection row.
func systemGrant() Grant {
	return Grant{User: SystemUser, Role: RolePlatformAdmin, Org: PlatformOrg}
}

func (g Grant) validate() error {
	if g.User == "" || g.Role == "" || g.Org == "" {
		return fmt.Errorf("%w: got user %q, role %q, organisation %q", ErrInvalidGrant, g.User, g.Role, g.Org)
	}
	if !KnownRole(g.Role) {
		return fmt.Errorf("%w: %q", ErrUnknownRole, g.Role)
	}
	return nil
}

// rule is the grant as a Casbin grouping rule: g, user:<name>, role:<name>, org.
func (g Grant) rule() []string {
	return []string{userPrefix + g.User, rolePrefix + g.Role, g.Org}
}

// GrantSource lists every role grant in force; the role-grant projection
// implements it.
type GrantSource interface {
	Grants(ctx context.Context) ([]Grant, error)
}

// GrantSourceFunc lets a plain function serve as a GrantSource.
type GrantSourceFunc func(ctx context.Context) ([]Grant, error)

// Grants calls f.
func (f GrantSourceFunc) Grants(ctx context.Context) ([]Grant, error) { return f(ctx) }
