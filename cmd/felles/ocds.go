package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/felles/felles/audit/ocds"
	"github.com/felles/felles/eventstore"
)

// ocdsFlags adds the open-data publisher's settings to a command's flags
// (serve and export share them); the function returned reads them once parsed.
func ocdsFlags(fs *flag.FlagSet) func(defaultURL string) (ocds.Config, error) {
	prefix := fs.String("ocid-prefix", ocds.DefaultConfig.OCIDPrefix, "OCDS ocid prefix registered for the publisher (ocds-xxxxxx); the default is not registered")
	publisher := fs.String("ocds-publisher", ocds.DefaultConfig.Publisher.Name, "name of the organisation publishing the OCDS data")
	publisherURI := fs.String("ocds-publisher-uri", "", "web address of the publisher")
	publicURL := fs.String("public-url", "", "public address of this Felles, for the OCDS packages' uri (default: http:// and the listen address)")
	license := fs.String("ocds-license", ocds.DefaultConfig.License, "license of the OCDS data (a URL; empty for none)")
	policy := fs.String("ocds-publication-policy", "", "URL of the publication policy")
	return func(defaultURL string) (ocds.Config, error) {
		cfg := ocds.Config{OCIDPrefix: *prefix, Publisher: ocds.Publisher{Name: *publisher, URI: *publisherURI},
			BaseURL: *publicURL, License: *license, PublicationPolicy: *policy}
		if cfg.BaseURL == "" {
			cfg.BaseURL = defaultURL
		}
		return cfg, cfg.Validate()
	}
}

// exportOCDS writes the release or record package of one case, or of every
// case when caseID is "".
func exportOCDS(ctx context.Context, store eventstore.Store, cfg ocds.Config, format, caseID string, w io.Writer) error {
	src, err := ocds.NewSource(store, cfg)
	if err != nil {
		return err
	}
	var body []byte
	switch format {
	case "ocds-releases":
		body, err = src.ReleasePackage(ctx, caseID)
	case "ocds-records":
		body, err = src.RecordPackage(ctx, caseID)
	default:
		return fmt.Errorf("unknown OCDS format %q", format)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// openDataSource is the OCDS source of a running Felles.
func openDataSource(sys *system, cfg serveConfig, addr string) (*ocds.Source, error) {
	read := cfg.openData
	if read == nil { // a server started by a test without parsing flags
		read = func(u string) (ocds.Config, error) { c := ocds.DefaultConfig; c.BaseURL = u; return c, nil }
	}
	oc, err := read("http://" + addr)
	if err != nil {
		return nil, err
	}
	return ocds.NewSource(sys.store, oc)
}
