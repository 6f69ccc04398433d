package graphql

import (
	"context"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
)

// Mutations of qualification and negotiation, evaluation, award and
// standstill, review, contracting, follow-up and the cross-cutting endings
// (schema_award.graphql): one per command, each passing its input to the app
// service (the decider judges it) and answering with the case
// (ProcurementPayload), except a tenderer's answer to a clarification, which
// answers with the case as the market sees it (TenderPayload), as every
// supplier command does. Malformed times, dates and enum values are refused
// here, before anything reaches the case. The workflow clock's EndStandstill
// has no mutation.

type caseOnlyInput struct {
	ProcurementID gql.ID
	CommandID     *gql.ID
}

// --- qualification and negotiation ---

func (r *resolver) AssessQualification(ctx context.Context, args struct{ Input assessQualificationInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.AssessQualification(ctx, p, m, id, in.command())
	})
}

func (r *resolver) InviteCandidates(ctx context.Context, args struct{ Input inviteCandidatesInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		invited, left, deadline, err := in.parts()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.InviteCandidates(ctx, p, m, id, invited, left, deadline)
	})
}

func (r *resolver) HoldNegotiationRound(ctx context.Context, args struct {
	Input struct {
		ProcurementID       gql.ID
		Round               int32
		Supplier            gql.ID
		MinutesHash         string
		RequirementsChanged *[]string
		CommandID           *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.HoldNegotiationRound(ctx, p, m, id, int(in.Round), string(in.Supplier), in.MinutesHash, optStrings(in.RequirementsChanged))
	})
}

func (r *resolver) EliminateParticipant(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Supplier      gql.ID
		Reason        string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.EliminateParticipant(ctx, p, m, id, string(in.Supplier), in.Reason)
	})
}

func (r *resolver) CallForFinalTenders(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Deadline      string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		deadline, err := parseTime("deadline", in.Deadline)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.CallForFinalTenders(ctx, p, m, id, deadline)
	})
}

// --- evaluation ---

func (r *resolver) DeclareConflictOfInterest(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		HasConflict   bool
		Relations     *[]string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DeclareConflictOfInterest(ctx, p, m, id, in.HasConflict, optStrings(in.Relations))
	})
}

func (r *resolver) RecuseEvaluator(ctx context.Context, args struct {
	Input struct {
		ProcurementID             gql.ID
		Evaluator                 string
		Reason                    string
		Replacement               *string
		ReplacementOrganisationID *gql.ID
		CommandID                 *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.RecuseEvaluator{Evaluator: in.Evaluator, Reason: in.Reason, Replacement: deref(in.Replacement),
		ReplacementOrg: deref(idString(in.ReplacementOrganisationID))}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RecuseEvaluator(ctx, p, m, id, c)
	})
}

func (r *resolver) ScoreBid(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		BidID         gql.ID
		Criterion     gql.ID
		Score         int32
		Justification *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.ScoreBid{BidID: string(in.BidID), Criterion: string(in.Criterion), Score: int(in.Score), Justification: deref(in.Justification)}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ScoreBid(ctx, p, m, id, c)
	})
}

func (r *resolver) LockScores(ctx context.Context, args struct{ Input caseOnlyInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.LockScores(ctx, p, m, id)
	})
}

func (r *resolver) RecordConsensus(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		BidID         gql.ID
		Criterion     gql.ID
		Score         int32
		Rationale     string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.RecordConsensus{BidID: string(in.BidID), Criterion: string(in.Criterion), Score: int(in.Score), Rationale: in.Rationale}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RecordConsensus(ctx, p, m, id, c)
	})
}

func (r *resolver) RequestClarification(ctx context.Context, args struct {
	Input struct {
		ProcurementID     gql.ID
		ClarificationID   gql.ID
		BidID             gql.ID
		Question          string
		SameQuestionToAll *bool
		CommandID         *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.RequestClarification{ClarificationID: string(in.ClarificationID), BidID: string(in.BidID), Question: in.Question,
		SameQuestionToAll: optBool(in.SameQuestionToAll)}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RequestClarification(ctx, p, m, id, c)
	})
}

// AnswerClarification is a tenderer's command: the tenderer does not see the
// case, so the answer is the case as the market sees it.
func (r *resolver) AnswerClarification(ctx context.Context, args struct {
	Input struct {
		ProcurementID   gql.ID
		ClarificationID gql.ID
		Answer          string
		CommandID       *gql.ID
	}
}) (tenderPayload, error) {
	in := args.Input
	return r.tenderCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.AnswerClarification(ctx, p, m, id, string(in.ClarificationID), in.Answer)
	})
}

func (r *resolver) RejectBid(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		BidID         gql.ID
		Grounds       string
		LegalBasis    string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RejectBid(ctx, p, m, id, string(in.BidID), in.Grounds, in.LegalBasis)
	})
}

func (r *resolver) FinalizeEvaluation(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		ReportHash    string
		SignedBy      []string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.FinalizeEvaluation(ctx, p, m, id, in.ReportHash, in.SignedBy)
	})
}

// --- award, standstill and review ---

func (r *resolver) DecideAward(ctx context.Context, args struct {
	Input struct {
		ProcurementID   gql.ID
		AwardID         gql.ID
		Lot             gql.ID
		BidID           gql.ID
		Value           string
		DecisionDocHash string
		CommandID       *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.DecideAward{AwardID: string(in.AwardID), Lot: string(in.Lot), BidID: string(in.BidID), Value: in.Value,
		DecisionDocHash: in.DecisionDocHash}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.DecideAward(ctx, p, m, id, c)
	})
}

