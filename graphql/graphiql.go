package graphql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// graphiqlFS holds GraphiQL and React (UMD builds, see assets/README.md) plus
// the page's boot script, so the IDE works with no CDN and no network access.
//
//go:embed assets
var graphiqlFS embed.FS

// graphiqlContentTypes lists the asset types served under /assets/. Embedded
// files with any other extension (README.md) are not served.
var graphiqlContentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
}

const (
	// graphiqlAssetCache is sent with every asset. The page links assets
	// with a ?v=<content hash> query, so a new build gets new URLs.
	graphiqlAssetCache = "public, max-age=31536000, immutable"

	// graphiqlDefaultEndpoint is used when GraphiQLHandler gets "".
	graphiqlDefaultEndpoint = "/graphql"
)

type graphiqlAsset struct {
	data        []byte
	contentType string
	etag        string // strong ETag, quoted
	version     string // short content hash, for ?v= cache busting
}

// graphiqlAssets reads and hashes the embedded assets once.
var graphiqlAssets = sync.OnceValue(func() map[string]*graphiqlAsset {
	entries, err := fs.ReadDir(graphiqlFS, "assets")
	if err != nil {
		panic("graphql: reading embedded GraphiQL assets: " + err.Error())
	}
	assets := make(map[string]*graphiqlAsset, len(entries))
	for _, e := range entries {
		ct, ok := graphiqlContentTypes[path.Ext(e.Name())]
		if e.IsDir() || !ok {
			continue
		}
		data, err := graphiqlFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic("graphql: reading embedded GraphiQL asset: " + err.Error())
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		assets[e.Name()] = &graphiqlAsset{
			data:        data,
			contentType: ct,
			etag:        `"` + h[:32] + `"`,
			version:     h[:12],
		}
	}
	for _, name := range []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css", "boot.js"} {
		if assets[name] == nil {
			panic("graphql: embedded GraphiQL asset missing: " + name)
		}
	}
	return assets
})

var graphiqlPage = template.Must(template.New("graphiql").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Felles — GraphiQL</title>
<link rel="stylesheet" href="{{.Asset "graphiql.min.css"}}">
<style>html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }</style>
</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript. The GraphQL endpoint is {{.Endpoint}}.</noscript>
<script src="{{.Asset "react.production.min.js"}}"></script>
<script src="{{.Asset "react-dom.production.min.js"}}"></script>
<script src="{{.Asset "graphiql.min.js"}}"></script>
<script src="{{.Asset "boot.js"}}"></script>
</body>
</html>
`))

type graphiqlPageData struct {
	Endpoint string
	assets   map[string]*graphiqlAsset
}

// Asset returns the versioned URL of an embedded asset.
func (d graphiqlPageData) Asset(name string) string {
	return "/assets/" + name + "?v=" + d.assets[name].version
}

// GraphiQLHandler returns a handler for the GraphiQL IDE, talking to the
// GraphQL API at endpoint (a same-origin path such as "/graphql", or an
// absolute http(s) URL; "" means "/graphql"). Mount it at the root:
//
//	mux.Handle("/", graphql.GraphiQLHandler("/graphql"))
//
// It answers GET and HEAD for exactly "/" (the HTML page) and
// "/assets/<file>" (GraphiQL, React and the boot script, embedded in the
// binary and cached for a year; the page links them with a content-hash
// query so upgrades are picked up). Every other path is 404, other methods
// 405. The page is sent with a strict Content-Security-Policy: scripts only
// from this origin, no inline scripts, and fetches only to this origin and
// the endpoint's.
func GraphiQLHandler(endpoint string) http.Handler {
	if endpoint == "" {
		endpoint = graphiqlDefaultEndpoint
	}
	assets := graphiqlAssets()
	var page bytes.Buffer
	if err := graphiqlPage.Execute(&page, graphiqlPageData{Endpoint: endpoint, assets: assets}); err != nil {
		panic("graphql: rendering GraphiQL page: " + err.Error())
	}
	return &graphiqlHandler{page: page.Bytes(), csp: graphiqlCSP(endpoint), assets: assets}
}

type graphiqlHandler struct {
	page   []byte
	csp    string
	assets map[string]*graphiqlAsset
}

func (h *graphiqlHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var asset *graphiqlAsset
	switch p := r.URL.Path; {
	case p == "/":
	case strings.HasPrefix(p, "/assets/"):
		asset = h.assets[strings.TrimPrefix(p, "/assets/")]
		if asset == nil {
			http.NotFound(w, r)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}

	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	if asset != nil {
		hdr.Set("Content-Type", asset.contentType)
		hdr.Set("Cache-Control", graphiqlAssetCache)
		hdr.Set("ETag", asset.etag)
		// ServeContent handles HEAD, Range and If-None-Match.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(asset.data))
		return
	}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Content-Length", fmt.Sprint(len(h.page)))
	_, _ = w.Write(h.page)
}

// graphiqlCSP builds the page's Content-Security-Policy. GraphiQL injects
// <style> elements and style attributes at runtime, hence 'unsafe-inline'
// for styles (never for scripts); its CSS embeds fonts and images as data:
// URLs.
func graphiqlCSP(endpoint string) string {
	connect := "'self'"
	if origin := graphiqlOrigin(endpoint); origin != "" {
		connect += " " + origin
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// graphiqlOrigin returns scheme://host of an absolute http(s) endpoint, or
// "" for a relative one (covered by 'self') or anything it cannot vouch for
// being safe to put into a CSP header.
func graphiqlOrigin(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	for _, c := range u.Host {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '-' || c == ':' || c == '[' || c == ']'
		if !ok {
			return ""
		}
	}
	return u.Scheme + "://" + u.Host
}
