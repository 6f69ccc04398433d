package organisation

// Event is an organisation event; the marker keeps the set closed.
type Event interface {
	EventType() string
	isOrganisationEvent()
}

// OrganisationRegistered: an organisation can now take part in procurements.
type OrganisationRegistered struct {
	ID        string `json:"id"`
	Kind      Kind   `json:"kind"`
	Name      string `json:"name"`
	OrgNumber string `json:"orgNumber"`
}

// RoleGranted: a person holds a role in the organisation from now on.
type RoleGranted struct {
	Org  string `json:"org"`
	User string `json:"user"`
	Role Role   `json:"role"`
}

// RoleRevoked: the person no longer holds the role.
type RoleRevoked struct {
	Org  string `json:"org"`
	User string `json:"user"`
	Role Role   `json:"role"`
}

func (OrganisationRegistered) EventType() string { return "OrganisationRegistered" }
func (RoleGranted) EventType() string            { return "RoleGranted" }
func (RoleRevoked) EventType() string            { return "RoleRevoked" }

func (OrganisationRegistered) isOrganisationEvent() {}
func (RoleGranted) isOrganisationEvent()            {}
func (RoleRevoked) isOrganisationEvent()            {}
