// Package licensing is Microsoft's table of products and the service plans they contain.
package licensing

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// tableFile is the committed table: Microsoft's "Product names and service plan identifiers for
// licensing" table trimmed to columns (see header, ConvertMarkdown and Convert).
const tableFile = "serviceplans.csv"

//go:embed serviceplans.csv
var embedded []byte

// Columns are the columns of Microsoft's CSV that the committed table keeps, with Microsoft's
// own names and in Microsoft's order; the sixth, the friendly names of the service plans, is
// left out.
var Columns = []string{"Product_Display_Name", "String_Id", "GUID", "Service_Plan_Name", "Service_Plan_Id"}

// header is the fixed part of the table's comment header; the source and date lines follow it.
const header = `# Microsoft's "Product names and service plan identifiers for licensing"
# (https://learn.microsoft.com/en-us/entra/identity/users/licensing-service-plan-reference):
# the page's product table (its Markdown in MicrosoftDocs/entra-docs) or the CSV it links to,
# trimmed to five columns (the service plans' friendly names are left out), whitespace around a
# cell removed, rows in Microsoft's order. One row per product and service plan it contains.
# "source" says where the copy came from, "date" is the day it was taken or last updated.
# Every product in microsoft-rows.md (rows copied verbatim from the page's Markdown) has the rows
# Microsoft's page gives it there, whatever the copy said: the page wins (TestMicrosoftRows).
# Generated, do not edit by hand:
#   go test ./baselines/licensing -run TestTableIsCanonical -args -microsoft-md=FILE -source=TEXT -date=YYYY-MM-DD
#   (or -microsoft-csv=FILE for the CSV)
`

var guidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Plan is a service plan: the name and id subscribedSkus[].servicePlans[] carry as
// servicePlanName and servicePlanId.
type Plan struct {
	Name string
	ID   string
}

// Product is a licence a tenant buys: a SKU with the service plans it contains.
type Product struct {
	Name       string // Product_Display_Name, e.g. Microsoft 365 E5
	PartNumber string // String_Id, subscribedSkus[].skuPartNumber, e.g. SPE_E5
	SkuID      string // GUID, subscribedSkus[].skuId
	Plans      []Plan // in Microsoft's order
}

// Contains reports whether the product includes the service plan with the given name.
func (p Product) Contains(planName string) bool {
	return slices.ContainsFunc(p.Plans, func(pl Plan) bool { return pl.Name == planName })
}

// Table is Microsoft's product and service plan table.
type Table struct {
	// Source says where the rows came from and Date the day the copy of Microsoft's table was
	// taken (the table's "# source:" and "# date:" lines).
	Source, Date string

	rows       [][]string // the data rows, for Write
	products   []Product  // in order of first appearance
	byPart     map[string][]int
	bySku      map[string]int
	planIDs    map[string][]string // service plan name -> ids
	planNames  map[string][]string // service plan id -> names
	seenPlanID map[[2]string]bool  // name, id pairs
}

// Load parses the embedded table.
func Load() (*Table, error) {
	return Parse(tableFile, embedded)
}

// ProductByPartNumber returns the products with the given String_Id (skuPartNumber). Microsoft
// lists a few part numbers under more than one SKU id.
func (t *Table) ProductByPartNumber(part string) []Product {
	var out []Product
	for _, i := range t.byPart[part] {
		out = append(out, t.products[i])
	}
	return out
}

// ProductBySkuID returns the product with the given GUID (skuId).
func (t *Table) ProductBySkuID(id string) (Product, bool) {
	i, ok := t.bySku[id]
	if !ok {
		return Product{}, false
	}
	return t.products[i], true
}

// Products returns every product, in order of first appearance.
func (t *Table) Products() []Product { return slices.Clone(t.products) }

// PlanIDs returns the ids Microsoft lists for a service plan name (one, but for a few of
// Microsoft's own inconsistencies).
func (t *Table) PlanIDs(name string) []string { return slices.Clone(t.planIDs[name]) }

// PlanNames returns the names Microsoft lists for a service plan id.
func (t *Table) PlanNames(id string) []string { return slices.Clone(t.planNames[id]) }

// HasPlan reports whether Microsoft lists a service plan with this name and this id.
func (t *Table) HasPlan(name, id string) bool { return t.seenPlanID[[2]string{name, id}] }

// ProductsWith returns the products that contain the service plan with the given name.
func (t *Table) ProductsWith(planName string) []Product {
	var out []Product
	for _, p := range t.products {
		if p.Contains(planName) {
			out = append(out, p)
		}
	}
	return out
}

