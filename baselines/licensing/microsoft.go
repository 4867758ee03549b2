package licensing

import (
	_ "embed"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// rowsFile holds rows of Microsoft's page, copied verbatim from its Markdown: the row of every
// product posture relies on. The committed table is a third-party copy of Microsoft's CSV; these
// rows are what it is checked against (Verify), and what the generator takes for those products
// (Override), because the page is Microsoft's own word.
const rowsFile = "microsoft-rows.md"

//go:embed microsoft-rows.md
var embeddedRows []byte

// rowsSource is the start of rowsFile's first line: the repository, path and commit the rows
// were copied from, and the page's ms.date.
var rowsSource = regexp.MustCompile(`^Rows copied verbatim from (\S+) (\S+) at commit ([0-9a-f]{40}) \(ms\.date: (\d{2})/(\d{2})/(\d{4})\)`)

// LoadMicrosoftRows parses the embedded rows of Microsoft's page (microsoft-rows.md).
func LoadMicrosoftRows() (*Table, error) {
	return ParseMicrosoftRows(rowsFile, embeddedRows)
}

// ParseMicrosoftRows reads rows of Microsoft's page in the form of microsoft-rows.md: a first
// line "Rows copied verbatim from REPO PATH at commit SHA (ms.date: MM/DD/YYYY)...", then the
// page's product table header and rows, read as ConvertMarkdown reads them, each product in one
// row. The table's Source is "REPO PATH at commit SHA" and its Date the ms.date as YYYY-MM-DD.
func ParseMicrosoftRows(name string, data []byte) (*Table, error) {
	first, _, _ := strings.Cut(string(data), "\n")
	m := rowsSource.FindStringSubmatch(first)
	if m == nil {
		return nil, fmt.Errorf("%s:1: %q; expected \"Rows copied verbatim from REPO PATH at commit SHA (ms.date: MM/DD/YYYY)\"", name, first)
	}
	t, rows, err := readMarkdown(name, data)
	if err != nil {
		return nil, err
	}
	// A product in two rows would have its plans merged; the page gives each product one row.
	if rows != len(t.products) {
		return nil, fmt.Errorf("%s: %d rows for %d products; expected one row per product", name, rows, len(t.products))
	}
	t.Source = fmt.Sprintf("%s %s at commit %s", m[1], m[2], m[3])
	t.Date = m[6] + "-" + m[4] + "-" + m[5]
	return t, nil
}

// Verify compares the table with rows of Microsoft's page and returns, one line each, every
// difference for a product those rows hold: a product the table lacks, or whose String_Id or
// name differs, and each service plan (name and id) only one side lists.
func (t *Table) Verify(ms *Table) []string {
	var out []string
	for _, want := range ms.products {
		got, ok := t.ProductBySkuID(want.SkuID)
		if !ok {
			out = append(out, fmt.Sprintf("%s %s (%q): not in the table; Microsoft's page lists it", want.PartNumber, want.SkuID, want.Name))
			continue
		}
		if got.PartNumber != want.PartNumber {
			out = append(out, fmt.Sprintf("%s %s: String_Id %s in the table, %s on Microsoft's page", want.PartNumber, want.SkuID, got.PartNumber, want.PartNumber))
		}
		if got.Name != want.Name {
			out = append(out, fmt.Sprintf("%s %s: product name %q in the table, %q on Microsoft's page", want.PartNumber, want.SkuID, got.Name, want.Name))
		}
		have, page := planSet(got), planSet(want)
		for _, p := range slices.SortedFunc(maps.Keys(have), comparePlans) {
			if !page[p] {
				out = append(out, fmt.Sprintf("%s %s: service plan %s %s in the table, not on Microsoft's page", want.PartNumber, want.SkuID, p[0], p[1]))
			}
		}
		for _, p := range slices.SortedFunc(maps.Keys(page), comparePlans) {
			if !have[p] {
				out = append(out, fmt.Sprintf("%s %s: service plan %s %s on Microsoft's page, not in the table", want.PartNumber, want.SkuID, p[0], p[1]))
			}
		}
	}
	return out
}

// comparePlans orders service plans by name, then id.
func comparePlans(a, b [2]string) int {
	if c := strings.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return strings.Compare(a[1], b[1])
}

func planSet(p Product) map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, pl := range p.Plans {
		out[[2]string{pl.Name, pl.ID}] = true
	}
	return out
}

// Override returns a copy of the table in which every product the rows of Microsoft's page
// hold has exactly those rows, in the page's order, where the table had the product (at the
// end when it did not): Microsoft's page wins over a copy of its CSV.
func (t *Table) Override(ms *Table) (*Table, error) {
	msRows := map[string][][]string{}
	for _, row := range ms.rows {
		msRows[row[2]] = append(msRows[row[2]], row)
	}
	out := newTable()
	out.Source, out.Date = t.Source, t.Date
	done := map[string]bool{}
	add := func(rows ...[]string) error {
		for _, row := range rows {
			if err := out.add(slices.Clone(row)); err != nil {
				return fmt.Errorf("override with Microsoft's rows: %w", err)
			}
		}
		return nil
	}
	for _, row := range t.rows {
		sku := row[2]
		rows, ok := msRows[sku]
		if !ok {
			if err := add(row); err != nil {
				return nil, err
			}
			continue
		}
		if !done[sku] {
			done[sku] = true
			if err := add(rows...); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range ms.products {
		if !done[p.SkuID] {
			done[p.SkuID] = true
			if err := add(msRows[p.SkuID]...); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
