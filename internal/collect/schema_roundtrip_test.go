package collect_test

import (
	"context"
	"testing"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// TestCollectedSnapshotsHoldOnlyWhatTheSchemaDefines collects tenants from the simulator,
// one of them seeded with properties Graph does not return from the version each key is read
// from (beta-only ones in v1.0 data, made-up ones), and checks that the collected snapshot
// holds no property Microsoft's schema does not define for that version.
func TestCollectedSnapshotsHoldOnlyWhatTheSchemaDefines(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	seeded := func(t *testing.T) *snapshot.Snapshot {
		snap, err := snapshot.Load(tenants()[0].snapshot)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range snap.Entra["servicePrincipals"].([]any) {
			sp.(map[string]any)["publisherName"] = "Contoso" // beta only
		}
		for _, rd := range snap.Entra["roleDefinitions"].([]any) {
			rd.(map[string]any)["isPrivileged"] = true // beta only
		}
		snap.Entra["users"].([]any)[0].(map[string]any)["favouriteColour"] = "blue" // no such property
		campaign := snap.Entra["authenticationMethodsPolicy"].(map[string]any)["registrationEnforcement"].(map[string]any)["authenticationMethodsRegistrationCampaign"].(map[string]any)
		campaign["enforceRegistrationAfterAllowedSnoozes"] = true // beta only, nested
		return snap
	}
	tests := []struct {
		name string
		snap func(t *testing.T) *snapshot.Snapshot
	}{
		{"seeded with properties Graph does not return", seeded},
	}
	for _, tn := range tenants() {
		tests = append(tests, struct {
			name string
			snap func(t *testing.T) *snapshot.Snapshot
		}{tn.name, func(t *testing.T) *snapshot.Snapshot {
			s, err := snapshot.Load(tn.snapshot)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			snap := tt.snap(t)
			before := collect.SchemaProblems(t, snap)
			if tt.name == tests[0].name && len(before) < 4 {
				t.Fatalf("the seeded tenant has %d problems; the test does not test the simulator: %v", len(before), before)
			}
			_, c := startSim(t, snap, sim.Options{})
			got, _, err := collect.Run(context.Background(), c, collect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range collect.SchemaProblems(t, got) {
				t.Errorf("collected: %s", p)
			}
		})
	}
}
