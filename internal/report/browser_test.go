package report_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

// The HTML report must open in a real browser with no console errors, no exceptions, no CSP
// violations and no request beyond the file itself, and its filters must work. Without a
// Chromium the tests fail: a skipped browser test would prove nothing.

// chromiumPath finds a Chromium or Chrome binary, "" when there is none.
func chromiumPath() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// problems collects what a clean page must not produce: console errors and warnings,
// uncaught exceptions, browser log errors (CSP violations land there) and requests for
// anything but the report itself.
type problems struct {
	mu       sync.Mutex
	list     []string
	requests map[network.RequestID]string
}

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.list)
}

// watch subscribes to the tab's events; call it before navigating. page is the report's
// own URL, the only request allowed.
func watch(ctx context.Context, t *testing.T, page string) *problems {
	t.Helper()
	p := &problems{requests: map[network.RequestID]string{}}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				p.add("console.%s: %s", ev.Type, strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			p.add("exception at %d:%d: %s", d.LineNumber, d.ColumnNumber, msg)
		case *cdplog.EventEntryAdded:
			if e := ev.Entry; e.Level == cdplog.EntryLevelError || e.Level == cdplog.EntryLevelWarning {
				p.add("log %s (%s): %s", e.Level, e.Source, e.Text)
			}
		// Chromium announces a request before CSP blocks it, so the outcome says whether
		// anything left the page.
		case *network.EventRequestWillBeSent:
			if u := ev.Request.URL; u != page && !strings.HasPrefix(u, "data:") {
				p.mu.Lock()
				p.requests[ev.RequestID] = u
				p.mu.Unlock()
				p.add("request for %s", u)
			}
		case *network.EventResponseReceived:
			if u := ev.Response.URL; u != page && !strings.HasPrefix(u, "data:") {
				p.add("response from %s", u)
			}
		case *network.EventLoadingFailed:
			p.mu.Lock()
			u, ok := p.requests[ev.RequestID]
			p.mu.Unlock()
			if ok {
				p.add("request for %s failed: %s (blocked: %s)", u, ev.ErrorText, ev.BlockedReason)
			}
		}
	})
	if err != nil {
		t.Fatalf("listen to the browser: %v", err)
	}
	return p
}

// demoResult is the demo tenant evaluated by the engine, with a score and a history so every
// part of the report is drawn.
func demoResult(ctx context.Context, t *testing.T) (*result.Result, []result.TrendPoint) {
	t.Helper()
	r, _, err := check.Run(ctx, check.Options{Demo: true, Now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("check the demo tenant: %v", err)
	}
	if len(r.Findings) < 10 {
		t.Fatalf("the demo tenant gave %d findings; the filters need more to show anything", len(r.Findings))
	}
	if r.Score == nil || len(r.Score.Controls) == 0 || len(r.Score.Trend) == 0 {
		t.Fatal("the demo tenant's result has no Secure Score estimate with controls and a trend")
	}
	// The gate as `check --demo` applies it by default, and the evidence, when the result does
	// not carry them yet.
	if r.Gate == nil {
		result.Gate{FailOn: result.Info}.Apply(r)
	}
	if r.Evidence == nil {
		r.Evidence = &result.Evidence{Posture: r.Generator,
			Config: &result.ConfigEvidence{Path: "examples/demo/posture.yaml", SHA256: strings.Repeat("0f", 32)},
			Policies: result.NewPolicyEvidence([]result.PolicyFile{
				{Path: "policies/entra/admin_mfa/admin_mfa.rego", SHA256: strings.Repeat("1e", 32), Builtin: true},
			})}
	}
	var history []result.TrendPoint
	for i := 6; i >= 1; i-- {
		history = append(history, result.TrendPoint{
			At: r.EvaluatedAt.AddDate(0, 0, -14*i), Percent: r.Score.Estimate.Percent - float64(i)*3, Estimate: true,
		})
	}
	return r, history
}

// openBrowser starts a headless Chromium with a fresh profile; the returned context is its
// first tab.
func openBrowser(ctx context.Context, t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		t.Fatal("no Chromium found (chromium, chromium-browser or google-chrome in PATH): the HTML report's tests need one; install Debian's chromium package (apt-get install chromium)")
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	// Cleanups run last-in first-out: the browser exits before its profile directory
	// is removed.
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return tab
}

func writeReport(t *testing.T, dir string, r *result.Result, o report.Options, tamper func(string) string) string {
	t.Helper()
	rd, err := report.Results.New("html", o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatalf("render: %v", err)
	}
	page := buf.String()
	if tamper != nil {
		page = tamper(page)
	}
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(path)
}

// waitScript waits for the report's script to show the filters, and fails with what the
// browser reported when it does not (a script blocked by the CSP, say).
func waitScript(tab context.Context, t *testing.T, seen *problems) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("findings-filters"))); err != nil {
		t.Fatalf("the report's script did not show the filters (%v); the browser reported:\n%s", err, strings.Join(seen.all(), "\n"))
	}
}

