package app

import (
	"context"
	"time"

	"github.com/felles/felles/domain/procurement"
)

// The commands of the cooperation set-up and the needs phase (DOMAIN.md §1
// P1–P2). Each passes the domain's own input types through: the decider
// validates them, so there is one place that says what is valid.

// DraftAgreement drafts version 1 of the cooperation agreement.
func (s *Procurements) DraftAgreement(ctx context.Context, p Principal, meta CommandMeta, caseID string, terms procurement.AgreementTerms) (Result, error) {
	return s.run(ctx, p, meta, "DraftCooperationAgreement", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DraftCooperationAgreement{Terms: terms, By: p, At: at}, nil
	})
}

// AmendAgreement replaces the current version fromVersion with new terms.
func (s *Procurements) AmendAgreement(ctx context.Context, p Principal, meta CommandMeta, caseID string, fromVersion int, terms procurement.AgreementTerms) (Result, error) {
	return s.run(ctx, p, meta, "AmendCooperationAgreement", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.AmendCooperationAgreement{FromVersion: fromVersion, Terms: terms, By: p, At: at}, nil
	})
}

// SignatureInput is what a member's signatory signs.
type SignatureInput struct {
	Version                    int
	DocumentHash, SignatureRef string
}

// SignAgreement signs a version for the acting member.
func (s *Procurements) SignAgreement(ctx context.Context, p Principal, meta CommandMeta, caseID string, in SignatureInput) (Result, error) {
	return s.run(ctx, p, meta, "SignCooperationAgreement", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SignCooperationAgreement{Version: in.Version, DocumentHash: in.DocumentHash, SignatureRef: in.SignatureRef, By: p, At: at}, nil
	})
}

// ConsentToLead records the acting member's consent to lead as the lead.
func (s *Procurements) ConsentToLead(ctx context.Context, p Principal, meta CommandMeta, caseID, lead string) (Result, error) {
	return s.run(ctx, p, meta, "ConsentToLead", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ConsentToLead{Lead: lead, By: p, At: at}, nil
	})
}

// DesignateLead designates the lead every member consented to.
func (s *Procurements) DesignateLead(ctx context.Context, p Principal, meta CommandMeta, caseID, lead string) (Result, error) {
	return s.run(ctx, p, meta, "DesignateLeadAuthority", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DesignateLeadAuthority{Lead: lead, By: p, At: at}, nil
	})
}

// SetCostKey sets the cost-sharing key.
func (s *Procurements) SetCostKey(ctx context.Context, p Principal, meta CommandMeta, caseID string, key procurement.CostKey) (Result, error) {
	return s.run(ctx, p, meta, "SetCostSharingKey", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SetCostSharingKey{Key: key, By: p, At: at}, nil
	})
}

// SaveNeedsDraft saves the acting member's private draft.
func (s *Procurements) SaveNeedsDraft(ctx context.Context, p Principal, meta CommandMeta, caseID string, needs []procurement.Need, notes string) (Result, error) {
	return s.run(ctx, p, meta, "SaveNeedsDraft", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SaveNeedsDraft{Needs: needs, Notes: notes, By: p, At: at}, nil
	})
}

// SubmitNeeds submits the acting member's needs.
func (s *Procurements) SubmitNeeds(ctx context.Context, p Principal, meta CommandMeta, caseID string, needs []procurement.Need, adoptCommonNeed bool) (Result, error) {
	return s.run(ctx, p, meta, "SubmitNeeds", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SubmitNeeds{Needs: needs, AdoptCommonNeed: adoptCommonNeed, By: p, At: at}, nil
	})
}

// ConsolidateNeeds states the common needs of the latest submissions.
func (s *Procurements) ConsolidateNeeds(ctx context.Context, p Principal, meta CommandMeta, caseID string, common []procurement.CommonNeed, divergences []procurement.Divergence) (Result, error) {
	return s.run(ctx, p, meta, "ConsolidateNeeds", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ConsolidateNeeds{CommonNeeds: common, Divergences: divergences, By: p, At: at}, nil
	})
}

// ApproveNeeds approves a consolidated version for the acting member.
func (s *Procurements) ApproveNeeds(ctx context.Context, p Principal, meta CommandMeta, caseID string, version int, comment string) (Result, error) {
	return s.run(ctx, p, meta, "ApproveConsolidatedNeeds", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ApproveConsolidatedNeeds{Version: version, Comment: comment, By: p, At: at}, nil
	})
}

// RejectNeeds rejects a consolidated version for the acting member.
func (s *Procurements) RejectNeeds(ctx context.Context, p Principal, meta CommandMeta, caseID string, version int, comment string) (Result, error) {
	return s.run(ctx, p, meta, "RejectConsolidatedNeeds", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RejectConsolidatedNeeds{Version: version, Comment: comment, By: p, At: at}, nil
	})
}

// CommitmentInput is a volume a member's budget holder commits.
type CommitmentInput struct {
	Lot                      string
	Type                     procurement.CommitmentType
	Quantity, Unit           string
	EstimatedValue, Currency string
	BudgetYears              []int
}

// CommitVolume commits or changes a volume for the acting member.
func (s *Procurements) CommitVolume(ctx context.Context, p Principal, meta CommandMeta, caseID string, in CommitmentInput) (Result, error) {
	return s.run(ctx, p, meta, "CommitVolume", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CommitVolume{Lot: in.Lot, Type: in.Type, Quantity: in.Quantity, Unit: in.Unit,
			EstimatedValue: in.EstimatedValue, Currency: in.Currency, BudgetYears: in.BudgetYears, By: p, At: at}, nil
	})
}
