package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
)

// walkthrough returns the README's three commands that reproduce check --demo (sim serve,
// collect, check), as argument lists without "posture", in the README's order.
func walkthrough(t *testing.T) [3][]string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	prefixes := [3]string{"posture sim serve --demo ", "posture collect --endpoint ", "posture check --snapshot demo.json "}
	var cmds [3][]string
	for line := range strings.Lines(string(readme)) {
		line, _, _ = strings.Cut(line, "#")
		for i, p := range prefixes {
			if cmds[i] == nil && strings.HasPrefix(line, p) {
				cmds[i] = strings.Fields(line)[1:]
			}
		}
	}
	for i, c := range cmds {
		if c == nil {
			t.Fatalf("README.md has no command starting %q", prefixes[i])
		}
	}
	return cmds
}

// TestDemoWalkthrough runs the README's walkthrough: posture sim serve --demo, the real
// posture collect against it over HTTP, and posture check of the collection with the published
// examples/demo/posture.yaml; the result is check --demo's, field by field but the snapshot's
// hash (the collection's bytes differ) and evaluatedAt. The collection's clock is set to the
// demo snapshot's collectedAt, as one rule counts days from it (the README says so).
func TestDemoWalkthrough(t *testing.T) {
	cmds := walkthrough(t)
	dir := t.TempDir()
	// The check runs in a directory laid out as the repository is, with the published config.
	cfg := filepath.Join(dir, filepath.FromSlash(demo.ConfigPath))
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		t.Fatal(err)
	}
	published, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(demo.ConfigPath)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, published, 0o644); err != nil {
		t.Fatal(err)
	}

	// sim serve, on a free port instead of the README's 8080.
	serve := cmds[0]
	for i, a := range serve {
		if a == "--addr" && i+1 < len(serve) {
			serve[i+1] = "127.0.0.1:0"
		}
	}
	if serve[0] != "sim" || serve[1] != "serve" {
		t.Fatalf("walkthrough starts with %q, want sim serve", serve)
	}
	sim := startServe(t, serve[2:]...)
	defer sim.stop(t)

	// collect, in-process (the one way to set its clock), at the simulator's address.
	demoSnap, err := snapshot.Parse("demo", demo.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	collectArgs := append([]string{}, cmds[1]...)
	for i, a := range collectArgs {
		switch {
		case strings.HasPrefix(a, "http://127.0.0.1:8080"):
			collectArgs[i] = sim.url
		case a == "demo.json":
			collectArgs[i] = filepath.Join(dir, "demo.json")
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), collectArgs, env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
		now: func() time.Time { return demoSnap.CollectedAt }})
	if code != 0 {
		t.Fatalf("posture %s: exit %d; stderr %s", strings.Join(collectArgs, " "), code, stderr.String())
	}

	// check of the collection, verbatim but for the format, and check --demo.
	got := runPostureIn(t, dir, nil, append(cmds[2], "--format", "json")...)
	want := runPosture(t, nil, "check", "--demo", "--format", "json")
	if got.code != want.code || want.code != 1 {
		t.Errorf("exit %d; check --demo exits %d (want 1: the demo fails the gate); stderr %s", got.code, want.code, got.stderr)
	}
	// --demo says which config it applies, once; the check with --config says nothing of it.
	if n := strings.Count(want.stderr, "--demo applies the demo tenant's org config "+demo.ConfigPath); n != 1 {
		t.Errorf("check --demo names its config %d times on stderr, want once:\n%s", n, want.stderr)
	}
	if strings.Contains(got.stderr, "--demo applies") {
		t.Errorf("check --config says it applies the demo config:\n%s", got.stderr)
	}
	a, b := decodeResult(t, want.stdout), decodeResult(t, got.stdout)
	for _, m := range []map[string]any{a, b} {
		delete(m, "evaluatedAt")
		delete(m["snapshot"].(map[string]any), "sha256")
	}
	if len(a["findings"].([]any)) < 50 {
		t.Fatalf("check --demo gave %d findings; want the demo's", len(a["findings"].([]any)))
	}
	fa, fb := a["findings"].([]any), b["findings"].([]any)
	for i := range min(len(fa), len(fb)) {
		if !reflect.DeepEqual(fa[i], fb[i]) {
			ja, _ := json.Marshal(fa[i])
			jb, _ := json.Marshal(fb[i])
			t.Errorf("finding %d differs:\n check --demo: %s\n walkthrough:  %s", i, ja, jb)
		}
	}
	for k := range a {
		if !reflect.DeepEqual(a[k], b[k]) {
			ja, _ := json.Marshal(a[k])
			jb, _ := json.Marshal(b[k])
			t.Errorf("%s differs:\n check --demo: %.400s\n walkthrough:  %.400s", k, ja, jb)
		}
	}
	if len(a) != len(b) {
		t.Errorf("check --demo's result has %d fields, the walkthrough's %d", len(a), len(b))
	}
}

func decodeResult(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a result: %v\n%.300s", err, s)
	}
	return m
}
