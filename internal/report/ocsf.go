package report

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
)

// ocsfFormat writes one OCSF Compliance Finding event (class_uid 2003) per finding, as JSON
// Lines, for a SIEM or data lake: the rule is the check, the framework controls it cites are
// the compliance requirements (each a check with its own status), the tenant is the resource,
// the violations are the evidences. Everything is taken from the result, and time is the
// snapshot's collectedAt, so one result always gives the same bytes. Every event declares OCSF's
// cloud profile: the tenant is the cloud account. The events follow OCSF
// 1.8.0 (github.com/ocsf/ocsf-schema at tag 1.8.0, events/findings/compliance_finding.json);
// the tests validate each one against that class as OCSF's own compiler builds it
// (internal/ocsfschema).
type ocsfFormat struct{ o Options }

// OCSF's identifiers for the class and activity posture emits (OCSF 1.8.0: categories.json,
// events/findings/finding.json and compliance_finding.json).
const (
	ocsfVersion      = "1.8.0"
	ocsfCategoryUID  = 2 // Findings
	ocsfCategoryName = "Findings"
	ocsfClassUID     = 2003 // category 2 * 1000 + class 3
	ocsfClassName    = "Compliance Finding"
	ocsfActivityID   = 1 // Create: the evaluation created the finding
	ocsfActivityName = "Create"
	ocsfAnalyticRule = 1 // analytic.type_id Rule
	// ocsfAccountM365Tenant is account.type_id "M365 Tenant" (objects/account.json).
	ocsfAccountM365Tenant = 17
	ocsfMaxEvidences      = 100
	ocsfTenantType        = "Microsoft 365 tenant"
	ocsfProvider          = "Microsoft"
	ocsfProductVendor     = "posture"
)

// ocsfSeverity maps posture's severities to OCSF's severity_id and its caption.
var ocsfSeverity = map[result.Severity]struct {
	id      int
	caption string
}{
	result.Critical: {5, "Critical"},
	result.High:     {4, "High"},
	result.Medium:   {3, "Medium"},
	result.Low:      {2, "Low"},
	result.Info:     {1, "Informational"},
}

// OCSF's compliance status_id values (objects/compliance.json and objects/check.json).
const (
	ocsfCompliancePass    = 1
	ocsfComplianceWarning = 2 // "did not yield a result due to missing information"
	ocsfComplianceFail    = 3
	ocsfComplianceOther   = 99
)

var ocsfComplianceCaption = map[int]string{
	ocsfCompliancePass: "Pass", ocsfComplianceWarning: "Warning", ocsfComplianceFail: "Fail",
}

// ocsfComplianceStatus maps a posture status to OCSF's compliance status_id and status. error
// is OCSF's Warning, which OCSF defines as a check that gave no result for lack of
// information; warn (a should rule not met) and excepted (not met, risk accepted) are Fail:
// the requirement is not met whatever the rule's level or the org's decision, which the
// status_code (posture's own status) and the event's status (Suppressed) still tell.
func ocsfComplianceStatus(s result.Status) (int, string) {
	switch s {
	case result.Pass:
		return ocsfCompliancePass, "Pass"
	case result.Error:
		return ocsfComplianceWarning, "Warning"
	case result.Fail, result.Warn, result.Excepted:
		return ocsfComplianceFail, "Fail"
	case result.NotApplicable:
		return ocsfComplianceOther, "Not Applicable"
	}
	return ocsfComplianceOther, string(s)
}

// ocsfFindingStatus is the event's status_id (the finding's workflow state): an excepted
// finding was reviewed and its risk accepted, OCSF's Suppressed; every other finding is New,
// to be reviewed by whoever reads the SIEM.
func ocsfFindingStatus(s result.Status) (int, string) {
	if s == result.Excepted {
		return 3, "Suppressed"
	}
	return 1, "New"
}

func (f ocsfFormat) Render(w io.Writer, r *result.Result) error {
	b := bufio.NewWriter(w)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	for _, fd := range r.Findings {
		if err := enc.Encode(ocsfEvent(r, fd)); err != nil {
			return fmt.Errorf("write ocsf event %s: %w", fd.RuleID, err)
		}
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("write ocsf: %w", err)
	}
	return nil
}

