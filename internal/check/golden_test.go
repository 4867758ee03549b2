package check

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/synth"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/* from the current results")

// largeTenant is the 100,000-user tenant of the golden results and the benchmarks: the
// generated Entra data with the demo tenant's Exchange, Intune and Secure Score data and 50,000
// managed devices.
var largeTenant = synth.Options{Users: 100000, Groups: 20000, Policies: 300, Devices: 50000, Services: demo.Snapshot, Seed: 1}

// TestGoldenResults checks that every test tenant, the demo and a 100,000-user tenant give
// exactly the result recorded in testdata/golden (all of it but evaluatedAt, which is the time
// of the run, and the evidence, whose hashes change with every edit of a policy file, a comment
// included; engine.TestEvidence checks those). A change to the engine that is meant to change speed only must leave these files
// alone; one that changes findings on purpose rewrites them with -update and shows the change
// in review. The large tenant's result is stored gzipped.
func TestGoldenResults(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tenants := []struct {
		name string
		opts func(t *testing.T) Options
	}{
		{"demo", func(*testing.T) Options { return Options{Demo: true} }},
		{"weak", testdataTenant("weak")},
		{"hardened", testdataTenant("hardened")},
		{"e3-no-p2", testdataTenant("e3-no-p2")},
		{"lockout", testdataTenant("lockout")},
		{"synthetic-100k", func(t *testing.T) Options {
			dir := t.TempDir()
			snap := filepath.Join(dir, "synthetic.json")
			if err := os.WriteFile(snap, synth.Generate(largeTenant), 0o644); err != nil {
				t.Fatal(err)
			}
			return Options{SnapshotPath: snap, ConfigPath: writeConfig(t, synth.Config)}
		}},
	}
	for _, tt := range tenants {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts(t)
			o.Now = now
			res, _, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if res.Evidence == nil || len(res.Evidence.Policies.Files) == 0 {
				t.Fatalf("the result names no policy files as its evidence: %+v", res.Evidence)
			}
			res.Evidence = nil
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = withoutEvaluatedAt(t, got)
			path := filepath.Join("testdata", "golden", tt.name+".json")
			if strings.HasPrefix(tt.name, "synthetic") {
				path += ".gz"
			}
			if *update {
				writeGolden(t, path, got)
				return
			}
			want := readGolden(t, path)
			if !bytes.Equal(got, want) {
				t.Errorf("result differs from %s (rerun with -update if the change is intended):\n%s", path, firstDifference(got, want))
			}
		})
	}
}

func testdataTenant(name string) func(*testing.T) Options {
	return func(*testing.T) Options {
		return Options{
			SnapshotPath: "../../testdata/snapshots/" + name + ".json",
			ConfigPath:   "../../testdata/configs/" + name + ".yaml",
		}
	}
}

// withoutEvaluatedAt drops the result's evaluatedAt line, the one field that depends on when
// the check ran.
func withoutEvaluatedAt(t *testing.T, b []byte) []byte {
	t.Helper()
	var out []byte
	for line := range bytes.Lines(b) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte(`"evaluatedAt":`)) {
			continue
		}
		out = append(out, line...)
	}
	if len(out) == len(b) {
		t.Fatal("the result has no evaluatedAt")
	}
	return append(out, '\n')
}

func writeGolden(t *testing.T, path string, b []byte) {
	t.Helper()
	if strings.HasSuffix(path, ".gz") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		b = buf.Bytes()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readGolden(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	b, err = io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstDifference shows the first line where got and want part, with its line number.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got " + gl + "\nwant " + wl
		}
	}
	return "(same lines, different bytes)"
}
