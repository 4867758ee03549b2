package main

import (
	"context"

	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/report"
)

// rulesOptions are what rules does: list the catalog, built-in and org rules.
type rulesOptions struct {
	format    string
	baselines []string
	policies  []string
}

func runRules(ctx context.Context, args []string, e env) error {
	o, err := rulesFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(ctx, e)
}

// rulesFlags reads rules' command line into its options.
func rulesFlags(args []string, e env) (*rulesOptions, error) {
	fs := newFlags("rules", "rules [flags]", e)
	var o rulesOptions
	addFormatFlag(fs, &o.format, report.Catalog.Names())
	fs.StringSliceVarP(&o.baselines, "baseline", "b", nil, "only the rules of these baselines")
	fs.StringSliceVar(&o.policies, "policy", nil, "org policy `DIR` to include (repeatable)")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return &o, nil
}

// run renders the rules of the selected baselines.
func (o *rulesOptions) run(ctx context.Context, e env) error {
	// The catalog comes from METADATA alone; only org policies are compiled, so a broken one
	// is still refused.
	cat, err := engine.NewCatalog(ctx, engine.Options{PolicyDirs: o.policies})
	if err != nil {
		return err
	}
	if err := cat.CheckOrg(); err != nil {
		return err
	}
	rules, err := cat.Select(o.baselines)
	if err != nil {
		return usageError{err}
	}
	r, err := report.Catalog.New(o.format, report.Options{})
	if err != nil {
		return err
	}
	return r.Render(e.stdout, rules)
}
