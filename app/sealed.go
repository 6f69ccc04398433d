package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/procurement"
)

// Sealed submissions (DOMAIN.md §4.4, §5 SEALED). The content of a request to
// participate or a tender never enters the event log: it is encrypted under a
// key of its own and kept in the sealed store, which holds the keys apart from
// the log; the event carries the content's SHA-256 and where the ciphertext is.
// The content is decrypted for a person only after the opening of its round,
// and every attempt to read it, granted or not, is recorded as an
// AccessLogged event in the case's access log (app.AccessLog), in the hash
// chain like every other event, before any content is returned.

// SealedStore keeps sealed content encrypted outside the event log.
type SealedStore interface {
	// Seal encrypts content under a new key and stores it under ref. Sealing
	// a ref that exists with the same content is a no-op (created false).
	Seal(ctx context.Context, ref string, content []byte) (created bool, err error)
	// Discard deletes a ref's ciphertext and key (a submission the case refused).
	Discard(ctx context.Context, ref string) error
	// Unseal decrypts a ref's content.
	Unseal(ctx context.Context, ref string) ([]byte, error)
}

// MaxSubmissionBytes bounds one submission's content.
const MaxSubmissionBytes = 5 << 20

var (
	ErrContentRequired = es.Invalid("bid.content_required", "a submission needs content of at most 5 MiB")
	ErrSealed          = es.Forbidden("bid.sealed", "the submission is sealed until the opening of its round: no one can read its content before")
	ErrContentAltered  = es.Conflict("bid.content_altered", "the sealed content no longer matches the SHA-256 received with the submission; it is withheld, report it to the auditors")
	ErrNoContentAccess = es.Forbidden("bid.no_content_access", "only the lead and auditors read opened submissions (evaluators once they have declared no conflict of interest)")
)

// ActionReadBidContent is reading an opened submission's content: the lead's
// sealed readers and auditors (with ActionReadSealedRecords), and an evaluator
// appointed to the case who declared no conflict of interest.
const ActionReadBidContent = "ReadBidContent"

// ActionReadSealedRecords is the lead's and the auditors' view of sealed
// submissions (DOMAIN.md §5 "See bid metadata before deadline": LO and AU):
// metadata before receipt closes, closings, openings, the access log, and any
// opened submission's content without being its evaluator. An evaluator never
// holds it, so the right to read the tenders one evaluates gives no more.
const ActionReadSealedRecords = "ReadSealedRecords"

// Bids runs sealed submissions and their opening.
type Bids struct {
	cases  *Procurements
	sealed SealedStore
	access *AccessLog // every attempt to read sealed content, in the log
}

// NewBids needs the case commands and the sealed store; attempts to read
// sealed content are recorded in the access log of the cases' store.
func NewBids(cases *Procurements, sealed SealedStore) *Bids {
	if cases == nil || sealed == nil {
		panic("app: NewBids needs the procurements service and a sealed store")
	}
	return &Bids{cases: cases, sealed: sealed, access: NewAccessLog(cases.d)}
}

// SealedResource is the access log's name for a submission's content.
func SealedResource(bidID string) string { return "bid/" + bidID + "/content" }

// recordRead appends one attempt to read a submission's content (SEALED) to
// the case's access log; the caller returns nothing when it fails.
func (b *Bids) recordRead(ctx context.Context, p Principal, caseID, bidID, purpose string, granted bool) error {
	return b.access.Record(ctx, p, accesslog.Logged{CaseID: caseID, Resource: SealedResource(bidID), Subject: bidID,
		Class: string(procurement.VisibilitySealed), Purpose: purpose, Granted: granted})
}

// contentRef is where a submission's content is sealed: derived from the case,
// the submission and the content, so a retried command seals to the same ref.
// The whole SHA-256 is in the ref: the vault treats a ref that exists as holding
// the same content, so a shortened hash would let a collision swap content.
func contentRef(caseID, bidID, sha string) string { return caseID + "/" + bidID + "/" + sha }

