package eventstore

import (
	"fmt"
	"strconv"
	"strings"
)

// Position is a place in the global log. The embedded store numbers events
// 1, 2, 3… without gaps and sets Commit = Prepare; KurrentDB positions are the
// server's commit and prepare positions. Positions order by Commit, then Prepare.
type Position struct {
	Commit  uint64
	Prepare uint64
}

// Seq is a gapless embedded-store position.
func Seq(n uint64) Position { return Position{Commit: n, Prepare: n} }

// IsZero is the position before the first event.
func (p Position) IsZero() bool { return p.Commit == 0 && p.Prepare == 0 }

// Less orders positions.
func (p Position) Less(q Position) bool {
	if p.Commit != q.Commit {
		return p.Commit < q.Commit
	}
	return p.Prepare < q.Prepare
}

// String is "42" when Commit = Prepare, else "commit/prepare"; it is the form
// clients see in mutation payloads and give back to wait for their own writes.
func (p Position) String() string {
	if p.Commit == p.Prepare {
		return strconv.FormatUint(p.Commit, 10)
	}
	return fmt.Sprintf("%d/%d", p.Commit, p.Prepare)
}

// ParsePosition reads the String form.
func ParsePosition(s string) (Position, error) {
	c, p, two := strings.Cut(s, "/")
	commit, err := strconv.ParseUint(c, 10, 64)
	if err != nil {
		return Position{}, fmt.Errorf("eventstore: bad position %q", s)
	}
	if !two {
		return Seq(commit), nil
	}
	prepare, err := strconv.ParseUint(p, 10, 64)
	if err != nil {
		return Position{}, fmt.Errorf("eventstore: bad position %q", s)
	}
	return Position{Commit: commit, Prepare: prepare}, nil
}
