package procurement

// The vocabulary of qualification, evaluation, award, contracting and
// follow-up (DOMAIN.md §1 P6–P11, issue 6).

// TieRule breaks a tie of weighted totals, declared with the award criteria
// before the notice so nobody chooses it after seeing the bids (DOMAIN.md
// §4.2). Whatever the rule, a tie it leaves is broken by the earlier receipt,
// then by the bid ID, so a ranking is always total and a replay reproduces it.
type TieRule string

const (
	// TieHighestQuality: the higher quality subtotal wins.
	TieHighestQuality TieRule = "HIGHEST_QUALITY"
	// TieBestPrice: the higher price and cost subtotal wins.
	TieBestPrice TieRule = "BEST_PRICE"
	// TieEarliestReceipt: the bid received first wins.
	TieEarliestReceipt TieRule = "EARLIEST_RECEIPT"
)

func (r TieRule) valid() bool {
	return r == TieHighestQuality || r == TieBestPrice || r == TieEarliestReceipt
}

// AwardMode is who decides the award (DOMAIN.md §4.3): the lead for all, under
// the members' decideAward mandates, or each member for itself.
type AwardMode string

const (
	AwardJoint     AwardMode = "JOINT"
	AwardPerMember AwardMode = "PER_MEMBER"
)

// AwardMode follows from the agreement's award rule: EACH_MEMBER means every
// member decides its own award; any other rule is one joint decision.
func (s State) AwardMode() AwardMode {
	if s.Agreement.Terms.DecisionRules.Award == RuleEachMember {
		return AwardPerMember
	}
	return AwardJoint
}

// NotificationChannel is how the award decision was sent: the standstill is
// shorter when sent electronically [REM].
type NotificationChannel string

const (
	NotificationElectronic NotificationChannel = "ELECTRONIC"
	NotificationOther      NotificationChannel = "OTHER"
)

func (c NotificationChannel) valid() bool {
	return c == NotificationElectronic || c == NotificationOther
}

// Forum is where a complaint was lodged.
type Forum string

const (
	ForumInternal         Forum = "INTERNAL"
	ForumKOFA             Forum = "KOFA"
	ForumForvaltningsratt Forum = "FORVALTNINGSRATT"
	ForumMarkkinaoikeus   Forum = "MARKKINAOIKEUS"
	ForumCourt            Forum = "COURT"
)

func (f Forum) valid() bool {
	switch f {
	case ForumInternal, ForumKOFA, ForumForvaltningsratt, ForumMarkkinaoikeus, ForumCourt:
		return true
	}
	return false
}

// ReviewOutcome is what a review decided (DOMAIN.md §2 transition 18).
type ReviewOutcome string

const (
	// ReviewContinue: the complaint failed; the standstill resumes.
	ReviewContinue ReviewOutcome = "CONTINUE"
	// ReviewRedecide: the award decisions are void; the lead (or the members)
	// decide again on the same evaluation.
	ReviewRedecide ReviewOutcome = "RE_DECIDE"
	// ReviewReevaluate: the evaluation is reopened: locks, consensus and the
	// report are void, the evaluators score again.
	ReviewReevaluate ReviewOutcome = "RE_EVALUATE"
)

func (o ReviewOutcome) valid() bool {
	return o == ReviewContinue || o == ReviewRedecide || o == ReviewReevaluate
}

// MilestoneStatus is how a contract milestone went.
type MilestoneStatus string

const (
	MilestoneMet          MilestoneStatus = "MET"
	MilestonePartiallyMet MilestoneStatus = "PARTIALLY_MET"
	MilestoneNotMet       MilestoneStatus = "NOT_MET"
)

func (m MilestoneStatus) valid() bool {
	return m == MilestoneMet || m == MilestonePartiallyMet || m == MilestoneNotMet
}

// Severity grades a deviation from the contract.
type Severity string

const (
	SeverityLow    Severity = "LOW"
	SeverityMedium Severity = "MEDIUM"
	SeverityHigh   Severity = "HIGH"
)

func (v Severity) valid() bool { return v == SeverityLow || v == SeverityMedium || v == SeverityHigh }

// GateDecision is the decision at the end of an innovation-partnership phase.
type GateDecision string

const (
	GateContinue  GateDecision = "CONTINUE"
	GateTerminate GateDecision = "TERMINATE"
)

// FinalStatus is how a contract ended.
type FinalStatus string

const (
	FinalComplete   FinalStatus = "COMPLETE"
	FinalIncomplete FinalStatus = "INCOMPLETE"
)

// UnsuccessfulReason says why a procedure ended without a contract.
type UnsuccessfulReason string

const (
	UnsuccessfulNoBids      UnsuccessfulReason = "NO_BIDS"
	UnsuccessfulAllRejected UnsuccessfulReason = "ALL_REJECTED"
)

// CriterionResult is one selection criterion's result for a request to participate.
type CriterionResult struct {
	Criterion string `json:"criterion"`
	Met       bool   `json:"met"`
	Note      string `json:"note,omitempty"`
}

// NotInvited is a candidate left out of the invitation, with the reason.
type NotInvited struct {
	Supplier string `json:"supplier"`
	Reason   string `json:"reason"`
}

// IndividualScore is one evaluator's locked score behind a consensus score.
type IndividualScore struct {
	Evaluator string `json:"evaluator"`
	Score     int    `json:"score"`
}

// RankedBid is one line of a lot's ranking. Totals are points out of 100 with
// four decimals: Σ weight × (score − scale minimum) / (scale maximum − scale
// minimum), computed exactly and rounded half up only for display.
type RankedBid struct {
	Rank     int    `json:"rank"`
	BidID    string `json:"bidId"`
	Supplier string `json:"supplier"`
	Total    string `json:"total"`
	Quality  string `json:"quality"`
	Price    string `json:"price"`
}

// LotRanking is the ranking of one lot.
type LotRanking struct {
	Lot     string      `json:"lot"`
	TieRule TieRule     `json:"tieRule"`
	Ranking []RankedBid `json:"ranking"`
}

// ContractTerms are what every signatory of a contract signs.
type ContractTerms struct {
	Value     string `json:"value"`     // money, the case's currency
	StartDate string `json:"startDate"` // YYYY-MM-DD
	EndDate   string `json:"endDate"`   // YYYY-MM-DD
	Framework bool   `json:"framework"` // a framework agreement members call off from
}