// Parse reads a table in the committed form: "#" comment lines (with "# source:" and
// "# date:"), the header row of Columns, then data rows. name is used in errors.
func Parse(name string, data []byte) (*Table, error) {
	t := newTable()
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		if v, ok := strings.CutPrefix(line, "# source: "); ok {
			t.Source = v
		}
		if v, ok := strings.CutPrefix(line, "# date: "); ok {
			t.Date = v
		}
	}
	if t.Source == "" || t.Date == "" {
		return nil, fmt.Errorf("%s: no \"# source:\" or \"# date:\" line; expected both in the comment header", name)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = len(Columns)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	if !slices.Equal(head, Columns) {
		return nil, fmt.Errorf("%s: header %s; expected %s", name, strings.Join(head, ","), strings.Join(Columns, ","))
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if err := t.add(row); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if len(t.products) == 0 {
		return nil, fmt.Errorf("%s: no rows; expected one row per product and service plan", name)
	}
	return t, nil
}

func newTable() *Table {
	return &Table{byPart: map[string][]int{}, bySku: map[string]int{}, planIDs: map[string][]string{},
		planNames: map[string][]string{}, seenPlanID: map[[2]string]bool{}}
}

// add checks one data row and indexes it.
func (t *Table) add(row []string) error {
	for i, v := range row {
		if v == "" || v != strings.TrimSpace(v) {
			return fmt.Errorf("%s %q; expected a value without surrounding whitespace", Columns[i], v)
		}
	}
	prodName, part, sku, planName, planID := row[0], row[1], row[2], row[3], row[4]
	for _, c := range [][2]string{{"GUID", sku}, {"Service_Plan_Id", planID}} {
		if !guidPattern.MatchString(c[1]) {
			return fmt.Errorf("%s %q; expected a lowercase GUID", c[0], c[1])
		}
	}
	i, ok := t.bySku[sku]
	if !ok {
		i = len(t.products)
		t.products = append(t.products, Product{Name: prodName, PartNumber: part, SkuID: sku})
		t.bySku[sku] = i
		t.byPart[part] = append(t.byPart[part], i)
	} else if p := t.products[i]; p.PartNumber != part {
		return fmt.Errorf("GUID %s is %s here but %s above; expected one String_Id per GUID", sku, part, p.PartNumber)
	}
	t.rows = append(t.rows, row)
	p := &t.products[i]
	if !p.Contains(planName) {
		p.Plans = append(p.Plans, Plan{Name: planName, ID: planID})
	}
	key := [2]string{planName, planID}
	if !t.seenPlanID[key] {
		t.seenPlanID[key] = true
		t.planIDs[planName] = append(t.planIDs[planName], planID)
		t.planNames[planID] = append(t.planNames[planID], planName)
	}
	return nil
}

// Write writes the table in its committed form.
func (t *Table) Write(w io.Writer) error {
	return write(w, t.Source, t.Date, t.rows)
}

func write(w io.Writer, source, date string, rows [][]string) error {
	if strings.ContainsAny(source+date, "\r\n") {
		return errors.New("write service plan table: source and date must be one line each")
	}
	var b bytes.Buffer
	b.WriteString(header)
	fmt.Fprintf(&b, "# source: %s\n# date: %s\n", source, date)
	cw := csv.NewWriter(&b)
	if err := cw.Write(Columns); err != nil {
		return fmt.Errorf("write service plan table: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write service plan table: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write service plan table: %w", err)
	}
	return nil
}

// Convert reads Microsoft's CSV as downloaded from the licensing reference page (a UTF-8 byte
// order mark, Microsoft's header with six columns) and writes the committed form: the first
// five columns, each cell trimmed of surrounding whitespace, rows in Microsoft's order, the
// comment header naming source and date. It refuses a file that is not Microsoft's table.
func Convert(name string, r io.Reader, w io.Writer, source, date string) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: read header: %w", name, err)
	}
	want := append(slices.Clone(Columns), "Service_Plans_Included_Friendly_Names")
	if !slices.Equal(head, want) {
		return fmt.Errorf("%s: header %s; expected Microsoft's %s", name, strings.Join(head, ","), strings.Join(want, ","))
	}
	// Every row is checked as Parse checks it, so a bad source never reaches the committed
	// table; errors name the line of Microsoft's file.
	t := newTable()
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out := make([]string, len(Columns))
		for i := range out {
			out[i] = strings.TrimSpace(row[i])
		}
		line, _ := cr.FieldPos(0)
		if err := t.add(out); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	return t.writeConverted(name, w, source, date)
}

