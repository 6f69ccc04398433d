package graphql

import (
	"context"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/tendering"
)

// Mutations of the market dialogue, the competition design and the tendering:
// one per command, each passing its input to the app service (the decider
// judges it). Commands only the case's people give answer with the case
// (ProcurementPayload); commands a supplier gives answer with the case as the
// market sees it (TenderPayload, BidPayload), since a supplier does not see
// the case itself. The workflow clock's commands (CloseReceipt, SendReminder)
// have no mutation.

// --- payloads for suppliers ---

type tenderPayload struct {
	t    publicTenderResolver
	proc *procurementResolver
	res  app.Result
}

func (p tenderPayload) Tender() publicTenderResolver      { return p.t }
func (p tenderPayload) Procurement() *procurementResolver { return p.proc }
func (p tenderPayload) Revision() int32                   { return int32(p.res.Revision) }
func (p tenderPayload) Position() string                  { return p.res.Position.String() }

// tenderPayloadOf reads the case back after the command's events are in the
// views: as the market sees it, and whole only for those who see the case.
func (r *resolver) tenderPayloadOf(ctx context.Context, p app.Principal, id string, res app.Result) (tenderPayload, error) {
	s, err := cases.Get(ctx, r.db(), id)
	if err != nil {
		return tenderPayload{}, toAPI(err)
	}
	if s == nil {
		return tenderPayload{}, toAPI(procurement.ErrNotFound)
	}
	at, err := publishedAtOf(ctx, r, id)
	if err != nil {
		return tenderPayload{}, err
	}
	out := tenderPayload{t: publicTenderResolver{r: r, s: *s, publishedAt: at}, res: res}
	visible, err := r.visibleCase(ctx, p, id)
	if err != nil {
		return tenderPayload{}, err
	}
	if visible != nil {
		out.proc = &procurementResolver{r: r, s: *visible}
	}
	return out, nil
}

// tenderCommand runs a command a supplier may give and answers with the
// case as the market sees it.
func (r *resolver) tenderCommand(ctx context.Context, id gql.ID, commandID *gql.ID, run func(p app.Principal, m app.CommandMeta, caseID string) (app.Result, error)) (tenderPayload, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return tenderPayload{}, err
	}
	m := meta(ctx, idString(commandID))
	res, err := run(p, m, string(id))
	if err != nil {
		return tenderPayload{}, toAPI(err)
	}
	if err := r.settle(ctx, m, res); err != nil {
		return tenderPayload{}, err
	}
	return r.tenderPayloadOf(ctx, p, string(id), res)
}

type bidPayload struct {
	tenderPayload
	b bidResolver
}

func (p bidPayload) BidID() gql.ID        { return gql.ID(p.b.b.BidID) }
func (p bidPayload) ReceivedAt() DateTime { return DateTime{p.b.b.ReceivedAt} }
func (p bidPayload) Sha256() string       { return p.b.b.SHA256 }
func (p bidPayload) Bid() bidResolver     { return p.b }

// bidCommand runs a supplier's command on its own submission and answers with
// the submission's receipt.
func (r *resolver) bidCommand(ctx context.Context, id gql.ID, commandID *gql.ID, run func(p app.Principal, m app.CommandMeta, caseID string) (string, app.Result, error)) (bidPayload, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return bidPayload{}, err
	}
	m := meta(ctx, idString(commandID))
	bidID, res, err := run(p, m, string(id))
	if err != nil {
		return bidPayload{}, toAPI(err)
	}
	if err := r.settle(ctx, m, res); err != nil {
		return bidPayload{}, err
	}
	tp, err := r.tenderPayloadOf(ctx, p, string(id), res)
	if err != nil {
		return bidPayload{}, err
	}
	b, err := tendering.BidOf(ctx, r.db(), string(id), bidID)
	if err != nil {
		return bidPayload{}, toAPI(err)
	}
	if b == nil || b.Supplier != p.Org {
		return bidPayload{}, toAPI(procurement.ErrBidNotFound)
	}
	return bidPayload{tenderPayload: tp, b: bidResolver{r: r, caseID: string(id), b: *b}}, nil
}

// --- market dialogue ---

