//go:build unix

package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// The benchmarks here time whole processes, the built posture binary against a floor measured
// in the same run, and report the ratio: a figure that means the same on a fast and a slow
// machine. They assert nothing about time. README's "Benchmarks" section has the commands.

// Environment of BenchmarkStartup: CISA ScubaGear's Rego and the OPA binary that runs it.
const (
	envScubaRego = "POSTURE_BENCH_SCUBAGEAR_REGO" // directory with AADConfig.rego and Utils/
	envOPA       = "POSTURE_BENCH_OPA"            // opa binary; ScubaGear pins OPA 1.19.0
)

// BenchmarkStartup runs `posture check --baseline azure-ad` and ScubaGear's Entra ID evaluation
// (`opa eval data.aad.tests`, as ScubaGear's RunRego module runs it) on the same tenants, and
// reports each one's time per run and posture's as a multiple of ScubaGear's (target: 0.75 or
// less): the azure-ad baseline is what ScubaGear's AAD Rego checks. It also reports `posture
// check` with every baseline (posture-all-s), which does more than ScubaGear's AAD evaluation.
// ScubaGear's input is the tenant converted by scubaInput.
func BenchmarkStartup(b *testing.B) {
	regoDir, opa := os.Getenv(envScubaRego), os.Getenv(envOPA)
	if regoDir == "" || opa == "" {
		b.Fatalf("BenchmarkStartup compares posture with ScubaGear: set %s to a directory holding ScubaGear's Rego "+
			"(AADConfig.rego and Utils/) and %s to an opa binary (ScubaGear pins 1.19.0); README's Benchmarks section shows how", envScubaRego, envOPA)
	}
	for _, p := range []string{filepath.Join(regoDir, "AADConfig.rego"), filepath.Join(regoDir, "Utils"), opa} {
		if _, err := os.Stat(p); err != nil {
			b.Fatalf("%v (from %s / %s)", err, envScubaRego, envOPA)
		}
	}
	bin := buildPosture(b)
	tenants := []struct {
		name           string
		snapshot, conf []byte
	}{
		{"demo", demo.Snapshot, demo.Config},
		{"300 policies, 5000 users", synth.Generate(synth.Options{Users: 5000, Groups: 500, Policies: 300, Seed: 1}), []byte(synth.Config)},
		{"300 policies, 5000 admins", synth.Generate(synth.Options{Users: 10000, Groups: 500, Policies: 300, Admins: 5000, Seed: 1}), []byte(synth.Config)},
	}
	for _, tt := range tenants {
		dir := b.TempDir()
		snapPath, confPath, scubaPath := filepath.Join(dir, "snapshot.json"), filepath.Join(dir, "posture.yaml"), filepath.Join(dir, "scubagear.json")
		snap, err := snapshot.Parse(tt.name, tt.snapshot)
		if err != nil {
			b.Fatal(err)
		}
		scuba, err := json.Marshal(scubaInput(snap))
		if err != nil {
			b.Fatal(err)
		}
		for path, data := range map[string][]byte{snapPath: tt.snapshot, confPath: tt.conf, scubaPath: scuba} {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(tt.name, func(b *testing.B) {
			var posture, all, scubagear time.Duration
			n := 0
			for b.Loop() {
				posture += run(b, bin, "check", "--snapshot", snapPath, "--config", confPath, "--baseline", "azure-ad", "--format", "json").wall
				scubagear += run(b, opa, "eval", "data.aad.tests", "-i", scubaPath,
					"-d", filepath.Join(regoDir, "AADConfig.rego"), "-d", filepath.Join(regoDir, "Utils"), "-f", "values").wall
				// The generated tenants hold no Exchange or Intune data: their rules cannot be
				// verified, which is exit code 2.
				all += runExits(b, []int{1, 2}, bin, "check", "--snapshot", snapPath, "--config", confPath, "--format", "json").wall
				n++
			}
			b.ReportMetric(posture.Seconds()/float64(n), "posture-s")
			b.ReportMetric(scubagear.Seconds()/float64(n), "scubagear-s")
			b.ReportMetric(posture.Seconds()/scubagear.Seconds(), "posture/scubagear")
			b.ReportMetric(all.Seconds()/float64(n), "posture-all-s")
		})
	}
}

// BenchmarkCheckLarge runs `posture check` (every baseline) on the 100,000-user tenant of the
// golden results (about 100 MB) against a program that only decodes the same file with
// encoding/json into an `any`, and reports time and peak memory (the process's maximum resident
// set size) of each and posture's as multiples of the decoder's (target: 1.5 or less for both).
func BenchmarkCheckLarge(b *testing.B) {
	bin, floor := buildPosture(b), buildDecoder(b)
	dir := b.TempDir()
	snapPath, confPath, out := filepath.Join(dir, "snapshot.json"), filepath.Join(dir, "posture.yaml"), filepath.Join(dir, "result.json")
	if err := os.WriteFile(snapPath, synth.Generate(largeTenant), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(confPath, []byte(synth.Config), 0o644); err != nil {
		b.Fatal(err)
	}
	var posture, decode measured
	n := 0
	for b.Loop() {
		posture = posture.add(run(b, bin, "check", "--snapshot", snapPath, "--config", confPath, "--format", "json", "--output", out))
		decode = decode.add(run(b, floor, snapPath))
		n++
	}
	b.ReportMetric(posture.wall.Seconds()/float64(n), "posture-s")
	b.ReportMetric(decode.wall.Seconds()/float64(n), "decode-s")
	b.ReportMetric(posture.wall.Seconds()/decode.wall.Seconds(), "time-ratio")
	b.ReportMetric(float64(posture.maxRSS)/1e6, "posture-MB")
	b.ReportMetric(float64(decode.maxRSS)/1e6, "decode-MB")
	b.ReportMetric(float64(posture.maxRSS)/float64(decode.maxRSS), "memory-ratio")
}

// measured is what running a process cost: wall time, and the largest resident set size seen.
type measured struct {
	wall   time.Duration
	maxRSS int64 // bytes
}

func (m measured) add(o measured) measured {
	return measured{wall: m.wall + o.wall, maxRSS: max(m.maxRSS, o.maxRSS)}
}

// run runs a program to its end with its output discarded; posture's exit code 1 (a gate
// that failed) counts as success.
func run(b *testing.B, name string, args ...string) measured {
	b.Helper()
	return runExits(b, []int{1}, name, args...)
}

// runExits is run, with the exit codes besides 0 that count as success.
func runExits(b *testing.B, exits []int, name string, args ...string) measured {
	b.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && slices.Contains(exits, exit.ExitCode())) {
		b.Fatalf("%s %v: %v\n%s", name, args, err, stderr.Bytes())
	}
	return measured{wall: wall, maxRSS: maxRSS(cmd.ProcessState)}
}

// maxRSS is a finished process's peak resident set size in bytes: getrusage's ru_maxrss,
// which Linux counts in kilobytes and macOS in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}

// buildPosture builds the posture binary into a temporary directory.
func buildPosture(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "posture")
	goBuild(b, "", bin, "github.com/m365posture/posture/cmd/posture")
	return bin
}

// decoderSource is the floor of BenchmarkCheckLarge: read the file, decode it into an any.
const decoderSource = `package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
`

// buildDecoder builds decoderSource as a module of its own in a temporary directory.
func buildDecoder(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module decoder\n\ngo 1.26\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(decoderSource), 0o644); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(dir, "decoder")
	goBuild(b, dir, bin, ".")
	return bin
}

func goBuild(b *testing.B, dir, out, pkg string) {
	b.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
}
