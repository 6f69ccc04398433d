package graphql

import (
	"context"
	"math"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/procurement"
)

type decisionRulesInput struct{ Procedure, Approval, Award string }

type agreementTermsInput struct {
	DocumentHash    string
	DecisionRules   decisionRulesInput
	SigningModel    string
	LiabilityTerms  string
	WithdrawalTerms string
}

func (t agreementTermsInput) domain() procurement.AgreementTerms {
	return procurement.AgreementTerms{
		DocumentHash: t.DocumentHash,
		DecisionRules: procurement.DecisionRules{Procedure: procurement.DecisionRule(t.DecisionRules.Procedure),
			Approval: procurement.DecisionRule(t.DecisionRules.Approval), Award: procurement.DecisionRule(t.DecisionRules.Award)},
		SigningModel: procurement.SigningModel(t.SigningModel), LiabilityTerms: t.LiabilityTerms, WithdrawalTerms: t.WithdrawalTerms,
	}
}

func (r *resolver) DraftCooperationAgreement(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Terms         agreementTermsInput
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DraftAgreement(ctx, p, m, id, in.Terms.domain())
	})
}

func (r *resolver) AmendCooperationAgreement(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		FromVersion   int32
		Terms         agreementTermsInput
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.AmendAgreement(ctx, p, m, id, int(in.FromVersion), in.Terms.domain())
	})
}

func (r *resolver) SignCooperationAgreement(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Version       int32
		DocumentHash  string
		SignatureRef  string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.SignAgreement(ctx, p, m, id, app.SignatureInput{Version: int(in.Version), DocumentHash: in.DocumentHash, SignatureRef: in.SignatureRef})
	})
}

type leadInput struct {
	ProcurementID gql.ID
	Lead          gql.ID
	CommandID     *gql.ID
}

func (r *resolver) ConsentToLead(ctx context.Context, args struct{ Input leadInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ConsentToLead(ctx, p, m, id, string(in.Lead))
	})
}

func (r *resolver) DesignateLeadAuthority(ctx context.Context, args struct{ Input leadInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DesignateLead(ctx, p, m, id, string(in.Lead))
	})
}

type populationInput struct {
	OrganisationID gql.ID
	Population     int32
	Source         string
	RefDate        string
}

func (r *resolver) SetCostSharingKey(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Method        string
		Weights       *struct{ Equal, Population, Volume float64 }
		CountOptions  *bool
		Populations   *[]populationInput
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	key := procurement.CostKey{Method: costshare.Method(in.Method), CountOptions: in.CountOptions != nil && *in.CountOptions}
	if w := in.Weights; w != nil {
		var err error
		if key.Weights, err = weightsToBasisPoints(w.Equal, w.Population, w.Volume); err != nil {
			return procurementPayload{}, err
		}
	}
	if in.Populations != nil {
		for _, p := range *in.Populations {
			key.Populations = append(key.Populations, procurement.PopulationFigure{Org: string(p.OrganisationID), Population: int64(p.Population), Source: p.Source, RefDate: p.RefDate})
		}
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.SetCostKey(ctx, p, m, id, key)
	})
}

// weightsToBasisPoints turns decimal weights into exact basis points; a weight
// with more than four decimals is refused rather than rounded, so what the
// hub typed is what the key says.
func weightsToBasisPoints(equal, population, volume float64) (procurement.KeyWeights, error) {
	var out [3]int64
	for i, w := range []float64{equal, population, volume} {
		bp := math.Round(w * float64(costshare.One))
		if math.IsNaN(w) || math.IsInf(w, 0) || math.Abs(w*float64(costshare.One)-bp) > 1e-6 {
			return procurement.KeyWeights{}, badInput("costshare.weight_precision", "weights are decimals with at most four places, e.g. 0.25")
		}
		out[i] = int64(bp)
	}
	return procurement.KeyWeights{Equal: out[0], Population: out[1], Volume: out[2]}, nil
}

type needInput struct {
	ID                                                     gql.ID
	Statement, UserGroup, CurrentSolution, SuccessCriteria *string
}

func needsOf(in []needInput) []procurement.Need {
	out := make([]procurement.Need, len(in))
	for i, n := range in {
		out[i] = procurement.Need{ID: string(n.ID), Statement: deref(n.Statement), UserGroup: deref(n.UserGroup),
			CurrentSolution: deref(n.CurrentSolution), SuccessCriteria: deref(n.SuccessCriteria)}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r *resolver) SaveNeedsDraft(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Needs         []needInput
		Notes         *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.SaveNeedsDraft(ctx, p, m, id, needsOf(in.Needs), deref(in.Notes))
	})
}

func (r *resolver) SubmitNeeds(ctx context.Context, args struct {
	Input struct {
		ProcurementID   gql.ID
		Needs           []needInput
		AdoptCommonNeed *bool
		CommandID       *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	adopt := in.AdoptCommonNeed != nil && *in.AdoptCommonNeed
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.SubmitNeeds(ctx, p, m, id, needsOf(in.Needs), adopt)
	})
}

func (r *resolver) ConsolidateNeeds(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		CommonNeeds   []struct {
			ID        gql.ID
			Statement string
			Sources   []struct{ OrganisationID, NeedID gql.ID }
		}
		Divergences *[]struct {
			Topic, Description string
			OrganisationIDs    []gql.ID
		}
		CommandID *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	common := make([]procurement.CommonNeed, len(in.CommonNeeds))
	for i, c := range in.CommonNeeds {
		common[i] = procurement.CommonNeed{ID: string(c.ID), Statement: c.Statement, Sources: make([]procurement.NeedRef, len(c.Sources))}
		for j, s := range c.Sources {
			common[i].Sources[j] = procurement.NeedRef{Org: string(s.OrganisationID), NeedID: string(s.NeedID)}
		}
	}
	var divergences []procurement.Divergence
	if in.Divergences != nil {
		for _, d := range *in.Divergences {
			orgs := make([]string, len(d.OrganisationIDs))
			for i, o := range d.OrganisationIDs {
				orgs[i] = string(o)
			}
			divergences = append(divergences, procurement.Divergence{Topic: d.Topic, Description: d.Description, Orgs: orgs})
		}
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ConsolidateNeeds(ctx, p, m, id, common, divergences)
	})
}

type voteInput struct {
	ProcurementID gql.ID
	Version       int32
	Comment       *string
	CommandID     *gql.ID
}

func (r *resolver) ApproveConsolidatedNeeds(ctx context.Context, args struct{ Input voteInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ApproveNeeds(ctx, p, m, id, int(in.Version), deref(in.Comment))
	})
}

func (r *resolver) RejectConsolidatedNeeds(ctx context.Context, args struct{ Input voteInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RejectNeeds(ctx, p, m, id, int(in.Version), deref(in.Comment))
	})
}

func (r *resolver) CommitVolume(ctx context.Context, args struct {
	Input struct {
		ProcurementID  gql.ID
		Lot            gql.ID
		Type           string
		Quantity       string
		Unit           string
		EstimatedValue string
		Currency       string
		BudgetYears    []int32
		CommandID      *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	years := make([]int, len(in.BudgetYears))
	for i, y := range in.BudgetYears {
		years[i] = int(y)
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.CommitVolume(ctx, p, m, id, app.CommitmentInput{Lot: string(in.Lot), Type: procurement.CommitmentType(in.Type),
			Quantity: in.Quantity, Unit: in.Unit, EstimatedValue: in.EstimatedValue, Currency: in.Currency, BudgetYears: years})
	})
}