// ocsfEvent builds the event of one finding. Attribute names and types are OCSF's; the maps
// keep the JSON free of empty optional attributes, which OCSF leaves out rather than nulls.
func ocsfEvent(r *result.Result, f result.Finding) map[string]any {
	t := r.Snapshot.CollectedAt
	if t.IsZero() {
		t = r.EvaluatedAt
	}
	sev, ok := ocsfSeverity[f.Severity]
	if !ok {
		sev.id, sev.caption = 99, string(f.Severity)
	}
	statusID, status := ocsfFindingStatus(f.Status)
	tenant := r.Snapshot.Tenant

	metadata := map[string]any{
		"version":  ocsfVersion,
		"product":  ocsfProduct(r),
		"uid":      ocsfEventUID(r, f),
		"profiles": []string{"cloud"},
	}
	setString(metadata, "original_time", formatTime(r.Snapshot.CollectedAt))
	setString(metadata, "tenant_uid", tenant.ID)
	setString(metadata, "correlation_uid", r.Snapshot.SHA256)

	findingInfo := map[string]any{
		"uid":   ocsfFindingUID(r, f),
		"title": cmp.Or(f.Title, f.RuleID),
		"analytic": map[string]any{
			"uid": f.RuleID, "name": cmp.Or(f.Title, f.RuleID),
			"type_id": ocsfAnalyticRule, "type": "Rule",
		},
	}
	setString(findingInfo, "desc", f.Message)
	if len(f.References) > 0 && webURL(f.References[0]) {
		findingInfo["src_url"] = f.References[0]
	}

	event := map[string]any{
		"activity_id":     ocsfActivityID,
		"activity_name":   ocsfActivityName,
		"category_uid":    ocsfCategoryUID,
		"category_name":   ocsfCategoryName,
		"class_uid":       ocsfClassUID,
		"class_name":      ocsfClassName,
		"type_uid":        ocsfClassUID*100 + ocsfActivityID,
		"type_name":       ocsfClassName + ": " + ocsfActivityName,
		"time":            t.UnixMilli(),
		"timezone_offset": 0,
		"severity_id":     sev.id,
		"severity":        sev.caption,
		"status_id":       statusID,
		"status":          status,
		"status_code":     string(f.Status),
		"message":         ocsfMessage(f),
		"metadata":        metadata,
		"finding_info":    findingInfo,
		"compliance":      ocsfCompliance(r, f),
		"cloud":           ocsfCloud(tenant),
		"resources":       []any{ocsfTenant(tenant)},
		"unmapped":        ocsfUnmapped(r, f),
	}
	setString(event, "status_detail", f.Message)
	if ev := ocsfEvidences(f.Violations); len(ev) > 0 {
		event["evidences"] = ev
		if len(f.Violations) > len(ev) {
			metadata["is_truncated"] = true
		}
	}
	if strings.TrimSpace(f.Remediation) != "" {
		rem := map[string]any{"desc": f.Remediation}
		if len(f.References) > 0 {
			rem["references"] = f.References
		}
		event["remediation"] = rem
	}
	return event
}

// ocsfProduct names posture as the product that made the event.
func ocsfProduct(r *result.Result) map[string]any {
	p := map[string]any{
		"name":        cmp.Or(r.Generator.Name, "posture"),
		"vendor_name": ocsfProductVendor,
		"url_string":  sarifInformationURI,
	}
	setString(p, "version", r.Generator.Version)
	return p
}

// ocsfFindingUID identifies the finding across runs: the same rule on the same tenant is the
// same finding, so a SIEM updates it rather than counting it again.
func ocsfFindingUID(r *result.Result, f result.Finding) string {
	return "posture:" + cmp.Or(r.Snapshot.Tenant.ID, "unknown-tenant") + ":" + f.RuleID
}

