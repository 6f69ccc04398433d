package app

import (
	"context"
	"time"

	"github.com/felles/felles/domain/procurement"
)

// The commands of the market dialogue, the competition design and the
// tendering (DOMAIN.md §1 P3–P6). As in cooperation.go each passes the domain's
// own input types through; the decider validates them. Commands whose rules
// depend on an organisation's kind look the kind up here; commands checked
// against the legal time limits get the table in force. Sealed submissions are
// in sealed.go.

// PublishDialogueNotice opens the market dialogue.
func (s *Procurements) PublishDialogueNotice(ctx context.Context, p Principal, meta CommandMeta, caseID string, channel procurement.NoticeChannel, externalID, text string, registrationDeadline time.Time) (Result, error) {
	return s.run(ctx, p, meta, "PublishDialogueNotice", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.PublishDialogueNotice{Channel: channel, ExternalNoticeID: externalID, Text: text, RegistrationDeadline: registrationDeadline, By: p, At: at}, nil
	})
}

// RegisterSupplier registers the acting supplier, or (hub or lead) the named one.
func (s *Procurements) RegisterSupplier(ctx context.Context, p Principal, meta CommandMeta, caseID, supplier string) (Result, error) {
	return s.run(ctx, p, meta, "RegisterSupplier", caseID, func(at time.Time) (procurement.Command, error) {
		kind, err := kindOf(ctx, s.d, orDefault(supplier, p.Org))
		if err != nil {
			return nil, err
		}
		return procurement.RegisterSupplier{Supplier: supplier, SupplierKind: kind, By: p, At: at}, nil
	})
}

// ScheduleDialogueEvent plans a dialogue event.
func (s *Procurements) ScheduleDialogueEvent(ctx context.Context, p Principal, meta CommandMeta, caseID, eventID string, typ procurement.DialogueEventType, title string, startsAt time.Time) (Result, error) {
	return s.run(ctx, p, meta, "ScheduleDialogueEvent", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ScheduleDialogueEvent{EventID: eventID, Type: typ, Title: title, StartsAt: startsAt, By: p, At: at}, nil
	})
}

// CancelDialogueEvent calls off a dialogue event.
func (s *Procurements) CancelDialogueEvent(ctx context.Context, p Principal, meta CommandMeta, caseID, eventID, reason string) (Result, error) {
	return s.run(ctx, p, meta, "CancelDialogueEvent", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CancelDialogueEvent{EventID: eventID, Reason: reason, By: p, At: at}, nil
	})
}

// RecordMeetingNotes records a dialogue event's minutes.
func (s *Procurements) RecordMeetingNotes(ctx context.Context, p Principal, meta CommandMeta, caseID, eventID string, attendees []string, publicSummary, annexHash string) (Result, error) {
	return s.run(ctx, p, meta, "RecordMeetingNotes", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RecordMeetingNotes{EventID: eventID, Attendees: attendees, PublicSummary: publicSummary, ConfidentialAnnexHash: annexHash, By: p, At: at}, nil
	})
}

// AskQuestion records a supplier's question (its own, or named by hub or lead).
func (s *Procurements) AskQuestion(ctx context.Context, p Principal, meta CommandMeta, caseID, questionID, text, supplier string) (Result, error) {
	return s.run(ctx, p, meta, "AskQuestion", caseID, func(at time.Time) (procurement.Command, error) {
		kind, err := kindOf(ctx, s.d, orDefault(supplier, p.Org))
		if err != nil {
			return nil, err
		}
		return procurement.AskQuestion{QuestionID: questionID, Text: text, Supplier: supplier, SupplierKind: kind, By: p, At: at}, nil
	})
}

// AnswerQuestion publishes an answer to every registered supplier.
func (s *Procurements) AnswerQuestion(ctx context.Context, p Principal, meta CommandMeta, caseID, questionID, anonymisedQuestion, answer string) (Result, error) {
	return s.run(ctx, p, meta, "AnswerQuestion", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.AnswerQuestion{QuestionID: questionID, AnonymisedQuestion: anonymisedQuestion, Answer: answer, By: p, At: at}, nil
	})
}

// CloseMarketDialogue ends the dialogue.
func (s *Procurements) CloseMarketDialogue(ctx context.Context, p Principal, meta CommandMeta, caseID, summaryHash string, levelling []string) (Result, error) {
	return s.run(ctx, p, meta, "CloseMarketDialogue", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CloseMarketDialogue{SummaryReportHash: summaryHash, LevellingMeasures: levelling, By: p, At: at}, nil
	})
}

// SelectProcedure chooses the procedure and regime.
func (s *Procurements) SelectProcedure(ctx context.Context, p Principal, meta CommandMeta, caseID string, c procurement.SelectProcedure) (Result, error) {
	return s.run(ctx, p, meta, "SelectProcedure", caseID, func(at time.Time) (procurement.Command, error) {
		c.By, c.At = p, at
		return c, nil
	})
}

// DefineLots replaces the lots.
func (s *Procurements) DefineLots(ctx context.Context, p Principal, meta CommandMeta, caseID string, lots []procurement.Lot) (Result, error) {
	return s.run(ctx, p, meta, "DefineLots", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DefineLots{Lots: lots, By: p, At: at}, nil
	})
}

// DefineRequirements replaces the requirements.
func (s *Procurements) DefineRequirements(ctx context.Context, p Principal, meta CommandMeta, caseID string, reqs []procurement.Requirement) (Result, error) {
	return s.run(ctx, p, meta, "DefineRequirements", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DefineRequirements{Requirements: reqs, By: p, At: at}, nil
	})
}