func (r *resolver) PublishDialogueNotice(ctx context.Context, args struct {
	Input struct {
		ProcurementID        gql.ID
		Channel              string
		ExternalNoticeID     string
		Text                 string
		RegistrationDeadline string
		CommandID            *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		deadline, err := parseTime("registrationDeadline", in.RegistrationDeadline)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.PublishDialogueNotice(ctx, p, m, id, procurement.NoticeChannel(in.Channel), in.ExternalNoticeID, in.Text, deadline)
	})
}

func (r *resolver) RegisterSupplier(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		SupplierID    *gql.ID
		CommandID     *gql.ID
	}
}) (tenderPayload, error) {
	in := args.Input
	return r.tenderCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RegisterSupplier(ctx, p, m, id, deref(idString(in.SupplierID)))
	})
}

func (r *resolver) ScheduleDialogueEvent(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		EventID       gql.ID
		Type          string
		Title         string
		StartsAt      string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		starts, err := parseTime("startsAt", in.StartsAt)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.ScheduleDialogueEvent(ctx, p, m, id, string(in.EventID), procurement.DialogueEventType(in.Type), in.Title, starts)
	})
}

func (r *resolver) CancelDialogueEvent(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		EventID       gql.ID
		Reason        string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.CancelDialogueEvent(ctx, p, m, id, string(in.EventID), in.Reason)
	})
}

func (r *resolver) RecordMeetingNotes(ctx context.Context, args struct {
	Input struct {
		ProcurementID         gql.ID
		EventID               gql.ID
		Attendees             *[]gql.ID
		PublicSummary         string
		ConfidentialAnnexHash *string
		CommandID             *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RecordMeetingNotes(ctx, p, m, id, string(in.EventID), optIDStrings(in.Attendees), in.PublicSummary, deref(in.ConfidentialAnnexHash))
	})
}

func (r *resolver) AskQuestion(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		QuestionID    gql.ID
		Text          string
		SupplierID    *gql.ID
		CommandID     *gql.ID
	}
}) (tenderPayload, error) {
	in := args.Input
	return r.tenderCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.AskQuestion(ctx, p, m, id, string(in.QuestionID), in.Text, deref(idString(in.SupplierID)))
	})
}

func (r *resolver) AnswerQuestion(ctx context.Context, args struct {
	Input struct {
		ProcurementID      gql.ID
		QuestionID         gql.ID
		AnonymisedQuestion string
		Answer             string
		CommandID          *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.AnswerQuestion(ctx, p, m, id, string(in.QuestionID), in.AnonymisedQuestion, in.Answer)
	})
}

func (r *resolver) CloseMarketDialogue(ctx context.Context, args struct {
	Input struct {
		ProcurementID     gql.ID
		SummaryReportHash string
		LevellingMeasures []string
		CommandID         *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.CloseMarketDialogue(ctx, p, m, id, in.SummaryReportHash, in.LevellingMeasures)
	})
}

// --- competition design ---

func (r *resolver) SelectProcedure(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Procedure     string
		Regime        string
		LegalBasis    *string
		Justification *string
		Conditions    *[]string
		MinCandidates *int32
		MaxCandidates *int32
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.SelectProcedure{Procedure: timelimits.Procedure(in.Procedure), Regime: timelimits.Regime(in.Regime),
		LegalBasis: deref(in.LegalBasis), Justification: deref(in.Justification)}
	for _, x := range optStrings(in.Conditions) {
		c.Conditions = append(c.Conditions, timelimits.Condition(x))
	}
	if in.MinCandidates != nil {
		c.MinCandidates = int(*in.MinCandidates)
	}
	if in.MaxCandidates != nil {
		c.MaxCandidates = int(*in.MaxCandidates)
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.SelectProcedure(ctx, p, m, id, c)
	})
}

func (r *resolver) DefineLots(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Lots          []struct {
			ID             gql.ID
			Title          string
			Members        []gql.ID
			EstimatedValue *string
		}
		CommandID *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	lots := make([]procurement.Lot, len(in.Lots))
	for i, l := range in.Lots {
		lots[i] = procurement.Lot{ID: string(l.ID), Title: l.Title, Members: idStrings(l.Members), EstimatedValue: deref(l.EstimatedValue)}
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DefineLots(ctx, p, m, id, lots)
	})
}

