package organisation

import "regexp"

// Kind is what an organisation is in a joint procurement.
type Kind string

const (
	KindHub          Kind = "HUB"
	KindMunicipality Kind = "MUNICIPALITY"
	KindSupplier     Kind = "SUPPLIER"
	KindOther        Kind = "OTHER"
)

// Valid says whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindHub, KindMunicipality, KindSupplier, KindOther:
		return true
	}
	return false
}

// Role is a staff role held in one organisation (DOMAIN.md §5).
type Role string

const (
	RoleHubCoordinator    Role = "hub-coordinator"
	RoleLeadOfficer       Role = "lead-officer"
	RoleLeadSignatory     Role = "lead-signatory"
	RoleMunicipalityAdmin Role = "municipality-admin"
	RoleNeedsOwner        Role = "needs-owner"
	RoleBudgetHolder      Role = "budget-holder"
	RoleSignatory         Role = "signatory" // signs for its own municipality: agreement, mandates, consent to lead
	RoleEvaluator         Role = "evaluator"
	RoleSupplierUser      Role = "supplier-user"
	RoleAuditor           Role = "auditor"
)

// rolesByKind says which roles make sense in which kind of organisation, so a
// hub coordinator can only ever act for a hub and a municipality admin only for
// a municipality. Evaluators may come from any buying side or outside expert
// body; auditors (internal and external revisors) may be attached anywhere.
var rolesByKind = map[Kind][]Role{
	KindHub:          {RoleHubCoordinator, RoleEvaluator, RoleAuditor},
	KindMunicipality: {RoleMunicipalityAdmin, RoleLeadOfficer, RoleLeadSignatory, RoleNeedsOwner, RoleBudgetHolder, RoleSignatory, RoleEvaluator, RoleAuditor},
	KindSupplier:     {RoleSupplierUser},
	KindOther:        {RoleEvaluator, RoleAuditor},
}

// KnownRole says whether r is a role at all.
func KnownRole(r Role) bool {
	for _, roles := range rolesByKind {
		for _, x := range roles {
			if x == r {
				return true
			}
		}
	}
	return false
}

// RoleAllowedIn says whether r may be granted in an organisation of kind k.
func RoleAllowedIn(r Role, k Kind) bool {
	for _, x := range rolesByKind[k] {
		if x == r {
			return true
		}
	}
	return false
}

var (
	idPattern        = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	userPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$`)
	orgNumberPattern = regexp.MustCompile(`^[0-9]{6,10}(-?[0-9]{1,4})?$`)
)

// ReservedUser is the built-in system principal; no person may be named so.
const ReservedUser = "system"

// ValidID says whether id can name an organisation (and its stream).
func ValidID(id string) bool { return idPattern.MatchString(id) }

// ValidUser says whether u can name a person.
func ValidUser(u string) bool { return userPattern.MatchString(u) && u != ReservedUser }
