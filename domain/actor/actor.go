// Package actor names who performs a command: a person acting for one
// organisation. Every command carries one; rules that depend on the case (is the
// acting organisation the hub, a member, the lead?) read it in Decide.
package actor

// Platform is the organisation of platform-wide principals (the built-in system
// principal, platform administrators); it never names a real organisation.
const Platform = "*"

// Actor is the person and the organisation they act for.
type Actor struct {
	User string
	Org  string
}

// IsPlatform says whether the actor acts platform-wide rather than for one
// organisation.
func (a Actor) IsPlatform() bool { return a.Org == Platform }
