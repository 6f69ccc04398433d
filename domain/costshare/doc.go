// Package costshare owns the arithmetic of cost-sharing keys: how the shared
// costs of a joint procurement (coordination, legal advice, dialogue events,
// evaluation time) are split between its members by population, by committed
// volume, equally, or by a hybrid of the three (DOMAIN.md §4.5). It is pure: no
// clock, no I/O; the procurement case decides when a key applies and records the
// shares it returns as event-dated history.
//
// Shares are integer hundredths of a percent (10000 = 100.00 %) rather than
// floats or fractions because they are what an agreement prints and what every
// invoice is split by: two decimals of a percent is what people read and sign,
// an integer survives JSON, SQL and replay unchanged, and exact rational
// arithmetic with largest-remainder rounding makes the parts sum to exactly
// 100.00 % every time (§4.3), never 99.99 % or 100.01 %.
package costshare
