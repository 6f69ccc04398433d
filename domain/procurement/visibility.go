package procurement

// Visibility is an event's confidentiality class (DOMAIN.md §5). Every layer
// that shows events or their content (views, history, exports, outside
// systems) must honour it: an ORG_PRIVATE event belongs to its organisation
// alone — not the hub, not the lead, not other members, not auditors.
type Visibility string

const (
	VisibilityCaseInternal Visibility = "CASE_INTERNAL"
	VisibilityOrgPrivate   Visibility = "ORG_PRIVATE"
)

// VisibilityOf returns an event's class and, for ORG_PRIVATE, the
// organisation it belongs to.
func VisibilityOf(e Event) (Visibility, string) {
	if d, ok := e.(NeedsDraftSaved); ok {
		return VisibilityOrgPrivate, d.Org
	}
	return VisibilityCaseInternal, ""
}

// VisibleTo says whether organisation org may see event e at all.
func VisibleTo(e Event, org string) bool {
	v, owner := VisibilityOf(e)
	return v != VisibilityOrgPrivate || owner == org
}
