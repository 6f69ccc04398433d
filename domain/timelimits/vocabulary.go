package timelimits

import (
	"time"
	_ "time/tzdata" // the legal time zones must resolve on hosts without a zoneinfo database
)

// Jurisdiction is the law a case runs under; the values match
// procurement.Jurisdiction.
type Jurisdiction string

const (
	NO Jurisdiction = "NO"
	SE Jurisdiction = "SE"
	FI Jurisdiction = "FI"
)

// Jurisdictions lists every jurisdiction the package knows, in a fixed order.
func Jurisdictions() []Jurisdiction { return []Jurisdiction{NO, SE, FI} }

// TimeZone is the IANA name of the jurisdiction's legal time zone, or "" for an
// unknown jurisdiction.
func (j Jurisdiction) TimeZone() string {
	switch j {
	case NO:
		return "Europe/Oslo"
	case SE:
		return "Europe/Stockholm"
	case FI:
		return "Europe/Helsinki"
	}
	return ""
}

// Location loads the legal time zone (from the embedded tzdata when the host
// has none).
func (j Jurisdiction) Location() (*time.Location, error) {
	name := j.TimeZone()
	if name == "" {
		return nil, ErrUnknownJurisdiction.With("got %q", string(j))
	}
	return time.LoadLocation(name)
}

// Regime says which body of rules applies: the EU/EEA directives above the
// threshold, or national rules below it.
type Regime string

const (
	EUAbove  Regime = "EU_ABOVE"
	National Regime = "NATIONAL"
)

func (r Regime) valid() bool { return r == EUAbove || r == National }

// Procedure is the procurement procedure; the values match issue 5's
// competition design. Any marks a rule that applies whatever the procedure
// (standstill, award notice); a lookup falls back to it.
type Procedure string

const (
	Open                   Procedure = "OPEN"
	Restricted             Procedure = "RESTRICTED"
	CompetitiveNegotiation Procedure = "COMPETITIVE_NEGOTIATION"
	CompetitiveDialogue    Procedure = "COMPETITIVE_DIALOGUE"
	InnovationPartnership  Procedure = "INNOVATION_PARTNERSHIP"
	DPS                    Procedure = "DPS"
	Any                    Procedure = "ANY"
)

func (p Procedure) valid() bool { return p == Any || p.label() != "" }

func (p Procedure) label() string {
	switch p {
	case Open:
		return "open procedure"
	case Restricted:
		return "restricted procedure"
	case CompetitiveNegotiation:
		return "competitive procedure with negotiation"
	case CompetitiveDialogue:
		return "competitive dialogue"
	case InnovationPartnership:
		return "innovation partnership"
	case DPS:
		return "dynamic purchasing system"
	}
	return "" // Any reads as no procedure at all: "EU standstill"
}

// Kind is the period a rule limits. Each kind says from what the days are
// counted (the sentAt of EarliestEnd) and what its end is.
type Kind string

const (
	// TenderReceipt: from the contract notice being sent to the tender deadline.
	TenderReceipt Kind = "TENDER_RECEIPT"
	// RequestReceipt: from the contract notice being sent to the deadline for
	// requests to participate.
	RequestReceipt Kind = "REQUEST_RECEIPT"
	// TendersAfterInvitation: from the invitation to tender being sent to the
	// tender deadline.
	TendersAfterInvitation Kind = "TENDERS_AFTER_INVITATION"
	// AdditionalInfoBeforeDeadline: from additional information being supplied
	// to the earliest tender deadline it allows ("at least 6 days before the
	// deadline, else extend" read from the other end).
	AdditionalInfoBeforeDeadline Kind = "ADDITIONAL_INFO_BEFORE_DEADLINE"
	// LateChangeExtension: from a change to the tender documents to the
	// earliest deadline it allows.
	LateChangeExtension Kind = "LATE_CHANGE_EXTENSION"
	// Standstill: from the award decision being sent to the earliest moment the
	// contract may be signed.
	Standstill Kind = "STANDSTILL"
	// AwardNoticePublication: from the contract to the latest moment the award
	// notice may be sent. The only kind whose limit is a maximum.
	AwardNoticePublication Kind = "AWARD_NOTICE_PUBLICATION"
)

func (k Kind) valid() bool { return k.label() != "" }

func (k Kind) label() string {
	switch k {
	case TenderReceipt:
		return "receipt of tenders"
	case RequestReceipt:
		return "receipt of requests to participate"
	case TendersAfterInvitation:
		return "receipt of tenders after invitation"
	case AdditionalInfoBeforeDeadline:
		return "additional information before the tender deadline"
	case LateChangeExtension:
		return "deadline after a late change"
	case Standstill:
		return "standstill"
	case AwardNoticePublication:
		return "publication of the award notice"
	}
	return ""
}

// Bound says whether a rule's days are a minimum or a maximum.
type Bound string

const (
	AtLeast Bound = "AT_LEAST"
	AtMost  Bound = "AT_MOST"
)

// Bound is part of what a kind means, not a value to configure: a standstill
// is never a maximum.
func (k Kind) Bound() Bound {
	if k == AwardNoticePublication {
		return AtMost
	}
	return AtLeast
}

// Condition is a fact of the case that may shorten a period. A rule that offers
// no reduction for a condition ignores it, so a caller may pass every fact of
// the case to every rule.
type Condition string

const (
	// ESubmission: tenders may be submitted electronically.
	ESubmission Condition = "E_SUBMISSION"
	// QualifyingPIN: a prior information notice was sent 35 days to 12 months
	// before the contract notice and met the content rules.
	QualifyingPIN Condition = "QUALIFYING_PIN"
	// Urgency: a duly substantiated urgency (accelerated procedure).
	Urgency Condition = "URGENCY"
	// ElectronicNotice: the award decision was sent electronically.
	ElectronicNotice Condition = "ELECTRONIC_NOTICE"
)

func (c Condition) valid() bool { return c.label() != "" }

// Label is the condition in words ("electronic notice"), or its code when unknown.
func (c Condition) Label() string {
	if l := c.label(); l != "" {
		return l
	}
	return string(c)
}

func (c Condition) label() string {
	switch c {
	case ESubmission:
		return "electronic submission"
	case QualifyingPIN:
		return "qualifying prior information notice"
	case Urgency:
		return "urgency"
	case ElectronicNotice:
		return "electronic notice"
	}
	return ""
}
