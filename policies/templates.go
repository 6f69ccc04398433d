package policies

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"
)

//go:embed model.conf
var modelConf string

//go:embed roles.csv
var rolesCSV string

// parseTemplates reads roles.csv and checks every line, so a typo in the file
// stops the enforcer from starting instead of silently granting nothing or,
// worse, matching more than meant (an unanchored action regex).
func parseTemplates(text string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = 5

	var rules [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rules, nil
		}
		if err != nil {
			return nil, fmt.Errorf("policies: roles.csv: %w", err)
		}
		if err := checkTemplate(rec); err != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("policies: roles.csv line %d: %w", line, err)
		}
		rules = append(rules, rec)
	}
}

func checkTemplate(rec []string) error {
	ptype, sub, dom, obj, act := rec[0], rec[1], rec[2], rec[3], rec[4]
	if ptype != "p" {
		return fmt.Errorf("only role templates (p) belong here, got %q", ptype)
	}
	role, ok := strings.CutPrefix(sub, rolePrefix)
	if !ok || !KnownRole(role) {
		return fmt.Errorf("%w: subject %q", ErrUnknownRole, sub)
	}
	if dom != PlatformOrg {
		return fmt.Errorf("a template is valid in every organisation, so its domain must be %q, got %q", PlatformOrg, dom)
	}
	if obj != ObjectProcurement && obj != ObjectOrganisation {
		return fmt.Errorf("unknown object %q", obj)
	}
	if !strings.HasPrefix(act, "^") || !strings.HasSuffix(act, "$") {
		return fmt.Errorf("action regex %q must be anchored with ^ and $", act)
	}
	// Casbin's regexMatch panics on a bad pattern at request time; catch it here.
	if _, err := regexp.Compile(act); err != nil {
		return fmt.Errorf("action regex %q: %w", act, err)
	}
	return nil
}
