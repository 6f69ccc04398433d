package main

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// healthz answers while the process can serve HTTP at all.
func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
}

// readyz reports the store and how far the views are behind the log; it is
// 503 when the store cannot be read or the views consumer is not running, and
// says "degraded" when events were poisoned (the views skip them until
// rebuilt). views_lag is in events on the embedded store and in log bytes on
// KurrentDB, whose positions are byte offsets.
func readyz(sys *system) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		out := map[string]any{"store": "ok"}
		status := http.StatusOK
		head, err := sys.store.Head(ctx)
		if err != nil {
			out["store"] = err.Error()
			status = http.StatusServiceUnavailable
		}
		views := sys.runner.Position()
		poisoned, err := sys.runner.Poisoned(ctx)
		if err != nil {
			out["views"] = err.Error()
			status = http.StatusServiceUnavailable
		}
		out["head"], out["views_position"] = head.String(), views.String()
		out["views_lag"] = head.Commit - min(views.Commit, head.Commit)
		out["poisoned"] = poisoned
		out["views_running"] = sys.viewsRunning.Load()
		if !sys.viewsRunning.Load() {
			out["views"] = "the views consumer is not running"
			status = http.StatusServiceUnavailable
		}
		switch {
		case status != http.StatusOK:
			out["status"] = "unavailable"
		case poisoned > 0:
			out["status"] = "degraded"
		default:
			out["status"] = "ready"
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(out)
	})
}
