package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// TestMissingPropertiesNeverPass strips properties the rules count on from the test tenants
// and checks that every rule requiring the stripped source turns into an error naming the
// source and the property, while every other rule keeps its status. weak.json without
// accountEnabled and userType is Graph's default /users answer, which made a dozen rules pass.
func TestMissingPropertiesNeverPass(t *testing.T) {
	ctx := context.Background()
	eng, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	// each calls strip on every object of the key.
	each := func(strip func(map[string]any)) func(any) {
		return func(v any) {
			for _, o := range v.([]any) {
				strip(o.(map[string]any))
			}
		}
	}
	first := func(strip func(map[string]any)) func(any) {
		return func(v any) { strip(v.([]any)[0].(map[string]any)) }
	}
	tests := []struct {
		tenant string
		key    string
		strip  func(any)
		want   string // the start of the reason in each message
	}{
		{"weak", "entra.users", each(func(u map[string]any) { delete(u, "accountEnabled"); delete(u, "userType") }),
			"entra.users: 12 of 12 users lack accountEnabled; 12 of 12 users lack userType (Graph's /users"},
		{"hardened", "entra.users", each(func(u map[string]any) { delete(u, "accountEnabled"); delete(u, "userType") }),
			"entra.users: 13 of 13 users lack accountEnabled; 13 of 13 users lack userType"},
		{"hardened", "entra.users", first(func(u map[string]any) { u["accountEnabled"] = nil }),
			"entra.users: 1 of 13 users have accountEnabled null"},
		{"hardened", "entra.users", first(func(u map[string]any) { delete(u, "userPrincipalName") }),
			"entra.users: 1 of 13 users lack userPrincipalName"},
		{"hardened", "entra.conditionalAccessPolicies", first(func(p map[string]any) {
			delete(p["conditions"].(map[string]any)["users"].(map[string]any), "excludeUsers")
		}), "entra.conditionalAccessPolicies: 1 of 14 policies lack conditions.users.excludeUsers"},
		{"hardened", "entra.roleAssignments", first(func(a map[string]any) { delete(a, "principalId") }),
			"entra.roleAssignments: 1 of 2 role assignments lack principalId"},
		{"hardened", "entra.roleAssignmentScheduleInstances", first(func(i map[string]any) { delete(i, "startDateTime") }),
			"entra.roleAssignmentScheduleInstances: 1 of 2 assignment schedule instances lack startDateTime"},
		{"hardened", "entra.roleManagementPolicyAssignments", each(func(a map[string]any) { delete(a, "policy") }),
			"entra.roleManagementPolicyAssignments: 8 of 8 role management policy assignments lack policy (Graph returns a role's PIM settings only with $expand=policy($expand=rules))"},
		{"lockout", "entra.appManagementPolicies", each(func(p map[string]any) { delete(p, "appliesTo") }),
			"entra.appManagementPolicies: 1 of 1 app management policies lack appliesTo (Graph returns the applications and service principals a policy applies to only at /policies/appManagementPolicies/{id}/appliesTo)"},
		{"hardened", "entra.defaultAppManagementPolicy", func(v any) { delete(v.(map[string]any), "isEnabled") },
			"entra.defaultAppManagementPolicy: has no isEnabled"},
		{"hardened", "entra.userRegistrationDetails", each(func(d map[string]any) { d["isMfaCapable"] = nil }),
			"entra.userRegistrationDetails: 12 of 12 registration details have isMfaCapable null"},
		{"hardened", "exchange.transportRules", first(func(r map[string]any) { delete(r, "State") }),
			"exchange.transportRules: 1 of 1 transport rules lack State"},
		{"hardened", "intune.configurationPolicies", each(func(p map[string]any) { delete(p, "assignments") }),
			"intune.configurationPolicies: 1 of 1 policies lack assignments (Graph returns assignments only with $expand=assignments)"},
	}
	for _, tt := range tests {
		t.Run(tt.tenant+"/"+tt.want, func(t *testing.T) {
			path := "../../testdata/snapshots/" + tt.tenant + ".json"
			cfg, err := config.Load("../../testdata/configs/" + tt.tenant + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			full, err := snapshot.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			stripped, err := snapshot.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			sec, name, _ := strings.Cut(tt.key, ".")
			section := map[string]map[string]any{"entra": stripped.Entra, "exchange": stripped.Exchange, "intune": stripped.Intune}[sec]
			tt.strip(section[name])

			before, err := eng.Evaluate(ctx, full, cfg, EvalOptions{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			in, err := Prepare(ctx, stripped)
			if err != nil {
				t.Fatal(err)
			}
			after, err := eng.EvaluateInput(ctx, in, cfg, EvalOptions{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			requires := map[string]bool{}
			for _, r := range eng.Rules() {
				requires[r.ID] = slices.Contains(r.Requires, tt.key)
			}
			errored := 0
			for i, f := range after.Findings {
				was := before.Findings[i]
				switch {
				case requires[f.RuleID]:
					errored++
					if f.Status != result.Error || !strings.HasPrefix(f.Message, "cannot verify: ") || !strings.Contains(f.Message, tt.want) {
						t.Errorf("%s (was %s) = %s %q; want error naming %q", f.RuleID, was.Status, f.Status, f.Message, tt.want)
					}
				case f.Status != was.Status:
					t.Errorf("%s does not require %s but went from %s to %s: %s", f.RuleID, tt.key, was.Status, f.Status, f.Message)
				}
			}
			if errored == 0 {
				t.Fatalf("no rule requires %s", tt.key)
			}
			// Rego sees the source as the findings do.
			src := in.value.(ast.Object).Get(ast.StringTerm("sources")).Value.(ast.Object).Get(ast.StringTerm(tt.key))
			status := src.Value.(ast.Object).Get(ast.StringTerm("status"))
			msg := src.Value.(ast.Object).Get(ast.StringTerm("message"))
			if status == nil || !status.Equal(ast.StringTerm("error")) || msg == nil || !strings.HasPrefix(string(msg.Value.(ast.String)), tt.want) {
				t.Errorf("input.sources[%q] = %v; want status error and the reason", tt.key, src)
			}
		})
	}
}
