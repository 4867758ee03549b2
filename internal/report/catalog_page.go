package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/ruledoc"
)

// RulePage is what one rule's page (docs/rules/<id>.md) is made of: the rule's METADATA, the
// examples its tests give, and the catalogs that name its framework controls and Secure Score
// controls.
type RulePage struct {
	Rule     engine.Rule
	Examples []ruledoc.Example
	// Frameworks and SecureScore give the titles of the controls the rule cites.
	Frameworks  []baselines.Framework
	SecureScore *baselines.Catalog
	// Root is the path from the page's directory to the repository root, for links to the
	// rule's files (docs/rules/ -> "../..").
	Root string
}

// rulePageSections are the sections of every rule page, in order; each is there even when it
// has nothing to say, so pages read alike.
var rulePageSections = []string{"Summary", "Why it matters", "How to fix", "Parameters", "Frameworks and Secure Score", "Examples", "References"}

// rulePage renders a RulePage as Markdown.
type rulePage struct{}

func (rulePage) Render(w io.Writer, p RulePage) error {
	r := p.Rule
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n**%s**\n\n", r.ID, r.Title)
	fmt.Fprintf(bw, "Generated from the rule's METADATA and tests; do not edit by hand (`go test ./cmd/posture -run TestRulePages -update` rewrites it). [All rules](../rules.md).\n")
	for _, s := range rulePageSections {
		fmt.Fprintf(bw, "\n## %s\n\n", s)
		var err error
		switch s {
		case "Summary":
			pageSummary(bw, p)
		case "Why it matters":
			fmt.Fprintf(bw, "%s\n", dash(r.Description))
		case "How to fix":
			fmt.Fprintf(bw, "%s\n", dash(r.Remediation))
		case "Parameters":
			err = pageParameters(bw, r)
		case "Frameworks and Secure Score":
			pageControls(bw, p)
		case "Examples":
			pageExamples(bw, p)
		case "References":
			pageReferences(bw, r)
		}
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}

func pageSummary(w io.Writer, p RulePage) {
	r := p.Rule
	fmt.Fprintf(w, "| | |\n|---|---|\n")
	fmt.Fprintf(w, "| Severity | %s |\n", r.Severity)
	fmt.Fprintf(w, "| Level | %s |\n", r.Level)
	fmt.Fprintf(w, "| Baselines | %s |\n", dash(strings.Join(r.Baselines, ", ")))
	fmt.Fprintf(w, "| Reads | %s |\n", dash(codeList(r.Requires)))
	fmt.Fprintf(w, "| Licence | %s |\n", dash(strings.Join(r.License, " or "))) // any one of the service plans suffices
	fmt.Fprintf(w, "| User impact | %s |\n", dash(r.UserImpact))
	fmt.Fprintf(w, "| Implementation cost | %s |\n", dash(r.ImplementationCost))
	fmt.Fprintf(w, "| Source | [`%s`](%s) |\n", r.File, path.Join(p.Root, r.File))
}

func pageParameters(w io.Writer, r engine.Rule) error {
	if len(r.Parameters) == 0 {
		fmt.Fprintf(w, "None.\n")
		return nil
	}
	fmt.Fprintf(w, "Set under `parameters:` in the config; the rule reads them as `data.posture.config.<name>`.\n\n")
	for _, prm := range r.Parameters {
		def := ""
		if prm.Default != nil {
			b, err := json.Marshal(prm.Default)
			if err != nil {
				return fmt.Errorf("rule %s: parameter %s: %w", r.ID, prm.Name, err)
			}
			def = fmt.Sprintf("; default `%s`", b)
		}
		fmt.Fprintf(w, "- `%s` (%s%s): %s\n", prm.Name, prm.Summary(), def, prm.Description)
	}
	return nil
}

// pageControls lists the framework controls and Secure Score controls the rule cites, with
// their titles and levels from the catalogs.
func pageControls(w io.Writer, p RulePage) {
	r := p.Rule
	var rows []string
	for _, name := range slices.Sorted(maps.Keys(r.Frameworks)) {
		fw := frameworkCatalog(p.Frameworks, name)
		for _, id := range r.Frameworks[name] {
			title, level := "not in posture's catalog of this framework", ""
			if fw != nil {
				if c, ok := fw.Control(id); ok {
					title, level = c.Title, c.Level
				}
			} else {
				title = "a framework posture has no catalog of"
			}
			rows = append(rows, fmt.Sprintf("| %s | `%s` | %s | %s |", name, id, mdCell(title), dash(level)))
		}
	}
	for _, id := range r.SecureScore {
		title := ""
		if p.SecureScore != nil {
			if c, ok := p.SecureScore.Control(id); ok {
				title = c.Title + " (points from the tenant's controlProfiles)"
				if m, ok := c.Max(); ok {
					title = fmt.Sprintf("%s (%s points)", c.Title, num(m))
				}
			}
		}
		rows = append(rows, fmt.Sprintf("| Secure Score | `%s` | %s | - |", id, mdCell(dash(title))))
	}
	if len(rows) == 0 {
		fmt.Fprintf(w, "None.\n")
		return
	}
	fmt.Fprintf(w, "| Framework | Control | Title | Level |\n|---|---|---|---|\n%s\n", strings.Join(rows, "\n"))
}

func frameworkCatalog(fws []baselines.Framework, id string) *baselines.Framework {
	for i := range fws {
		if fws[i].ID == id {
			return &fws[i]
		}
	}
	return nil
}

// outcomeHeading is the heading of an outcome's examples.
var outcomeHeading = map[ruledoc.Outcome]string{
	ruledoc.Fails:         "Fails",
	ruledoc.Warns:         "Warns",
	ruledoc.Passes:        "Passes",
	ruledoc.Errors:        "Cannot verify (error)",
	ruledoc.NotApplicable: "Not applicable",
}

// pageExamples lists the rule's tests by what they show, with a link to each test and the
// input it sets when that is short.
func pageExamples(w io.Writer, p RulePage) {
	if len(p.Examples) == 0 {
		fmt.Fprintf(w, "No test of this rule is named by the convention (`test_fails_when_...`, `test_passes_when_...`); see the rule's test file.\n")
		return
	}
	files := map[string]bool{}
	for _, e := range p.Examples {
		files[e.File] = true
	}
	var links []string
	for _, f := range slices.Sorted(maps.Keys(files)) {
		links = append(links, fmt.Sprintf("[`%s`](%s)", path.Base(f), path.Join(p.Root, f)))
	}
	fmt.Fprintf(w, "From the rule's tests (%s), each named for what it shows.\n", strings.Join(links, ", "))
	for _, o := range ruledoc.Outcomes {
		var exs []ruledoc.Example
		for _, e := range p.Examples {
			if e.Outcome == o {
				exs = append(exs, e)
			}
		}
		if len(exs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n### %s\n\n", outcomeHeading[o])
		for i, e := range exs {
			if i > 0 && len(exs[i-1].Inputs) > 0 {
				fmt.Fprintf(w, "\n") // a blank line after the previous example's input
			}
			fmt.Fprintf(w, "- %s ([`%s`](%s#L%d))\n", mdEscape(e.Text), e.Test, path.Join(p.Root, e.File), e.Line)
			if len(e.Inputs) > 0 {
				fmt.Fprintf(w, "\n  ```\n")
				for _, in := range e.Inputs {
					fmt.Fprintf(w, "  %s\n", in)
				}
				fmt.Fprintf(w, "  ```\n")
			}
		}
	}
}

func pageReferences(w io.Writer, r engine.Rule) {
	if len(r.References) == 0 {
		fmt.Fprintf(w, "None.\n")
		return
	}
	for _, ref := range r.References {
		text := ref.Description
		if text == "" {
			text = ref.URL
		}
		fmt.Fprintf(w, "- [%s](%s)\n", text, ref.URL)
	}
}
