// Package graphql serves the Felles API over HTTP: the schema (embedded),
// resolvers that turn mutations into app commands and queries into view reads,
// authentication of bearer tokens, error mapping to extensions.code, request
// limits, and the GraphiQL page. Resolvers decide no business rules.
package graphql