// DefineQualificationCriteria replaces the qualification criteria.
func (s *Procurements) DefineQualificationCriteria(ctx context.Context, p Principal, meta CommandMeta, caseID string, grounds []string, criteria []procurement.SelectionCriterion) (Result, error) {
	return s.run(ctx, p, meta, "DefineQualificationCriteria", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DefineQualificationCriteria{ExclusionGrounds: grounds, SelectionCriteria: criteria, By: p, At: at}, nil
	})
}

// DefinePartnershipPhases sets an innovation partnership's phases.
func (s *Procurements) DefinePartnershipPhases(ctx context.Context, p Principal, meta CommandMeta, caseID string, phases []procurement.PartnershipPhase, purchase procurement.PurchaseConditions) (Result, error) {
	return s.run(ctx, p, meta, "DefinePartnershipPhases", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.DefinePartnershipPhases{Phases: phases, PurchaseConditions: purchase, By: p, At: at}, nil
	})
}

// AppointEvaluator appoints an evaluator.
func (s *Procurements) AppointEvaluator(ctx context.Context, p Principal, meta CommandMeta, caseID, person, org string, criteria, lots []string) (Result, error) {
	return s.run(ctx, p, meta, "AppointEvaluator", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.AppointEvaluator{Person: person, Org: org, Criteria: criteria, Lots: lots, By: p, At: at}, nil
	})
}

// SetTimetable plans the tendering against the legal minima.
func (s *Procurements) SetTimetable(ctx context.Context, p Principal, meta CommandMeta, caseID string, plan procurement.TimetablePlan) (Result, error) {
	return s.run(ctx, p, meta, "SetTimetable", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SetTimetable{Timetable: plan, Limits: s.limits, By: p, At: at}, nil
	})
}

// SubmitTenderDocuments puts the documents to the members.
func (s *Procurements) SubmitTenderDocuments(ctx context.Context, p Principal, meta CommandMeta, caseID, documentHash string) (Result, error) {
	return s.run(ctx, p, meta, "SubmitTenderDocuments", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SubmitTenderDocuments{DocumentHash: documentHash, By: p, At: at}, nil
	})
}

// ApproveTenderDocuments approves a documents version for the acting member.
func (s *Procurements) ApproveTenderDocuments(ctx context.Context, p Principal, meta CommandMeta, caseID string, version int, documentHash, comment string) (Result, error) {
	return s.run(ctx, p, meta, "ApproveTenderDocuments", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ApproveTenderDocuments{Version: version, DocumentHash: documentHash, Comment: comment, By: p, At: at}, nil
	})
}

// RejectTenderDocuments rejects a documents version for the acting member.
func (s *Procurements) RejectTenderDocuments(ctx context.Context, p Principal, meta CommandMeta, caseID string, version int, comment string) (Result, error) {
	return s.run(ctx, p, meta, "RejectTenderDocuments", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.RejectTenderDocuments{Version: version, Comment: comment, By: p, At: at}, nil
	})
}

// PublishContractNotice publishes the notice and documents.
func (s *Procurements) PublishContractNotice(ctx context.Context, p Principal, meta CommandMeta, caseID string, channel procurement.NoticeChannel, externalID, documentHash string) (Result, error) {
	return s.run(ctx, p, meta, "PublishContractNotice", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.PublishContractNotice{Channel: channel, ExternalNoticeID: externalID, DocumentHash: documentHash, Limits: s.limits, By: p, At: at}, nil
	})
}

// AmendInput is a tender amendment.
type AmendInput struct {
	Changes      []string
	Rationale    string
	Material     bool
	DocumentHash string
	NewDeadline  time.Time
}

// AmendTender amends the published documents.
func (s *Procurements) AmendTender(ctx context.Context, p Principal, meta CommandMeta, caseID string, in AmendInput) (Result, error) {
	return s.run(ctx, p, meta, "AmendTender", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.AmendTender{Changes: in.Changes, Rationale: in.Rationale, Material: in.Material, DocumentHash: in.DocumentHash,
			NewDeadline: in.NewDeadline, Limits: s.limits, By: p, At: at}, nil
	})
}

// WithdrawBid withdraws the acting supplier's submission.
func (s *Procurements) WithdrawBid(ctx context.Context, p Principal, meta CommandMeta, caseID, bidID string) (Result, error) {
	return s.run(ctx, p, meta, "WithdrawBid", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.WithdrawBid{BidID: bidID, By: p, At: at}, nil
	})
}

// ConfirmBid confirms the acting supplier's submission against an amendment.
func (s *Procurements) ConfirmBid(ctx context.Context, p Principal, meta CommandMeta, caseID, bidID string, amendment int) (Result, error) {
	return s.run(ctx, p, meta, "ConfirmBid", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.ConfirmBid{BidID: bidID, Amendment: amendment, By: p, At: at}, nil
	})
}

// CloseReceipt is the workflow clock's command at a deadline.
func (s *Procurements) CloseReceipt(ctx context.Context, p Principal, meta CommandMeta, caseID string) (Result, error) {
	return s.run(ctx, p, meta, "CloseReceipt", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.CloseReceipt{By: p, At: at}, nil
	})
}

// SendReminder is the workflow clock's reminder.
func (s *Procurements) SendReminder(ctx context.Context, p Principal, meta CommandMeta, caseID string, kind procurement.ReminderKind, subject string) (Result, error) {
	return s.run(ctx, p, meta, "SendReminder", caseID, func(at time.Time) (procurement.Command, error) {
		return procurement.SendReminder{Kind: kind, Subject: subject, By: p, At: at}, nil
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
