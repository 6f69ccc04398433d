package ocds

import (
	"fmt"
	"testing"
	"time"

	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
)

// logBuilder writes a log by hand: organisations and one case's events, each
// with its own ID, position and time, as the store would hand them over.
type logBuilder struct {
	t      testing.TB
	recs   []eventstore.Record
	at     time.Time
	caseID string
}

const testCase = "0193e1a4-7c2b-7d3e-9f00-000000000001"

func newLog(t testing.TB) *logBuilder {
	return &logBuilder{t: t, at: time.Date(2031, 3, 2, 9, 0, 0, 0, time.UTC), caseID: testCase}
}

// later moves the clock on by d.
func (l *logBuilder) later(d time.Duration) *logBuilder { l.at = l.at.Add(d); return l }

func (l *logBuilder) add(stream, typ string, version int, data []byte) eventstore.Record {
	n := len(l.recs) + 1
	rec := eventstore.Record{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Stream: stream,
		Position: eventstore.Seq(uint64(n)), Type: typ, SchemaVersion: version, Data: data,
		Metadata: eventstore.Metadata{User: "person-" + stream, OccurredAt: l.at}}
	l.recs = append(l.recs, rec)
	l.at = l.at.Add(time.Minute)
	return rec
}

func (l *logBuilder) org(id, name, number string, kind organisation.Kind) *logBuilder {
	ev := organisation.OrganisationRegistered{ID: id, Kind: kind, Name: name, OrgNumber: number}
	name, v, data, err := organisation.Events().Encode(ev)
	if err != nil {
		l.t.Fatal(err)
	}
	l.add(organisation.StreamID(id), name, v, data)
	return l
}

func (l *logBuilder) events(evs ...procurement.Event) *logBuilder {
	for _, ev := range evs {
		name, v, data, err := procurement.Events().Encode(ev)
		if err != nil {
			l.t.Fatal(err)
		}
		l.add(procurement.StreamID(l.caseID), name, v, data)
	}
	return l
}

// releases folds the log written so far.
func (l *logBuilder) releases() []Release {
	l.t.Helper()
	log, err := NewLog(DefaultConfig, nil)
	if err != nil {
		l.t.Fatal(err)
	}
	for _, r := range l.recs {
		if err := log.Add(r); err != nil {
			l.t.Fatal(err)
		}
	}
	ps := log.Processes()
	if len(ps) != 1 {
		l.t.Fatalf("one case, got %d", len(ps))
	}
	return ps[0].Releases
}

// Secrets planted in the fixture: none may appear in open data.
const (
	secretDraft         = "UTKAST: vi vurderer å trekke oss"
	secretSubmittedNeed = "Hemmelig behov fra Bergen"
	secretScoreWhy      = "Evaluator fant svakheter i løsningen"
	secretClarification = "Vårt kostnadsgrunnlag er 12 % margin"
	secretComplainant   = "nordic"
	secretPerson        = "bergen-eva"
	secretMinutesHash   = "aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11"
	secretCostShare     = "3719"
	secretAgreementTerm = "Ansvar fordeles etter innbyggertall"
)

var (
	hash1 = "1111111111111111111111111111111111111111111111111111111111111111"
	hash2 = "2222222222222222222222222222222222222222222222222222222222222222"
)

