// Package policies owns who may do what, whatever the state of a case: the role
// names, the role templates (which commands and reads each role allows on which
// object), and the enforcer that answers "may this user, acting for this
// organisation, do this?" from the role grants the role-grant projection keeps.
//
// Rules that depend on the case itself (is the organisation a member, does a
// mandate cover the act, has a deadline passed) are not here; they live in the
// deciders. Grants are never written through this package: a grant or a
// revocation is a command, becomes an event, updates the projection, and only
// then reaches the enforcer through Grant, Revoke or Reload.
//
// The enforcer fails closed: an empty argument, an unknown role, object or
// action, or any error inside Casbin answers "no".
package policies
