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

func TestSourcesCoverGraphKeys(t *testing.T) {
	byKey := map[string]Source{}
	for _, s := range Sources() {
		if _, dup := byKey[s.Key]; dup {
			t.Errorf("%s listed twice", s.Key)
		}
		byKey[s.Key] = s
		if s.Permission == "" || !strings.HasPrefix(s.Path, "/v1.0/") && !strings.HasPrefix(s.Path, "/beta/") {
			t.Errorf("%s: permission %q, path %q", s.Key, s.Permission, s.Path)
		}
	}
	for _, k := range snapshot.Keys() {
		if _, ok := byKey[k.String()]; ok == (k.Section == snapshot.SectionExchange) {
			t.Errorf("%s: collected %v; every key but exchange's must have a Graph source", k, ok)
		}
	}
	for _, k := range groupMemberInputs {
		if _, ok := byKey[k]; !ok {
			t.Errorf("groupMembers input %s is not a source", k)
		}
	}
}
