package graphql

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/domain/procurement"
)

// A kind the domain derives but the schema's enum lacks fails the whole
// selection that holds it (Task.kind is non-null): every kind must be there.
func TestTheTaskKindEnumNamesEveryTaskTheDomainDerives(t *testing.T) {
	m := regexp.MustCompile(`(?s)enum TaskKind \{(.*?)\}`).FindStringSubmatch(SchemaSDL())
	if m == nil {
		t.Fatal("the schema has no enum TaskKind")
	}
	values := strings.Fields(m[1])
	for _, k := range procurement.TaskKinds() {
		if !slices.Contains(values, string(k)) {
			t.Errorf("enum TaskKind lacks %s", k)
		}
	}
}
