// Package messaging carries the event log to its consumers through Watermill: a
// message.Subscriber over the store's global log (ordered, one message in flight,
// resumed from the consumer's own checkpoint), the Router with the house
// middleware order, and the forwarder that publishes integration events (the
// felles.integration.v1 contract) to the organisations that may see them over
// NATS JetStream (docs/integration.md).
package messaging