// wholeCase is a joint procurement from creation to a closed contract, with
// a private draft, scores, a clarification, negotiation minutes and a
// complaint on the way.
func wholeCase(t testing.TB) *logBuilder {
	l := newLog(t).
		org("hub", "Innkjøpssamarbeidet Vest", "999 888 777", organisation.KindHub).
		org("bergen", "Bergen kommune", "964 338 531", organisation.KindMunicipality).
		org("oslo", "Oslo kommune", "958 935 420", organisation.KindMunicipality).
		org("acme", "Acme Velferdsteknologi AS", "912 345 678", organisation.KindSupplier).
		org("nordic", "Nordic Care AS", "923 456 789", organisation.KindSupplier)
	day := 24 * time.Hour
	notice := l.at.Add(60 * day)
	deadline := notice.Add(35 * day)
	l.events(
		procurement.CaseCreated{ID: testCase, Title: "Digitalt tilsyn", Description: "Felles anskaffelse av digitalt tilsyn",
			Jurisdiction: procurement.JurisdictionNO, CPV: []string{"48000000", "33190000"}, Hub: "hub"},
		procurement.MunicipalityInvited{Org: "bergen"}, procurement.MunicipalityInvited{Org: "oslo"},
		procurement.MunicipalityJoined{Org: "bergen"}, procurement.MunicipalityJoined{Org: "oslo"},
		procurement.CooperationAgreementDrafted{Version: 1, Terms: procurement.AgreementTerms{DocumentHash: hash1, LiabilityTerms: secretAgreementTerm}},
		procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}},
		procurement.CostSharesCalculated{KeyVersion: 1, Reason: "key set", Shares: []procurement.MemberShare{
			{Org: "bergen", BasisPoints: 3719}, {Org: "oslo", BasisPoints: 6281}}},
		procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 1, Notes: secretDraft},
		procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: []procurement.Need{{ID: "n1", Statement: secretSubmittedNeed}}},
		procurement.NeedsConsolidated{Version: 1, CommonNeeds: []procurement.CommonNeed{{ID: "c1", Statement: "Trygg hjemmeboing med varsling av fall"}}},
		procurement.ConsolidatedNeedsDecided{Version: 1, Outcome: procurement.NeedsApproved},
		procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: "bergen", Lot: "lot-1", Type: procurement.CommitmentBinding, Quantity: "100", Unit: "stk", EstimatedValue: 1_000_000_00, Currency: "NOK"}},
		procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: "oslo", Lot: "lot-1", Type: procurement.CommitmentBinding, Quantity: "200", Unit: "stk", EstimatedValue: 2_000_000_50, Currency: "NOK"}},
		procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1"},
		procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{{ID: "lot-1", Title: "Tilsyn", Members: []string{"bergen", "oslo"}, EstimatedValue: "3000000.50"}}},
		procurement.AwardCriteriaDefined{Version: 1, Criteria: []procurement.AwardCriterion{
			{ID: "pris", Name: "Pris", Type: procurement.CriterionPrice, Weight: "30"},
			{ID: "kvalitet", Name: "Kvalitet", Type: procurement.CriterionQuality, Weight: "70"}}},
	)
	l.at = notice
	l.events(
		procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2031-100001", DocumentsVersion: 1,
			DocumentHash: hash2, Buyers: []string{"bergen", "oslo"}, PublishedAt: notice, Round: procurement.RoundTenders, Deadline: deadline},
		procurement.QuestionReceived{QuestionID: "q1", Supplier: "acme", Text: "Spørsmål fra Acme om pris", ReceivedAt: l.at},
		procurement.AnswerPublished{QuestionID: "q1", AnonymisedQuestion: "Hvordan oppgis pris?", Answer: "Per bruker per måned", PublishedAt: l.at.Add(day)},
		procurement.BidSubmitted{SealedSubmission: procurement.SealedSubmission{BidID: "bid-acme", Supplier: "acme", Lots: []string{"lot-1"}, SHA256: hash1}},
		procurement.BidSubmitted{SealedSubmission: procurement.SealedSubmission{BidID: "bid-nordic", Supplier: "nordic", Lots: []string{"lot-1"}, SHA256: hash2}},
	)
	l.at = deadline
	l.events(
		procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: deadline, ClosedAt: deadline, Submissions: []string{"bid-acme", "bid-nordic"}, PerLot: map[string]int{"lot-1": 2}},
		procurement.BidsOpened{Round: procurement.RoundTenders, OpenedAt: deadline, Bids: []procurement.OpenedBid{{BidID: "bid-acme", Supplier: "acme"}, {BidID: "bid-nordic", Supplier: "nordic"}}},
		procurement.NegotiationRoundHeld{Round: 1, Supplier: "acme", MinutesHash: secretMinutesHash},
		procurement.BidScored{Evaluator: secretPerson, BidID: "bid-acme", Criterion: "kvalitet", Score: 9, Justification: secretScoreWhy},
		procurement.ClarificationRequested{ClarificationID: "k1", BidID: "bid-nordic", Supplier: "nordic", Question: "Forklar prisen"},
		procurement.ClarificationReceived{ClarificationID: "k1", BidID: "bid-nordic", Answer: secretClarification},
		procurement.ConsensusScoreRecorded{BidID: "bid-acme", Criterion: "kvalitet", Score: 9, Rationale: secretScoreWhy,
			Individual: []procurement.IndividualScore{{Evaluator: secretPerson, Score: 9}}},
		procurement.AwardDecided{AwardID: "award-1", Lot: "lot-1", BidID: "bid-acme", Supplier: "acme", Value: "2900000", Mode: procurement.AwardJoint,
			DecidedBy: "oslo", For: []string{"bergen", "oslo"}, DecisionDocHash: hash1, DecidedAt: deadline.Add(7 * day)},
	)
	l.at = deadline.Add(7 * day)
	l.events(
		procurement.AwardNotificationSent{Recipients: []string{"acme", "nordic"}, Awards: []string{"award-1"}, ReasonsHash: hash2,
			SentAt: l.at, StandstillEnd: l.at.Add(10 * day)},
		procurement.ComplaintReceived{ComplaintID: "klage-1", Complainant: secretComplainant, Forum: procurement.ForumKOFA, Grounds: "Feil i evalueringen", ReceivedAt: l.at.Add(2 * day)},
		procurement.ReviewResolved{ComplaintID: "klage-1", Outcome: procurement.ReviewContinue, Ruling: "Klagen ble ikke tatt til følge", ResolvedAt: l.at.Add(8 * day)},
		procurement.StandstillEnded{EndedAt: l.at.Add(11 * day)},
		procurement.ContractSignatureRecorded{ContractID: "kontrakt-1", AwardID: "award-1", Org: "oslo", For: []string{"bergen", "oslo"}, Signatory: "oslo-signer"},
		procurement.ContractSigned{ContractID: "kontrakt-1", AwardID: "award-1", Lot: "lot-1", Supplier: "acme", Buyers: []string{"bergen", "oslo"},
			Signatories: []string{"oslo-signer", "acme-ceo"}, Terms: procurement.ContractTerms{Value: "2900000", StartDate: "2031-08-01", EndDate: "2033-07-31"}, SignedAt: l.at.Add(12 * day)},
		procurement.AwardNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2031-200001", Contracts: []string{"kontrakt-1"}, PublishedAt: l.at.Add(13 * day)},
		procurement.PaymentRecorded{PaymentID: "pay-1", ContractID: "kontrakt-1", Org: "bergen", Amount: "125000.50", PaidOn: "2031-09-30"},
		procurement.MilestoneRecorded{MilestoneID: "m1", ContractID: "kontrakt-1", Title: "Pilot", Status: procurement.MilestoneMet, RecordedAt: l.at.Add(60 * day)},
		procurement.ContractClosed{ContractID: "kontrakt-1", FinalStatus: procurement.FinalComplete, ClosedAt: l.at.Add(400 * day)},
	)
	return l
}
