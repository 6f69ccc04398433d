// Package accesslog is the record of reads of sealed and confidential data
// (DOMAIN.md §3 AccessLogged, §5): who read, for which organisation, what,
// when and why, and whether it was granted. The records are events in the log
// (one stream per case, apart from the case's own stream so a read never
// changes the case's revision), so they sit in the hash chain and the Merkle
// tree like every other event and are themselves auditable.
package accesslog

import (
	"strings"
	"time"

	"github.com/felles/felles/domain/es"
)

// Event is implemented by the access log's events.
type Event interface{ EventType() string }

// Logged is one read, or one refused attempt, of sealed or confidential data.
type Logged struct {
	User     string    `json:"user"`
	Org      string    `json:"org"`
	CaseID   string    `json:"caseId"`
	Resource string    `json:"resource"`          // what was read: "bid/<id>/content", "history/<stream>", a field path
	Subject  string    `json:"subject,omitempty"` // the record read (a bid ID, an event ID), when there is one
	Class    string    `json:"class,omitempty"`   // the confidentiality class read (SEALED, COMMERCIAL_CONF, …)
	Purpose  string    `json:"purpose"`           // why, as the reader gave it
	Granted  bool      `json:"granted"`
	At       time.Time `json:"at"`
}

func (Logged) EventType() string { return "AccessLogged" }

// StreamPrefix starts the name of every access-log stream.
const StreamPrefix = "accesslog-"

// StreamID is the access log of one case.
func StreamID(caseID string) string { return StreamPrefix + caseID }

// IsStream says whether a stream is an access log.
func IsStream(stream string) bool { return strings.HasPrefix(stream, StreamPrefix) }

// Events is the access log's event registry.
func Events() *es.Registry[Event] {
	r := es.NewRegistry[Event]()
	es.Register[Logged](r, 1)
	return r
}
