package ocds

import (
	"fmt"
	"slices"
	"strings"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// design is the tender as the case drafts it: internal until the contract
// notice publishes it, and kept up to date after (amendments change it).
type design struct {
	consolidated map[int][]procurement.CommonNeed
	procedure    *procurement.ProcedureSelected
	lots         []procurement.Lot
	criteria     map[string][]procurement.AwardCriterion // by lot, "" for every lot without its own
	selection    *procurement.QualificationCriteriaDefined
	phases       []procurement.PartnershipPhase
	timetable    *procurement.TimetablePlan
}

// keep records a design event; it says whether ev was one.
func (d *design) keep(ev procurement.Event) bool {
	switch e := ev.(type) {
	case procurement.ProcedureSelected:
		d.procedure = &e
	case procurement.LotsDefined:
		d.lots = slices.Clone(e.Lots)
	case procurement.AwardCriteriaDefined:
		if d.criteria == nil {
			d.criteria = map[string][]procurement.AwardCriterion{}
		}
		d.criteria[e.Lot] = slices.Clone(e.Criteria)
	case procurement.QualificationCriteriaDefined:
		d.selection = &e
	case procurement.PartnershipPhasesDefined:
		d.phases = slices.Clone(e.Phases)
	case procurement.TimetableSet:
		d.timetable = &e.Timetable
	default:
		return false
	}
	return true
}

// method is the OCDS procurement method of a procedure (eForms mapping,
// DOMAIN.md §6: restricted, negotiation, dialogue and partnership are selective).
func method(p timelimits.Procedure) (code, details string) {
	switch p {
	case timelimits.Open:
		return "open", "Open procedure"
	case timelimits.Restricted:
		return "selective", "Restricted procedure"
	case timelimits.CompetitiveNegotiation:
		return "selective", "Competitive procedure with negotiation"
	case timelimits.CompetitiveDialogue:
		return "selective", "Competitive dialogue"
	case timelimits.InnovationPartnership:
		return "selective", "Innovation partnership"
	case timelimits.DPS:
		return "selective", "Dynamic purchasing system"
	}
	return "", ""
}

// category is the main procurement category the CPV codes say: division 45 is
// works, divisions 50 and above are services, the rest goods. Mixed codes give
// the category of the first code.
func category(cpv []string) string {
	if len(cpv) == 0 || len(cpv[0]) < 2 {
		return ""
	}
	switch div := cpv[0][:2]; {
	case div == "45":
		return "works"
	case div >= "50" && div <= "98":
		return "services"
	default:
		return "goods"
	}
}

// lots are the published lots with their award criteria.
func (b *caseBuilder) lots() []Lot {
	out := make([]Lot, 0, len(b.design.lots))
	for _, l := range b.design.lots {
		lot := Lot{ID: l.ID, Title: l.Title, Status: "active", Value: b.money(l.EstimatedValue)}
		crit, own := b.design.criteria[l.ID]
		if !own {
			crit = b.design.criteria[""]
		}
		if len(crit) > 0 {
			lot.AwardCriteria = &LotCriteria{Criteria: criteria(crit)}
		}
		out = append(out, lot)
	}
	return out
}

func criteria(cs []procurement.AwardCriterion) []Criterion {
	out := make([]Criterion, 0, len(cs))
	for _, c := range cs {
		crit := Criterion{Type: strings.ToLower(string(c.Type)), Name: c.Name, Description: c.ScoringMethod}
		if decimal.MatchString(c.Weight) {
			crit.Numbers = []Number{{Number: Amount(c.Weight), Weight: "percentageExact"}}
		}
		out = append(out, crit)
	}
	return out
}

// eligibility states the selection criteria and exclusion grounds.
func (d *design) eligibility() string {
	if d.selection == nil {
		return ""
	}
	var lines []string
	for _, g := range d.selection.ExclusionGrounds {
		lines = append(lines, "Exclusion ground: "+g)
	}
	for _, c := range d.selection.SelectionCriteria {
		lines = append(lines, fmt.Sprintf("%s (evidence: %s)", c.Text, c.Evidence))
	}
	return strings.Join(lines, "\n")
}
