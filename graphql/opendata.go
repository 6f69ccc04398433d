package graphql

import (
	"context"
	"errors"
)

// OpenData builds a case's OCDS packages (audit/ocds.Source in a running
// Felles).
type OpenData interface {
	// CasePackage is the record package (records) or the release package of a
	// case as it stood after revision upTo of its stream (nil: now).
	CasePackage(ctx context.Context, caseID string, records bool, upTo *uint64) ([]byte, error)
	// OCID is the ocid of a case.
	OCID(caseID string) string
}

// OpenData is the case as open data. Anyone who may read the case may read
// it: the packages are public.
func (p procurementResolver) OpenData() (openDataResolver, error) {
	if p.r.Deps.OpenData == nil {
		return openDataResolver{}, errors.New("open data is not published by this server")
	}
	return openDataResolver{p}, nil
}

type openDataResolver struct{ p procurementResolver }

func (o openDataResolver) OCID() string { return o.p.r.Deps.OpenData.OCID(o.p.s.ID) }

func (o openDataResolver) ReleasePackage(ctx context.Context) (string, error) {
	return o.build(ctx, false)
}

func (o openDataResolver) RecordPackage(ctx context.Context) (string, error) {
	return o.build(ctx, true)
}

func (o openDataResolver) build(ctx context.Context, records bool) (string, error) {
	var upTo *uint64
	if o.p.at != nil {
		rev := o.p.at.revision
		upTo = &rev
	}
	body, err := o.p.r.Deps.OpenData.CasePackage(ctx, o.p.s.ID, records, upTo)
	if err != nil {
		return "", toAPI(err)
	}
	return string(body), nil
}
