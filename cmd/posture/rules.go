package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/m365posture/posture/internal/engine"
)

func runRules(ctx context.Context, args []string, e env) error {
	fs := newFlags("rules", "rules [flags]", e)
	var format string
	var baselines, policies []string
	fs.StringVarP(&format, "format", "f", "text", "output format: text|json|markdown")
	fs.StringSliceVarP(&baselines, "baseline", "b", nil, "only the rules of these baselines")
	fs.StringSliceVar(&policies, "policy", nil, "org policy `DIR` to include (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if format != "text" && format != "json" && format != "markdown" {
		return usageError{fmt.Errorf("--format %q; expected text, json or markdown", format)}
	}
	cat, err := engine.NewCatalog(ctx, engine.Options{PolicyDirs: policies})
	if err != nil {
		return err
	}
	if err := cat.CheckOrg(); err != nil {
		return err
	}
	rules, err := cat.Select(baselines)
	if err != nil {
		return usageError{err}
	}
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if rules == nil {
			rules = []engine.Rule{}
		}
		return enc.Encode(rules)
	}
	if format == "markdown" {
		return rulesMarkdown(e.stdout, rules)
	}
	return rulesText(e.stdout, rules)
}

func rulesText(w io.Writer, rules []engine.Rule) error {
	bw := bufio.NewWriter(w)
	for _, r := range rules {
		fmt.Fprintf(bw, "%s  %s\n", r.ID, r.Title)
		fmt.Fprintf(bw, "    %s, %s · baselines %s · Secure Score %s\n", r.Severity, r.Level,
			strings.Join(r.Baselines, ", "), dash(strings.Join(r.SecureScore, ", ")))
		fmt.Fprintf(bw, "    frameworks: %s\n", dash(frameworks(r)))
		fmt.Fprintf(bw, "    requires: %s\n", dash(strings.Join(r.Requires, ", ")))
	}
	fmt.Fprintf(bw, "\n%d rules\n", len(rules))
	return bw.Flush()
}

// frameworks lists a rule's framework ids as "cis_m365 1.1.3; cisa_scuba MS.AAD.7.1v1",
// leaving out frameworks the rule claims nothing of.
func frameworks(r engine.Rule) string {
	var fws []string
	for _, name := range sortedKeys(r.Frameworks) {
		if ids := r.Frameworks[name]; len(ids) > 0 {
			fws = append(fws, name+" "+strings.Join(ids, ", "))
		}
	}
	return strings.Join(fws, "; ")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
