package procurement

import (
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/organisation"
)

// Sealed submissions (DOMAIN.md §2 bid sub-machine, §4.4, §5 SEALED): a
// supplier hands in a request to participate or a tender before the deadline,
// on the server's clock; the log holds only its metadata (lots, time, SHA-256,
// where the ciphertext is, its size), never its content. A supplier can replace
// or withdraw its own submission until the deadline; after it, everything is
// late.

func checkSealed(hash, ref string, size int64) (string, error) {
	hash = strings.ToLower(strings.TrimSpace(hash))
	switch {
	case !sha256Hex.MatchString(hash):
		return "", ErrInvalidContentHash
	case ref == "" || len(ref) > 200 || size <= 0:
		return "", ErrInvalidCiphertext
	}
	return hash, nil
}

// beforeDeadline checks the round is open at `at`.
func (s State) beforeDeadline(at time.Time) error {
	if err := s.openRound(); err != nil {
		if s.Tendering.Notice != nil {
			return ErrLateSubmission.With("receipt closed at %s", s.Tendering.Deadline.Format(time.RFC3339))
		}
		return err
	}
	if !at.Before(s.Tendering.Deadline) {
		return ErrLateSubmission.With("the deadline was %s; received %s", s.Tendering.Deadline.Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	return nil
}

func submitBid(s State, c SubmitBid) ([]Event, error) {
	hash, err := checkSealed(c.SHA256, c.CiphertextRef, c.SizeBytes)
	if err != nil {
		return nil, err
	}
	lots := slices.Compact(slices.Sorted(slices.Values(c.Lots)))
	switch {
	case !idPattern.MatchString(c.BidID):
		return nil, ErrInvalidBidID
	case len(lots) == 0:
		return nil, ErrLotsRequired
	}
	supplier := c.By.Org
	if err := ensureVisibleToSupplier(s, supplier); err != nil {
		return nil, err
	}
	if c.SupplierKind != organisation.KindSupplier {
		return nil, ErrNotSupplier
	}
	if prev, ok := s.Tendering.Bids[c.BidID]; ok {
		if prev.Supplier == supplier && prev.Version == 1 && prev.SHA256 == hash && prev.CiphertextRef == c.CiphertextRef {
			return nil, nil
		}
		return nil, ErrBidIDTaken
	}
	if s.Tendering.Notice == nil {
		return nil, ErrNotTendering.With("no contract notice is published")
	}
	if err := s.beforeDeadline(c.At); err != nil {
		return nil, err
	}
	if !s.mayTender(supplier) {
		return nil, ErrNotInvited
	}
	if lot, bad := s.unknownLot(lots); bad {
		return nil, ErrUnknownLot.With("%q", lot)
	}
	round := s.Tendering.Round
	for _, id := range s.sealedInRound(round) {
		if s.Tendering.Bids[id].Supplier == supplier {
			return nil, ErrAlreadySubmitted.With("submission %s", id)
		}
	}
	sub := SealedSubmission{BidID: c.BidID, Supplier: supplier, Lots: lots, ReceivedAt: c.At.UTC(), SHA256: hash,
		CiphertextRef: c.CiphertextRef, SizeBytes: c.SizeBytes}
	if round == RoundRequests {
		return []Event{RequestToParticipateReceived{SealedSubmission: sub}}, nil
	}
	return []Event{BidSubmitted{SealedSubmission: sub}}, nil
}

// ownBid finds the acting supplier's own submission; another's is "not found".
func (s State) ownBid(org, id string) (Bid, error) {
	b, ok := s.Tendering.Bids[id]
	if !ok || b.Supplier != org {
		return Bid{}, ErrBidNotFound
	}
	if err := ensureOpen(s); err != nil {
		return Bid{}, err
	}
	return b, nil
}

func replaceBid(s State, c ReplaceBid) ([]Event, error) {
	hash, err := checkSealed(c.SHA256, c.CiphertextRef, c.SizeBytes)
	if err != nil {
		return nil, err
	}
	b, err := s.ownBid(c.By.Org, c.BidID)
	if err != nil {
		return nil, err
	}
	switch {
	case b.Withdrawn:
		return nil, ErrBidWithdrawn
	case b.SHA256 == hash && b.CiphertextRef == c.CiphertextRef:
		return nil, nil
	case b.Round != s.Tendering.Round:
		return nil, ErrLateSubmission.With("the round of this submission is closed")
	}
	if err := s.beforeDeadline(c.At); err != nil {
		return nil, err
	}
	return []Event{BidReplaced{BidID: c.BidID, Version: b.Version + 1, ReceivedAt: c.At.UTC(), SHA256: hash,
		CiphertextRef: c.CiphertextRef, SizeBytes: c.SizeBytes}}, nil
}

func withdrawBid(s State, c WithdrawBid) ([]Event, error) {
	b, err := s.ownBid(c.By.Org, c.BidID)
	if err != nil {
		return nil, err
	}
	if b.Withdrawn {
		return nil, nil
	}
	if b.Round != s.Tendering.Round {
		return nil, ErrLateSubmission.With("the round of this submission is closed")
	}
	if err := s.beforeDeadline(c.At); err != nil {
		return nil, err
	}
	return []Event{BidWithdrawn{BidID: c.BidID, WithdrawnAt: c.At.UTC()}}, nil
}

func confirmBid(s State, c ConfirmBid) ([]Event, error) {
	b, err := s.ownBid(c.By.Org, c.BidID)
	if err != nil {
		return nil, err
	}
	switch {
	case b.Withdrawn:
		return nil, ErrBidWithdrawn
	case c.Amendment != len(s.Tendering.Amendments):
		return nil, ErrAmendmentOutdated.With("the latest amendment is number %d", len(s.Tendering.Amendments))
	case !b.NeedsConfirmation:
		return nil, nil
	case b.Round != s.Tendering.Round:
		return nil, ErrLateSubmission.With("the round of this submission is closed")
	}
	if err := s.beforeDeadline(c.At); err != nil {
		return nil, err
	}
	return []Event{BidConfirmed{BidID: c.BidID, Amendment: c.Amendment}}, nil
}
