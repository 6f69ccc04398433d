package graphql

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func graphiqlGet(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func graphiqlBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var graphiqlAssetRef = regexp.MustCompile(`(?:src|href)="(/assets/[^"?]+)\?v=([0-9a-f]+)"`)

func TestGraphiQLPage(t *testing.T) {
	h := GraphiQLHandler("/graphql")
	resp := graphiqlGet(t, h, http.MethodGet, "/", nil)
	body := graphiqlBody(t, resp)

	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / status = %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if !strings.Contains(body, "<title>Felles — GraphiQL</title>") {
		t.Errorf("page has no Felles title:\n%s", body)
	}
	if !strings.Contains(body, `<div id="graphiql" data-endpoint="/graphql">`) {
		t.Errorf("page has no #graphiql root with the endpoint:\n%s", body)
	}

	// Every script and the stylesheet come from /assets/, in load order,
	// with a cache-busting version that matches the file's content.
	var refs []string
	for _, m := range graphiqlAssetRef.FindAllStringSubmatch(body, -1) {
		refs = append(refs, m[1])
		if a := graphiqlAssets()[strings.TrimPrefix(m[1], "/assets/")]; a == nil || a.version != m[2] {
			t.Errorf("%s?v=%s: unknown asset or stale version", m[1], m[2])
		}
	}
	want := []string{
		"/assets/graphiql.min.css",
		"/assets/react.production.min.js",
		"/assets/react-dom.production.min.js",
		"/assets/graphiql.min.js",
		"/assets/boot.js",
	}
	if strings.Join(refs, " ") != strings.Join(want, " ") {
		t.Errorf("asset references = %v, want %v", refs, want)
	}
	if n := strings.Count(body, "<script"); n != 4 || strings.Contains(body, "<script>") {
		t.Errorf("want exactly 4 external <script src> and no inline script, page:\n%s", body)
	}

	csp := resp.Header.Get("Content-Security-Policy")
	for _, d := range []string{
		"default-src 'none'",
		"script-src 'self';",
		"style-src 'self' 'unsafe-inline'",
		"connect-src 'self';",
		"frame-ancestors 'none'",
	} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lacks %q", csp, d)
		}
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("page lacks X-Content-Type-Options: nosniff")
	}

	head := graphiqlGet(t, h, http.MethodHead, "/", nil)
	if head.StatusCode != http.StatusOK || head.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("HEAD / = %d %q", head.StatusCode, head.Header.Get("Content-Type"))
	}
}

func TestGraphiQLAssets(t *testing.T) {
	h := GraphiQLHandler("/graphql")
	for name, ct := range map[string]string{
		"react.production.min.js":     "text/javascript; charset=utf-8",
		"react-dom.production.min.js": "text/javascript; charset=utf-8",
		"graphiql.min.js":             "text/javascript; charset=utf-8",
		"boot.js":                     "text/javascript; charset=utf-8",
		"graphiql.min.css":            "text/css; charset=utf-8",
		"LICENSE-graphiql.txt":        "text/plain; charset=utf-8",
	} {
		t.Run(name, func(t *testing.T) {
			want, err := graphiqlFS.ReadFile("assets/" + name)
			if err != nil {
				t.Fatal(err)
			}
			target := "/assets/" + name + "?v=" + graphiqlAssets()[name].version
			resp := graphiqlGet(t, h, http.MethodGet, target, nil)
			body := graphiqlBody(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != ct {
				t.Errorf("Content-Type = %q, want %q", got, ct)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("Cache-Control = %q, want a long max-age", cc)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("missing X-Content-Type-Options: nosniff")
			}
			if body != string(want) {
				t.Errorf("body differs from the embedded file (%d vs %d bytes)", len(body), len(want))
			}
			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			again := graphiqlGet(t, h, http.MethodGet, target, map[string]string{"If-None-Match": etag})
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("conditional GET status = %d, want 304", again.StatusCode)
			}
		})
	}

	// The vendored files still carry their license headers.
	for _, name := range []string{"react.production.min.js", "react-dom.production.min.js"} {
		b, _ := graphiqlFS.ReadFile("assets/" + name)
		if !bytes.HasPrefix(b, []byte("/**\n * @license React")) {
			t.Errorf("%s lost its license header", name)
		}
	}
}

func TestGraphiQLNotFound(t *testing.T) {
	h := GraphiQLHandler("/graphql")
	for _, p := range []string{
		"/index.html",
		"/graphiql",
		"/foo/",
		"/assets",
		"/assets/",
		"/assets/nope.js",
		"/assets/README.md", // embedded, but not served
		"/assets/../graphiql.go",
		"/assets/assets/boot.js",
		"/assets/boot.js/",
		"//assets/boot.js",
	} {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			if resp := graphiqlGet(t, h, m, p, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s = %d, want 404", m, p, resp.StatusCode)
			}
		}
	}
	for _, p := range []string{"/", "/assets/boot.js"} {
		resp := graphiqlGet(t, h, http.MethodPost, p, nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s = %d (Allow %q), want 405", p, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

func TestGraphiQLEndpointEscaped(t *testing.T) {
	evil := `/graphql?a=1&b="><script>alert(1)</script>`
	body := graphiqlBody(t, graphiqlGet(t, GraphiQLHandler(evil), http.MethodGet, "/", nil))
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `b="`) {
		t.Fatalf("endpoint not escaped:\n%s", body)
	}
	want := `data-endpoint="/graphql?a=1&amp;b=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`
	if !strings.Contains(body, want) {
		t.Errorf("page lacks %s:\n%s", want, body)
	}

	def := graphiqlBody(t, graphiqlGet(t, GraphiQLHandler(""), http.MethodGet, "/", nil))
	if !strings.Contains(def, `data-endpoint="/graphql"`) {
		t.Errorf(`GraphiQLHandler("") does not default to /graphql`)
	}
}

func TestGraphiQLCSPConnectSrc(t *testing.T) {
	for endpoint, want := range map[string]string{
		"/graphql":                         "connect-src 'self';",
		"https://api.example.org/graphql":  "connect-src 'self' https://api.example.org;",
		"http://localhost:8080/graphql":    "connect-src 'self' http://localhost:8080;",
		"https://a.example;script-src */q": "connect-src 'self';",
		"javascript:alert(1)":              "connect-src 'self';",
	} {
		resp := graphiqlGet(t, GraphiQLHandler(endpoint), http.MethodGet, "/", nil)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("endpoint %q: CSP %q lacks %q", endpoint, csp, want)
		}
	}
}

