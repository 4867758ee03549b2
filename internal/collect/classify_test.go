package collect

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

func TestClassify(t *testing.T) {
	ca := sourceNamed(Sources(), "entra.conditionalAccessPolicies")
	pim := sourceNamed(Sources(), "entra.roleEligibilitySchedules")
	risky := sourceNamed(Sources(), "entra.riskyUsers")
	intune := sourceNamed(Sources(), "intune.deviceConfigurations")
	scores := sourceNamed(Sources(), "secureScore.scores")
	tests := []struct {
		name   string
		src    Source
		err    error
		status snapshot.Status
		msg    string
	}{
		{"missing permission", ca, &graph.Error{Status: 403, Code: "Authorization_RequestDenied", Message: "Insufficient privileges to complete the operation."},
			snapshot.StatusForbidden, "needs Policy.Read.All (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.)"},
		{"401", ca, &graph.Error{Status: 401, Code: "InvalidAuthenticationToken", Message: "Access token validation failure."},
			snapshot.StatusForbidden, "needs Policy.Read.All (401 InvalidAuthenticationToken"},
		{"PIM without P2", pim, &graph.Error{Status: 400, Code: "AadPremiumLicenseRequired", Message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license."},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P2 (400 AadPremiumLicenseRequired"},
		{"Identity Protection without P2", risky, &graph.Error{Status: 403, Code: "Forbidden", Message: "Your tenant is not licensed for this feature."},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P2"},
		{"Conditional Access in a Free tenant", ca, &graph.Error{Status: 403, Code: "AccessDenied", Message: "Your tenant is not licensed for this feature. Please upgrade your subscription to access it."},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P1"},
		{"reports without premium", sourceNamed(Sources(), "entra.userRegistrationDetails"),
			&graph.Error{Status: 403, Code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", Message: "Neither tenant is B2C or tenant doesn't have premium license"},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P1"},
		{"401 with a licence code is unlicensed, not forbidden", sourceNamed(Sources(), "entra.userRegistrationDetails"),
			&graph.Error{Status: 401, Code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", Message: "Neither tenant is B2C or tenant doesn't have premium license"},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P1 (401 Authentication_RequestFromNonPremiumTenantOrB2CTenant"},
		{"401 PIM licence code", pim, &graph.Error{Status: 401, Code: "AadPremiumLicenseRequired", Message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license."},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P2 (401 AadPremiumLicenseRequired"},
		{"missingLicense", scores, &graph.Error{Status: 403, Code: "missingLicense", Message: "The tenant lacks the license."},
			snapshot.StatusUnlicensed, "needs a licence the tenant lacks (403 missingLicense"},
		{"401 saying not licensed", risky, &graph.Error{Status: 401, Code: "Unauthorized", Message: "Your tenant is not licensed for this feature."},
			snapshot.StatusUnlicensed, "needs Microsoft Entra ID P2"},
		{"licence code on a 500 is an error", ca, &graph.Error{Method: "GET", Path: "/v1.0/x", Status: 500, Code: "AadPremiumLicenseRequired", Message: "x"},
			snapshot.StatusError, "500 AadPremiumLicenseRequired"},
		{"no Intune", intune, &graph.Error{Status: 400, Code: "BadRequest", Message: "Request not applicable to target tenant."},
			snapshot.StatusUnlicensed, "needs Microsoft Intune"},
		{"licence error where none is known", scores, &graph.Error{Status: 403, Code: "AccessDenied", Message: "Your tenant is not licensed for this feature."},
			snapshot.StatusUnlicensed, "needs a licence the tenant lacks"},
		{"other bad request", intune, &graph.Error{Method: "GET", Path: "/v1.0/x", Status: 400, Code: "BadRequest", Message: "Invalid filter clause"},
			snapshot.StatusError, "GET /v1.0/x: 400 BadRequest: Invalid filter clause"},
		{"server error after retries", ca, &graph.Error{Method: "GET", Path: "/v1.0/x", Status: 503, Code: "serviceNotAvailable", Message: "retry later"},
			snapshot.StatusError, "503 serviceNotAvailable"},
		{"network", ca, &graph.Error{Method: "GET", Path: "/v1.0/x", Err: errors.New("dial tcp: connection refused")},
			snapshot.StatusError, "GET /v1.0/x: dial tcp: connection refused"},
		{"not a graph error", ca, errors.New("decode\npage"), snapshot.StatusError, "decode page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.src, tt.err)
			if got.Status != tt.status || !strings.Contains(got.Message, tt.msg) || strings.Contains(got.Message, "\n") {
				t.Errorf("classify() = %s %q, want %s containing %q", got.Status, got.Message, tt.status, tt.msg)
			}
		})
	}
}

func TestReferencedGroups(t *testing.T) {
	policy := func(include, exclude []any) any {
		return map[string]any{"conditions": map[string]any{"users": map[string]any{"includeGroups": include, "excludeGroups": exclude}}}
	}
	groups := []any{map[string]any{"id": "g-role"}, map[string]any{"id": "G-ELIG"}, map[string]any{"id": "g-ca"}}
	tests := []struct {
		name                       string
		policies, assign, eligible []any
		want                       []string
	}{
		{"none", nil, nil, nil, []string{}},
		{"policy groups, deduplicated ignoring case",
			[]any{policy([]any{"g-ca", "g-other"}, []any{"G-CA"}), policy(nil, []any{"g-x"})}, nil, nil,
			[]string{"g-ca", "g-other", "g-x"}},
		{"role principals that are groups",
			nil, []any{map[string]any{"principalId": "g-role"}, map[string]any{"principalId": "user-1"}},
			[]any{map[string]any{"principalId": "g-elig"}}, []string{"g-elig", "g-role"}},
		{"malformed entries are ignored", []any{"x", policy([]any{42, ""}, nil)}, []any{map[string]any{}}, nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := referencedGroups(tt.policies, groups, tt.assign, tt.eligible)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("referencedGroups() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSourcesCoverEveryKey(t *testing.T) {
	byKey := map[string]Source{}
	for _, s := range Sources() {
		if _, dup := byKey[s.Key]; dup {
			t.Errorf("%s listed twice", s.Key)
		}
		byKey[s.Key] = s
		graphPath := strings.HasPrefix(s.Path, "/v1.0/") || strings.HasPrefix(s.Path, "/beta/")
		exchange := strings.HasPrefix(s.Key, snapshot.SectionExchange+".")
		switch {
		case s.Permission == "":
			t.Errorf("%s: no permission", s.Key)
		case exchange && s.Key != keyDNS && (s.Cmdlet == "" || s.Path != ""):
			t.Errorf("%s: cmdlet %q, path %q; want a cmdlet only", s.Key, s.Cmdlet, s.Path)
		case !exchange && !graphPath:
			t.Errorf("%s: path %q", s.Key, s.Path)
		}
	}
	for _, k := range snapshot.Keys() {
		if _, ok := byKey[k.String()]; !ok {
			t.Errorf("%s has no source", k)
		}
	}
	for _, s := range Sources() {
		for _, k := range inputs(s) {
			if _, ok := byKey[k]; !ok {
				t.Errorf("%s: input %s is not a source", s.Key, k)
			}
		}
	}
}

func TestClassifyExchange(t *testing.T) {
	safeLinks := sourceNamed(Sources(), "exchange.safeLinksPolicies")
	org := sourceNamed(Sources(), "exchange.organizationConfig")
	notFound := func(cmdlet string) error {
		msg := "The term '" + cmdlet + "' is not recognized as a name of a cmdlet, function, script file, or executable program."
		return &graph.Error{Status: 400, Code: "BadRequest", Message: msg,
			Body: []byte(`{"error":{"code":"BadRequest","message":"` + msg + `","details":[{"code":"BadRequest","message":"X|System.Management.Automation.CommandNotFoundException|` + msg + `"}]}}`)}
	}
	tests := []struct {
		name   string
		src    Source
		err    error
		status snapshot.Status
		msg    string
	}{
		{"MDO cmdlet not recognized", safeLinks, notFound("Get-SafeLinksPolicy"), snapshot.StatusUnlicensed,
			"needs Microsoft Defender for Office 365 Plan 1 (400 BadRequest: The term 'Get-SafeLinksPolicy' is not recognized"},
		{"EOP cmdlet not recognized", org, notFound("Get-OrganizationConfig"), snapshot.StatusForbidden,
			"needs the Global Reader role (or an Exchange role that includes Get-OrganizationConfig)"},
		{"401", org, &graph.Error{Status: 401}, snapshot.StatusForbidden, "needs the Office 365 Exchange Online application permission Exchange.ManageAsApp"},
		{"403", safeLinks, &graph.Error{Status: 403, Code: "Forbidden", Message: "The role assigned to application isn't supported in this scenario.",
			Body: []byte(`{"error":{"code":"Forbidden","message":"The role assigned to application isn't supported in this scenario."}}`)},
			snapshot.StatusForbidden, "Global Reader role"},
		{"500", org, &graph.Error{Status: 500, Code: "InternalServerError", Message: "An internal server error occurred."}, snapshot.StatusError,
			"InvokeCommand Get-OrganizationConfig: 500 InternalServerError"},
		{"no token", org, &graph.AuthError{Err: errors.New("AADSTS500011: resource principal not found")}, snapshot.StatusError,
			"sign in to Exchange Online: AADSTS500011: resource principal not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classifyExchange(tt.src, tt.err)
			if got.Status != tt.status || !strings.Contains(got.Message, tt.msg) {
				t.Errorf("classifyExchange() = %s %q, want %s containing %q", got.Status, got.Message, tt.status, tt.msg)
			}
		})
	}
}
