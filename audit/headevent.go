package audit

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/felles/felles/eventstore"
)

// HeadStream holds the signed tree heads, HeadEventType their events.
const (
	HeadStream    = "audit-tree"
	HeadEventType = "TreeHeadSigned"
)

// HeadEvent is the data of a TreeHeadSigned event. Note is what counts: the
// signed text; Size, Root and SignedAt repeat it for readers, and the verifier
// refuses an event where they disagree.
type HeadEvent struct {
	Size     int64     `json:"size"`
	Root     string    `json:"root"` // base64, as in the note
	SignedAt time.Time `json:"signedAt"`
	Key      string    `json:"key"`  // the published key that signed it
	Note     string    `json:"note"` // the signed note
}

// headNamespace roots the IDs of head events: one ID per size, so two
// notaries (replicas, restarts) signing the same size append it once.
var headNamespace = uuid.MustParse("1d0c7f52-3b8e-4c55-9a3e-6f0b2a7d4e91")

// NewHeadEvent signs the head and wraps it as an event to append to HeadStream.
func NewHeadEvent(s *Signer, h TreeHead) (eventstore.EventData, error) {
	signed, err := s.Sign(h)
	if err != nil {
		return eventstore.EventData{}, err
	}
	data, err := json.Marshal(HeadEvent{Size: h.Size, Root: base64.StdEncoding.EncodeToString(h.Root[:]),
		SignedAt: h.SignedAt.UTC(), Key: s.PublicKey(), Note: signed})
	if err != nil {
		return eventstore.EventData{}, err
	}
	size := strconv.FormatInt(h.Size, 10)
	return eventstore.EventData{
		ID: uuid.NewSHA1(headNamespace, []byte(size)).String(), Type: HeadEventType, SchemaVersion: 1, Data: data,
		Metadata: eventstore.Metadata{User: "system", Org: "*", CommandID: "notary/" + size,
			CorrelationID: "notary/" + size, OccurredAt: h.SignedAt.UTC()},
	}, nil
}

// IsHead says whether a record is a signed tree head.
func IsHead(rec eventstore.Record) bool { return rec.Stream == HeadStream && rec.Type == HeadEventType }

// OpenHeadEvent checks a head event's signature and that its plain fields
// repeat the signed text.
func OpenHeadEvent(v *Verifier, data []byte) (TreeHead, error) {
	var e HeadEvent
	if err := json.Unmarshal(data, &e); err != nil {
		return TreeHead{}, fmt.Errorf("%w: %v", ErrMalformedHead, err)
	}
	h, err := v.Open([]byte(e.Note))
	if err != nil {
		return TreeHead{}, err
	}
	if e.Size != h.Size || e.Root != base64.StdEncoding.EncodeToString(h.Root[:]) || !e.SignedAt.Equal(h.SignedAt) {
		return TreeHead{}, fmt.Errorf("%w: the event's size, root or time differ from what is signed", ErrMalformedHead)
	}
	return h, nil
}
