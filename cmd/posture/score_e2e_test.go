package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

// expectedScore is a tenant's hand-computed Secure Score estimate from testdata/README.md.
type expectedScore struct {
	name     string
	controls map[string]expectedControl // the controls listed: not at their plain maximum
	others   int                        // controls achieved at their maximum, not listed
	otherMax float64                    // their points
	figures  map[string]result.Figure   // estimate, projected, achievable, with risk acceptance
	reported *result.Figure
}

type expectedControl struct {
	max, points float64
	status      string
}

const scoreTableHeader = "| Control | Category | Rules | Max | Credit | Points | Status |"

var (
	othersLine = regexp.MustCompile(`^(?:The other|All) (\d+) evaluated controls earn their maximum: ([\d.]+) points`)
	figureText = regexp.MustCompile(`(Estimate:|projected|achievable|with risk acceptance|Microsoft reported) \**([\d.]+) / ([\d.]+) = ([\d.]+)%`)
)

// parseScoreDocs reads the Secure Score sections of the test tenants' README.
func parseScoreDocs(t *testing.T, path string) []expectedScore {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	num := func(n int, s string) float64 {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			t.Fatalf("%s:%d: %q is not a number", path, n, s)
		}
		return f
	}
	var docs []expectedScore
	var cur *expectedScore
	inTable := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "## "):
			cur, inTable = nil, false
			if m := tenantHeading.FindStringSubmatch(line); m != nil {
				docs = append(docs, expectedScore{name: m[1], controls: map[string]expectedControl{}, figures: map[string]result.Figure{}})
				cur = &docs[len(docs)-1]
			}
		case cur == nil:
		case line == scoreTableHeader:
			inTable = true
		case inTable && strings.HasPrefix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if len(cells) != 7 {
				t.Fatalf("%s:%d: score row has %d cells, want 7", path, n, len(cells))
			}
			if strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
				continue
			}
			id := strings.Trim(strings.TrimSpace(cells[0]), "`")
			cur.controls[id] = expectedControl{max: num(n, cells[3]), points: num(n, cells[5]), status: strings.TrimSpace(cells[6])}
		case othersLine.MatchString(line):
			inTable = false
			m := othersLine.FindStringSubmatch(line)
			cur.others, _ = strconv.Atoi(m[1])
			cur.otherMax = num(n, m[2])
		case strings.HasPrefix(line, "Estimate:"):
			for _, m := range figureText.FindAllStringSubmatch(line, -1) {
				f := result.Figure{Points: num(n, m[2]), Max: num(n, m[3]), Percent: num(n, m[4])}
				switch m[1] {
				case "Estimate:":
					cur.figures["estimate"] = f
				case "Microsoft reported":
					cur.reported = &f
				default:
					cur.figures[m[1]] = f
				}
			}
			if len(cur.figures) != 4 {
				t.Fatalf("%s:%d: figures line has %d of the 4 figures", path, n, len(cur.figures))
			}
		default:
			inTable = false
		}
	}
	var out []expectedScore
	for _, d := range docs {
		if len(d.figures) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// TestExpectedScores checks the estimate of every test tenant against the hand computation in
// testdata/README.md.
func TestExpectedScores(t *testing.T) {
	docs := parseScoreDocs(t, filepath.Join("..", "..", "testdata", "README.md"))
	if len(docs) < 5 {
		t.Fatalf("testdata/README.md: %d tenant sections have a Secure Score estimate, want 5", len(docs))
	}
	for _, doc := range docs {
		t.Run(doc.name, func(t *testing.T) {
			snap := testdataPath("snapshots", doc.name+".json")
			cfg := testdataPath("configs", doc.name+".yaml")
			if doc.name == "contoso" {
				snap = filepath.Join("..", "..", "internal", "demo", "contoso.json")
				cfg = filepath.Join("..", "..", "examples", "demo", "posture.yaml")
			}
			stdout, stderr, code := runIn(t, nil, "check", "--snapshot", snap, "--config", cfg, "--format", "json", "--fail-on", "none")
			if code != 0 {
				t.Fatalf("check: exit %d: %s", code, stderr)
			}
			var res result.Result
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			s := res.Score
			if s == nil {
				t.Fatal("the result has no score")
			}
			for name, got := range map[string]result.Figure{"estimate": s.Estimate, "projected": s.Projected,
				"achievable": s.Achievable, "with risk acceptance": s.AchievableAccepted} {
				if got != doc.figures[name] {
					t.Errorf("%s = %+v, README %+v", name, got, doc.figures[name])
				}
			}
			switch {
			case (s.Reported == nil) != (doc.reported == nil):
				t.Errorf("reported = %+v, README %+v", s.Reported, doc.reported)
			case s.Reported != nil && s.Reported.Figure != *doc.reported:
				t.Errorf("reported = %+v, README %+v", s.Reported.Figure, *doc.reported)
			}
			others, otherMax := 0, 0.0
			for _, c := range s.Controls {
				want, listed := doc.controls[c.ID]
				if !listed {
					if c.Status != result.ControlAchieved || c.Achieved != c.Max {
						t.Errorf("%s: %s %g/%g, but README lists it among the controls at their maximum", c.ID, c.Status, c.Achieved, c.Max)
					}
					others++
					otherMax += c.Max
					continue
				}
				delete(doc.controls, c.ID)
				if c.Max != want.max || c.Achieved != want.points || c.Status != want.status {
					t.Errorf("%s: %s %g/%g, README %s %g/%g", c.ID, c.Status, c.Achieved, c.Max, want.status, want.points, want.max)
				}
			}
			for id := range doc.controls {
				t.Errorf("%s: listed in README, not in the score", id)
			}
			if others != doc.others || otherMax != doc.otherMax {
				t.Errorf("%d other controls worth %g points, README %d worth %g", others, otherMax, doc.others, doc.otherMax)
			}
		})
	}
}
