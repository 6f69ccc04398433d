// Package projections turns the event log into the read models the API serves.
// The Runner applies each event to every read model and moves the checkpoint in
// ONE transaction of the views database, so a crash never leaves a view and its
// checkpoint apart. Read models live in sub-packages; they are disposable and
// rebuilt from the log at will.
package projections
