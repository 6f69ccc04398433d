package ocds

import "encoding/json"

// Release is one OCDS 1.1.5 release, with the fields of the extensions
// Felles declares. Every optional field is left out when empty, so a release
// holds what its event says and nothing else (the merge fills in the rest).
type Release struct {
	OCID                string         `json:"ocid"`
	ID                  string         `json:"id"`
	Date                string         `json:"date"`
	Tag                 []string       `json:"tag"`
	InitiationType      string         `json:"initiationType"`
	Language            string         `json:"language,omitempty"`
	Parties             []Organization `json:"parties,omitempty"`
	Buyer               *OrgRef        `json:"buyer,omitempty"`
	Planning            *Planning      `json:"planning,omitempty"`
	Tender              *Tender        `json:"tender,omitempty"`
	Bids                *Bids          `json:"bids,omitempty"`
	Awards              []Award        `json:"awards,omitempty"`
	Contracts           []Contract     `json:"contracts,omitempty"`
	RelatedProcesses    []Related      `json:"relatedProcesses,omitempty"`
	WithheldInformation []Withheld     `json:"withheldInformation,omitempty"`
}

// Organization is a party: every organisation a release names.
type Organization struct {
	ID         string      `json:"id"`
	Name       string      `json:"name,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Roles      []string    `json:"roles"`
}

// Identifier is an organisation's registration.
type Identifier struct {
	Scheme    string `json:"scheme"`
	ID        string `json:"id"`
	LegalName string `json:"legalName,omitempty"`
}

// OrgRef points at a party by its id.
type OrgRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Amount is a decimal as it was recorded; it is written as a JSON number.
type Amount = json.Number

// Value is money.
type Value struct {
	Amount   Amount `json:"amount"`
	Currency string `json:"currency"`
}

// Period is a span of time; the dates are RFC 3339.
type Period struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// Document describes a document without publishing it.
type Document struct {
	ID            string `json:"id"`
	DocumentType  string `json:"documentType,omitempty"`
	Title         string `json:"title,omitempty"`
	Description   string `json:"description,omitempty"`
	DatePublished string `json:"datePublished,omitempty"`
}

// Milestone is a dated step of planning or of a contract.
type Milestone struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	DueDate     string `json:"dueDate,omitempty"`
	DateMet     string `json:"dateMet,omitempty"`
	Status      string `json:"status,omitempty"`
}

// Planning is the planning section.
type Planning struct {
	Rationale  string      `json:"rationale,omitempty"`
	Budget     *Budget     `json:"budget,omitempty"`
	Documents  []Document  `json:"documents,omitempty"`
	Milestones []Milestone `json:"milestones,omitempty"`
}

// Budget is the members' joint estimate.
type Budget struct {
	Description string `json:"description,omitempty"`
	Amount      *Value `json:"amount,omitempty"`
}

// Tender is the tender section.
type Tender struct {
	ID                         string      `json:"id"`
	Title                      string      `json:"title,omitempty"`
	Description                string      `json:"description,omitempty"`
	Status                     string      `json:"status,omitempty"`
	ProcuringEntity            *OrgRef     `json:"procuringEntity,omitempty"`
	Items                      []Item      `json:"items,omitempty"`
	Value                      *Value      `json:"value,omitempty"`
	ProcurementMethod          string      `json:"procurementMethod,omitempty"`
	ProcurementMethodDetails   string      `json:"procurementMethodDetails,omitempty"`
	ProcurementMethodRationale string      `json:"procurementMethodRationale,omitempty"`
	MainProcurementCategory    string      `json:"mainProcurementCategory,omitempty"`
	AwardCriteria              string      `json:"awardCriteria,omitempty"`
	SubmissionMethod           []string    `json:"submissionMethod,omitempty"`
	TenderPeriod               *Period     `json:"tenderPeriod,omitempty"`
	EnquiryPeriod              *Period     `json:"enquiryPeriod,omitempty"`
	HasEnquiries               *bool       `json:"hasEnquiries,omitempty"`
	EligibilityCriteria        string      `json:"eligibilityCriteria,omitempty"`
	AwardPeriod                *Period     `json:"awardPeriod,omitempty"`
	NumberOfTenderers          *int        `json:"numberOfTenderers,omitempty"`
	Tenderers                  []OrgRef    `json:"tenderers,omitempty"`
	Documents                  []Document  `json:"documents,omitempty"`
	Milestones                 []Milestone `json:"milestones,omitempty"`
	Amendments                 []Amendment `json:"amendments,omitempty"`
	Lots                       []Lot       `json:"lots,omitempty"`      // lots extension
	Enquiries                  []Enquiry   `json:"enquiries,omitempty"` // enquiries extension
}

// Item is what is bought, classified by CPV.
type Item struct {
	ID             string          `json:"id"`
	Description    string          `json:"description,omitempty"`
	Classification *Classification `json:"classification,omitempty"`
	RelatedLot     string          `json:"relatedLot,omitempty"` // lots extension
}

// Classification is a code of a scheme.
type Classification struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
}

// Amendment is a change of a published notice.
type Amendment struct {
	ID          string `json:"id"`
	Date        string `json:"date,omitempty"`
	Rationale   string `json:"rationale,omitempty"`
	Description string `json:"description,omitempty"`
}

// Lot is one lot (lots extension) with its award criteria (awardCriteria extension).
type Lot struct {
	ID            string       `json:"id"`
	Title         string       `json:"title,omitempty"`
	Status        string       `json:"status,omitempty"`
	Value         *Value       `json:"value,omitempty"`
	AwardCriteria *LotCriteria `json:"awardCriteria,omitempty"`
}

// LotCriteria are a lot's award criteria.
type LotCriteria struct {
	Criteria []Criterion `json:"criteria"`
}

// Criterion is one award criterion with its weight.
type Criterion struct {
	Type        string   `json:"type"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Numbers     []Number `json:"numbers,omitempty"`
}

