package report

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/ocsfschema"
	"github.com/m365posture/posture/internal/result"
)

// loadOCSFSchema returns the OCSF class the events are validated against, after checking it is
// the version and class the format declares.
func loadOCSFSchema(t *testing.T) *ocsfschema.Schema {
	t.Helper()
	s, err := ocsfschema.Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != ocsfVersion || s.Class.UID != ocsfClassUID {
		t.Fatalf("the stored schema is class %d of OCSF %s; the format emits class %d of %s", s.Class.UID, s.Version, ocsfClassUID, ocsfVersion)
	}
	return s
}

// decodeEvents reads the format's JSON Lines.
func decodeEvents(t *testing.T, out string) []map[string]any {
	t.Helper()
	events, err := ocsfschema.DecodeLines(out)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// TestOCSFEventsValid renders results of every status through the ocsf format and validates
// each event against the Compliance Finding class of OCSF 1.8.0: one event per finding, in the
// result's order, with no schema problem.
func TestOCSFEventsValid(t *testing.T) {
	s := loadOCSFSchema(t)
	empty := sample()
	empty.Findings = nil
	bare := sample()
	bare.Snapshot.Tenant = result.Tenant{}
	bare.Generator = result.Generator{}
	for _, f := range bare.Findings {
		f.Title, f.Remediation, f.References = "", "", nil
	}
	tests := []struct {
		name string
		r    *result.Result
	}{
		{"every status", sample()},
		{"frameworks, references and remediation", richSample()},
		{"framework view", frameworkSample()},
		{"no tenant name, no generator", bare},
		{"no findings", empty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "ocsf", Options{}, tt.r)
			events := decodeEvents(t, out)
			if len(events) != len(tt.r.Findings) {
				t.Fatalf("%d events for %d findings", len(events), len(tt.r.Findings))
			}
			for i, e := range events {
				errs, _ := s.Validate(e)
				for _, err := range errs {
					t.Errorf("event %d (%s): %s", i+1, tt.r.Findings[i].RuleID, err)
				}
				info := e["finding_info"].(map[string]any)
				if got := info["analytic"].(map[string]any)["uid"]; got != tt.r.Findings[i].RuleID {
					t.Errorf("event %d names rule %v; want %s", i+1, got, tt.r.Findings[i].RuleID)
				}
			}
		})
	}
}

// ocsfLeftOut are the recommended attributes posture's events leave out, each for a reason.
// Paths have their array indexes removed.
var ocsfLeftOut = map[string]string{
	"resource":             "deprecated since OCSF 1.3.0; resources carries the tenant",
	"confidence_id":        "a rule's verdict is not a guess: no confidence applies",
	"observables":          "the evidences name every object at fault; no indicator to pivot on",
	"metadata.log_name":    "posture writes no log: the events are a report",
	"metadata.reporter":    "posture reports its own findings; metadata.product names it",
	"metadata.product.uid": "posture has no product id beyond its name",
	"cloud.region":         "a Microsoft 365 tenant has no region",
	"compliance.standards": "a rule that cites no framework has no standard",
	"remediation":          "a rule without remediation text",
	"resources.hostname":   "a tenant has no host name",
	"resources.ip":         "a tenant has no IP address",
	"resources.owner":      "a tenant has no single owning user",
	"resources.role_id":    "the tenant is the target, its only role",
}

// TestOCSFRecommended checks that every recommended attribute an event leaves out is left out
// for a reason in ocsfLeftOut. Those of an evidence are OCSF's kinds of evidence (actor, file,
// process and the like) of which a violation is at most one: the object at fault is its
// resource.
func TestOCSFRecommended(t *testing.T) {
	s := loadOCSFSchema(t)
	index := regexp.MustCompile(`\[\d+\]`)
	for _, r := range []*result.Result{sample(), richSample(), frameworkSample()} {
		for _, e := range decodeEvents(t, render(t, "ocsf", Options{}, r)) {
			_, missing := s.Validate(e)
			for _, m := range missing {
				path := index.ReplaceAllString(m, "")
				if _, ok := ocsfLeftOut[path]; ok || strings.HasPrefix(path, "evidences.") {
					continue
				}
				t.Errorf("recommended attribute %s left out without a reason", path)
			}
		}
	}
}

