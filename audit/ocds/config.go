package ocds

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Config says who publishes and under which identifiers. Every value is an
// operations decision (⚠ configurable): the ocid prefix is registered with the
// Open Contracting Partnership by the publisher, the URL is where the
// packages are served.
type Config struct {
	// OCIDPrefix is the publisher's registered prefix, e.g. "ocds-213czf"; a
	// case's ocid is the prefix, a hyphen and the case ID.
	OCIDPrefix string
	// Publisher names the organisation publishing the data.
	Publisher Publisher
	// BaseURL is the public address of this Felles (no trailing slash); the
	// packages' uri is under it.
	BaseURL string
	// License and PublicationPolicy are URLs; empty leaves them out.
	License           string
	PublicationPolicy string
}

// DefaultConfig is the configuration of a Felles that was not told otherwise:
// "ocds-felles" is NOT a registered prefix; a hub publishing for real sets its own.
var DefaultConfig = Config{
	OCIDPrefix: "ocds-felles",
	Publisher:  Publisher{Name: "Felles"},
	BaseURL:    "http://localhost:8080",
	License:    "https://creativecommons.org/licenses/by/4.0/",
}

var prefixPattern = regexp.MustCompile(`^ocds-[a-z0-9]{1,32}$`)

// Validate says what is wrong with c, if anything.
func (c Config) Validate() error {
	if !prefixPattern.MatchString(c.OCIDPrefix) {
		return fmt.Errorf("ocds: ocid prefix %q is not of the form ocds-<letters and digits>", c.OCIDPrefix)
	}
	if strings.TrimSpace(c.Publisher.Name) == "" {
		return fmt.Errorf("ocds: the publisher needs a name")
	}
	for name, u := range map[string]string{"base URL": c.BaseURL, "license": c.License, "publication policy": c.PublicationPolicy, "publisher URI": c.Publisher.URI} {
		if u == "" && name != "base URL" {
			continue
		}
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("ocds: the %s %q is not an http(s) URL", name, u)
		}
	}
	return nil
}

// OCID is the ocid of case caseID.
func (c Config) OCID(caseID string) string { return c.OCIDPrefix + "-" + caseID }
