package licensing

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// microsoftRows parses microsoft-rows.md as committed.
func microsoftRows(t *testing.T) *Table {
	t.Helper()
	raw, err := os.ReadFile(rowsFile)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := ParseMicrosoftRows(rowsFile, raw)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestMicrosoftRows checks the committed table against the rows copied from Microsoft's page:
// every product they hold is in the table with the same String_Id, product name and service
// plans (names and ids).
func TestMicrosoftRows(t *testing.T) {
	ms := microsoftRows(t)
	if want := "MicrosoftDocs/entra-docs docs/identity/users/licensing-service-plan-reference.md at commit 067a0c7b0bb2091db6379c757c7aca0bc4f89d4a"; ms.Source != want || ms.Date != "2025-10-29" {
		t.Errorf("rows from %q dated %q, want %q dated 2025-10-29", ms.Source, ms.Date, want)
	}
	if emb, err := LoadMicrosoftRows(); err != nil || len(emb.Products()) != len(ms.Products()) {
		t.Errorf("embedded rows: %v, %d products; want the %d of %s", err, len(emb.Products()), len(ms.Products()), rowsFile)
	}
	for _, p := range load(t).Verify(ms) {
		t.Errorf("%s differs from Microsoft's page (%s): %s", tableFile, rowsFile, p)
	}
	// The check is only as good as the rows it saw.
	if n := len(ms.Products()); n < 20 {
		t.Errorf("%d products in %s; expected every product posture relies on", n, rowsFile)
	}
}

// A small committed table and rows of Microsoft's page for the tests below.
const (
	testCSV = "# source: test\n# date: 2025-10-29\n" +
		"Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id\n" +
		"Product A,PART_A,aaaaaaaa-0000-4000-8000-000000000001,PLAN_1,11111111-0000-4000-8000-000000000001\n" +
		"Product A,PART_A,aaaaaaaa-0000-4000-8000-000000000001,PLAN_2,11111111-0000-4000-8000-000000000002\n" +
		"Product B,PART_B,bbbbbbbb-0000-4000-8000-000000000002,PLAN_1,11111111-0000-4000-8000-000000000001\n" +
		"Product C,PART_C,cccccccc-0000-4000-8000-000000000003,PLAN_3,11111111-0000-4000-8000-000000000003\n"
	testRowsHead = "Rows copied verbatim from Owner/repo docs/page.md at commit 067a0c7b0bb2091db6379c757c7aca0bc4f89d4a (ms.date: 10/29/2025), a test.\n\n" +
		"| Product name | String ID | GUID | Service plans included | Service plans included (friendly names) |\n| --- | --- | --- |--- | --- |\n"
	rowA = "| Product A |\tPART_A | AAAAAAAA-0000-4000-8000-000000000001 | PLAN_1 (11111111-0000-4000-8000-000000000001)<br/>PLAN_2 (11111111-0000-4000-8000-000000000002) | x |\n"
	rowB = "| Product B | PART_B | bbbbbbbb-0000-4000-8000-000000000002 | PLAN_1 (11111111-0000-4000-8000-000000000001) | x |\n"
)

func testTable(t *testing.T) *Table {
	t.Helper()
	tab, err := Parse("t.csv", []byte(testCSV))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestParseMicrosoftRows checks the source line is read and a file not in the form is refused
// with one line naming the file.
func TestParseMicrosoftRows(t *testing.T) {
	ms, err := ParseMicrosoftRows("r.md", []byte(testRowsHead+rowA+rowB))
	if err != nil {
		t.Fatal(err)
	}
	if ms.Source != "Owner/repo docs/page.md at commit 067a0c7b0bb2091db6379c757c7aca0bc4f89d4a" || ms.Date != "2025-10-29" {
		t.Errorf("source %q date %q", ms.Source, ms.Date)
	}
	if got := len(ms.Products()); got != 2 {
		t.Errorf("%d products, want 2", got)
	}
	tests := []struct{ name, in, want string }{
		{"no source line", "Rows from somewhere.\n\n" + testRowsHead[strings.Index(testRowsHead, "|"):] + rowA, `r.md:1: "Rows from somewhere."; expected "Rows copied verbatim from REPO PATH at commit SHA (ms.date: MM/DD/YYYY)"`},
		{"short commit", strings.Replace(testRowsHead, "067a0c7b0bb2091db6379c757c7aca0bc4f89d4a", "067a0c7b", 1) + rowA, "r.md:1: "},
		{"a product in two rows", testRowsHead + rowA + rowB + rowA, "r.md: 3 rows for 2 products; expected one row per product"},
		{"a row it cannot read", testRowsHead + "| Product A | PART_A | AAAAAAAA-0000-4000-8000-000000000001 | PLAN_1 | x |\n", `r.md:5: service plan "PLAN_1" of PART_A; expected NAME (GUID)`},
		{"no rows", testRowsHead, "r.md: no rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMicrosoftRows("r.md", []byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %v, want one line starting %q", err, tt.want)
			}
		})
	}
}

