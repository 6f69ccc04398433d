// Package timelimits owns the legal time limits of a procurement (DOMAIN.md
// §4.1, §4.6): the minimum periods per jurisdiction, regime, procedure and kind
// of period, the working-day calendars of Norway, Sweden and Finland, and the
// arithmetic that turns "at least 35 days from the notice" into a moment in the
// case's legal time zone.
//
// The periods are configuration, not code: limits.json is embedded as the
// default table and Load reads a replacement, so an operator can correct a value
// (many are marked unverified in DOMAIN.md) without a release. Every rule carries
// its source key and whether DOMAIN.md confirms it.
//
// Counting follows DOMAIN.md §4.6 and [REM]: calendar days in the jurisdiction's
// time zone, day 1 is the day after the sending, the period ends at the last
// instant (23:59:59.999999999 local) of its last day, and where the rule says
// so an end on a weekend or public holiday rolls forward to the end of the next
// working day. EarliestEnd returns a Computation with every input and result;
// the caller stores it in the event, so a replay never recomputes a deadline
// with a newer table or calendar.
//
// The package is pure: no clock, no I/O beyond the reader handed to Load, and
// it imports only the standard library and domain/es.
package timelimits