// Number is a criterion's weight.
type Number struct {
	Number Amount `json:"number"`
	Weight string `json:"weight"`
}

// Enquiry is a question with its answer, anonymised (enquiries extension).
type Enquiry struct {
	ID           string `json:"id"`
	Date         string `json:"date,omitempty"`
	Description  string `json:"description,omitempty"`
	Answer       string `json:"answer,omitempty"`
	DateAnswered string `json:"dateAnswered,omitempty"`
}

// Bids holds what may be said of the bids (bid extension): counts, and each
// submission's status without its content.
type Bids struct {
	Statistics []Statistic `json:"statistics,omitempty"`
	Details    []BidDetail `json:"details,omitempty"`
}

// Statistic is one count about the bids.
type Statistic struct {
	ID         string `json:"id"`
	Measure    string `json:"measure"`
	Value      int    `json:"value"`
	Date       string `json:"date,omitempty"`
	RelatedLot string `json:"relatedLot,omitempty"`
}

// BidDetail is one submission's status.
type BidDetail struct {
	ID     string `json:"id"`
	Date   string `json:"date,omitempty"`
	Status string `json:"status,omitempty"`
}

// Award is one award decision.
type Award struct {
	ID          string     `json:"id"`
	Title       string     `json:"title,omitempty"`
	Description string     `json:"description,omitempty"`
	Status      string     `json:"status,omitempty"`
	Date        string     `json:"date,omitempty"`
	Value       *Value     `json:"value,omitempty"`
	Suppliers   []OrgRef   `json:"suppliers,omitempty"`
	Documents   []Document `json:"documents,omitempty"`
	RelatedLots []string   `json:"relatedLots,omitempty"` // lots extension
}

// Contract is one signed contract.
type Contract struct {
	ID             string          `json:"id"`
	AwardID        string          `json:"awardID"`
	Title          string          `json:"title,omitempty"`
	Description    string          `json:"description,omitempty"`
	Status         string          `json:"status,omitempty"`
	Period         *Period         `json:"period,omitempty"`
	Value          *Value          `json:"value,omitempty"`
	DateSigned     string          `json:"dateSigned,omitempty"`
	Documents      []Document      `json:"documents,omitempty"`
	Implementation *Implementation `json:"implementation,omitempty"`
	Milestones     []Milestone     `json:"milestones,omitempty"`
	Buyer          *OrgRef         `json:"buyer,omitempty"`       // contract_buyer extension
	Signatories    []OrgRef        `json:"signatories,omitempty"` // signatories extension
}

// Implementation is what happened under a contract.
type Implementation struct {
	Transactions []Transaction `json:"transactions,omitempty"`
	Documents    []Document    `json:"documents,omitempty"`
}

// Transaction is a payment.
type Transaction struct {
	ID    string  `json:"id"`
	Date  string  `json:"date,omitempty"`
	Value *Value  `json:"value,omitempty"`
	Payer *OrgRef `json:"payer,omitempty"`
	Payee *OrgRef `json:"payee,omitempty"`
}

// Related links another contracting process.
type Related struct {
	ID           string   `json:"id"`
	Relationship []string `json:"relationship"`
	Title        string   `json:"title,omitempty"`
	Scheme       string   `json:"scheme"`
	Identifier   string   `json:"identifier"`
}

// Withheld declares information that exists and is not published (withheld
// information extension).
type Withheld struct {
	ID        string `json:"id"`
	Field     string `json:"field"`
	Name      string `json:"name"`
	Rationale string `json:"rationale,omitempty"`
}
