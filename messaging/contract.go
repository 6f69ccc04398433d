package messaging

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// ContractV1 names the integration event contract (docs/integration.md).
const ContractV1 = "felles.integration.v1"

// IntegrationEvent is what an outside system receives for one event of the
// log: a documented, versioned shape, not the internal event struct. Data is
// given for the types docs/integration.md lists (DataVersion says its shape);
// for every other type the event is a notice without data, to be read through
// the API's history if the system may.
type IntegrationEvent struct {
	Contract      string         `json:"contract"`
	ID            string         `json:"id"` // the event ID: receivers de-duplicate on it
	Type          string         `json:"type"`
	DataVersion   int            `json:"dataVersion,omitempty"`
	CaseID        string         `json:"caseId,omitempty"`
	Stream        string         `json:"stream"`
	Revision      uint64         `json:"revision"`
	Position      string         `json:"position"`
	OccurredAt    time.Time      `json:"occurredAt"`
	ActingOrg     string         `json:"actingOrganisation"`
	Recipient     string         `json:"recipient"`
	Data          map[string]any `json:"data,omitempty"`
	CorrelationID string         `json:"correlationId,omitempty"`
}

// integrationEvent builds the contract of rec for recipient.
func integrationEvent(rec eventstore.Record, ev procurement.Event, recipient string) IntegrationEvent {
	out := IntegrationEvent{Contract: ContractV1, ID: rec.ID, Type: rec.Type, Stream: rec.Stream, Revision: rec.Revision,
		Position: rec.Position.String(), OccurredAt: rec.Metadata.OccurredAt.UTC(), ActingOrg: rec.Metadata.Org,
		Recipient: recipient, CorrelationID: rec.Metadata.CorrelationID}
	if id, ok := strings.CutPrefix(rec.Stream, "procurement-"); ok {
		out.CaseID = id
	}
	if ev != nil {
		if data := contractData(ev); data != nil {
			out.DataVersion, out.Data = 1, data
		}
	}
	return out
}

// contractData is version 1 of the data of the types with a contract. Every
// field here is documented in docs/integration.md; changing one is a new
// version.
func contractData(ev procurement.Event) map[string]any {
	switch e := ev.(type) {
	case procurement.CaseCreated:
		return map[string]any{"title": e.Title, "jurisdiction": e.Jurisdiction, "cpv": nonNil(e.CPV), "hub": e.Hub}
	case procurement.MunicipalityInvited:
		return map[string]any{"organisation": e.Org}
	case procurement.MunicipalityJoined:
		return map[string]any{"organisation": e.Org}
	case procurement.InvitationDeclined:
		return map[string]any{"organisation": e.Org}
	case procurement.MunicipalityWithdrawn:
		return map[string]any{"organisation": e.Org}
	case procurement.LeadAuthorityDesignated:
		return map[string]any{"lead": e.Lead}
	case procurement.CooperationAgreementSigned:
		return map[string]any{"organisation": e.Org, "version": e.Version, "documentHash": e.DocumentHash}
	case procurement.AgreementConcluded:
		return map[string]any{"version": e.Version, "lead": e.Lead, "members": nonNil(e.Members)}
	case procurement.CostSharesCalculated:
		shares := make([]map[string]any, 0, len(e.Shares))
		for _, s := range e.Shares {
			shares = append(shares, map[string]any{"organisation": s.Org, "basisPoints": s.BasisPoints})
		}
		return map[string]any{"effectiveAt": e.EffectiveAt.UTC(), "shares": shares}
	case procurement.NeedsSubmitted:
		return map[string]any{"organisation": e.Org, "version": e.Version}
	case procurement.ConsolidatedNeedsDecided:
		return map[string]any{"version": e.Version, "outcome": e.Outcome}
	case procurement.VolumeCommitted:
		return commitment(e.Commitment)
	case procurement.VolumeCommitmentChanged:
		return commitment(e.Commitment)
	case procurement.ContractNoticePublished:
		return map[string]any{"channel": e.Channel, "externalNoticeId": e.ExternalNoticeID, "publishedAt": e.PublishedAt.UTC(),
			"deadline": e.Deadline.UTC(), "buyers": nonNil(e.Buyers)}
	case procurement.TenderDeadlineExtended:
		return map[string]any{"round": e.Round, "from": e.From.UTC(), "to": e.To.UTC()}
	case procurement.TenderingClosed:
		return map[string]any{"round": e.Round, "closedAt": e.ClosedAt.UTC(), "submissions": len(e.Submissions)}
	case procurement.AwardDecided:
		return map[string]any{"awardId": e.AwardID, "lot": e.Lot, "supplier": e.Supplier, "value": e.Value, "for": nonNil(e.For)}
	case procurement.AwardNotificationSent:
		return map[string]any{"awards": nonNil(e.Awards), "sentAt": e.SentAt.UTC(), "standstillEnd": e.StandstillEnd.UTC()}
	case procurement.StandstillEnded:
		return map[string]any{"endedAt": e.EndedAt.UTC()}
	case procurement.ContractSigned:
		return map[string]any{"contractId": e.ContractID, "awardId": e.AwardID, "lot": e.Lot, "supplier": e.Supplier,
			"buyers": nonNil(e.Buyers), "value": e.Terms.Value, "startDate": e.Terms.StartDate, "endDate": e.Terms.EndDate}
	case procurement.CallOffPlaced:
		return map[string]any{"callOffId": e.CallOffID, "contractId": e.ContractID, "organisation": e.Org, "value": e.Value,
			"placedAt": e.PlacedAt.UTC()}
	case procurement.PaymentRecorded:
		return map[string]any{"paymentId": e.PaymentID, "contractId": e.ContractID, "organisation": e.Org, "amount": e.Amount, "paidOn": e.PaidOn}
	case procurement.ContractClosed:
		return map[string]any{"contractId": e.ContractID, "finalStatus": e.FinalStatus, "closedAt": e.ClosedAt.UTC()}
	case procurement.ProcurementCancelled:
		return map[string]any{"reason": e.Reason}
	case procurement.ProcurementUnsuccessful:
		return map[string]any{"reason": e.Reason, "explanation": e.Explanation}
	case procurement.CaseClosed:
		return map[string]any{"closedAt": e.ClosedAt.UTC()}
	}
	return nil
}

func commitment(c procurement.Commitment) map[string]any {
	return map[string]any{"organisation": c.Org, "lot": c.Lot, "type": c.Type, "quantity": c.Quantity, "unit": c.Unit,
		"estimatedValueMinor": c.EstimatedValue, "currency": c.Currency, "budgetYears": nonNilInts(c.BudgetYears)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

// marshal is the message payload.
func (e IntegrationEvent) marshal() ([]byte, error) { return json.Marshal(e) }
