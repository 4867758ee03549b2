package report

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestJUnitGolden(t *testing.T) {
	checkGolden(t, "report.xml.golden", render(t, "junit", Options{}, richSample()))
}

// junitDoc is what a CI server reads back: counts and test case outcomes.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, out string) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("junit output is not XML: %v\n%s", err, out)
	}
	return doc
}

// outcome is how a CI server classifies a test case.
func outcome(failure, errored, skipped bool) string {
	switch {
	case failure:
		return "failure"
	case errored:
		return "error"
	case skipped:
		return "skipped"
	}
	return "passed"
}

func TestJUnitParse(t *testing.T) {
	out := render(t, "junit", Options{}, richSample())
	doc := parseJUnit(t, out)

	// azure-ad: admin_mfa, mfa_registration, legacy_auth, breakglass, global_admin_count,
	// custom.tricky; exchange: legacy_auth, dkim, safe_links.
	if doc.Name != "posture" || doc.Tests != 9 || doc.Failures != 2 || doc.Errors != 1 || doc.Skipped != 3 {
		t.Errorf("testsuites %q tests=%d failures=%d errors=%d skipped=%d, want posture 9/2/1/3",
			doc.Name, doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "azure-ad" || doc.Suites[1].Name != "exchange" {
		t.Fatalf("suites = %+v, want azure-ad then exchange", doc.Suites)
	}
	want := map[string]map[string]string{
		"azure-ad": {
			"entra.admin_mfa": "failure", "entra.mfa_registration": "passed", "entra.legacy_auth_blocked": "passed",
			"breakglass.excluded_from_ca": "error", "entra.global_admin_count": "skipped", "custom.tricky": "failure",
		},
		"exchange": {"entra.legacy_auth_blocked": "passed", "exo.dkim_enabled": "skipped", "exo.safe_links": "skipped"},
	}
	for _, s := range doc.Suites {
		var tests, failures, errors, skipped int
		got := map[string]string{}
		for _, c := range s.Cases {
			id, _, _ := strings.Cut(c.Name, ": ")
			o := outcome(c.Failure != nil, c.Error != nil, c.Skipped != nil)
			got[id] = o
			tests++
			switch o {
			case "failure":
				failures++
			case "error":
				errors++
			case "skipped":
				skipped++
			}
			if area, _, _ := strings.Cut(id, "."); c.Classname != "posture."+s.Name+"."+area {
				t.Errorf("%s classname = %q", id, c.Classname)
			}
		}
		if tests != s.Tests || failures != s.Failures || errors != s.Errors || skipped != s.Skipped {
			t.Errorf("suite %s says %d/%d/%d/%d, cases are %d/%d/%d/%d", s.Name,
				s.Tests, s.Failures, s.Errors, s.Skipped, tests, failures, errors, skipped)
		}
		for id, o := range want[s.Name] {
			if got[id] != o {
				t.Errorf("suite %s: %s is %q, want %q", s.Name, id, got[id], o)
			}
		}
		if len(got) != len(want[s.Name]) {
			t.Errorf("suite %s has %d cases, want %d", s.Name, len(got), len(want[s.Name]))
		}
		props := map[string]string{}
		for _, p := range s.Properties {
			props[p.Name] = p.Value
		}
		if props["tenant.id"] != "7e000000-0001-4000-8000-000000000000" || props["snapshot.sha256"] == "" || props["secureScore.estimatePercent"] != "41.5" {
			t.Errorf("suite %s properties = %v", s.Name, props)
		}
		// The gate's verdict and the evidence, as sample() records them.
		r := richSample()
		for name, want := range map[string]string{
			"gate.passed": "false", "gate.exitCode": "2", "gate.failOn": "high", "gate.minScore": "60.0",
			"gate.reason.1":   "1 rule could not be verified: breakglass.excluded_from_ca",
			"gate.reason.2":   "1 failing rule at or above high: entra.admin_mfa",
			"posture.version": "0.9.0", "config.path": "ci/posture.yaml", "config.sha256": strings.Repeat("c0", 32),
			"policies.digest": r.Evidence.Policies.Digest, "policies.files": "3",
		} {
			if props[name] != want {
				t.Errorf("suite %s property %s = %q, want %q", s.Name, name, props[name], want)
			}
		}
	}

	// The warning passes but says so, with its violations capped.
	for _, c := range doc.Suites[0].Cases {
		switch {
		case strings.HasPrefix(c.Name, "entra.mfa_registration:"):
			if !strings.HasPrefix(c.SystemOut, "WARN (medium): 12 of 19") || !strings.Contains(c.SystemOut, "… and 2 more") {
				t.Errorf("warn system-out = %q", c.SystemOut)
			}
		case strings.HasPrefix(c.Name, "custom.tricky:"):
			if c.Failure.Type != "critical" || !strings.Contains(c.Failure.Body, "]]> <script>") || !strings.Contains(c.Failure.Message, "\nsecond line") {
				t.Errorf("custom.tricky failure = %+v", c.Failure)
			}
			if strings.ContainsAny(c.Failure.Body, "\x01\x1b") {
				t.Errorf("control characters survived into XML: %q", c.Failure.Body)
			}
		case strings.HasPrefix(c.Name, "breakglass.excluded_from_ca:"):
			if !strings.Contains(c.Error.Message, "could not be verified: source entra.conditionalAccessPolicies: forbidden") {
				t.Errorf("error message = %q", c.Error.Message)
			}
		case strings.HasPrefix(c.Name, "entra.global_admin_count:"):
			if c.Skipped.Message != "excepted (accepted until 2025-12-31: merger): 5 Global Administrators" {
				t.Errorf("excepted skipped message = %q", c.Skipped.Message)
			}
		}
	}
	for _, raw := range []string{"<script>", "]]>", "\x01", "\x1b"} {
		if strings.Contains(out, raw) {
			t.Errorf("output contains raw %q", raw)
		}
	}
}

// TestJUnitUnlistedBaseline: a finding in none of the result's baselines still appears, in
// a suite of its own; an error there still counts.
func TestJUnitUnlistedBaseline(t *testing.T) {
	r := sample()
	r.Baselines = []string{"exchange"}
	doc := parseJUnit(t, render(t, "junit", Options{}, r))
	if len(doc.Suites) != 2 || doc.Suites[1].Name != junitOther {
		t.Fatalf("suites = %+v, want exchange and %s", doc.Suites, junitOther)
	}
	if s := doc.Suites[1]; s.Tests != 4 || s.Errors != 1 || s.Failures != 1 {
		t.Errorf("%s suite = %d tests, %d errors, %d failures; want 4, 1, 1", s.Name, s.Tests, s.Errors, s.Failures)
	}
	if doc.Tests != 6 || doc.Errors != 1 {
		t.Errorf("totals %d tests, %d errors; want 6, 1", doc.Tests, doc.Errors)
	}
}