func hashOf(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// sealThenDispatch seals the content, runs the command, and discards the
// ciphertext again when the case refuses the command. Sealing comes first so
// an acknowledged submission always has its content: a crash in between leaves
// only an unreferenced ciphertext.
func (b *Bids) sealThenDispatch(ctx context.Context, p Principal, action string, ref string, content []byte, run func() (Result, error)) (Result, error) {
	if err := b.cases.d.Authorize(p, ObjectProcurement, action); err != nil {
		return Result{}, err
	}
	created, err := b.sealed.Seal(ctx, ref, content)
	if err != nil {
		return Result{}, fmt.Errorf("%s: seal: %w", action, err)
	}
	res, err := run()
	// Only the case's own refusal discards the content. An internal error
	// (a lost acknowledgement) may hide a stored event that needs it; the
	// ciphertext then stays, unreferenced at worst.
	if err != nil && created && es.KindOf(err) != es.KindInternal {
		if derr := b.sealed.Discard(ctx, ref); derr != nil {
			return Result{}, errors.Join(err, fmt.Errorf("%s: discard refused content: %w", action, derr))
		}
	}
	return res, err
}

// Submit hands in the acting supplier's sealed submission for lots; the
// submission ID is derived from the command ID.
func (b *Bids) Submit(ctx context.Context, p Principal, meta CommandMeta, caseID string, lots []string, content []byte) (string, Result, error) {
	if len(content) == 0 || len(content) > MaxSubmissionBytes {
		return "", Result{}, ErrContentRequired
	}
	if !procurement.ValidID(caseID) {
		return "", Result{}, procurement.ErrInvalidCaseID
	}
	if meta.CommandID == "" {
		meta.CommandID = newCommandID()
	}
	bidID := DeriveID(p, meta, "bid")
	sha := hashOf(content)
	ref := contentRef(caseID, bidID, sha)
	res, err := b.sealThenDispatch(ctx, p, "SubmitBid", ref, content, func() (Result, error) {
		return b.cases.run(ctx, p, meta, "SubmitBid", caseID, func(at time.Time) (procurement.Command, error) {
			kind, err := kindOf(ctx, b.cases.d, p.Org)
			if err != nil {
				return nil, err
			}
			return procurement.SubmitBid{BidID: bidID, Lots: lots, SHA256: sha, CiphertextRef: ref, SizeBytes: int64(len(content)),
				SupplierKind: kind, By: p, At: at}, nil
		})
	})
	return bidID, res, err
}

// Replace replaces the content of the acting supplier's submission.
func (b *Bids) Replace(ctx context.Context, p Principal, meta CommandMeta, caseID, bidID string, content []byte) (Result, error) {
	if len(content) == 0 || len(content) > MaxSubmissionBytes {
		return Result{}, ErrContentRequired
	}
	if !procurement.ValidID(caseID) {
		return Result{}, procurement.ErrInvalidCaseID
	}
	sha := hashOf(content)
	ref := contentRef(caseID, bidID, sha)
	return b.sealThenDispatch(ctx, p, "ReplaceBid", ref, content, func() (Result, error) {
		return b.cases.run(ctx, p, meta, "ReplaceBid", caseID, func(at time.Time) (procurement.Command, error) {
			return procurement.ReplaceBid{BidID: bidID, SHA256: sha, CiphertextRef: ref, SizeBytes: int64(len(content)), By: p, At: at}, nil
		})
	})
}

// Open opens the closed round (or, under four-eyes, starts or completes the
// opening). When the command will open, every submission is decrypted here
// and its SHA-256 compared with the one received; the content goes no further.
// A submission that no longer decrypts is recorded as not verified rather than
// blocking everyone's opening. The decider refuses an opening without a hash
// for every submission (the state may have moved since the look), and Open
// looks again.
func (b *Bids) Open(ctx context.Context, p Principal, meta CommandMeta, caseID string) (Result, error) {
	if err := b.cases.d.Authorize(p, ObjectProcurement, "OpenBids"); err != nil {
		return Result{}, err
	}
	for attempt := 0; ; attempt++ {
		verified, err := b.verify(ctx, p, caseID)
		if err != nil {
			return Result{}, err
		}
		res, err := b.cases.run(ctx, p, meta, "OpenBids", caseID, func(at time.Time) (procurement.Command, error) {
			return procurement.OpenBids{Verified: verified, By: p, At: at}, nil
		})
		if errors.Is(err, procurement.ErrOpeningUnverified) && attempt < 3 {
			continue
		}
		return res, err
	}
}

// verify decrypts and hashes the submissions the principal's OpenBids would
// open now; nothing when it would only start a four-eyes opening or be refused.
func (b *Bids) verify(ctx context.Context, p Principal, caseID string) (map[string]string, error) {
	st, err := b.cases.State(ctx, caseID)
	if err != nil {
		return nil, err
	}
	verified := map[string]string{}
	probe, err := procurement.Decider.Decide(st, procurement.OpenBids{By: p, At: b.cases.d.Now().UTC(), Probe: true})
	if err != nil || len(probe) != 1 {
		return verified, nil
	}
	opened, ok := probe[0].(procurement.BidsOpened)
	if !ok {
		return verified, nil
	}
	for _, ob := range opened.Bids {
		bid := st.Tendering.Bids[ob.BidID]
		content, err := b.sealed.Unseal(ctx, bid.CiphertextRef)
		purpose := "hash verification at the opening"
		if err != nil {
			b.cases.d.log.ErrorContext(ctx, "a sealed submission does not decrypt at the opening", "case", caseID, "bid", ob.BidID, "error", err)
			verified[ob.BidID] = procurement.Unreadable
			purpose = "hash verification at the opening: the content does not decrypt"
		} else {
			verified[ob.BidID] = hashOf(content)
		}
		if err := b.recordRead(ctx, p, caseID, ob.BidID, purpose, true); err != nil {
			return nil, err
		}
	}
	return verified, nil
}

// Content returns an opened submission's content and logs the read; before
// the opening it logs the attempt and refuses. It is served to the lead's
// sealed readers and auditors, and to an evaluator appointed to the case who
// declared no conflict of interest, for the tenders in its lots (DOMAIN.md §2
// evaluator sub-machine, §4.4). A person appointed as an evaluator reads only
// as an evaluator, whatever other role they hold: without a declaration, or
// recused, they are refused, and the attempt is logged like every other.
func (b *Bids) Content(ctx context.Context, p Principal, caseID, bidID, purpose string) ([]byte, error) {
	everything, err := b.cases.d.ReadScope(p, ObjectProcurement)
	if err != nil {
		return nil, err
	}
	st, err := b.cases.State(ctx, caseID)
	if err != nil {
		return nil, err
	}
	bid, ok := st.Tendering.Bids[bidID]
	_, member := st.Members[p.Org]
	evaluator := appointedEvaluator(st, p)
	if !st.Created || !ok || !(everything || member || evaluator || p.Org == st.Hub || p.Org == bid.Supplier) {
		return nil, procurement.ErrBidNotFound // to others the submission does not exist
	}
	var allowed bool
	if b.cases.d.Authorize(p, ObjectProcurement, ActionReadBidContent) == nil {
		if evaluator {
			allowed = st.MayReadBidContent(p.User, p.Org, bidID)
		} else {
			allowed = (everything || (st.Lead != "" && p.Org == st.Lead)) &&
				b.cases.d.Authorize(p, ObjectProcurement, ActionReadSealedRecords) == nil
		}
	}
	if sealed := st.SealedBid(bidID); sealed || !allowed {
		if err := b.recordRead(ctx, p, caseID, bidID, purpose, false); err != nil {
			return nil, err
		}
		if sealed {
			return nil, ErrSealed // for everyone alike: no one learns more than that it is sealed
		}
		return nil, ErrNoContentAccess
	}
	content, err := b.sealed.Unseal(ctx, bid.CiphertextRef)
	if err == nil && hashOf(content) != bid.SHA256 {
		err = ErrContentAltered
	}
	if err != nil {
		if lerr := b.recordRead(ctx, p, caseID, bidID, purpose+" (refused: the content does not match what was received)", false); lerr != nil {
			return nil, lerr
		}
		return nil, fmt.Errorf("read submission %s: %w", bidID, err)
	}
	// Recorded before the content leaves: a read that cannot be recorded
	// returns nothing.
	if err := b.recordRead(ctx, p, caseID, bidID, purpose, true); err != nil {
		return nil, err
	}
	return content, nil
}

// AccessLog is the case's access log (reads of sealed content and of
// confidential fields, granted or not, oldest first, each with its place in
// the log), for the lead's sealed readers and auditors (platform readers).
func (b *Bids) AccessLog(ctx context.Context, p Principal, caseID string) ([]AccessEntry, error) {
	everything, err := b.cases.d.ReadScope(p, ObjectProcurement)
	if err != nil {
		return nil, err
	}
	st, err := b.cases.State(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if !st.Created || !(everything || (st.Lead != "" && p.Org == st.Lead)) || b.cases.d.Authorize(p, ObjectProcurement, ActionReadSealedRecords) != nil {
		return nil, ErrNoContentAccess
	}
	return b.access.Entries(ctx, caseID)
}

// appointedEvaluator says whether the principal is appointed as an evaluator
// of the case for the organisation it acts for (recused or not).
func appointedEvaluator(st procurement.State, p Principal) bool {
	ev, ok := st.Design.Evaluators[p.User]
	return ok && ev.Org == p.Org
}
