package messaging

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/felles/felles/eventstore"
)

// FileCheckpoint keeps a consumer's position in a file of its own. The
// forwarder delivers at least once, so a checkpoint that lags behind only
// means events sent again (receivers de-duplicate on the event ID): it is
// written every SaveEvery events or SaveInterval, whichever comes first,
// atomically (a new file renamed over the old), and at Close.
type FileCheckpoint struct {
	path         string
	SaveEvery    int
	SaveInterval time.Duration

	mu      sync.Mutex
	at      eventstore.Position
	unsaved int
	saved   time.Time
}

// NewFileCheckpoint reads the checkpoint at path (zero when the file does not exist).
func NewFileCheckpoint(path string) (*FileCheckpoint, error) {
	c := &FileCheckpoint{path: path, SaveEvery: 100, SaveInterval: 250 * time.Millisecond, saved: time.Now()}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("messaging: read checkpoint %s: %w", path, err)
	}
	if s := strings.TrimSpace(string(raw)); s != "" {
		p, err := eventstore.ParsePosition(s)
		if err != nil {
			return nil, fmt.Errorf("messaging: checkpoint %s holds %q: %w", path, s, err)
		}
		c.at = p
	}
	return c, nil
}

// Checkpoint is where the consumer resumes (the consumer name is the file's).
func (c *FileCheckpoint) Checkpoint(context.Context, string) (eventstore.Position, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at, nil
}

// Advance records that everything up to p is done, saving when due.
func (c *FileCheckpoint) Advance(p eventstore.Position) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = p
	c.unsaved++
	if c.unsaved >= c.SaveEvery || time.Since(c.saved) >= c.SaveInterval {
		return c.saveLocked()
	}
	return nil
}

// Close saves what is not saved yet.
func (c *FileCheckpoint) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unsaved == 0 {
		return nil
	}
	return c.saveLocked()
}

func (c *FileCheckpoint) saveLocked() error {
	tmp, err := os.CreateTemp(filepath.Dir(c.path), filepath.Base(c.path)+".*")
	if err != nil {
		return fmt.Errorf("messaging: save checkpoint: %w", err)
	}
	_, werr := tmp.WriteString(c.at.String() + "\n")
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("messaging: save checkpoint: %w", errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("messaging: save checkpoint: %w", err)
	}
	c.unsaved, c.saved = 0, time.Now()
	return nil
}
