package ocds

import (
	"fmt"
	"slices"
	"sort"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// contract maps contracts and their implementation (DOMAIN.md §6, rows
// contract, contractUpdate, implementation, implementationUpdate,
// contractTermination). Persons never appear: signatories are the signing
// organisations.
func (b *caseBuilder) contract(r *Release, _ eventstore.Record, ev procurement.Event) string {
	switch e := ev.(type) {
	case procurement.ContractSigned:
		b.contracts[e.ContractID] = e
		c := Contract{ID: e.ContractID, AwardID: e.AwardID, Status: "active", DateSigned: stamp(e.SignedAt),
			Value: b.money(e.Terms.Value), Period: &Period{StartDate: b.day(e.Terms.StartDate), EndDate: b.day(e.Terms.EndDate)},
			Signatories: b.refs(append(slices.Clone(e.Buyers), e.Supplier))}
		if len(e.Buyers) == 1 {
			c.Buyer = b.ref(e.Buyers[0])
		}
		if e.Terms.Framework {
			c.Title = "Framework agreement"
		}
		r.Contracts = []Contract{c}
		return "contract"
	case procurement.AwardNoticePublished:
		doc := Document{ID: "award-notice", DocumentType: "awardNotice",
			Title: noticeTitle("Contract award notice", e.Channel, e.ExternalNoticeID), DatePublished: stamp(e.PublishedAt)}
		for _, id := range sorted(e.Contracts) {
			if c, ok := b.contracts[id]; ok {
				r.Contracts = append(r.Contracts, Contract{ID: id, AwardID: c.AwardID, Documents: []Document{doc}})
			}
		}
		if len(r.Contracts) == 0 {
			return ""
		}
		return "contractUpdate"
	case procurement.MilestoneRecorded:
		c, ok := b.contracts[e.ContractID]
		if !ok {
			return ""
		}
		m := Milestone{ID: e.MilestoneID, Title: e.Title, Type: "delivery", Status: milestoneStatus(e.Status), Description: e.Note}
		if e.Status != procurement.MilestoneNotMet {
			m.DateMet = stamp(e.RecordedAt)
		}
		r.Contracts = []Contract{{ID: c.ContractID, AwardID: c.AwardID, Milestones: []Milestone{m}}}
		return "contractUpdate"
	case procurement.PartnershipPhaseCompleted:
		status := "met"
		if len(e.TargetsMissed) > 0 {
			status = "partiallyMet"
		}
		m := Milestone{ID: "phase-" + e.PhaseID, Type: "delivery", Status: status, DateMet: stamp(e.DecidedAt),
			Description: fmt.Sprintf("Phase gate: %s. Intermediate targets met: %d, missed: %d.",
				gate(e.Decision), len(e.TargetsMet), len(e.TargetsMissed))}
		for _, c := range b.activeContracts() {
			r.Contracts = append(r.Contracts, Contract{ID: c.ContractID, AwardID: c.AwardID, Milestones: []Milestone{m}})
		}
		if len(r.Contracts) == 0 {
			return ""
		}
		return "contractUpdate"
	case procurement.PartnershipTerminated:
		for _, c := range b.activeContracts() {
			b.closedContract(c.ContractID)
			r.Contracts = append(r.Contracts, Contract{ID: c.ContractID, AwardID: c.AwardID, Status: "terminated",
				Description: "The partnership was terminated after phase " + e.PhaseID + ": " + e.Reason})
		}
		if len(r.Contracts) == 0 {
			return ""
		}
		return "contractTermination"
	case procurement.PaymentRecorded:
		c, ok := b.contracts[e.ContractID]
		if !ok {
			return ""
		}
		b.addRole(e.Org, "payer")
		b.addRole(c.Supplier, "payee")
		r.Contracts = []Contract{{ID: c.ContractID, AwardID: c.AwardID, Implementation: &Implementation{
			Transactions: []Transaction{{ID: e.PaymentID, Date: b.day(e.PaidOn), Value: b.money(e.Amount),
				Payer: b.ref(e.Org), Payee: b.ref(c.Supplier)}}}}}
		return "implementation"
	case procurement.EffectMeasured:
		doc := Document{ID: e.MeasurementID, DocumentType: "physicalProgressReport", Title: "Effect measured: " + e.KPI,
			Description: fmt.Sprintf("%s %s against a baseline of %s, from %s to %s (%s); measured by %s.",
				e.Value, e.Unit, e.Baseline, e.PeriodFrom, e.PeriodTo, e.Method, joinNames(b, []string{e.Org})),
			DatePublished: r.Date}
		for _, c := range b.contractsOf(e.Org) {
			r.Contracts = append(r.Contracts, Contract{ID: c.ContractID, AwardID: c.AwardID,
				Implementation: &Implementation{Documents: []Document{doc}}})
		}
		if len(r.Contracts) == 0 {
			return ""
		}
		return "implementationUpdate"
	case procurement.ContractClosed:
		c, ok := b.contracts[e.ContractID]
		if !ok {
			return ""
		}
		b.closedContract(e.ContractID)
		desc := "Closed: the contract was completed."
		if e.FinalStatus == procurement.FinalIncomplete {
			desc = "Closed: the contract ended before it was completed."
		}
		r.Contracts = []Contract{{ID: c.ContractID, AwardID: c.AwardID, Status: "terminated", Description: desc}}
		return "contractTermination"
	}
	return ""
}

// closedContract marks a contract no longer active.
func (b *caseBuilder) closedContract(id string) { b.ended[id] = true }

func (b *caseBuilder) activeContracts() []procurement.ContractSigned {
	var out []procurement.ContractSigned
	for _, id := range sortedKeys(b.contracts) {
		if !b.ended[id] {
			out = append(out, b.contracts[id])
		}
	}
	return out
}

func (b *caseBuilder) contractsOf(org string) []procurement.ContractSigned {
	var out []procurement.ContractSigned
	for _, c := range b.activeContracts() {
		if slices.Contains(c.Buyers, org) {
			out = append(out, c)
		}
	}
	return out
}

func milestoneStatus(s procurement.MilestoneStatus) string {
	switch s {
	case procurement.MilestoneMet:
		return "met"
	case procurement.MilestonePartiallyMet:
		return "partiallyMet"
	}
	return "notMet"
}

func gate(d procurement.GateDecision) string {
	if d == procurement.GateTerminate {
		return "terminate"
	}
	return "continue"
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
