package procurement

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/felles/felles/domain/organisation"
)

var (
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	cpvPattern  = regexp.MustCompile(`^[0-9]{8}(-[0-9])?$`)
)

// ValidID says whether id can name a case (a lowercase UUID).
func ValidID(id string) bool { return uuidPattern.MatchString(id) }

func createCase(s State, c CreateCase) ([]Event, error) {
	title := strings.TrimSpace(c.Title)
	description := strings.TrimSpace(c.Description)
	switch {
	case !ValidID(c.ID):
		return nil, ErrInvalidCaseID
	case title == "" || utf8.RuneCountInString(title) > 200:
		return nil, ErrTitleRequired
	case utf8.RuneCountInString(description) > 20000:
		return nil, ErrDescriptionTooLong
	case !c.Jurisdiction.Valid():
		return nil, ErrInvalidJurisdiction
	case c.HubKind != organisation.KindHub:
		return nil, ErrHubRequired
	case s.Created:
		return nil, ErrAlreadyExists
	}
	var cpv []string
	seen := map[string]bool{}
	for _, code := range c.CPV {
		code = strings.TrimSpace(code)
		if !cpvPattern.MatchString(code) {
			return nil, ErrInvalidCPV.With("%q", code)
		}
		// The eight digits name the code; the check digit is optional, so
		// 48000000 and 48000000-8 are one code (the first form given is kept).
		if root := code[:8]; !seen[root] {
			seen[root] = true
			cpv = append(cpv, code)
		}
	}
	return []Event{CaseCreated{
		ID: c.ID, Title: title, Description: description, Jurisdiction: c.Jurisdiction, CPV: cpv, Hub: c.By.Org,
	}}, nil
}
