package organisation

// Grant is one (user, role) held in the organisation.
type Grant struct {
	User string
	Role Role
}

// State is one organisation as its stream tells it.
type State struct {
	Registered bool
	ID         string
	Kind       Kind
	Name       string
	OrgNumber  string
	Grants     map[Grant]bool
}

// Holds says whether user holds role here.
func (s State) Holds(user string, role Role) bool { return s.Grants[Grant{user, role}] }

func initial() State { return State{Grants: map[Grant]bool{}} }

func evolve(s State, ev Event) State {
	switch e := ev.(type) {
	case OrganisationRegistered:
		s.Registered, s.ID, s.Kind, s.Name, s.OrgNumber = true, e.ID, e.Kind, e.Name, e.OrgNumber
	case RoleGranted:
		s.Grants = copyGrants(s.Grants)
		s.Grants[Grant{e.User, e.Role}] = true
	case RoleRevoked:
		s.Grants = copyGrants(s.Grants)
		delete(s.Grants, Grant{e.User, e.Role})
	}
	return s
}

// copyGrants keeps State a value: folding never changes an earlier state.
func copyGrants(m map[Grant]bool) map[Grant]bool {
	out := make(map[Grant]bool, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}
