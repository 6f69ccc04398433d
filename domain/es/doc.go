// Package es is the event-sourcing kit the domain is written with: the Decider,
// the registry of permanent event type names with schema versions and upcasters,
// and the error kinds every layer maps to its own vocabulary. It imports only the
// standard library, so the business rules built on it stay pure.
package es
