// Package messaging carries the event log to its consumers through Watermill: a
// message.Subscriber over the store's global log (ordered, one message in flight,
// resumed from the consumer's own checkpoint) and the Router with the house
// middleware order. Outside brokers (NATS JetStream…) plug in here later.
package messaging
