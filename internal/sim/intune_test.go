package sim

import (
	"net/http"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/snapshot"
)

// withIntune returns the weak tenant with one intent, one settings catalog policy and the
// tenant's device management settings, all ok.
func withIntune(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	snap := load(t, "weak.json")
	assign := []any{map[string]any{"id": "a1", "target": map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}}
	snap.Intune = map[string]any{
		"intents": []any{map[string]any{"id": "i1", "displayName": "Baseline", "isAssigned": true,
			"settings": []any{
				map[string]any{"@odata.type": "#microsoft.graph.deviceManagementBooleanSettingInstance", "id": "s1", "definitionId": "d1", "valueJson": "true"},
				map[string]any{"@odata.type": "#microsoft.graph.deviceManagementBooleanSettingInstance", "id": "s2", "definitionId": "d2", "valueJson": "false"},
				map[string]any{"@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance", "id": "s3", "definitionId": "d3", "valueJson": "14"},
			},
			"assignments": assign}},
		"configurationPolicies":    []any{map[string]any{"id": "p1", "name": "SMB", "settings": []any{}, "assignments": assign}},
		"deviceManagementSettings": map[string]any{"secureByDefault": true, "deviceComplianceCheckinThresholdDays": 30},
	}
	for _, k := range []string{"intents", "configurationPolicies"} {
		n := 1
		snap.Sources["intune."+k] = snapshot.Source{Status: snapshot.StatusOK, Count: &n}
	}
	snap.Sources["intune.deviceManagementSettings"] = snapshot.Source{Status: snapshot.StatusOK}
	return snap
}

// TestIntuneRoutes: navigation properties come only when expanded, and each is served as the
// collection /{id}/{nav}; /deviceManagement?$select=settings answers the stored settings.
func TestIntuneRoutes(t *testing.T) {
	snap := withIntune(t)
	h := newServer(t, snap, Options{NoAuth: true, PageSize: 2}).Handler()
	intent := snap.Intune["intents"].([]any)[0].(map[string]any)
	tests := []struct {
		name, target string
		has, lacks   []string // properties of the first element (or the object)
	}{
		{"list without expand", "/beta/deviceManagement/intents", []string{"displayName"}, []string{"settings", "assignments"}},
		{"list with one expansion", "/beta/deviceManagement/intents?$expand=assignments", []string{"assignments"}, []string{"settings"}},
		{"list with both", "/beta/deviceManagement/intents?$expand=settings,assignments", []string{"settings", "assignments"}, nil},
		{"element", "/beta/deviceManagement/configurationPolicies/p1", []string{"name"}, []string{"settings", "assignments"}},
		{"element expanded", "/beta/deviceManagement/configurationPolicies/p1?$expand=settings", []string{"settings"}, []string{"assignments"}},
		{"settings of the tenant", "/v1.0/deviceManagement?$select=settings", []string{"settings"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := get(t, h, tt.target)
			if a.status != http.StatusOK {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			obj := a.body
			if vals, ok := a.body["value"].([]any); ok {
				obj = vals[0].(map[string]any)
			}
			for _, k := range tt.has {
				if _, ok := obj[k]; !ok {
					t.Errorf("lacks %s: %s", k, a.raw)
				}
			}
			for _, k := range tt.lacks {
				if _, ok := obj[k]; ok {
					t.Errorf("has %s, which was not expanded: %s", k, a.raw)
				}
			}
		})
	}
	settings, pages := all(t, h, "/beta/deviceManagement/intents/i1/settings")
	if !jsonEqual(t, settings, intent["settings"]) || pages != 2 {
		t.Errorf("intent settings in %d pages: %v; want the snapshot's in 2 pages", pages, settings)
	}
	if got, _ := all(t, h, "/beta/deviceManagement/intents/I1/Assignments"); !jsonEqual(t, got, intent["assignments"]) {
		t.Errorf("intent assignments: %v", got)
	}
	if got, _ := all(t, h, "/beta/deviceManagement/configurationPolicies/p1/settings"); len(got) != 0 {
		t.Errorf("policy settings: %v; want none", got)
	}
	dm := get(t, h, "/v1.0/deviceManagement?$select=settings")
	if !jsonEqual(t, dm.body["settings"], snap.Intune["deviceManagementSettings"]) {
		t.Errorf("deviceManagement: %s", dm.raw)
	}
	for _, tt := range []struct {
		target string
		status int
	}{
		{"/beta/deviceManagement/intents/nope/settings", http.StatusNotFound},
		{"/v1.0/deviceManagement/intents/i1/settings", http.StatusBadRequest}, // beta only
		{"/beta/deviceManagement/intents/i1/nope", http.StatusBadRequest},
		{"/beta/deviceManagement/intents?$expand=settings)", http.StatusBadRequest},
	} {
		if a := get(t, h, tt.target); a.status != tt.status {
			t.Errorf("GET %s: %d %s; want %d", tt.target, a.status, a.raw, tt.status)
		}
	}
}

// TestIntuneWithoutLicence: every Intune path, the per-object ones too, answers as Graph does
// in a tenant without Intune when the snapshot's sources say unlicensed.
func TestIntuneWithoutLicence(t *testing.T) {
	snap := withIntune(t)
	for _, k := range []string{"intents", "configurationPolicies", "deviceManagementSettings"} {
		delete(snap.Intune, k)
		snap.Sources["intune."+k] = snapshot.Source{Status: snapshot.StatusUnlicensed, Message: "needs Microsoft Intune"}
	}
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	for _, target := range []string{
		"/beta/deviceManagement/intents", "/beta/deviceManagement/intents/i1/settings",
		"/beta/deviceManagement/configurationPolicies/p1/settings", "/v1.0/deviceManagement?$select=settings",
	} {
		a := get(t, h, target)
		if msg, _ := a.body["error"].(map[string]any)["message"].(string); a.status != http.StatusBadRequest || !strings.Contains(msg, "not applicable to target tenant") {
			t.Errorf("GET %s: %d %s; want Intune's licence error", target, a.status, a.raw)
		}
	}
}
