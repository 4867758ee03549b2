package collect_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// intuneTenant is the hardened tenant with Intune data of every key, as Graph returns it: the
// intents and settings catalog policies with more settings than a page holds.
func intuneTenant(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "hardened.json"))
	if err != nil {
		t.Fatal(err)
	}
	all := []any{map[string]any{"id": "a1", "target": map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}}
	choice := func(i int) any {
		def := fmt.Sprintf("device_vendor_msft_policy_config_test_setting%d", i)
		return map[string]any{"id": fmt.Sprint(i), "settingInstance": map[string]any{
			"@odata.type":         "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
			"settingDefinitionId": def,
			"choiceSettingValue":  map[string]any{"value": def + "_1", "children": []any{}},
		}}
	}
	var many []any
	for i := range 7 {
		many = append(many, choice(i))
	}
	intentSetting := func(id, def, value string) any {
		return map[string]any{"@odata.type": "#microsoft.graph.deviceManagementBooleanSettingInstance", "id": id, "definitionId": def, "valueJson": value}
	}
	data := map[string]any{
		"deviceConfigurations": []any{map[string]any{"@odata.type": "#microsoft.graph.windows10EndpointProtectionConfiguration",
			"id": "dc1", "displayName": "Endpoint protection", "firewallBlockStatefulFTP": true, "assignments": all}},
		"deviceCompliancePolicies": []any{map[string]any{"@odata.type": "#microsoft.graph.windows10CompliancePolicy",
			"id": "cp1", "displayName": "Windows", "bitLockerEnabled": true, "assignments": all,
			"scheduledActionsForRule": []any{map[string]any{"id": "r1", "ruleName": nil, "scheduledActionConfigurations": []any{
				map[string]any{"id": "c1", "gracePeriodHours": float64(72), "actionType": "block"}}}}}},
		"configurationPolicies": []any{
			map[string]any{"id": "p1", "name": "Baseline", "platforms": "windows10", "settings": many, "assignments": all},
			map[string]any{"id": "p2", "name": "Empty", "platforms": "windows10", "settings": []any{}, "assignments": []any{}},
		},
		"intents": []any{
			map[string]any{"id": "i1", "displayName": "Old baseline", "templateId": "t1", "isAssigned": true, "assignments": all,
				"settings": []any{intentSetting("s1", "deviceConfiguration--a", "true"), intentSetting("s2", "deviceConfiguration--b", "false"),
					intentSetting("s3", "deviceConfiguration--c", "true")}},
			map[string]any{"id": "i2", "displayName": "Unassigned", "templateId": "t1", "isAssigned": false, "assignments": []any{}, "settings": []any{}},
		},
		"managedDevices": []any{
			map[string]any{"id": "m1", "deviceName": "PC-1", "operatingSystem": "Windows", "osVersion": "10.0.26100.1", "complianceState": "compliant",
				"isEncrypted": true, "managementAgent": "mdm", "lastSyncDateTime": "2026-11-21T09:00:00Z", "azureADDeviceId": "e1"},
			map[string]any{"id": "m2", "deviceName": "PC-2", "operatingSystem": "Windows", "osVersion": "10.0.22631.1", "complianceState": "noncompliant",
				"isEncrypted": false, "managementAgent": "mdm", "lastSyncDateTime": "2026-11-20T09:00:00Z", "azureADDeviceId": "e2",
				"userPrincipalName": "not selected, not collected"},
		},
		"deviceManagementSettings": map[string]any{"@odata.type": "microsoft.graph.deviceManagementSettings",
			"deviceComplianceCheckinThresholdDays": float64(30), "isScheduledActionEnabled": true, "secureByDefault": true},
	}
	// Numbers as a loaded snapshot holds them.
	raw := snapshot.Snapshot{Intune: data}
	doc := raw.Document()["intune"].(map[string]any)
	snap.Intune = map[string]any{}
	for k, v := range doc {
		snap.Intune[k] = v
		if l, ok := v.([]any); ok {
			n := len(l)
			snap.Sources["intune."+k] = snapshot.Source{Status: snapshot.StatusOK, Count: &n}
		} else {
			snap.Sources["intune."+k] = snapshot.Source{Status: snapshot.StatusOK}
		}
	}
	return roundTrip(t, snap)
}

