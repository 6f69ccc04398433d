// Package procurement owns the joint procurement case: one case is one stream,
// procurement-<uuid>, from its creation by a hub through recruitment of member
// municipalities to its end. This first slice covers creating a case, inviting
// municipalities, their answers, withdrawal and cancellation; the phases after
// recruitment arrive with later commands.
package procurement
