package messaging

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
)

// NATS is the JetStream broker: one stream per organisation
// (FELLES_<ORG>, subjects felles.v1.<org>.> under the default prefix), so an organisation's
// credentials can be limited to its own subjects and the event ID alone
// de-duplicates within its stream.
type NATS struct {
	prefix    string
	conn      *nats.Conn
	js        nats.JetStreamContext
	pub       *wmnats.Publisher
	duplicate time.Duration

	mu      sync.Mutex
	ensured map[string]bool
}

// DefaultDuplicateWindow is how long JetStream remembers a message ID to drop
// a repeat (⚠ configurable with --nats-dedup-window): a forwarder restarted
// within it sends nothing twice; after it, receivers de-duplicate.
const DefaultDuplicateWindow = 10 * time.Minute

// ConnectNATS connects to url (nats://127.0.0.1:4222) with JetStream.
func ConnectNATS(url, prefix string, duplicate time.Duration, log watermill.LoggerAdapter) (*NATS, error) {
	if !subjectToken.MatchString(prefix) {
		return nil, fmt.Errorf("messaging: subject prefix %q is not one token of letters, digits, - and _", prefix)
	}
	if duplicate <= 0 {
		duplicate = DefaultDuplicateWindow
	}
	conn, err := nats.Connect(url, nats.Name("felles"), nats.MaxReconnects(-1), nats.ReconnectWait(500*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("messaging: connect to NATS at %s: %w", url, err)
	}
	js, err := conn.JetStream()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("messaging: JetStream at %s: %w", url, err)
	}
	pub, err := wmnats.NewPublisherWithNatsConn(conn, wmnats.PublisherPublishConfig{
		Marshaler:         &wmnats.NATSMarshaler{},
		SubjectCalculator: wmnats.DefaultSubjectCalculator,
		// TrackMsgId sends the message UUID (the event ID) as Nats-Msg-Id;
		// the publish waits for JetStream's acknowledgement.
		JetStream: wmnats.JetStreamConfig{AutoProvision: false, TrackMsgId: true},
	}, log)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("messaging: NATS publisher: %w", err)
	}
	return &NATS{prefix: prefix, conn: conn, js: js, pub: pub, duplicate: duplicate, ensured: map[string]bool{}}, nil
}

// Publisher is the Watermill publisher to JetStream.
func (n *NATS) Publisher() message.Publisher { return n.pub }

// Conn is the connection, for subscribers of the same broker.
func (n *NATS) Conn() *nats.Conn { return n.conn }

// StreamName is the stream of an organisation's events under a subject prefix.
func StreamName(prefix, org string) string {
	return strings.ToUpper(strings.ReplaceAll(prefix+"_"+org, "-", "_"))
}

// EnsureOrg creates the organisation's stream unless it exists.
func (n *NATS) EnsureOrg(org string) error {
	if org == "" || strings.ContainsAny(org, ".*> \t") {
		return fmt.Errorf("messaging: %q cannot name a NATS subject", org)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ensured[org] {
		return nil
	}
	name := StreamName(n.prefix, org)
	if _, err := n.js.StreamInfo(name); err != nil {
		if !errors.Is(err, nats.ErrStreamNotFound) {
			return err
		}
		_, err = n.js.AddStream(&nats.StreamConfig{Name: name, Subjects: []string{n.prefix + ".v1." + org + ".>"},
			Storage: nats.FileStorage, Duplicates: n.duplicate, Retention: nats.LimitsPolicy})
		if err != nil && !errors.Is(err, nats.ErrStreamNameAlreadyInUse) {
			return err
		}
	}
	n.ensured[org] = true
	return nil
}

// Close closes the connection.
func (n *NATS) Close() error {
	n.conn.Close()
	return nil
}