// roundTrip saves and loads snap, so its values are as a snapshot file gives them.
func roundTrip(t *testing.T, snap *snapshot.Snapshot) *snapshot.Snapshot {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.json")
	if err := snap.Save(path); err != nil {
		t.Fatal(err)
	}
	out, err := snapshot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestIntuneRoundTrip: every Intune key comes back as the file holds it, through small pages
// and throttling, with the per-object expansions (intents' settings and assignments, policies'
// settings) read through $batch.
func TestIntuneRoundTrip(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	snap := intuneTenant(t)
	run, c := startSim(t, snap, sim.Options{PageSize: 2, ThrottleRate: 0.1, RetryAfter: -1, Seed: 7})
	got, _, err := collect.Run(context.Background(), c, collect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	compareSources(t, snap, got)
	if _, has := got.Intune["managedDevices"].([]any)[1].(map[string]any)["userPrincipalName"]; has {
		t.Error("managedDevices: userPrincipalName collected; only the selected properties should be")
	}
	st := run.Server.Stats()
	if st.BatchItems == 0 || st.ByPath["/beta/deviceManagement/intents/i1/settings"] < 2 {
		t.Errorf("%d $batch items, %d requests for i1's settings; want the expansions batched and paged", st.BatchItems, st.ByPath["/beta/deviceManagement/intents/i1/settings"])
	}
}

// TestIntuneExpansionFailures: a failed per-object request makes the whole source an error
// (never a short list), and the other Intune sources stay ok.
func TestIntuneExpansionFailures(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	tests := []struct {
		name, path string
		code       int
		key        string
		status     snapshot.Status
		msg        string
	}{
		{"intent settings 500", "/beta/deviceManagement/intents/i2/settings", 500, "intune.intents", snapshot.StatusError, "/beta/deviceManagement/intents/i2/settings"},
		{"intent assignments 404", "/beta/deviceManagement/intents/i1/assignments", 404, "intune.intents", snapshot.StatusError, "404"},
		{"policy settings 403", "/beta/deviceManagement/configurationPolicies/p1/settings", 403, "intune.configurationPolicies", snapshot.StatusForbidden,
			"needs DeviceManagementConfiguration.Read.All"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			snap := intuneTenant(t)
			_, c := startSim(t, snap, sim.Options{PageSize: 2, RetryAfter: -1, Fail: map[string]int{tt.path: tt.code}})
			got, _, err := collect.Run(context.Background(), c, collect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			src := got.Sources[tt.key]
			if src.Status != tt.status || !strings.Contains(src.Message, tt.msg) {
				t.Errorf("%s: %s %q; want %s naming %q", tt.key, src.Status, src.Message, tt.status, tt.msg)
			}
			if _, has := got.Intune[strings.TrimPrefix(tt.key, "intune.")]; has {
				t.Errorf("%s is in the snapshot; want it absent", tt.key)
			}
			for _, k := range []string{"intune.deviceConfigurations", "intune.managedDevices", "intune.deviceManagementSettings"} {
				if got.Sources[k].Status != snapshot.StatusOK {
					t.Errorf("%s: %s %q; want ok", k, got.Sources[k].Status, got.Sources[k].Message)
				}
			}
		})
	}
}

// TestDeviceManagementSettingsFallback: when /deviceManagement ignores $select and answers
// without settings, the collector reads the whole object; when settings never come, the
// source is an error, not an empty object.
func TestDeviceManagementSettingsFallback(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	tests := []struct {
		name     string
		stripAll bool
		status   snapshot.Status
	}{
		{"settings without $select", false, snapshot.StatusOK},
		{"settings never answered", true, snapshot.StatusError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := intuneTenant(t)
			run, err := sim.Start(snap, sim.Options{ClientID: testClientID, ClientSecret: fakeSecret})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { run.Close() })
			c := frontClient(t, run, snap, func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != "/v1.0/deviceManagement" || (!tt.stripAll && r.URL.RawQuery == "") {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"@odata.context":"x","id":"dm","intuneAccountId":"a"}`)
				return true
			})
			got, _, err := collect.Run(context.Background(), c, collect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			src := got.Sources["intune.deviceManagementSettings"]
			if src.Status != tt.status {
				t.Fatalf("intune.deviceManagementSettings: %s %q; want %s", src.Status, src.Message, tt.status)
			}
			if tt.status == snapshot.StatusOK && got.Intune["deviceManagementSettings"].(map[string]any)["secureByDefault"] != true {
				t.Errorf("settings %v", got.Intune["deviceManagementSettings"])
			}
		})
	}
}