// ocsfEventUID identifies this event: the finding as judged from one snapshot. The finding
// itself (status, violations, exception) is part of it, so the same snapshot judged with
// another config or rule set gives another event, and the same judgement the same one (a
// pipeline that sends a result twice is deduplicated).
func ocsfEventUID(r *result.Result, f result.Finding) string {
	h := sha256.New()
	h.Write([]byte(r.Snapshot.SHA256))
	h.Write([]byte{0})
	if err := json.NewEncoder(h).Encode(f); err != nil {
		h.Write([]byte(f.RuleID)) // a finding always encodes; the rule id keeps events apart regardless
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func ocsfMessage(f result.Finding) string {
	msg := f.RuleID + ": " + string(f.Status)
	if f.Message != "" {
		msg += ": " + f.Message
	} else if f.Title != "" {
		msg += ": " + f.Title
	}
	return msg
}

// ocsfCompliance is the compliance object: posture's rule as the control, the framework
// controls it cites (and its violations name) as requirements, one check per requirement with
// this rule's verdict on it.
func ocsfCompliance(r *result.Result, f result.Finding) map[string]any {
	statusID, status := ocsfComplianceStatus(f.Status)
	c := map[string]any{
		"control":     f.RuleID,
		"status_id":   statusID,
		"status":      status,
		"status_code": string(f.Status),
	}
	setString(c, "desc", f.Title)
	if f.Message != "" {
		c["status_details"] = []string{f.Message}
	}
	var standards, requirements []string
	var checks []any
	for _, fw := range ocsfFrameworkIDs(f) {
		title, version := fw, ""
		var titles map[string]string
		if v := r.Frameworks[fw]; v != nil {
			title, version = cmp.Or(strings.TrimSpace(v.Title+" "+v.Version), fw), v.Version
			titles = make(map[string]string, len(v.Controls))
			for _, ctl := range v.Controls {
				titles[ctl.ID] = ctl.Title
			}
		}
		standards = append(standards, title)
		for _, id := range ocsfControls(f, fw) {
			requirements = append(requirements, id)
			checkStatus := ocsfCheckStatus(f, id)
			chk := map[string]any{
				"uid":       id,
				"name":      cmp.Or(titles[id], id),
				"standards": []string{title},
				"status_id": checkStatus,
			}
			if caption, ok := ocsfComplianceCaption[checkStatus]; ok {
				chk["status"] = caption
			} else {
				chk["status"] = "Not Applicable"
			}
			setString(chk, "version", version)
			checks = append(checks, chk)
		}
	}
	if len(standards) > 0 {
		c["standards"] = standards
	}
	if len(requirements) > 0 {
		c["requirements"] = requirements
		c["checks"] = checks
	}
	return c
}

// ocsfFrameworkIDs lists the frameworks a finding cites, sorted.
func ocsfFrameworkIDs(f result.Finding) []string {
	var out []string
	for fw, ids := range f.Frameworks {
		if len(ids) > 0 {
			out = append(out, fw)
		}
	}
	sort.Strings(out)
	return out
}

// ocsfControls returns the controls of framework fw the finding cites, in the rule's order.
// A violation names only controls its rule cites (the engine checks), so the rule's list is
// the whole set.
func ocsfControls(f result.Finding, fw string) []string {
	var out []string
	for _, id := range f.Frameworks[fw] {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// ocsfCheckStatus is the rule's verdict on one control it cites: unknown data leaves every
// control unverified; otherwise a control fails when a violation breaks it (excepted ones too:
// the control is not met, the org accepted it) and passes when none does.
func ocsfCheckStatus(f result.Finding, control string) int {
	switch f.Status {
	case result.Error:
		return ocsfComplianceWarning
	case result.NotApplicable:
		return ocsfComplianceOther
	}
	for _, v := range f.Violations {
		if v.Breaks(control) {
			return ocsfComplianceFail
		}
	}
	return ocsfCompliancePass
}

// ocsfCloud is the event's cloud (OCSF's cloud profile, which every event declares): Microsoft's
// cloud, the tenant as the account (OCSF's account type "M365 Tenant"), and the national
// cloud (global, usgov, usgovdod, china) as the partition.
func ocsfCloud(t result.Tenant) map[string]any {
	account := map[string]any{
		"uid":     cmp.Or(t.ID, "unknown"),
		"type_id": ocsfAccountM365Tenant,
		"type":    "M365 Tenant",
	}
	setString(account, "name", t.DisplayName)
	c := map[string]any{"provider": ocsfProvider, "account": account}
	setString(c, "cloud_partition", t.Cloud)
	return c
}

// ocsfTenant is the tenant as the resource every check is about.
func ocsfTenant(t result.Tenant) map[string]any {
	res := map[string]any{
		"uid":      cmp.Or(t.ID, "unknown"),
		"type":     ocsfTenantType,
		"provider": ocsfProvider,
	}
	setString(res, "name", t.DisplayName)
	if t.DefaultDomain != "" {
		res["data"] = map[string]any{"defaultDomain": t.DefaultDomain}
	}
	return res
}

// ocsfEvidences lists the violations (at most ocsfMaxEvidences; unmapped.violations counts
// them all) as evidence: the message, kind and controls as data, the object at fault as the
// evidence's resource.
func ocsfEvidences(vs []result.Violation) []any {
	var out []any
	for i, v := range vs {
		if i == ocsfMaxEvidences {
			break
		}
		data := map[string]any{"msg": v.Msg, "kind": cmp.Or(v.Kind, result.KindDeny)}
		if v.Excepted {
			data["excepted"] = true
		}
		if len(v.Controls) > 0 {
			data["controls"] = v.Controls
		}
		ev := map[string]any{"data": data}
		e := v.Entity
		if e.ID != "" || e.Name != "" {
			res := map[string]any{}
			setString(res, "uid", e.ID)
			setString(res, "name", e.Name)
			setString(res, "type", e.Type)
			ev["resources"] = []any{res}
		}
		out = append(out, ev)
	}
	return out
}

// ocsfUnmapped holds what OCSF has no attribute for: posture's own fields and the snapshot.
func ocsfUnmapped(r *result.Result, f result.Finding) map[string]any {
	u := map[string]any{
		"level":       f.Level,
		"baselines":   nonNil(f.Baselines),
		"secureScore": nonNil(f.SecureScore),
		"frameworks":  frameworks(f.Frameworks),
		"violations":  map[string]int{"total": len(f.Violations), "listed": min(len(f.Violations), ocsfMaxEvidences)},
		"snapshot": map[string]any{
			"sha256":      r.Snapshot.SHA256,
			"collectedAt": formatTime(r.Snapshot.CollectedAt),
		},
	}
	if e := r.Evidence; e != nil {
		// The digest stands for the policy files, which result.json lists: one event per finding
		// would repeat the whole list on every line.
		ev := map[string]any{"policiesDigest": e.Policies.Digest, "config": nil}
		if c := e.Config; c != nil {
			ev["config"] = map[string]any{"path": c.Path, "sha256": c.SHA256}
		}
		u["evidence"] = ev
	}
	if g := r.Gate; g != nil {
		u["gate"] = g
	}
	if f.Coverage != nil {
		u["coverage"] = f.Coverage
	}
	if f.Exception != nil {
		u["exception"] = f.Exception
	}
	return u
}

func setString(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