func TestGraphiQLBootScript(t *testing.T) {
	b, err := graphiqlFS.ReadFile("assets/boot.js")
	if err != nil {
		t.Fatal(err)
	}
	boot := string(b)
	for _, s := range []string{
		"GraphiQL.createFetcher({ url: endpoint })",
		"getAttribute('data-endpoint')",
		`"Authorization": "Bearer <paste a token from: felles token --user hub-coordinator --org hub>"`,
		"defaultEditorToolsVisibility: 'headers'",
		"'  viewer {',",
		"'  procurements(first: 10) {',",
	} {
		if !strings.Contains(boot, s) {
			t.Errorf("boot.js lacks %s", s)
		}
	}
}

// TestGraphiQLChromium loads the page in headless Chromium and checks that
// the embedded JavaScript really renders GraphiQL under the page's CSP,
// reads the endpoint from the data attribute and sends the placeholder
// Authorization header. It skips when Chromium is not installed.
//
// The screenshot goes to a temporary directory that is removed after the
// test; set FELLES_GRAPHIQL_SCREENSHOT=/path/file.png to keep a copy.
func TestGraphiQLChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		p, err := exec.LookPath("chromium")
		if err != nil {
			t.Skip("chromium not installed: no /usr/bin/chromium and no chromium on PATH " +
				"(e.g. apt-get install chromium); skipping the real-browser GraphiQL test")
		}
		chromium = p
	}

	type apiCall struct{ query, auth string }
	var (
		mu    sync.Mutex
		calls []apiCall
	)
	mux := http.NewServeMux()
	mux.Handle("/", GraphiQLHandler("/graphql?probe=1&x=%3Cy%3E"))
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, apiCall{r.URL.RawQuery, r.Header.Get("Authorization")})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":null}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	shot := filepath.Join(dir, "graphiql.png")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--virtual-time-budget=10000",
		"--window-size=1280,800", "--screenshot="+shot,
		"--dump-dom", srv.URL+"/")
	cmd.WaitDelay = 5 * time.Second // Chromium's helpers may hold the pipes open
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("chromium (%s) took %s", chromium, time.Since(start).Round(time.Millisecond))
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("chromium timed out after 60s; stderr:\n%s", graphiqlTail(stderr.String()))
	}
	if err != nil {
		t.Fatalf("chromium: %v; stderr:\n%s", err, graphiqlTail(stderr.String()))
	}

	dom := stdout.String()
	for _, s := range []string{"graphiql-container", "graphiql-editors", "hub-coordinator", "Overview"} {
		if !strings.Contains(dom, s) {
			t.Errorf("rendered DOM lacks %q: GraphiQL did not render.\nDOM:\n%s\nstderr:\n%s",
				s, graphiqlTail(dom), graphiqlTail(stderr.String()))
		}
	}
	// With --enable-logging=stderr, the page's console shows up as
	// "...:INFO:CONSOLE:<line>] <message>, source: <url>" lines.
	for _, line := range strings.Split(stderr.String(), "\n") {
		if !strings.Contains(line, ":CONSOLE") {
			continue
		}
		t.Logf("browser console: %s", line)
		if strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Uncaught") {
			t.Errorf("the page logged a CSP violation or an uncaught error: %s", line)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if len(calls) == 0 {
		t.Error("GraphiQL sent no request to the endpoint (schema introspection)")
	}
	for _, c := range calls {
		if c.query != "probe=1&x=%3Cy%3E" {
			t.Errorf("endpoint called with query %q, want the data-endpoint URL unchanged", c.query)
		}
		if !strings.HasPrefix(c.auth, "Bearer <paste a token from: felles token") {
			t.Errorf("Authorization = %q, want the pre-filled placeholder", c.auth)
		}
	}

	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10_000 {
		t.Errorf("screenshot %s is not a plausible PNG (%d bytes)", shot, len(png))
	}
	t.Logf("screenshot: %s (%d bytes; removed after the test)", shot, len(png))
	if keep := os.Getenv("FELLES_GRAPHIQL_SCREENSHOT"); keep != "" {
		if err := os.WriteFile(keep, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot copied to %s", keep)
	}
}

func graphiqlTail(s string) string {
	const max = 4000
	if len(s) > max {
		return "…" + s[len(s)-max:]
	}
	return s
}
