package organisation

import "github.com/felles/felles/domain/es"

var (
	ErrInvalidID         = es.Invalid("organisation.invalid_id", "an organisation ID is 2–63 lowercase letters, digits or hyphens")
	ErrInvalidKind       = es.Invalid("organisation.invalid_kind", "the organisation kind must be HUB, MUNICIPALITY, SUPPLIER or OTHER")
	ErrNameRequired      = es.Invalid("organisation.name_required", "the organisation needs a name of at most 200 characters")
	ErrInvalidOrgNumber  = es.Invalid("organisation.invalid_org_number", "the national organisation number must be 6–14 digits, optionally with one hyphen")
	ErrInvalidUser       = es.Invalid("organisation.invalid_user", "a user name is 1–128 letters, digits, dots, @, _ or hyphens, and not a reserved name")
	ErrUnknownRole       = es.Invalid("organisation.unknown_role", "no such role")
	ErrAlreadyRegistered = es.Conflict("organisation.already_registered", "an organisation with this ID is already registered with other details")
	ErrHubNeedsPlatform  = es.Forbidden("organisation.hub_requires_platform", "only a platform administrator can register a hub")
	ErrNotRegistered     = es.NotFound("organisation.not_found", "no organisation is registered with this ID")
	ErrRoleNotForKind    = es.Rule("organisation.role_not_for_kind", "this role cannot be held in this kind of organisation")
	ErrOutsideOwnOrg     = es.Forbidden("organisation.outside_own_organisation", "roles can only be granted or revoked by staff of the same organisation")
)
