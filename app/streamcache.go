package app

import (
	"sync"

	"github.com/felles/felles/eventstore"
)

// folded is a stream as Dispatch last saw it: the folded state, where to read
// on from, and the commands already applied (for idempotent retries). Events
// are immutable, so a folded prefix never goes stale: Dispatch always reads the
// stream on from `next` to its current end before deciding.
type folded struct {
	state   any
	next    uint64 // revision to read from
	last    Result // the stream's last event, for no-op answers
	applied map[string]appliedCommand
}

// appliedCommand is where a command's events landed and what the command said.
type appliedCommand struct {
	result Result
	hash   string
}

// streamCache keeps folded streams so a command on a long case reads only the
// events appended since the last command, not the whole stream. Entries are
// values, replaced whole; concurrent commands on one stream never share a map
// they write to.
type streamCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]folded
}

func newStreamCache(max int) *streamCache {
	return &streamCache{max: max, entries: map[string]folded{}}
}

func (c *streamCache) get(stream string) (folded, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.entries[stream]
	return f, ok
}

func (c *streamCache) put(stream string, f folded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[stream]; ok && old.next > f.next {
		return // a concurrent command already saw more of the stream
	}
	if len(c.entries) >= c.max {
		for k := range c.entries { // evict an arbitrary entry: cheap, and good enough for a cache of folds
			delete(c.entries, k)
			break
		}
	}
	c.entries[stream] = f
}

// appliedKey identifies a command by who sent it and its ID.
func appliedKey(m eventstore.Metadata) string { return m.Org + "\x00" + m.User + "\x00" + m.CommandID }
