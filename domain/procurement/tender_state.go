package procurement

import (
	"slices"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Dialogue is the market dialogue as the case knows it.
type Dialogue struct {
	Notice    DialogueNoticePublished // zero until published
	Suppliers map[string]SupplierRegistered
	Events    map[string]DialogueEvent
	Questions map[string]Question
	Closed    *MarketDialogueClosed
}

// DialogueEvent is a scheduled dialogue event and what became of it.
type DialogueEvent struct {
	DialogueEventScheduled
	Cancelled bool
	Minutes   *DialogueMeetingMinuted
}

// Question is a supplier's question and its answer once published.
type Question struct {
	QuestionReceived
	Answer *AnswerPublished
}

// Design is the competition design.
type Design struct {
	Procedure     *ProcedureSelected
	Lots          LotsDefined
	Requirements  RequirementsDefined
	Qualification QualificationCriteriaDefined
	AwardCriteria map[string]AwardCriteriaDefined // by lot, "" = default
	Partnership   *PartnershipPhasesDefined
	Evaluators    map[string]EvaluatorAppointed // by person
	Timetable     *TimetableSet                 // nil until set, and again after a new procedure
	TimetableSets int                           // how many timetables were ever set: the next version is one more
	Documents     []DocumentsVersion            // every version submitted, oldest first
}

// DocumentsVersion is one version of the tender documents and its vote.
type DocumentsVersion struct {
	Version      int
	DocumentHash string
	Approvals    []string
	Rejections   []string
	Outcome      NeedsOutcome
}

// Tendering is the published competition.
type Tendering struct {
	Notice      *ContractNoticePublished
	Amendments  []TenderAmended
	Round       Round
	Deadline    time.Time // of the current round
	Bids        map[string]Bid
	Closed      map[Round]TenderingClosed
	OpeningBy   map[Round]string // the first person of a four-eyes opening
	Openings    map[Round]BidsOpened
	Reminders   map[string]bool // kind/subject/day already sent
	BidsByOrder []string        // bid IDs in the order received
}

// Bid is a sealed submission's metadata.
type Bid struct {
	SealedSubmission
	Round             Round
	Version           int // 1, then +1 per replacement
	Withdrawn         bool
	NeedsConfirmation bool
	Opened            bool
}

// CurrentDocuments is the latest submitted version of the tender documents.
func (s State) CurrentDocuments() (DocumentsVersion, bool) {
	if n := len(s.Design.Documents); n > 0 {
		return s.Design.Documents[n-1], true
	}
	return DocumentsVersion{}, false
}

// SealedBid says whether the content of submission id must stay sealed: every
// submission is sealed until the opening of its round.
func (s State) SealedBid(id string) bool {
	b, ok := s.Tendering.Bids[id]
	return !ok || !b.Opened
}

func evolveTender(s State, ev Event) State {
	switch e := ev.(type) {
	case DialogueNoticePublished:
		s.Dialogue.Notice, s.Phase = e, PhaseMarketDialogue
	case SupplierRegistered:
		s.Dialogue.Suppliers = with(s.Dialogue.Suppliers, e.Supplier, e)
	case DialogueEventScheduled:
		s.Dialogue.Events = with(s.Dialogue.Events, e.EventID, DialogueEvent{DialogueEventScheduled: e})
	case DialogueEventCancelled:
		d := s.Dialogue.Events[e.EventID]
		d.Cancelled = true
		s.Dialogue.Events = with(s.Dialogue.Events, e.EventID, d)
	case DialogueMeetingMinuted:
		d := s.Dialogue.Events[e.EventID]
		d.Minutes = &e
		s.Dialogue.Events = with(s.Dialogue.Events, e.EventID, d)
	case QuestionReceived:
		s.Dialogue.Questions = with(s.Dialogue.Questions, e.QuestionID, Question{QuestionReceived: e})
	case AnswerPublished:
		q := s.Dialogue.Questions[e.QuestionID]
		q.Answer = &e
		s.Dialogue.Questions = with(s.Dialogue.Questions, e.QuestionID, q)
	case MarketDialogueClosed:
		s.Dialogue.Closed, s.Phase = &e, PhaseDesign
	case ProcedureSelected:
		s.Design.Procedure = &e
		s.Design.Timetable = nil // the periods depend on the procedure: set them again
	case LotsDefined:
		s.Design.Lots = e
	case RequirementsDefined:
		s.Design.Requirements = e
	case QualificationCriteriaDefined:
		s.Design.Qualification = e
	case AwardCriteriaDefined:
		s.Design.AwardCriteria = with(s.Design.AwardCriteria, e.Lot, e)
	case PartnershipPhasesDefined:
		s.Design.Partnership = &e
	case EvaluatorAppointed:
		s.Design.Evaluators = with(s.Design.Evaluators, e.Person, e)
	case TimetableSet:
		s.Design.Timetable, s.Design.TimetableSets = &e, e.Version
	case TenderDocumentsSubmitted:
		s.Design.Documents = append(slices.Clip(s.Design.Documents), DocumentsVersion{Version: e.Version, DocumentHash: e.DocumentHash})
		s.Phase = PhaseApproval
	case TenderDocumentsApproved:
		s.Design.Documents = withVersion(s.Design.Documents, e.Version, func(d *DocumentsVersion) { d.Approvals = append(slices.Clip(d.Approvals), e.Org) })
	case TenderDocumentsRejected:
		s.Design.Documents = withVersion(s.Design.Documents, e.Version, func(d *DocumentsVersion) { d.Rejections = append(slices.Clip(d.Rejections), e.Org) })
	case TenderDocumentsDecided:
		s.Design.Documents = withVersion(s.Design.Documents, e.Version, func(d *DocumentsVersion) { d.Outcome = e.Outcome })
		if e.Outcome == NeedsRejected {
			s.Phase = PhaseDesign
		}
	case ContractNoticePublished:
		s.Tendering.Notice, s.Phase = &e, PhaseTendering
		s.Tendering.Round, s.Tendering.Deadline = e.Round, e.Deadline
	case TenderAmended:
		s.Tendering.Amendments = append(slices.Clip(s.Tendering.Amendments), e)
	case TenderDeadlineExtended:
		s.Tendering.Deadline = e.To
	case BidsRequireConfirmation:
		s.Tendering.Bids = withBids(s.Tendering.Bids, e.BidIDs, func(b *Bid) { b.NeedsConfirmation = true })
	case RequestToParticipateReceived:
		s.Tendering = s.Tendering.received(e.SealedSubmission, RoundRequests)
	case BidSubmitted:
		s.Tendering = s.Tendering.received(e.SealedSubmission, RoundTenders)
	case BidReplaced:
		s.Tendering.Bids = withBid(s.Tendering.Bids, e.BidID, func(b *Bid) {
			b.Version, b.ReceivedAt, b.SHA256, b.CiphertextRef, b.SizeBytes = e.Version, e.ReceivedAt, e.SHA256, e.CiphertextRef, e.SizeBytes
			b.NeedsConfirmation = false
		})
	case BidWithdrawn:
		s.Tendering.Bids = withBid(s.Tendering.Bids, e.BidID, func(b *Bid) { b.Withdrawn = true })
	case BidConfirmed:
		s.Tendering.Bids = withBid(s.Tendering.Bids, e.BidID, func(b *Bid) { b.NeedsConfirmation = false })
	case TenderingClosed:
		s.Tendering.Closed = with(s.Tendering.Closed, e.Round, e)
		if e.Round == RoundRequests {
			s.Phase = PhaseQualification
		} else {
			s.Phase = PhaseReceiptClosed
		}
	case BidOpeningStarted:
		s.Tendering.OpeningBy = with(s.Tendering.OpeningBy, e.Round, e.By)
	case BidsOpened:
		s.Tendering.Openings = with(s.Tendering.Openings, e.Round, e)
		ids := make([]string, len(e.Bids))
		for i, b := range e.Bids {
			ids[i] = b.BidID
		}
		s.Tendering.Bids = withBids(s.Tendering.Bids, ids, func(x *Bid) { x.Opened = true })
		if e.Round == RoundTenders {
			s.Phase = PhaseEvaluation
		}
	case ReminderSent:
		s.Tendering.Reminders = with(s.Tendering.Reminders, reminderKey(e.Kind, e.Subject, e.Day), true)
	}
	return s
}

func (t Tendering) received(sub SealedSubmission, round Round) Tendering {
	t.Bids = with(t.Bids, sub.BidID, Bid{SealedSubmission: sub, Round: round, Version: 1})
	t.BidsByOrder = append(slices.Clip(t.BidsByOrder), sub.BidID)
	return t
}

func withBid(m map[string]Bid, id string, change func(*Bid)) map[string]Bid {
	b, ok := m[id]
	if !ok {
		return m
	}
	change(&b)
	return with(m, id, b)
}

// withBids copies the map once and changes several bids: an opening of n
// bids stays linear.
func withBids(m map[string]Bid, ids []string, change func(*Bid)) map[string]Bid {
	out := make(map[string]Bid, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, id := range ids {
		if b, ok := out[id]; ok {
			change(&b)
			out[id] = b
		}
	}
	return out
}

func reminderKey(k ReminderKind, subject, day string) string {
	return string(k) + "\x00" + subject + "\x00" + day
}

// procedure is the selected procedure, "" before one is selected.
func (s State) procedure() timelimits.Procedure {
	if s.Design.Procedure == nil {
		return ""
	}
	return s.Design.Procedure.Procedure
}
