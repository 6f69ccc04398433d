package app

import "github.com/felles/felles/domain/actor"

// ReadScope is what a principal may read of an object: nothing (an error),
// what concerns the acting organisation, or everything (platform-wide readers
// such as an auditor granted in the platform domain).
func (d *Dispatcher) ReadScope(p Principal, object string) (everything bool, err error) {
	if err := d.Authorize(p, object, ActionRead); err != nil {
		return false, err
	}
	return d.authz.Allowed(p.User, actor.Platform, object, ActionRead), nil
}

// CaseVisible is the read rule for a case overview: the hub that coordinates
// it and every municipality ever invited to it see it; others do not learn that
// it exists. Member-private data has its own, stricter rules per field.
func CaseVisible(p Principal, everything bool, hub, memberStatus string) bool {
	return everything || p.Org == hub || memberStatus != ""
}