func (r *resolver) SendAwardNotification(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		Channel       string
		ReasonsHash   string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		channel, err := enumOf("channel", in.Channel, notificationChannels)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.SendAwardNotification(ctx, p, m, id, channel, in.ReasonsHash)
	})
}

func (r *resolver) RegisterComplaint(ctx context.Context, args struct{ Input complaintInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.RegisterComplaint(ctx, p, m, id, c)
	})
}

func (r *resolver) RegisterInterimMeasure(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		ComplaintID   gql.ID
		Ruling        string
		DocHash       *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RegisterInterimMeasure(ctx, p, m, id, string(in.ComplaintID), in.Ruling, deref(in.DocHash))
	})
}

func (r *resolver) ResolveReview(ctx context.Context, args struct{ Input resolveReviewInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.ResolveReview(ctx, p, m, id, c)
	})
}

func (r *resolver) RevokeAward(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		AwardID       gql.ID
		Reason        string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RevokeAward(ctx, p, m, id, string(in.AwardID), in.Reason)
	})
}

// --- contracting ---

func (r *resolver) SignContract(ctx context.Context, args struct{ Input signContractInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.SignContract(ctx, p, m, id, c)
	})
}

func (r *resolver) PublishAwardNotice(ctx context.Context, args struct {
	Input struct {
		ProcurementID    gql.ID
		Channel          string
		ExternalNoticeID string
		CommandID        *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		channel, err := enumOf("channel", in.Channel, noticeChannels)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.PublishAwardNotice(ctx, p, m, id, channel, in.ExternalNoticeID)
	})
}

func (r *resolver) PlaceCallOff(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		CallOffID     gql.ID
		ContractID    gql.ID
		Description   string
		Value         string
		Competitive   *bool
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	c := procurement.PlaceCallOff{CallOffID: string(in.CallOffID), ContractID: string(in.ContractID), Description: in.Description,
		Value: in.Value, Competitive: optBool(in.Competitive)}
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.PlaceCallOff(ctx, p, m, id, c)
	})
}

// --- follow-up ---

func (r *resolver) RecordMilestone(ctx context.Context, args struct{ Input milestoneInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.RecordMilestone(ctx, p, m, id, c)
	})
}

func (r *resolver) RecordDeviation(ctx context.Context, args struct{ Input deviationInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.RecordDeviation(ctx, p, m, id, c)
	})
}

func (r *resolver) CompletePhase(ctx context.Context, args struct{ Input completePhaseInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.CompletePhase(ctx, p, m, id, c)
	})
}

func (r *resolver) RecordPayment(ctx context.Context, args struct{ Input paymentInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.RecordPayment(ctx, p, m, id, c)
	})
}

func (r *resolver) RecordEffect(ctx context.Context, args struct{ Input effectInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		c, err := in.command()
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.RecordEffect(ctx, p, m, id, c)
	})
}

func (r *resolver) CloseContract(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		ContractID    gql.ID
		FinalStatus   string
		LessonsHash   *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		final, err := enumOf("finalStatus", in.FinalStatus, finalStatuses)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.CloseContract(ctx, p, m, id, string(in.ContractID), final, deref(in.LessonsHash))
	})
}

func (r *resolver) CloseCase(ctx context.Context, args struct {
	Input struct {
		ProcurementID gql.ID
		LessonsHash   *string
		CommandID     *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.CloseCase(ctx, p, m, id, deref(in.LessonsHash))
	})
}

// --- endings ---

type cancellationVoteInput struct {
	ProcurementID gql.ID
	Version       int32
	Comment       *string
	CommandID     *gql.ID
}

func (r *resolver) ApproveCancellation(ctx context.Context, args struct{ Input cancellationVoteInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ApproveCancellation(ctx, p, m, id, int(in.Version), deref(in.Comment))
	})
}

func (r *resolver) RejectCancellation(ctx context.Context, args struct{ Input cancellationVoteInput }) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.RejectCancellation(ctx, p, m, id, int(in.Version), deref(in.Comment))
	})
}

func (r *resolver) DeclareUnsuccessful(ctx context.Context, args struct {
	Input struct {
		ProcurementID   gql.ID
		Reason          string
		Explanation     string
		SuccessorCaseID *gql.ID
		CommandID       *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		reason, err := enumOf("reason", in.Reason, unsuccessfulReason)
		if err != nil {
			return app.Result{}, err
		}
		return r.Cases.DeclareUnsuccessful(ctx, p, m, id, reason, in.Explanation, deref(idString(in.SuccessorCaseID)))
	})
}

func (r *resolver) ApproveWithdrawal(ctx context.Context, args struct {
	Input struct {
		ProcurementID  gql.ID
		OrganisationID gql.ID
		CommandID      *gql.ID
	}
}) (procurementPayload, error) {
	in := args.Input
	return r.caseCommand(ctx, in.ProcurementID, in.CommandID, func(p app.Principal, m app.CommandMeta, id string) (app.Result, error) {
		return r.Cases.ApproveWithdrawal(ctx, p, m, id, string(in.OrganisationID))
	})
}
