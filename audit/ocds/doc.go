// Package ocds publishes a joint procurement as open data in the Open
// Contracting Data Standard 1.1.5: one immutable release per publishable
// domain event, and records (compiled and versioned release) merged by the
// OCDS merge rules.
//
// A release is a pure function of the event it stands for and of the log
// before it, so exporting the same log twice gives the same bytes, and a
// release once published never changes: a correction is a later event and
// therefore a later release (DOMAIN.md §6). Nothing confidential leaves:
// member drafts, individual scores, negotiation minutes, sealed submissions,
// complainants, evaluators and signatories as persons never appear, and cost
// shares are declared in withheldInformation instead of published.
package ocds