// TestOCSFContent checks what a SIEM reads from the events: the control ids of each framework,
// the violations as evidence, the tenant as the resource, the statuses and the severities.
func TestOCSFContent(t *testing.T) {
	r := sample()
	r.Findings[0].Frameworks = map[string][]string{"cisa_scuba": {"MS.AAD.3.6v1"}, "cis_m365": {"5.2.2.1", "5.2.2.2"}}
	r.Findings[0].Violations[0].Controls = []string{"5.2.2.1"}
	r.Findings[0].Remediation = "Require MFA for every admin role."
	r.Findings[0].References = []string{"https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin"}
	events := decodeEvents(t, render(t, "ocsf", Options{}, r))
	byRule := map[string]map[string]any{}
	for _, e := range events {
		byRule[e["finding_info"].(map[string]any)["analytic"].(map[string]any)["uid"].(string)] = e
	}
	get := func(v any, path ...string) any {
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		}
		return v
	}
	compact := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	admin := byRule["entra.admin_mfa"]
	tests := []struct {
		name string
		got  any
		want string
	}{
		{"class", admin["class_uid"], "2003"},
		{"type", admin["type_uid"], "200301"},
		{"time is collectedAt", admin["time"], "1740821400000"},
		{"severity", admin["severity"], `"High"`},
		{"requirements are the control ids", get(admin, "compliance", "requirements"), `["5.2.2.1","5.2.2.2","MS.AAD.3.6v1"]`},
		{"standards", get(admin, "compliance", "standards"), `["cis_m365","cisa_scuba"]`},
		{"checks: the control a violation names fails, the other passes", func() string {
			var out []string
			for _, c := range get(admin, "compliance", "checks").([]any) {
				out = append(out, c.(map[string]any)["uid"].(string)+"="+c.(map[string]any)["status"].(string))
			}
			return strings.Join(out, ",")
		}(), `"5.2.2.1=Fail,5.2.2.2=Pass,MS.AAD.3.6v1=Pass"`},
		{"compliance status", get(admin, "compliance", "status"), `"Fail"`},
		{"tenant is the resource", admin["resources"], `[{"data":{"defaultDomain":"northwindtraders.com"},"name":"Northwind Traders","provider":"Microsoft","type":"Microsoft 365 tenant","uid":"7e000000-0001-4000-8000-000000000000"}]`},
		{"tenant is the cloud account", admin["cloud"], `{"account":{"name":"Northwind Traders","type":"M365 Tenant","type_id":17,"uid":"7e000000-0001-4000-8000-000000000000"},"cloud_partition":"global","provider":"Microsoft"}`},
		{"cloud profile declared", get(admin, "metadata", "profiles"), `["cloud"]`},
		{"violation is the evidence", get(admin, "evidences"), `[{"data":{"controls":["5.2.2.1"],"kind":"deny","msg":"Global Administrator alice@northwindtraders.com is not covered by an MFA policy"},"resources":[{"name":"alice","type":"user","uid":"u1"}]}]`},
		{"remediation", get(admin, "remediation", "desc"), `"Require MFA for every admin role."`},
		{"tenant uid in metadata", get(admin, "metadata", "tenant_uid"), `"7e000000-0001-4000-8000-000000000000"`},
		{"error is Warning: no result for lack of data", get(byRule["breakglass.excluded_from_ca"], "compliance", "status"), `"Warning"`},
		{"excepted is suppressed", byRule["entra.global_admin_count"]["status"], `"Suppressed"`},
		{"excepted still fails the requirement", get(byRule["entra.global_admin_count"], "compliance", "status"), `"Fail"`},
		{"pass", get(byRule["entra.legacy_auth_blocked"], "compliance", "status"), `"Pass"`},
		{"posture's status", byRule["entra.mfa_registration"]["status_code"], `"warn"`},
		{"all violations counted", get(byRule["entra.mfa_registration"], "unmapped", "violations"), `{"listed":12,"total":12}`},
		{"informational", byRule["exo.dkim_enabled"]["severity"], `"Informational"`},
		{"evidence: config and policy digest", get(admin, "unmapped", "evidence", "config", "sha256"), `"` + strings.Repeat("c0", 32) + `"`},
		{"gate verdict", get(admin, "unmapped", "gate", "exitCode"), "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compact(tt.got); got != tt.want {
				t.Errorf("got %s; want %s", got, tt.want)
			}
		})
	}
}

// TestOCSFEvidenceCap lists at most ocsfMaxEvidences violations and says the event is
// truncated, while unmapped.violations counts them all.
func TestOCSFEvidenceCap(t *testing.T) {
	r := sample()
	f := &r.Findings[1]
	for len(f.Violations) <= ocsfMaxEvidences {
		f.Violations = append(f.Violations, f.Violations[0])
	}
	events := decodeEvents(t, render(t, "ocsf", Options{}, r))
	e := events[1]
	if n := len(e["evidences"].([]any)); n != ocsfMaxEvidences {
		t.Errorf("%d evidences; want %d", n, ocsfMaxEvidences)
	}
	if e["metadata"].(map[string]any)["is_truncated"] != true {
		t.Errorf("metadata.is_truncated = %v; want true", e["metadata"].(map[string]any)["is_truncated"])
	}
	if errs, _ := loadOCSFSchema(t).Validate(e); len(errs) > 0 {
		t.Errorf("capped event: %q", errs)
	}
}

// TestOCSFDeterministic renders one result twice: the same bytes. Event uids are unique within
// a result, stay when only evaluatedAt changes, and change with the judgement.
func TestOCSFDeterministic(t *testing.T) {
	a, b := render(t, "ocsf", Options{}, richSample()), render(t, "ocsf", Options{}, richSample())
	if a != b {
		t.Error("two renderings of one result differ")
	}
	uids := func(r *result.Result) []string {
		var out []string
		for _, e := range decodeEvents(t, render(t, "ocsf", Options{}, r)) {
			out = append(out, e["metadata"].(map[string]any)["uid"].(string))
		}
		return out
	}
	base := uids(richSample())
	seen := map[string]bool{}
	for _, u := range base {
		if seen[u] {
			t.Errorf("event uid %s repeats within one result", u)
		}
		seen[u] = true
	}
	later := richSample()
	later.EvaluatedAt = later.EvaluatedAt.Add(time.Hour)
	if got := uids(later); strings.Join(got, ",") != strings.Join(base, ",") {
		t.Errorf("uids changed with evaluatedAt alone: %q -> %q", base, got)
	}
	judged := richSample()
	judged.Findings[0].Status = result.Pass
	judged.Findings[0].Violations = nil
	if got := uids(judged); got[0] == base[0] || got[1] != base[1] {
		t.Errorf("uids %q -> %q; want only the first changed", base, got)
	}
}