// visibleRows counts the findings rows the browser lays out.
const visibleRows = `Array.from(document.querySelectorAll('#findings-table > tbody > tr')).filter(r => r.getClientRects().length > 0).length`

type rect struct{ X, Y, W, H float64 }

func pageRect(ctx context.Context, t *testing.T, selector string) rect {
	t.Helper()
	r, err := chromedp.Run(ctx, chromedp.Evaluate[rect](fmt.Sprintf(`(() => {
		const b = document.querySelector(%q).getBoundingClientRect();
		return {X: b.left + window.scrollX, Y: b.top + window.scrollY, W: b.width, H: b.height};
	})()`, selector)))
	if err != nil {
		t.Fatalf("bounds of %s: %v", selector, err)
	}
	return r
}

func evalInt(ctx context.Context, t *testing.T, js string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return n
}

func TestHTMLInChromium(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tab := openBrowser(ctx, t)
	r, history := demoResult(ctx, t)
	url := writeReport(t, t.TempDir(), r, report.Options{History: history, Source: "demo tenant"}, nil)
	seen := watch(tab, t, url)

	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	// The script un-hides the filters, so this also shows that it ran under the CSP.
	waitScript(tab, t, seen)

	total := len(r.Findings)
	if got := evalInt(tab, t, visibleRows); got != total {
		t.Fatalf("%d findings rows visible at first, want all %d", got, total)
	}

	// Search: a rule id narrows the table to the rows that mention it.
	query := r.Findings[0].RuleID
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.ID("filter-search"), query)); err != nil {
		t.Fatalf("type into the search box: %v", err)
	}
	searched := evalInt(tab, t, visibleRows)
	if searched < 1 || searched >= total {
		t.Errorf("searching %q shows %d of %d rows, want at least 1 and fewer than all", query, searched, total)
	}
	if got := evalInt(tab, t, `Array.from(document.querySelectorAll('#findings-table > tbody > tr')).filter(r => r.getClientRects().length > 0 && !r.textContent.includes(`+fmt.Sprintf("%q", query)+`)).length`); got != 0 {
		t.Errorf("%d visible rows do not contain %q", got, query)
	}
	status, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("findings-count")))
	if err != nil || status != fmt.Sprintf("Showing %d of %d findings", searched, total) {
		t.Errorf("findings count = %q (%v), want Showing %d of %d findings", status, err, searched, total)
	}
	if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById('filter-search'); s.value = ''; s.dispatchEvent(new Event('input'));
	})()`)); err != nil {
		t.Fatal(err)
	}
	if got := evalInt(tab, t, visibleRows); got != total {
		t.Errorf("%d rows after clearing the search, want %d", got, total)
	}

	// Status filter: unticking "pass" hides exactly the passing findings.
	passing := r.Summary.Pass
	if passing == 0 || passing == total {
		t.Fatalf("the demo has %d passing of %d findings; the status filter test needs some of both", passing, total)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(`#findings-filters input[value="pass"]`))); err != nil {
		t.Fatalf("untick pass: %v", err)
	}
	if got := evalInt(tab, t, visibleRows); got != total-passing {
		t.Errorf("%d rows with pass unticked, want %d", got, total-passing)
	}
	if got := evalInt(tab, t, `document.querySelectorAll('#findings-table > tbody > tr[data-status="pass"]:not([hidden])').length`); got != 0 {
		t.Errorf("%d passing rows still shown", got)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(`#findings-filters input[value="pass"]`))); err != nil {
		t.Fatalf("tick pass again: %v", err)
	}

	// Severity filter: "critical" keeps only critical rows.
	if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById('filter-severity'); s.value = '5'; s.dispatchEvent(new Event('change'));
	})()`)); err != nil {
		t.Fatal(err)
	}
	critical := 0
	for _, f := range r.Findings {
		if f.Severity == result.Critical {
			critical++
		}
	}
	if got := evalInt(tab, t, visibleRows); got != critical {
		t.Errorf("%d rows at critical severity, want %d", got, critical)
	}
	if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById('filter-severity'); s.value = '0'; s.dispatchEvent(new Event('change'));
	})()`)); err != nil {
		t.Fatal(err)
	}

	// Baseline filter: one baseline keeps exactly the findings of that baseline.
	inWindows := 0
	for _, f := range r.Findings {
		if slices.Contains(f.Baselines, "windows") {
			inWindows++
		}
	}
	if inWindows == 0 || inWindows == total {
		t.Fatalf("the demo has %d of %d findings in the windows baseline; the baseline filter test needs some of both", inWindows, total)
	}
	for _, tc := range []struct {
		value string
		want  int
	}{{"windows", inWindows}, {"", total}} {
		if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const s = document.getElementById('filter-baseline'); s.value = %q; s.dispatchEvent(new Event('change'));
		})()`, tc.value))); err != nil {
			t.Fatal(err)
		}
		if got := evalInt(tab, t, visibleRows); got != tc.want {
			t.Errorf("%d rows with baseline %q, want %d", got, tc.value, tc.want)
		}
	}

	// Unfolding a finding shows its evidence.
	first, last := `#findings-table > tbody > tr:first-child details`, `#findings-table > tbody > tr:last-child details`
	folded := pageRect(tab, t, first).H
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(first+` > summary`))); err != nil {
		t.Fatalf("unfold the first finding: %v", err)
	}
	if h := pageRect(tab, t, first).H; h < folded+100 {
		t.Errorf("the first finding is %v px high unfolded and %v px folded; want its evidence shown", h, folded)
	}

	shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	dir := os.Getenv("POSTURE_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "html-report.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)

	b := img.Bounds()
	height := evalInt(tab, t, `document.documentElement.scrollHeight`)
	if b.Dx() != 1280 || b.Dy() < 900 || b.Dy() > 200000 || b.Dy() < height-2 {
		t.Errorf("screenshot is %dx%d, want 1280 wide and the page's %d px high", b.Dx(), b.Dy(), height)
	}
	text, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("score-gauge")))
	if err != nil || !strings.Contains(text, fmt.Sprintf("%.1f%%", r.Score.Estimate.Percent)) {
		t.Errorf("gauge text %q (%v) lacks the estimate %.1f%%", text, err, r.Score.Estimate.Percent)
	}
	for _, sel := range []string{"#score-gauge", "#findings-table", "#snapshot-sha256"} {
		rc := pageRect(tab, t, sel)
		if rc.W <= 0 || rc.H <= 0 || rc.X < 0 || rc.Y < 0 || rc.X+rc.W > float64(b.Dx())+1 || rc.Y+rc.H > float64(b.Dy())+1 {
			t.Errorf("%s at %+v is not inside the %dx%d screenshot", sel, rc, b.Dx(), b.Dy())
		}
	}
	// The gauge is drawn, not just laid out: its arc's blue fills part of its box.
	if n := countPixels(img, pageRect(tab, t, "#score-gauge .value"), func(r, g, b uint32) bool {
		return b > 0xa000 && r < 0x6000 && g < 0x7000
	}); n < 200 {
		t.Errorf("%d blue pixels in the gauge's arc, want it drawn", n)
	}
	if n := countPixels(img, pageRect(tab, t, "#findings-table"), func(r, g, b uint32) bool {
		return r < 0x8000 && g < 0x8000 && b < 0x8000
	}); n < 2000 {
		t.Errorf("%d dark pixels in the findings table, want text", n)
	}

	// Printing unfolds every finding.
	folded = pageRect(tab, t, last).H
	if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if h := pageRect(tab, t, last).H; h < folded+20 {
		t.Errorf("the last finding is %v px high in print and %v px on screen; want it unfolded in print", h, folded)
	}
	if n := evalInt(tab, t, `document.getElementById('findings-filters').getClientRects().length`); n != 0 {
		t.Error("the filters are printed")
	}

	for _, p := range seen.all() {
		t.Errorf("browser: %s", p)
	}
}

