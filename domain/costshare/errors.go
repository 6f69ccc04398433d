package costshare

import "github.com/felles/felles/domain/es"

// All errors are malformed keys or member data: the caller can fix the input and
// ask again. Those about one member name it through With.
var (
	ErrNoMembers                = es.Invalid("costshare.no_members", "a cost-sharing key needs at least one member to share the costs")
	ErrOrgRequired              = es.Invalid("costshare.org_required", "every member needs an organisation ID")
	ErrDuplicateMember          = es.Invalid("costshare.duplicate_member", "an organisation is listed more than once; list each member once")
	ErrUnknownMethod            = es.Invalid("costshare.unknown_method", "the cost-sharing method must be POPULATION, VOLUME, EQUAL or HYBRID")
	ErrWeightOutOfRange         = es.Invalid("costshare.weight_out_of_range", "each hybrid weight must be between 0 and 1 (0 to 10000 basis points)")
	ErrWeightsNotOne            = es.Invalid("costshare.weights_not_one", "the hybrid weights for equal, population and volume must sum to exactly 1 (10000 basis points)")
	ErrWeightsNotForMethod      = es.Invalid("costshare.weights_not_for_method", "weights apply only to the HYBRID method; leave them zero or choose HYBRID")
	ErrPopulationNotPositive    = es.Invalid("costshare.population_not_positive", "a population key needs every member's population to be greater than zero")
	ErrPopulationSourceRequired = es.Invalid("costshare.population_source_required", "a population key needs the statistics source of every member's population (e.g. SSB table 07459)")
	ErrPopulationDateRequired   = es.Invalid("costshare.population_date_required", "a population key needs the reference date of every member's population")
	ErrVolumeNegative           = es.Invalid("costshare.volume_negative", "committed and option values cannot be negative")
	ErrVolumeTotalZero          = es.Invalid("costshare.volume_total_zero", "a volume key needs a committed value above zero in total; record the members' commitments first")
)