func (r *resolver) DefineRequirements(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Requirements  []struct {
			ID   gql.ID
			Kind string
			Text string
			Lots *[]gql.ID
		}
		CommandID *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	reqs := make([]procurement.Requirement, len(in.Requirements))
	for i, q := range in.Requirements {
		reqs[i] = procurement.Requirement{ID: string(q.ID), Kind: procurement.RequirementKind(q.Kind), Text: q.Text, Lots: optIDStrings(q.Lots)}
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DefineRequirements(ctx, p, m, id, reqs)
	})
}

func (r *resolver) DefineQualificationCriteria(ctx context.Context, args struct {
	Input struct {
		ProcurementID     gql.ID
		ExclusionGrounds  *[]string
		SelectionCriteria *[]struct {
			ID       gql.ID
			Text     string
			Evidence string
		}
		CommandID *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	var criteria []procurement.SelectionCriterion
	if in.SelectionCriteria != nil {
		for _, c := range *in.SelectionCriteria {
			criteria = append(criteria, procurement.SelectionCriterion{ID: string(c.ID), Text: c.Text, Evidence: c.Evidence})
		}
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DefineQualificationCriteria(ctx, p, m, id, optStrings(in.ExclusionGrounds), criteria)
	})
}

func (r *resolver) DefineAwardCriteria(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Lot           *gql.ID
		Criteria      []struct {
			ID            gql.ID
			Name          string
			Type          string
			Weight        string
			ScaleMin      int32
			ScaleMax      int32
			ScoringMethod string
			PriceFormula  *string
		}
		TieRule   *string // schema_award.graphql; absent = HIGHEST_QUALITY
		CommandID *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	criteria := make([]procurement.AwardCriterion, len(in.Criteria))
	for i, c := range in.Criteria {
		criteria[i] = procurement.AwardCriterion{ID: string(c.ID), Name: c.Name, Type: procurement.CriterionType(c.Type), Weight: c.Weight,
			ScaleMin: int(c.ScaleMin), ScaleMax: int(c.ScaleMax), ScoringMethod: c.ScoringMethod, PriceFormula: deref(c.PriceFormula)}
	}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		tie, err := optEnumOf("tieRule", in.TieRule, tieRules)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.DefineAwardCriteria(ctx, p, m, id, deref(idString(in.Lot)), criteria, tie)
	})
}

func (r *resolver) DefinePartnershipPhases(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Phases        []struct {
			ID                  gql.ID
			Goal                string
			IntermediateTargets []string
			MaxCost             string
			Due                 string
		}
		PurchaseConditions struct{ PerformanceLevel, MaxCost string }
		CommandID          *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	phases := make([]procurement.PartnershipPhase, len(in.Phases))
	for i, ph := range in.Phases {
		phases[i] = procurement.PartnershipPhase{ID: string(ph.ID), Goal: ph.Goal, IntermediateTargets: ph.IntermediateTargets, MaxCost: ph.MaxCost, Due: ph.Due}
	}
	purchase := procurement.PurchaseConditions{PerformanceLevel: in.PurchaseConditions.PerformanceLevel, MaxCost: in.PurchaseConditions.MaxCost}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DefinePartnershipPhases(ctx, p, m, id, phases, purchase)
	})
}

func (r *resolver) AppointEvaluator(ctx context.Context, args struct {
	Input struct {
		ProcurementID  gql.ID
		Person         string
		OrganisationID gql.ID
		Criteria       *[]gql.ID
		Lots           *[]gql.ID
		CommandID      *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.AppointEvaluator(ctx, p, m, id, in.Person, string(in.OrganisationID), optIDStrings(in.Criteria), optIDStrings(in.Lots))
	})
}

// timetableInput is setTimetable's input.
type timetableInput struct {
	ProcurementID   gql.ID
	NoticeAt        string
	QaCutoff        string
	RequestDeadline *string
	TenderDeadline  string
	OpeningAt       string
	FourEyesOpening bool
	CommandID       *gql.ID
}

