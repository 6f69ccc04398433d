package graphql

import (
	"fmt"
	"slices"
	"strings"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/domain/procurement"
)

// Input checks of the award mutations that belong to the API rather than to
// the case, as in tendering_input.go: the shape of times and dates and the
// vocabulary of the enums. The schema already refuses an unknown enum value
// in a query or a variable; checking it again here keeps a resolver from
// passing on a value the schema and the domain disagree on. Everything about
// the case (IDs, hashes, amounts, lengths, order of dates) is the decider's.

// parseDate reads a calendar date, YYYY-MM-DD, as the domain stores dates.
func parseDate(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Format(time.DateOnly) != s {
		return "", badInput("date.invalid", fmt.Sprintf("%s is a date YYYY-MM-DD, like 2026-05-01; got %q", field, s))
	}
	return s, nil
}

// enumOf reads one of the allowed values of an enum.
func enumOf[T ~string](field, s string, allowed []T) (T, error) {
	if slices.Contains(allowed, T(s)) {
		return T(s), nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return "", badInput("enum.invalid", fmt.Sprintf("%s is one of %s; got %q", field, strings.Join(names, ", "), s))
}

// optEnumOf is enumOf for an optional field: absent is "".
func optEnumOf[T ~string](field string, s *string, allowed []T) (T, error) {
	if s == nil {
		return "", nil
	}
	return enumOf(field, *s, allowed)
}

// The enums' values, in the schema's order (schema_award.graphql); a test
// checks the two agree.
var (
	tieRules             = []procurement.TieRule{procurement.TieHighestQuality, procurement.TieBestPrice, procurement.TieEarliestReceipt}
	notificationChannels = []procurement.NotificationChannel{procurement.NotificationElectronic, procurement.NotificationOther}
	complaintForums      = []procurement.Forum{procurement.ForumInternal, procurement.ForumKOFA, procurement.ForumForvaltningsratt,
		procurement.ForumMarkkinaoikeus, procurement.ForumCourt}
	reviewOutcomes     = []procurement.ReviewOutcome{procurement.ReviewContinue, procurement.ReviewRedecide, procurement.ReviewReevaluate}
	milestoneStatuses  = []procurement.MilestoneStatus{procurement.MilestoneMet, procurement.MilestonePartiallyMet, procurement.MilestoneNotMet}
	deviationSeverity  = []procurement.Severity{procurement.SeverityLow, procurement.SeverityMedium, procurement.SeverityHigh}
	gateDecisions      = []procurement.GateDecision{procurement.GateContinue, procurement.GateTerminate}
	finalStatuses      = []procurement.FinalStatus{procurement.FinalComplete, procurement.FinalIncomplete}
	unsuccessfulReason = []procurement.UnsuccessfulReason{procurement.UnsuccessfulNoBids, procurement.UnsuccessfulAllRejected}
	noticeChannels     = []procurement.NoticeChannel{procurement.ChannelDoffin, procurement.ChannelTED, procurement.ChannelHilma, procurement.ChannelOwn}
)

func optBool(b *bool) bool { return b != nil && *b }

// --- inputs that need more than passing fields through ---

type assessQualificationInput struct {
	ProcurementID gql.ID
	SubmissionID  gql.ID
	Qualified     bool
	Results       *[]struct {
		Criterion gql.ID
		Met       bool
		Note      *string
	}
	Grounds    *string
	LegalBasis *string
	CommandID  *gql.ID
}

func (in assessQualificationInput) command() procurement.AssessQualification {
	c := procurement.AssessQualification{SubmissionID: string(in.SubmissionID), Qualified: in.Qualified,
		Grounds: deref(in.Grounds), LegalBasis: deref(in.LegalBasis)}
	if in.Results != nil {
		for _, r := range *in.Results {
			c.Results = append(c.Results, procurement.CriterionResult{Criterion: string(r.Criterion), Met: r.Met, Note: deref(r.Note)})
		}
	}
	return c
}

type inviteCandidatesInput struct {
	ProcurementID gql.ID
	Invited       []gql.ID
	NotInvited    *[]struct {
		Supplier gql.ID
		Reason   string
	}
	TenderDeadline *string
	CommandID      *gql.ID
}

// parts reads the invitation; a malformed tender deadline is named.
func (in inviteCandidatesInput) parts() ([]string, []procurement.NotInvited, time.Time, error) {
	deadline, err := parseOptionalTime("tenderDeadline", in.TenderDeadline)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	var left []procurement.NotInvited
	if in.NotInvited != nil {
		for _, n := range *in.NotInvited {
			left = append(left, procurement.NotInvited{Supplier: string(n.Supplier), Reason: n.Reason})
		}
	}
	return idStrings(in.Invited), left, deadline, nil
}

type complaintInput struct {
	ProcurementID gql.ID
	ComplaintID   gql.ID
	Complainant   string
	Forum         string
	Grounds       string
	Suspensive    bool
	CommandID     *gql.ID
}

func (in complaintInput) command() (procurement.RegisterComplaint, error) {
	forum, err := enumOf("forum", in.Forum, complaintForums)
	return procurement.RegisterComplaint{ComplaintID: string(in.ComplaintID), Complainant: in.Complainant, Forum: forum,
		Grounds: in.Grounds, Suspensive: in.Suspensive}, err
}

type resolveReviewInput struct {
	ProcurementID gql.ID
	ComplaintID   gql.ID
	Outcome       string
	Ruling        string
	DocHash       *string
	CommandID     *gql.ID
}

func (in resolveReviewInput) command() (procurement.ResolveReview, error) {
	outcome, err := enumOf("outcome", in.Outcome, reviewOutcomes)
	return procurement.ResolveReview{ComplaintID: string(in.ComplaintID), Outcome: outcome, Ruling: in.Ruling, DocHash: deref(in.DocHash)}, err
}

type signContractInput struct {
	ProcurementID gql.ID
	ContractID    gql.ID
	AwardID       gql.ID
	Terms         struct {
		Value     string
		StartDate string
		EndDate   string
		Framework bool
	}
	SignatureRef string
	CommandID    *gql.ID
}

// command reads the contract's terms; a malformed date is named.
func (in signContractInput) command() (procurement.SignContract, error) {
	start, err := parseDate("terms.startDate", in.Terms.StartDate)
	if err != nil {
		return procurement.SignContract{}, err
	}
	end, err := parseDate("terms.endDate", in.Terms.EndDate)
	if err != nil {
		return procurement.SignContract{}, err
	}
	return procurement.SignContract{ContractID: string(in.ContractID), AwardID: string(in.AwardID), SignatureRef: in.SignatureRef,
		Terms: procurement.ContractTerms{Value: in.Terms.Value, StartDate: start, EndDate: end, Framework: in.Terms.Framework}}, nil
}

type milestoneInput struct {
	ProcurementID gql.ID
	MilestoneID   gql.ID
	ContractID    gql.ID
	Title         string
	Status        string
	Note          *string
	CommandID     *gql.ID
}

func (in milestoneInput) command() (procurement.RecordMilestone, error) {
	status, err := enumOf("status", in.Status, milestoneStatuses)
	return procurement.RecordMilestone{MilestoneID: string(in.MilestoneID), ContractID: string(in.ContractID), Title: in.Title,
		Status: status, Note: deref(in.Note)}, err
}

type deviationInput struct {
	ProcurementID gql.ID
	DeviationID   gql.ID
	ContractID    gql.ID
	Severity      string
	Description   string
	CommandID     *gql.ID
}

func (in deviationInput) command() (procurement.RecordDeviation, error) {
	severity, err := enumOf("severity", in.Severity, deviationSeverity)
	return procurement.RecordDeviation{DeviationID: string(in.DeviationID), ContractID: string(in.ContractID), Severity: severity,
		Description: in.Description}, err
}

type completePhaseInput struct {
	ProcurementID  gql.ID
	PhaseID        gql.ID
	TargetsMet     *[]string
	AssessmentHash string
	Decision       string
	Reason         *string
	CommandID      *gql.ID
}

func (in completePhaseInput) command() (procurement.CompletePhase, error) {
	decision, err := enumOf("decision", in.Decision, gateDecisions)
	return procurement.CompletePhase{PhaseID: string(in.PhaseID), TargetsMet: optStrings(in.TargetsMet), AssessmentHash: in.AssessmentHash,
		Decision: decision, Reason: deref(in.Reason)}, err
}

type paymentInput struct {
	ProcurementID gql.ID
	PaymentID     gql.ID
	ContractID    gql.ID
	Amount        string
	PaidOn        string
	CommandID     *gql.ID
}

func (in paymentInput) command() (procurement.RecordPayment, error) {
	paid, err := parseDate("paidOn", in.PaidOn)
	return procurement.RecordPayment{PaymentID: string(in.PaymentID), ContractID: string(in.ContractID), Amount: in.Amount, PaidOn: paid}, err
}

type effectInput struct {
	ProcurementID gql.ID
	MeasurementID gql.ID
	KPI           string
	Unit          string
	Baseline      string
	Value         string
	PeriodFrom    string
	PeriodTo      string
	Method        string
	CommandID     *gql.ID
}

// command reads the measurement; a malformed date is named.
func (in effectInput) command() (procurement.RecordEffect, error) {
	from, err := parseDate("periodFrom", in.PeriodFrom)
	if err != nil {
		return procurement.RecordEffect{}, err
	}
	to, err := parseDate("periodTo", in.PeriodTo)
	if err != nil {
		return procurement.RecordEffect{}, err
	}
	return procurement.RecordEffect{MeasurementID: string(in.MeasurementID), KPI: in.KPI, Unit: in.Unit, Baseline: in.Baseline, Value: in.Value,
		PeriodFrom: from, PeriodTo: to, Method: in.Method}, nil
}