// countPixels counts the pixels in the page rectangle rc that match.
func countPixels(img image.Image, rc rect, match func(r, g, b uint32) bool) int {
	n := 0
	area := image.Rect(int(rc.X), int(rc.Y), int(rc.X+rc.W), int(rc.Y+rc.H)).Intersect(img.Bounds())
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if match(r, g, b) {
				n++
			}
		}
	}
	return n
}

// TestHTMLInChromiumCatchesViolations feeds the same harness a report with an injected
// image and script, to show that it would see a CSP violation or a fetch if the report
// ever had one, and that the policy blocks both.
func TestHTMLInChromiumCatchesViolations(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tab := openBrowser(ctx, t)
	r, _ := demoResult(ctx, t)
	const inject = `<img src="https://canary.invalid/pixel.png" alt=""><script>console.error("canary ran")</script>`
	url := writeReport(t, t.TempDir(), r, report.Options{}, func(page string) string {
		return strings.Replace(page, "</main>", inject+"</main>", 1)
	})
	seen := watch(tab, t, url)
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	waitScript(tab, t, seen)
	// Give the browser a moment to report the blocked load; the events arrive
	// asynchronously.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && len(seen.all()) < 4 {
		time.Sleep(50 * time.Millisecond)
	}
	got := strings.Join(seen.all(), "\n")
	for _, want := range []string{"Content Security Policy", "request for https://canary.invalid/pixel.png failed", "(blocked: csp)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the harness did not report %q; it saw:\n%s", want, got)
		}
	}
	for _, bad := range []string{"canary ran", "response from"} {
		if strings.Contains(got, bad) {
			t.Errorf("the CSP let through %q:\n%s", bad, got)
		}
	}
}