// TestVerify feeds Verify each kind of difference between a copy and Microsoft's page.
func TestVerify(t *testing.T) {
	tests := []struct {
		name, rows string
		want       []string
	}{
		{"agree", rowA + rowB, nil},
		{"product name", strings.Replace(rowA, "Product A", "Product A (renamed)", 1) + rowB,
			[]string{`PART_A aaaaaaaa-0000-4000-8000-000000000001: product name "Product A" in the table, "Product A (renamed)" on Microsoft's page`}},
		{"String_Id", strings.Replace(rowB, "PART_B", "PART_B2", 1),
			[]string{"PART_B2 bbbbbbbb-0000-4000-8000-000000000002: String_Id PART_B in the table, PART_B2 on Microsoft's page"}},
		{"plan only on the page", rowA + "| Product B | PART_B | bbbbbbbb-0000-4000-8000-000000000002 | PLAN_1 (11111111-0000-4000-8000-000000000001)<br/>PLAN_3 (11111111-0000-4000-8000-000000000003) | x |\n",
			[]string{"PART_B bbbbbbbb-0000-4000-8000-000000000002: service plan PLAN_3 11111111-0000-4000-8000-000000000003 on Microsoft's page, not in the table"}},
		{"plan only in the table", "| Product A | PART_A | aaaaaaaa-0000-4000-8000-000000000001 | PLAN_1 (11111111-0000-4000-8000-000000000001) | x |\n",
			[]string{"PART_A aaaaaaaa-0000-4000-8000-000000000001: service plan PLAN_2 11111111-0000-4000-8000-000000000002 in the table, not on Microsoft's page"}},
		{"plan id", strings.Replace(rowB, "11111111-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000009", 1), []string{
			"PART_B bbbbbbbb-0000-4000-8000-000000000002: service plan PLAN_1 11111111-0000-4000-8000-000000000001 in the table, not on Microsoft's page",
			"PART_B bbbbbbbb-0000-4000-8000-000000000002: service plan PLAN_1 11111111-0000-4000-8000-000000000009 on Microsoft's page, not in the table"}},
		{"product missing", "| Product D | PART_D | dddddddd-0000-4000-8000-000000000004 | PLAN_1 (11111111-0000-4000-8000-000000000001) | x |\n",
			[]string{`PART_D dddddddd-0000-4000-8000-000000000004 ("Product D"): not in the table; Microsoft's page lists it`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := ParseMicrosoftRows("r.md", []byte(testRowsHead+tt.rows))
			if err != nil {
				t.Fatal(err)
			}
			if got := testTable(t).Verify(ms); !slices.Equal(got, tt.want) {
				t.Errorf("Verify =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestOverride checks Microsoft's rows replace the copy's rows of the same product in place,
// a product the copy lacks is added at the end, and the rest is untouched.
func TestOverride(t *testing.T) {
	rows := strings.Replace(rowA, "PLAN_2 (11111111-0000-4000-8000-000000000002)", "PLAN_4 (11111111-0000-4000-8000-000000000004)", 1) +
		"| Product D | PART_D | dddddddd-0000-4000-8000-000000000004 | PLAN_1 (11111111-0000-4000-8000-000000000001) | x |\n"
	ms, err := ParseMicrosoftRows("r.md", []byte(testRowsHead+rows))
	if err != nil {
		t.Fatal(err)
	}
	tab := testTable(t)
	got, err := tab.Override(ms)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := got.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := header + "# source: test\n# date: 2025-10-29\n" + strings.Join(Columns, ",") + "\n" +
		"Product A,PART_A,aaaaaaaa-0000-4000-8000-000000000001,PLAN_1,11111111-0000-4000-8000-000000000001\n" +
		"Product A,PART_A,aaaaaaaa-0000-4000-8000-000000000001,PLAN_4,11111111-0000-4000-8000-000000000004\n" +
		"Product B,PART_B,bbbbbbbb-0000-4000-8000-000000000002,PLAN_1,11111111-0000-4000-8000-000000000001\n" +
		"Product C,PART_C,cccccccc-0000-4000-8000-000000000003,PLAN_3,11111111-0000-4000-8000-000000000003\n" +
		"Product D,PART_D,dddddddd-0000-4000-8000-000000000004,PLAN_1,11111111-0000-4000-8000-000000000001\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if v := got.Verify(ms); len(v) != 0 {
		t.Errorf("after Override, Verify = %q", v)
	}
	if v := tab.Verify(ms); len(v) == 0 {
		t.Error("Override changed the table it was called on")
	}
}
