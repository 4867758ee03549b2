package diff

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// Options say how a snapshot side is evaluated; a result side is used as it is.
type Options struct {
	ConfigPath string   // the org config; "" for none
	Baselines  []string // empty: the config's, else all
	PolicyDirs []string // org policy directories in addition to the config's
	Now        time.Time
}

// Files reads the inputs at oldPath and newPath, evaluates a snapshot side with check.Run,
// and compares them. It refuses two different tenants: a diff follows one tenant over time.
func Files(ctx context.Context, oldPath, newPath string, o Options) (*Diff, error) {
	old, err := Read(oldPath)
	if err != nil {
		return nil, err
	}
	new, err := Read(newPath)
	if err != nil {
		return nil, err
	}
	if err := sameTenant(old, new); err != nil {
		return nil, err
	}
	var warnings []string
	for _, in := range []*Input{old, new} {
		if err := in.evaluate(ctx, o); err != nil {
			return nil, err
		}
		if in.Snapshot != nil {
			for _, w := range in.Result.Warnings {
				warnings = append(warnings, in.File+": "+w)
			}
		}
	}
	d := Compare(old, new)
	d.Warnings = warnings
	return d, nil
}

// Read loads a snapshot or a result, telling them apart by content: a result has "findings"
// and "snapshot", a snapshot "sources" or "tenant". A snapshot's Result is nil until it is
// evaluated.
func Read(path string) (*Input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // PowerShell writes a BOM
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		if _, perr := snapshot.Parse(path, data); perr != nil {
			return nil, perr // placed at line and column
		}
		return nil, fmt.Errorf("%s: not a JSON object: %v", path, err)
	}
	_, findings := probe["findings"]
	_, ref := probe["snapshot"]
	_, sources := probe["sources"]
	_, tenant := probe["tenant"]
	switch {
	case findings && ref:
		r, err := result.Parse(path, body)
		if err != nil {
			return nil, err
		}
		return &Input{File: path, Result: r}, nil
	case sources || tenant:
		s, err := snapshot.Parse(path, data)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		s.SHA256 = hex.EncodeToString(sum[:])
		return &Input{File: path, Snapshot: s}, nil
	}
	return nil, fmt.Errorf("%s: neither a posture snapshot (sources, tenant) nor a result (findings, snapshot)", path)
}

// evaluate runs the rules on a snapshot side; a result side is left as it is.
func (in *Input) evaluate(ctx context.Context, o Options) error {
	if in.Result != nil {
		return nil
	}
	r, _, err := check.Run(ctx, check.Options{SnapshotPath: in.File, ConfigPath: o.ConfigPath, Baselines: o.Baselines, PolicyDirs: o.PolicyDirs, Now: o.Now})
	if err != nil {
		return fmt.Errorf("evaluate %s: %w", in.File, err)
	}
	in.Result = r
	return nil
}

// sameTenant refuses inputs from two tenants.
func sameTenant(old, new *Input) error {
	ot, nt := tenantOf(old), tenantOf(new)
	if ot.ID == "" || nt.ID == "" || strings.EqualFold(ot.ID, nt.ID) {
		return nil
	}
	return fmt.Errorf("%s: tenant %s (%s) is not %s's tenant %s (%s); diff compares one tenant over time",
		new.File, nt.ID, nt.DefaultDomain, old.File, ot.ID, ot.DefaultDomain)
}

func tenantOf(in *Input) result.Tenant {
	if in.Snapshot != nil {
		t := in.Snapshot.Tenant
		return result.Tenant{ID: t.ID, DisplayName: t.DisplayName, DefaultDomain: t.DefaultDomain, Cloud: t.Cloud}
	}
	return in.Result.Snapshot.Tenant
}