// TestHTMLFirstScreenInChromium opens the demo tenant's report at 1400x900, the screen an
// auditor opens it on, and checks that the first screen shows the gate's verdict, the score
// and the start of the findings, each visible (inside the screen, not covered, drawn), and
// that the trend chart keeps every label and dot inside its box, no two date labels
// overlapping, as the browser lays them out.
func TestHTMLFirstScreenInChromium(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tab := openBrowser(ctx, t)
	r, history := demoResult(ctx, t)
	url := writeReport(t, t.TempDir(), r, report.Options{History: history, Source: "demo tenant"}, nil)
	seen := watch(tab, t, url)
	const width, height = 1400, 900
	if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height), chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	waitScript(tab, t, seen)

	shot, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	dir := os.Getenv("POSTURE_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "html-first-screen.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("first screen: %s", path)
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Fatalf("first screen is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}

	// What the first screen must show, each wholly inside it and on top at its centre.
	wantText := map[string]string{
		"#verdict-stamp":    "FAILED",
		"#gate":             "Minimum score",
		"#gate-reasons":     "failing rules at or above info",
		"#judged-by":        "Judged by posture",
		"#score-gauge":      fmt.Sprintf("%.1f%%", r.Score.Estimate.Percent),
		"#score-facts":      "posture estimate",
		"#findings-h":       "Findings",
		"#findings-filters": "Search",
		"#findings-table > tbody > tr:first-child":        "",
		"#findings-table > tbody > tr:nth-child(2)":       "",
		"#findings-table > tbody > tr:first-child .badge": "FAIL",
	}
	for sel, want := range wantText {
		rc, err := chromedp.Run(tab, chromedp.Evaluate[rect](fmt.Sprintf(`(() => {
			const b = document.querySelector(%q).getBoundingClientRect();
			return {X: b.left, Y: b.top, W: b.width, H: b.height};
		})()`, sel)))
		if err != nil {
			t.Errorf("%s: %v", sel, err)
			continue
		}
		if rc.W <= 0 || rc.H <= 0 || rc.X < 0 || rc.Y < 0 || rc.X+rc.W > width || rc.Y+rc.H > height {
			t.Errorf("%s at %+v is not wholly on the %dx%d first screen", sel, rc, width, height)
			continue
		}
		onTop := evalInt(tab, t, fmt.Sprintf(`(() => {
			const e = document.querySelector(%q), b = e.getBoundingClientRect();
			const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
			return hit !== null && (e === hit || e.contains(hit)) ? 1 : 0;
		})()`, sel))
		if onTop != 1 {
			t.Errorf("%s is covered at its centre", sel)
		}
		text, err := chromedp.Run(tab, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent`, sel)))
		if err != nil || !strings.Contains(text, want) {
			t.Errorf("%s reads %q (%v), want %q in it", sel, text, err, want)
		}
	}
	// The first finding is the most urgent: a failure, shown with its title.
	title, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`#findings-table > tbody > tr:first-child .t`)))
	if err != nil || title == "" {
		t.Errorf("the first finding's title = %q (%v)", title, err)
	}
	// Drawn, not only laid out: the stamp's red, the gauge's blue, the first row's text.
	viewRect := func(sel string) rect {
		rc, err := chromedp.Run(tab, chromedp.Evaluate[rect](fmt.Sprintf(`(() => {
			const b = document.querySelector(%q).getBoundingClientRect();
			return {X: b.left, Y: b.top, W: b.width, H: b.height};
		})()`, sel)))
		if err != nil {
			t.Fatalf("bounds of %s: %v", sel, err)
		}
		return rc
	}
	for _, c := range []struct {
		sel   string
		what  string
		least int
		match func(r, g, b uint32) bool
	}{
		{"#verdict-stamp", "red", 150, func(r, g, b uint32) bool { return r > 0x9000 && g < 0x5000 && b < 0x5000 }},
		{"#score-gauge .value", "blue", 200, func(r, g, b uint32) bool { return b > 0xa000 && r < 0x6000 && g < 0x7000 }},
		{"#findings-table > tbody > tr:first-child", "dark", 300, func(r, g, b uint32) bool { return r < 0x8000 && g < 0x8000 && b < 0x8000 }},
	} {
		if n := countPixels(img, viewRect(c.sel), c.match); n < c.least {
			t.Errorf("%d %s pixels in %s on the first screen, want at least %d", n, c.what, c.sel, c.least)
		}
	}

	// The trend as laid out: every text and dot inside the chart's box, date labels apart.
	type box struct {
		Kind, Text string
		X, Y, W, H float64
	}
	boxes, err := chromedp.Run(tab, chromedp.Evaluate[[]box](`(() => {
		const svg = document.querySelector('#trend svg.trend');
		return Array.from(svg.querySelectorAll('text, circle')).map(e => {
			const b = e.getBBox();
			const kind = e.tagName === 'circle' ? 'dot' : (e.classList.contains('xlabel') ? 'xlabel' : 'ylabel');
			const stroke = e.tagName === 'circle' ? parseFloat(getComputedStyle(e).strokeWidth) / 2 : 0;
			return {Kind: kind, Text: e.tagName === 'circle' ? '' : e.textContent,
				X: b.x - stroke, Y: b.y - stroke, W: b.width + 2 * stroke, H: b.height + 2 * stroke};
		});
	})()`))
	if err != nil {
		t.Fatalf("measure the trend: %v", err)
	}
	vb, err := chromedp.Run(tab, chromedp.Evaluate[rect](`(() => {
		const v = document.querySelector('#trend svg.trend').viewBox.baseVal;
		return {X: v.x, Y: v.y, W: v.width, H: v.height};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	var labels []box
	dots := 0
	for _, b := range boxes {
		if b.X < vb.X || b.Y < vb.Y || b.X+b.W > vb.X+vb.W || b.Y+b.H > vb.Y+vb.H {
			t.Errorf("trend %s %q at %+v reaches past the chart's box %+v", b.Kind, b.Text, b, vb)
		}
		switch b.Kind {
		case "xlabel":
			labels = append(labels, b)
		case "dot":
			dots++
		}
	}
	if dots < 2 || len(labels) < 2 {
		t.Fatalf("the trend has %d dots and %d date labels, want at least two of each", dots, len(labels))
	}
	for i := 1; i < len(labels); i++ {
		if a, b := labels[i-1], labels[i]; a.X+a.W > b.X {
			t.Errorf("date labels %q and %q overlap (%v > %v)", a.Text, b.Text, a.X+a.W, b.X)
		}
	}

	for _, p := range seen.all() {
		t.Errorf("browser: %s", p)
	}
}
