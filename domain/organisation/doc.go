// Package organisation owns the organisations that take part in joint
// procurements (hubs, municipalities, suppliers, others) and the staff roles
// granted in them. One organisation is one stream, organisation-<id>; a grant is
// an event in it, projected into the authorisation policy.
package organisation
