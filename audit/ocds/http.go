package ocds

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// Handler serves the packages as open data, to anyone, without a token:
//
//	GET /ocds/releases/{case}  the release package of one case
//	GET /ocds/records/{case}   its record package
//	GET /ocds/releases, /ocds/records  every case of the log
//
// What the packages hold is public by construction (DOMAIN.md §6).
func Handler(src *Source) http.Handler {
	mux := http.NewServeMux()
	serve := func(build func(context.Context, string) ([]byte, error)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			caseID := strings.Trim(r.PathValue("case"), "/")
			body, err := build(r.Context(), caseID)
			switch {
			case errors.Is(err, ErrNoCase):
				http.Error(w, err.Error(), http.StatusNotFound)
				return
			case errors.Is(err, ErrNotACaseID):
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			case err != nil:
				http.Error(w, "the packages could not be built: "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			_, _ = w.Write(body)
		}
	}
	mux.Handle("GET /ocds/releases", serve(src.ReleasePackage))
	mux.Handle("GET /ocds/releases/{case}", serve(src.ReleasePackage))
	mux.Handle("GET /ocds/records", serve(src.RecordPackage))
	mux.Handle("GET /ocds/records/{case}", serve(src.RecordPackage))
	return mux
}