// plan reads the timetable's times; the first malformed one is named.
func (in timetableInput) plan() (procurement.TimetablePlan, error) {
	var (
		plan procurement.TimetablePlan
		err  error
	)
	if plan.NoticeAt, err = parseTime("noticeAt", in.NoticeAt); err != nil {
		return plan, err
	}
	if plan.QACutoff, err = parseTime("qaCutoff", in.QaCutoff); err != nil {
		return plan, err
	}
	if plan.RequestDeadline, err = parseOptionalTime("requestDeadline", in.RequestDeadline); err != nil {
		return plan, err
	}
	if plan.TenderDeadline, err = parseTime("tenderDeadline", in.TenderDeadline); err != nil {
		return plan, err
	}
	if plan.OpeningAt, err = parseTime("openingAt", in.OpeningAt); err != nil {
		return plan, err
	}
	plan.FourEyesOpening = in.FourEyesOpening
	return plan, nil
}

func (r *resolver) SetTimetable(ctx context.Context, args struct{ Input timetableInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		plan, err := in.plan()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.SetTimetable(ctx, p, m, id, plan)
	})
}

func (r *resolver) SubmitTenderDocuments(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		DocumentHash  string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.SubmitTenderDocuments(ctx, p, m, id, in.DocumentHash)
	})
}

func (r *resolver) ApproveTenderDocuments(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Version       int32
		DocumentHash  string
		Comment       *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ApproveTenderDocuments(ctx, p, m, id, int(in.Version), in.DocumentHash, deref(in.Comment))
	})
}

func (r *resolver) RejectTenderDocuments(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Version       int32
		Comment       string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RejectTenderDocuments(ctx, p, m, id, int(in.Version), in.Comment)
	})
}

// --- tendering ---

func (r *resolver) PublishContractNotice(ctx context.Context, args struct {
	Input struct {
		ProcurementID    gql.ID
		Channel          string
		ExternalNoticeID string
		DocumentHash     string
		CommandID        *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.PublishContractNotice(ctx, p, m, id, procurement.NoticeChannel(in.Channel), in.ExternalNoticeID, in.DocumentHash)
	})
}

func (r *resolver) AmendTender(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Changes       []string
		Rationale     string
		Material      bool
		DocumentHash  *string
		NewDeadline   *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		deadline, err := parseOptionalTime("newDeadline", in.NewDeadline)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.AmendTender(ctx, p, m, id, app.AmendInput{Changes: in.Changes, Rationale: in.Rationale, Material: in.Material,
			DocumentHash: deref(in.DocumentHash), NewDeadline: deadline})
	})
}

func (r *resolver) SubmitBid(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Lots          []gql.ID
		Content       string
		CommandID     *gql.ID
	}
}) (bidPayload, error) {
	in := args.Input
	return r.bidCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (string, app.Result, error) {
		content, err := decodeContent(in.Content)
		if err != nil {
			return "", app.Result{}, err
		}
		return r.Bids.Submit(ctx, p, m, id, idStrings(in.Lots), content)
	})
}

func (r *resolver) ReplaceBid(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		BidID         gql.ID
		Content       string
		CommandID     *gql.ID
	}
}) (bidPayload, error) {
	in := args.Input
	return r.bidCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (string, app.Result, error) {
		content, err := decodeContent(in.Content)
		if err != nil {
			return "", app.Result{}, err
		}
		res, err := r.Bids.Replace(ctx, p, m, id, string(in.BidID), content)
		return string(in.BidID), res, err
	})
}

func (r *resolver) WithdrawBid(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		BidID         gql.ID
		CommandID     *gql.ID
	}
}) (bidPayload, error) {
	in := args.Input
	return r.bidCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (string, app.Result, error) {
		res, err := r.Cases.WithdrawBid(ctx, p, m, id, string(in.BidID))
		return string(in.BidID), res, err
	})
}

func (r *resolver) ConfirmBid(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		BidID         gql.ID
		Amendment     int32
		CommandID     *gql.ID
	}
}) (bidPayload, error) {
	in := args.Input
	return r.bidCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (string, app.Result, error) {
		res, err := r.Cases.ConfirmBid(ctx, p, m, id, string(in.BidID), int(in.Amendment))
		return string(in.BidID), res, err
	})
}

func (r *resolver) OpenBids(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Bids.Open(ctx, p, m, id)
	})
}
