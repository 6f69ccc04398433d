package ocds

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/eventstore"
)

// Org is what the open data may say of an organisation: its registration.
// Registrations never change once made (organisation.Register is idempotent
// and refuses another), so a release naming an organisation stays the same
// however late it is built.
type Org struct {
	ID        string
	Name      string
	OrgNumber string
}

// Directory finds an organisation's registration.
type Directory func(id string) (Org, bool)

// caseBuilder folds one case's events into releases. It holds the public
// state of the case (what earlier releases said) and the case's drafts that
// become public at a later event (the design, published with the notice; an
// award decision, published with its notification).
type caseBuilder struct {
	cfg      Config
	dir      Directory
	caseID   string
	ocid     string
	lang     string
	currency string
	zone     *time.Location
	scheme   string // the organisation identifier scheme of the case's country

	created bool
	hub     string
	lead    string
	joined  []string // members in the order they joined
	roles   map[string][]string

	title, description string
	cpv                []string
	design             design
	noticePublished    bool
	questions          map[string]time.Time
	commitments        map[string]int64 // org, lot, type → estimated value in minor units
	tenderers          []string         // suppliers whose tenders were opened
	awards             map[string]procurement.AwardDecided
	awardStatus        map[string]string
	contracts          map[string]procurement.ContractSigned
	ended              map[string]bool // contracts closed or terminated
	extra              map[string]Org  // parties that are not organisations of Felles: review bodies

	// per release
	touched []string
}

func newCaseBuilder(cfg Config, dir Directory, caseID string) *caseBuilder {
	return &caseBuilder{cfg: cfg, dir: dir, caseID: caseID, ocid: cfg.OCID(caseID), roles: map[string][]string{},
		questions: map[string]time.Time{}, commitments: map[string]int64{}, awards: map[string]procurement.AwardDecided{},
		awardStatus: map[string]string{}, contracts: map[string]procurement.ContractSigned{}, ended: map[string]bool{},
		extra: map[string]Org{}, zone: time.UTC,
		design: design{consolidated: map[int][]procurement.CommonNeed{}}}
}

// apply takes the case's next event and returns its release, or nil when the
// event publishes nothing (DOMAIN.md §6 "Not exported", or an internal step).
func (b *caseBuilder) apply(rec eventstore.Record, ev procurement.Event) (*Release, error) {
	if c, ok := ev.(procurement.CaseCreated); ok {
		b.start(c)
	} else if !b.created {
		return nil, fmt.Errorf("ocds: case %s: event %s (%s) comes before the case was created", b.caseID, rec.ID, rec.Type)
	}
	b.touched = b.touched[:0]
	r := &Release{OCID: b.ocid, ID: rec.ID, Date: stamp(rec.Metadata.OccurredAt), InitiationType: "tender", Language: b.lang}
	tag := b.release(r, rec, ev)
	if tag == "" {
		return nil, nil
	}
	r.Tag = []string{tag}
	if b.lead != "" {
		r.Buyer = b.ref(b.lead)
	}
	r.Parties = b.parties()
	return r, nil
}

func (b *caseBuilder) start(c procurement.CaseCreated) {
	b.created = true
	b.hub, b.title, b.description, b.cpv = c.Hub, c.Title, c.Description, slices.Clone(c.CPV)
	b.currency = procurement.CurrencyOf(c.Jurisdiction)
	switch c.Jurisdiction {
	case procurement.JurisdictionNO:
		b.lang, b.scheme = "no", "NO-BRC"
	case procurement.JurisdictionSE:
		b.lang, b.scheme = "sv", "SE-BLV"
	case procurement.JurisdictionFI:
		b.lang, b.scheme = "fi", "FI-PRO"
	}
	if loc, err := timelimits.Jurisdiction(c.Jurisdiction).Location(); err == nil {
		b.zone = loc
	}
}

// release fills r from ev and returns its tag, "" for no release.
func (b *caseBuilder) release(r *Release, rec eventstore.Record, ev procurement.Event) string {
	if tag := b.planning(r, rec, ev); tag != "" {
		return tag
	}
	if tag := b.tender(r, rec, ev); tag != "" {
		return tag
	}
	if tag := b.award(r, rec, ev); tag != "" {
		return tag
	}
	return b.contract(r, rec, ev)
}

// stage is the tag family of a change to the parties or the members: planning
// before the contract notice, tender after.
func (b *caseBuilder) stageUpdate() string {
	if b.noticePublished {
		return "tenderUpdate"
	}
	return "planningUpdate"
}

// ref names an organisation in a release and marks it for the parties list.
func (b *caseBuilder) ref(org string) *OrgRef {
	if !slices.Contains(b.touched, org) {
		b.touched = append(b.touched, org)
	}
	p := b.partyID(org)
	return &OrgRef{ID: p.ID, Name: p.Name}
}

func (b *caseBuilder) refs(orgs []string) []OrgRef {
	out := make([]OrgRef, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, *b.ref(o))
	}
	return out
}

// addRole gives org a role (kept in the codelist order of first grant).
func (b *caseBuilder) addRole(org, role string) {
	if !slices.Contains(b.roles[org], role) {
		b.roles[org] = append(b.roles[org], role)
	}
	b.ref(org)
}

func (b *caseBuilder) dropRole(org, role string) {
	if i := slices.Index(b.roles[org], role); i >= 0 {
		b.roles[org] = slices.Delete(slices.Clone(b.roles[org]), i, i+1)
	}
	b.ref(org)
}

// partyID is the party an organisation is: its registration number under the
// country's scheme (org-id.guide), or its Felles ID when it has none.
func (b *caseBuilder) partyID(org string) Organization {
	o, ok := b.extra[org]
	if !ok {
		o, ok = b.dir(org)
	}
	if !ok {
		o = Org{ID: org}
	}
	p := Organization{ID: "felles-" + org, Name: o.Name}
	if num := strings.ReplaceAll(o.OrgNumber, " ", ""); num != "" && b.scheme != "" {
		p.ID = b.scheme + "-" + num
		p.Identifier = &Identifier{Scheme: b.scheme, ID: num, LegalName: o.Name}
	}
	return p
}

// parties are the organisations this release names, each with every role it
// holds in the case now (roles merge as a whole list).
func (b *caseBuilder) parties() []Organization {
	out := make([]Organization, 0, len(b.touched))
	for _, org := range b.touched {
		p := b.partyID(org)
		p.Roles = slices.Clone(b.roles[org])
		if p.Roles == nil {
			p.Roles = []string{}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, c Organization) int { return strings.Compare(a.ID, c.ID) })
	return out
}

// stamp writes an instant as OCDS wants it: RFC 3339 in UTC to the second, so
// dates sort as strings.
func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// day turns a local date (YYYY-MM-DD) into the start of that day in the case's
// time zone; "" for anything else.
func (b *caseBuilder) day(d string) string {
	t, err := time.ParseInLocation(time.DateOnly, d, b.zone)
	if err != nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

var decimal = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// money is an amount in the case's currency, nil when the text is not a decimal.
func (b *caseBuilder) money(amount string) *Value {
	amount = strings.TrimSpace(amount)
	if !decimal.MatchString(amount) {
		return nil
	}
	return &Value{Amount: Amount(amount), Currency: b.currency}
}

// minor is an amount in minor units (øre, öre, cent) as a decimal.
func (b *caseBuilder) minor(v int64) *Value {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return &Value{Amount: Amount(fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)), Currency: b.currency}
}
