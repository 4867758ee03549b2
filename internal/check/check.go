// Package check runs posture's main job: load a snapshot and the org config, evaluate the
// rules, and return the result for rendering and gating.
package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	catalog "github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/score"
	"github.com/m365posture/posture/internal/snapshot"
)

// Options say what to check.
type Options struct {
	SnapshotPath string // a snapshot file
	Demo         bool   // use the demo tenant embedded in the binary (and its config, unless ConfigPath is set)
	ConfigPath   string // the org config; "" for none
	Baselines    []string
	PolicyDirs   []string  // org policy directories in addition to the config's
	Now          time.Time // zero: the current time
	// Timeout bounds compiling and evaluating the rules; zero means no limit. An evaluation it
	// ends is an *engine.StoppedError naming the rules still running.
	Timeout time.Duration
	// TuneGC lets Run set the process's garbage collector target (debug.SetGCPercent and
	// SetMemoryLimit) for the tenant's size, for the rest of the process, unless the GOGC or
	// GOMEMLIMIT environment variable is set: for a command that runs one check per process.
	TuneGC bool
}

// Run evaluates one snapshot and returns its result and the config that applied. The rules
// compile while the snapshot loads: on a large tenant reading the file takes longer than
// compiling, and on a small one the two share the processors.
func Run(ctx context.Context, o Options) (*result.Result, *config.Config, error) {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	tune := o.TuneGC && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""
	if tune {
		// The collector runs only once the heap nears a limit: a small tenant's check allocates
		// little more than its start-up (parsing and compiling the rules), whose garbage the
		// collector would spend a tenth of the time on, and does not reach it; a large tenant's
		// fills the heap, and the collector then keeps it near the limit instead of marking
		// the tenant over and over as it grows. The limit stays within the memory the process
		// may use (a container's limit included).
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(capLimit(heapLimit(snapshotSize(o)), memoryAvailable()))
	}
	type compiled struct {
		eng *engine.Engine
		err error
	}
	// The Secure Score catalog is read beside the rest, for the score once the rules are done.
	type scoreCatalog struct {
		cat *catalog.Catalog
		err error
	}
	reading := make(chan scoreCatalog, 1)
	go func() {
		cat, err := catalog.LoadCatalog()
		reading <- scoreCatalog{cat, err}
	}()
	cfg, cfgErr := loadConfig(o)
	var compiling chan compiled
	if cfgErr == nil {
		compiling = make(chan compiled, 1)
		go func() {
			baselines := o.Baselines
			if len(baselines) == 0 {
				baselines = cfg.Baselines
			}
			eng, err := engine.New(ctx, engine.Options{PolicyDirs: append(append([]string{}, cfg.Policies...), o.PolicyDirs...), Baselines: baselines})
			compiling <- compiled{eng, err}
		}()
	}
	snap, err := loadSnapshot(o)
	if err != nil {
		return nil, nil, err
	}
	if cfgErr != nil {
		return nil, nil, cfgErr
	}
	if err := sameTenant(cfg, snap); err != nil {
		return nil, nil, err
	}
	// Nothing reads the tenant's large collections after this, so the engine takes them over
	// and the tenant is held once; they are made ready while the rules may still compile.
	in, err := engine.Consume(ctx, snap)
	if err != nil {
		return nil, nil, err
	}
	c := <-compiling
	if c.err != nil {
		return nil, nil, c.err
	}
	res, err := c.eng.EvaluateInput(ctx, in, cfg, engine.EvalOptions{Now: o.Now})
	if err != nil {
		return nil, nil, err
	}
	sc := <-reading
	if sc.err != nil {
		return nil, nil, sc.err
	}
	cat := sc.cat
	if res.Score, err = score.Compute(snap, res.Findings, cat); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", snapshotName(o), err)
	}
	return res, cfg, nil
}

// heapLimit is the heap a check of a snapshot of size bytes may reach before the collector
// runs: 256 MiB and 16 times the snapshot, up to 512 MiB (the demo tenant's check peaks near
// 60 MB), and for a large snapshot 7.5 times its size. A 100,000-user tenant (95 MB of JSON,
// 0.37 GB of OPA values) is checked within that without a collection: its tenant, derived
// indexes, compiled rules and their garbage, and one evaluation take about 6.9 times the file.
// Each collection marks the whole tenant (0.3 s of CPU on that tenant), and a limit at 6.5
// times made three of them. Decoding the file into Go values takes about 5.4 times its size,
// so the peak, at most the limit and the program, stays below 1.45 times that.
func heapLimit(size int64) int64 {
	return max(min(256<<20+16*size, 512<<20), size*15/2)
}

// snapshotSize is the size of the snapshot file o names, or 0 when it is not known yet.
func snapshotSize(o Options) int64 {
	if o.Demo {
		return int64(len(demo.Snapshot))
	}
	info, err := os.Stat(o.SnapshotPath)
	if err != nil {
		return 0 // loadSnapshot reports it
	}
	return info.Size()
}

func snapshotName(o Options) string {
	if o.Demo {
		return "demo tenant"
	}
	return o.SnapshotPath
}

func loadSnapshot(o Options) (*snapshot.Snapshot, error) {
	switch {
	case o.Demo && o.SnapshotPath != "":
		return nil, fmt.Errorf("--demo and --snapshot exclude each other")
	case o.Demo:
		s, err := snapshot.Parse("demo tenant", demo.Snapshot)
		if err != nil {
			return nil, fmt.Errorf("embedded demo tenant: %w", err)
		}
		sum := sha256.Sum256(demo.Snapshot)
		s.SHA256 = hex.EncodeToString(sum[:])
		return s, nil
	case o.SnapshotPath == "":
		return nil, fmt.Errorf("no snapshot: give --snapshot FILE (from `posture collect`), or --demo")
	}
	// The large collections are decoded on every processor straight into what the rules read.
	return snapshot.LoadWith(o.SnapshotPath, engine.SnapshotBuilder())
}

func loadConfig(o Options) (*config.Config, error) {
	switch {
	case o.ConfigPath != "":
		return config.Load(o.ConfigPath)
	case o.Demo:
		return config.Parse(demo.ConfigPath, demo.Config, ".")
	}
	return config.Default(), nil
}

// sameTenant refuses to apply one tenant's config (break-glass accounts, exceptions) to
// another tenant's snapshot.
func sameTenant(cfg *config.Config, snap *snapshot.Snapshot) error {
	want := strings.ToLower(cfg.Tenant)
	if want == "" {
		return nil
	}
	if want == strings.ToLower(snap.Tenant.ID) || want == strings.ToLower(snap.Tenant.DefaultDomain) {
		return nil
	}
	if domains, ok := snap.Entra["domains"].([]any); ok {
		for _, d := range domains {
			if m, ok := d.(map[string]any); ok && strings.EqualFold(fmt.Sprint(m["id"]), want) {
				return nil
			}
		}
	}
	return fmt.Errorf("%s: tenant %q does not match the snapshot's tenant %s (%s); use the config written for this tenant",
		cfg.Path, cfg.Tenant, snap.Tenant.ID, snap.Tenant.DefaultDomain)
}
