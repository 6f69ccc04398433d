package timelimits

import "github.com/felles/felles/domain/es"

// Errors of a proposed date are rule violations the user fixes by choosing
// another date; the message (through With) names the rule and the limit.
var (
	ErrTooShort       = es.Rule("timelimits.too_short", "the period is shorter than the legal minimum")
	ErrTooLate        = es.Rule("timelimits.too_late", "the date is later than the legal time limit allows")
	ErrEndBeforeStart = es.Invalid("timelimits.end_before_start", "the period cannot end before it starts")
)

// Errors of a table or a lookup: the table or the request names something the
// package does not know.
var (
	ErrNoRule              = es.Invalid("timelimits.no_rule", "the time-limit table has no rule for this period")
	ErrUnknownJurisdiction = es.Invalid("timelimits.unknown_jurisdiction", "the jurisdiction must be NO, SE or FI")
	ErrInvalidTable        = es.Invalid("timelimits.invalid_table", "the time-limit table is not valid")
)