// writeConverted writes a table Convert or ConvertMarkdown built, refusing an empty one.
func (t *Table) writeConverted(name string, w io.Writer, source, date string) error {
	if len(t.rows) == 0 {
		return fmt.Errorf("%s: no rows; expected one row per product and service plan", name)
	}
	var b bytes.Buffer
	if err := write(&b, source, date, t.rows); err != nil {
		return err
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write service plan table: %w", err)
	}
	return nil
}

// markdownHeader is the header row of the product table on Microsoft's page
// (MicrosoftDocs/entra-docs docs/identity/users/licensing-service-plan-reference.md), cells
// trimmed.
var markdownHeader = []string{"Product name", "String ID", "GUID", "Service plans included", "Service plans included (friendly names)"}

// planItem is one entry of a "Service plans included" cell: the plan's name, then its id in
// parentheses. The page is hand-edited: the space before the parenthesis is sometimes missing
// and a few names hold spaces, so the name is everything before the last parenthesised GUID.
var (
	planItem  = regexp.MustCompile(`^(.+?)\s*\(([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\)$`)
	lineBreak = regexp.MustCompile(`(?i)<br\s*/?>`)
)

// ConvertMarkdown reads the Markdown of Microsoft's page and writes the committed form, as
// Convert does from the CSV: one row per product and service plan of the page's product table
// (the first table with Microsoft's five-column header; the tables of mutually exclusive plans
// after it are not read), in the page's order. A cell is trimmed of spaces and tabs; the plans
// of the fourth column are split at <br/> and each read as "NAME (GUID)"; GUIDs are written in
// lower case, as the CSV and Graph give them; the friendly names are left out. It refuses a page
// without the table or a row it cannot read, naming the line.
func ConvertMarkdown(name string, r io.Reader, w io.Writer, source, date string) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	t, _, err := readMarkdown(name, data)
	if err != nil {
		return err
	}
	return t.writeConverted(name, w, source, date)
}

// readMarkdown reads the product table of Microsoft's page as ConvertMarkdown describes and
// returns it with the number of table rows read.
func readMarkdown(name string, data []byte) (*Table, int, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	start := -1
	for i, line := range lines {
		if cells, ok := markdownCells(line); ok && slices.Equal(cells, markdownHeader) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, 0, fmt.Errorf("%s: no table with the header %q; expected Microsoft's product table", name, "| "+strings.Join(markdownHeader, " | ")+" |")
	}
	if start+1 >= len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[start+1]), "| ---") {
		return nil, 0, fmt.Errorf("%s:%d: expected the table's separator row (| --- | ...) after its header", name, start+2)
	}
	t := newTable()
	n := 0
	for i := start + 2; i < len(lines); i++ {
		cells, ok := markdownCells(lines[i])
		if !ok {
			break // the table ends at the first line that is not a row
		}
		n++
		if len(cells) != len(markdownHeader) {
			return nil, 0, fmt.Errorf("%s:%d: %d cells; expected %d (%s)", name, i+1, len(cells), len(markdownHeader), strings.Join(markdownHeader, " | "))
		}
		for _, item := range lineBreak.Split(cells[3], -1) {
			item = strings.TrimSpace(item)
			m := planItem.FindStringSubmatch(item)
			if m == nil {
				return nil, 0, fmt.Errorf("%s:%d: service plan %q of %s; expected NAME (GUID)", name, i+1, item, cells[1])
			}
			row := []string{cells[0], cells[1], strings.ToLower(cells[2]), strings.TrimSpace(m[1]), strings.ToLower(m[2])}
			if err := t.add(row); err != nil {
				return nil, 0, fmt.Errorf("%s:%d: %w", name, i+1, err)
			}
		}
	}
	if len(t.rows) == 0 {
		return nil, 0, fmt.Errorf("%s: no rows; expected one row per product and service plan", name)
	}
	return t, n, nil
}

// markdownCells splits a Markdown table row into its trimmed cells; ok is false for a line
// that is not a row.
func markdownCells(line string) (cells []string, ok bool) {
	line = strings.TrimSpace(line)
	if len(line) < 2 || !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil, false
	}
	for _, c := range strings.Split(line[1:len(line)-1], "|") {
		cells = append(cells, strings.Trim(c, " \t"))
	}
	return cells, true
}
