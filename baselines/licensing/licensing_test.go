package licensing

import (
	"bytes"
	"flag"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	microsoftCSV = flag.String("microsoft-csv", "", "regenerate serviceplans.csv from this copy of Microsoft's CSV")
	microsoftMD  = flag.String("microsoft-md", "", "regenerate serviceplans.csv from this copy of Microsoft's page in Markdown (MicrosoftDocs/entra-docs)")
	sourceFlag   = flag.String("source", "", "with -microsoft-md or -microsoft-csv: where the copy came from (one line)")
	dateFlag     = flag.String("date", "", "with -microsoft-md or -microsoft-csv: the day the copy was taken or last updated (YYYY-MM-DD)")
)

// TestTableIsCanonical checks the committed table reads and writes back byte for byte, so it is
// what ConvertMarkdown or Convert made and nobody edited it by hand. With -microsoft-md or
// -microsoft-csv it first regenerates it, giving the products of microsoft-rows.md the rows
// Microsoft's page gives them (Override).
func TestTableIsCanonical(t *testing.T) {
	if *microsoftMD != "" && *microsoftCSV != "" {
		t.Fatal("-microsoft-md and -microsoft-csv: give one source")
	}
	convert, from := ConvertMarkdown, *microsoftMD
	if *microsoftCSV != "" {
		convert, from = Convert, *microsoftCSV
	}
	if from != "" {
		if !datePattern.MatchString(*dateFlag) || strings.TrimSpace(*sourceFlag) == "" {
			t.Fatalf("-source %q -date %q: expected a source and a date YYYY-MM-DD", *sourceFlag, *dateFlag)
		}
		f, err := os.Open(from)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var b bytes.Buffer
		if err := convert(from, f, &b, *sourceFlag, *dateFlag); err != nil {
			t.Fatal(err)
		}
		// The products whose rows were copied from Microsoft's page take those rows.
		tab, err := Parse(from, b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		tab, err = tab.Override(microsoftRows(t))
		if err != nil {
			t.Fatal(err)
		}
		b.Reset()
		if err := tab.Write(&b); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(tableFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		embedded = b.Bytes()
	}
	raw, err := os.ReadFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Parse(tableFile, raw)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tab.Write(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), raw) {
		t.Errorf("%s does not write back as read: regenerate it with -microsoft-csv, never edit it by hand", tableFile)
	}
	if !strings.HasPrefix(string(raw), header) {
		t.Errorf("%s does not start with the generator's header", tableFile)
	}
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func load(t *testing.T) *Table {
	t.Helper()
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestProducts checks products the rules and the test tenants depend on, as Microsoft's page
// lists them (each is among microsoft-rows.md's rows): their SKU ids, and which security
// service plans each does and does not contain.
func TestProducts(t *testing.T) {
	tab := load(t)
	tests := []struct {
		part, sku, name string
		has, lacks      []string
	}{
		{"SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965", "Microsoft 365 E3",
			[]string{"AAD_PREMIUM", "INTUNE_A", "MDE_LITE", "EXCHANGE_S_ENTERPRISE"},
			[]string{"AAD_PREMIUM_P2", "ATP_ENTERPRISE", "THREAT_INTELLIGENCE", "SAFEDOCS", "WINDEFATP", "LOCKBOX_ENTERPRISE"}},
		{"SPE_E5", "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "Microsoft 365 E5",
			[]string{"AAD_PREMIUM", "AAD_PREMIUM_P2", "ATP_ENTERPRISE", "THREAT_INTELLIGENCE", "SAFEDOCS", "WINDEFATP", "LOCKBOX_ENTERPRISE", "INTUNE_A"},
			nil},
		{"THREAT_INTELLIGENCE", "3dd6cf57-d688-4eed-ba52-9e40b5468c3e", "Microsoft Defender for Office 365 (Plan 2)",
			[]string{"ATP_ENTERPRISE", "THREAT_INTELLIGENCE"},
			[]string{"SAFEDOCS"}},
		{"ATP_ENTERPRISE", "4ef96642-f096-40de-a3e9-d83fb2f90211", "Microsoft Defender for Office 365 (Plan 1)",
			[]string{"ATP_ENTERPRISE"},
			[]string{"THREAT_INTELLIGENCE", "SAFEDOCS"}},
		{"IDENTITY_THREAT_PROTECTION", "26124093-3d78-432b-b5dc-48bf992543d5", "Microsoft Defender Suite", // was Microsoft 365 E5 Security
			[]string{"SAFEDOCS", "THREAT_INTELLIGENCE", "WINDEFATP", "AAD_PREMIUM_P2"},
			nil},
		{"ENTERPRISEPREMIUM", "c7df2760-2c81-4ef7-b578-5b5392b571df", "Office 365 E5",
			[]string{"THREAT_INTELLIGENCE", "LOCKBOX_ENTERPRISE"},
			[]string{"SAFEDOCS"}},
	}
	ms := microsoftRows(t)
	for _, tt := range tests {
		t.Run(tt.part, func(t *testing.T) {
			if len(ms.ProductByPartNumber(tt.part)) != 1 {
				t.Errorf("%s is not among the rows copied from Microsoft's page (%s)", tt.part, rowsFile)
			}
			ps := tab.ProductByPartNumber(tt.part)
			if len(ps) != 1 {
				t.Fatalf("%d products with String_Id %s, want 1", len(ps), tt.part)
			}
			p := ps[0]
			if p.SkuID != tt.sku || p.Name != tt.name {
				t.Errorf("product = %s %q, want %s %q", p.SkuID, p.Name, tt.sku, tt.name)
			}
			if q, ok := tab.ProductBySkuID(tt.sku); !ok || q.PartNumber != tt.part {
				t.Errorf("ProductBySkuID(%s) = %s %v", tt.sku, q.PartNumber, ok)
			}
			for _, pl := range tt.has {
				if !p.Contains(pl) {
					t.Errorf("%s lacks %s", tt.part, pl)
				}
			}
			for _, pl := range tt.lacks {
				if p.Contains(pl) {
					t.Errorf("%s contains %s", tt.part, pl)
				}
			}
		})
	}
}

// TestPlans checks service plan name <-> id lookups, including a pair that does not match.
func TestPlans(t *testing.T) {
	tab := load(t)
	tests := []struct {
		name, id string
		match    bool
	}{
		{"SAFEDOCS", "bf6f5520-59e3-4f82-974b-7dbbc4fd27c7", true},
		{"THREAT_INTELLIGENCE", "8e0c0a52-6a6c-4d40-8370-dd62790dcd70", true},
		{"ATP_ENTERPRISE", "f20fedf3-f3c3-43c3-8267-2bfdd51c0939", true},
		{"AAD_PREMIUM", "41781fb2-bc02-4b7c-bd55-b576c07bb09d", true},
		{"AAD_PREMIUM_P2", "eec0eb4f-6444-4f95-aba0-50c24d67f998", true},
		{"LOCKBOX_ENTERPRISE", "9f431833-0334-42de-a7dc-70aa40db46db", true},
		{"INTUNE_A", "c1ec4a95-1f05-45b3-a911-aa3fa01094f5", true},
		{"WINDEFATP", "871d91ec-ec1a-452b-a83f-bd76c7d770ef", true},
		{"MDE_LITE", "292cc034-7b7c-4950-aaf5-943befd3f1d4", true},
		// P1's id under P2's name: both exist, the pair does not.
		{"AAD_PREMIUM_P2", "41781fb2-bc02-4b7c-bd55-b576c07bb09d", false},
		{"NO_SUCH_PLAN", "00000000-0000-0000-0000-000000000000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tab.HasPlan(tt.name, tt.id); got != tt.match {
				t.Errorf("HasPlan(%s, %s) = %v, want %v", tt.name, tt.id, got, tt.match)
			}
			if tt.match {
				if ids := tab.PlanIDs(tt.name); !slices.Equal(ids, []string{tt.id}) {
					t.Errorf("PlanIDs(%s) = %v, want [%s]", tt.name, ids, tt.id)
				}
				if names := tab.PlanNames(tt.id); !slices.Contains(names, tt.name) {
					t.Errorf("PlanNames(%s) = %v, want it to hold %s", tt.id, names, tt.name)
				}
			}
		})
	}
	if got := len(tab.ProductsWith("SAFEDOCS")); got < 5 {
		t.Errorf("%d products contain SAFEDOCS; Microsoft lists it in every Microsoft 365 E5 and A5", got)
	}
	if tab.Source == "" || tab.Date == "" {
		t.Errorf("table has no source (%q) or date (%q)", tab.Source, tab.Date)
	}
}

// TestParseRejects checks each kind of bad table gives one line naming the file and place.
func TestParseRejects(t *testing.T) {
	const meta = "# source: test\n# date: 2025-10-29\n"
	const head = "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id\n"
	const good = "Microsoft 365 E5,SPE_E5,06ebc4ee-1bb5-47dd-8120-11324bc54e06,SAFEDOCS,bf6f5520-59e3-4f82-974b-7dbbc4fd27c7\n"
	tests := []struct {
		name, data, want string
	}{
		{"no source", head + good, `t.csv: no "# source:" or "# date:" line`},
		{"wrong header", meta + "Product,String_Id,GUID,Service_Plan_Name,Service_Plan_Id\n" + good, "t.csv: header Product,String_Id"},
		{"no rows", meta + head, "t.csv: no rows"},
		{"bad guid", meta + head + good + "Microsoft 365 E5,SPE_E5,06EBC4EE-1bb5-47dd-8120-11324bc54e06,X,bf6f5520-59e3-4f82-974b-7dbbc4fd27c7\n",
			`t.csv:5: GUID "06EBC4EE-1bb5-47dd-8120-11324bc54e06"; expected a lowercase GUID`},
		{"padded", meta + head + "Microsoft 365 E5,SPE_E5 ,06ebc4ee-1bb5-47dd-8120-11324bc54e06,X,bf6f5520-59e3-4f82-974b-7dbbc4fd27c7\n",
			`t.csv:4: String_Id "SPE_E5 "; expected a value without surrounding whitespace`},
		{"two part numbers", meta + head + good + "X,SPE_E3,06ebc4ee-1bb5-47dd-8120-11324bc54e06,X,bf6f5520-59e3-4f82-974b-7dbbc4fd27c7\n",
			"t.csv:5: GUID 06ebc4ee-1bb5-47dd-8120-11324bc54e06 is SPE_E3 here but SPE_E5 above"},
		{"short row", meta + head + "a,b,c\n", "t.csv: record on line 4: wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.csv", []byte(tt.data))
			if err == nil {
				t.Fatal("Parse succeeded; want an error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q\nwant one line starting %q", err, tt.want)
			}
		})
	}
}

// TestConvert checks the conversion of Microsoft's CSV: byte order mark and sixth column gone,
// cells trimmed, quoting kept, and a file that is not Microsoft's table refused.
func TestConvert(t *testing.T) {
	const msHead = "\uFEFFProduct_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n"
	tests := []struct {
		name, in, want, err string
	}{
		{"trims and drops friendly names",
			msHead + "\"Windows 365 Business 16 vCPU, 64 GB, 1 TB\",W365,24be3cd7-82ca-41a5-94a7-4903373cdcae,ATP_ENTERPRISE ,f20fedf3-f3c3-43c3-8267-2bfdd51c0939,Microsoft Defender for Office 365 (Plan 1)\r\n",
			"\"Windows 365 Business 16 vCPU, 64 GB, 1 TB\",W365,24be3cd7-82ca-41a5-94a7-4903373cdcae,ATP_ENTERPRISE,f20fedf3-f3c3-43c3-8267-2bfdd51c0939\n", ""},
		{"no rows", msHead, "", "in.csv: no rows"},
		{"not Microsoft's header", "a,b,c\n1,2,3\n", "", "in.csv: header a,b,c; expected Microsoft's"},
		{"bad id", msHead + "P,S,24be3cd7-82ca-41a5-94a7-4903373cdcae,X,nope,Y\r\n", "", `in.csv:2: Service_Plan_Id "nope"; expected a lowercase GUID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkConvert(t, Convert, "in.csv", tt.in, tt.want, tt.err) })
	}
}

// checkConvert runs a converter of Microsoft's table on in: it must write the table with rows
// want, or fail with an error starting errPrefix and write nothing.
func checkConvert(t *testing.T, convert func(name string, r io.Reader, w io.Writer, source, date string) error, name, in, want, errPrefix string) {
	t.Helper()
	var b bytes.Buffer
	err := convert(name, strings.NewReader(in), &b, "a test", "2025-10-29")
	if errPrefix != "" {
		if err == nil || !strings.HasPrefix(err.Error(), errPrefix) {
			t.Fatalf("error = %v, want %q...", err, errPrefix)
		}
		if b.Len() != 0 {
			t.Errorf("wrote %d bytes despite the error", b.Len())
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	want = header + "# source: a test\n# date: 2025-10-29\n" + strings.Join(Columns, ",") + "\n" + want
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// msPage is an excerpt of Microsoft's page as MicrosoftDocs/entra-docs holds it (rows copied
// from docs/identity/users/licensing-service-plan-reference.md at 067a0c7b and 6ceb2467), with
// the page's quirks: tabs and double spaces around cells, a plan name with spaces, a missing
// space before a plan's GUID, and the table of mutually exclusive plans after the product table.
const msPage = "# Product names and service plan identifiers for licensing\n\n" +
	"| Product name | String ID | GUID | Service plans included | Service plans included (friendly names) |\n" +
	"| --- | --- | --- |--- | --- |\n" +
	"| 10-Year Audit Log Retention Add On |\t10_ALR_ADDON | c2e41e49-e2a2-4c55-832a-cf13ffba1d6a | Auditing_10Year_ Retention_ Add_On (7d16094b-4db8-41ff-a182-372a90a85407) |\tAuditing 10Year Retention Add On (7d16094b-4db8-41ff-a182-372a90a85407) |\n" +
	"| App Connect IW | SPZA_IW |  8f0c5670-4e56-4892-b06d-91c085d7004f | SPZA (0bfc98ed-1dbc-4a97-b246-701754e48b17)<br/>EXCHANGE_S_FOUNDATION (113feb6c-3fe4-4440-bddc-54d774bf0318) | APP CONNECT (0bfc98ed-1dbc-4a97-b246-701754e48b17)<br/>EXCHANGE FOUNDATION (113feb6c-3fe4-4440-bddc-54d774bf0318) |\n" +
	"| Windows 365 Business 8 vCPU 32 GB 128 GB |\tCPC_B_8C_32RAM_128GB | 3cb45fab-ae53-4ff6-af40-24c1915ca07b | EXCHANGE_S_FOUNDATION (113feb6c-3fe4-4440-bddc-54d774bf0318)<br/>M365_LIGHTHOUSE_CUSTOMER_PLAN1(6f23d6a9-adbf-481c-8538-b4c095654487) | Exchange Foundation (113feb6c-3fe4-4440-bddc-54d774bf0318)<br/>Microsoft 365 Lighthouse (Plan 1) (6f23d6a9-adbf-481c-8538-b4c095654487) |\n" +
	"| Windows Store for Business EDU Faculty | WSFB_EDU_FACULTY | c7e9d9e6-1981-4bf3-bb50-a5bdfaa06fb2 | Windows Store for Business EDU Store_faculty (aaa2cd24-5519-450f-a1a0-160750710ca1) | Windows Store for Business EDU Store_faculty (aaa2cd24-5519-450f-a1a0-160750710ca1) |\n" +
	"\n## Service plans that cannot be assigned at the same time\n\n" +
	"| Service Plan Name | GUID |\n| --- | --- |\n| CRMPLAN1\t| 119cf168-b6cf-41fb-b82e-7fee7bae5814 |\n"

func TestConvertMarkdown(t *testing.T) {
	head := "| Product name | String ID | GUID | Service plans included | Service plans included (friendly names) |\n| --- | --- | --- | --- | --- |\n"
	tests := []struct {
		name, in, want, err string
	}{
		{"the product table of Microsoft's page", msPage,
			"10-Year Audit Log Retention Add On,10_ALR_ADDON,c2e41e49-e2a2-4c55-832a-cf13ffba1d6a,Auditing_10Year_ Retention_ Add_On,7d16094b-4db8-41ff-a182-372a90a85407\n" +
				"App Connect IW,SPZA_IW,8f0c5670-4e56-4892-b06d-91c085d7004f,SPZA,0bfc98ed-1dbc-4a97-b246-701754e48b17\n" +
				"App Connect IW,SPZA_IW,8f0c5670-4e56-4892-b06d-91c085d7004f,EXCHANGE_S_FOUNDATION,113feb6c-3fe4-4440-bddc-54d774bf0318\n" +
				"Windows 365 Business 8 vCPU 32 GB 128 GB,CPC_B_8C_32RAM_128GB,3cb45fab-ae53-4ff6-af40-24c1915ca07b,EXCHANGE_S_FOUNDATION,113feb6c-3fe4-4440-bddc-54d774bf0318\n" +
				"Windows 365 Business 8 vCPU 32 GB 128 GB,CPC_B_8C_32RAM_128GB,3cb45fab-ae53-4ff6-af40-24c1915ca07b,M365_LIGHTHOUSE_CUSTOMER_PLAN1,6f23d6a9-adbf-481c-8538-b4c095654487\n" +
				"Windows Store for Business EDU Faculty,WSFB_EDU_FACULTY,c7e9d9e6-1981-4bf3-bb50-a5bdfaa06fb2,Windows Store for Business EDU Store_faculty,aaa2cd24-5519-450f-a1a0-160750710ca1\n", ""},
		{"upper-case GUIDs and CRLF", strings.ReplaceAll(head, "\n", "\r\n") + "| P | S | 24BE3CD7-82CA-41A5-94A7-4903373CDCAE | X (F20FEDF3-F3C3-43C3-8267-2BFDD51C0939)<br />Y (113feb6c-3fe4-4440-bddc-54d774bf0318) | x |\r\n",
			"P,S,24be3cd7-82ca-41a5-94a7-4903373cdcae,X,f20fedf3-f3c3-43c3-8267-2bfdd51c0939\nP,S,24be3cd7-82ca-41a5-94a7-4903373cdcae,Y,113feb6c-3fe4-4440-bddc-54d774bf0318\n", ""},
		{"no product table", "# A page\n\n| Service Plan Name | GUID |\n| --- | --- |\n", "", "in.md: no table with the header"},
		{"no separator", "| Product name | String ID | GUID | Service plans included | Service plans included (friendly names) |\n| P | S | 24be3cd7-82ca-41a5-94a7-4903373cdcae | X (f20fedf3-f3c3-43c3-8267-2bfdd51c0939) | x |\n", "", "in.md:2: expected the table's separator row"},
		{"no rows", head + "\nText.\n", "", "in.md: no rows"},
		{"a missing cell", head + "| P | S | 24be3cd7-82ca-41a5-94a7-4903373cdcae | X (f20fedf3-f3c3-43c3-8267-2bfdd51c0939) |\n", "", "in.md:3: 4 cells; expected 5"},
		{"a plan without its id", head + "| P | S | 24be3cd7-82ca-41a5-94a7-4903373cdcae | X (f20fedf3-f3c3-43c3-8267-2bfdd51c0939)<br/>Y | x |\n", "", `in.md:3: service plan "Y" of S; expected NAME (GUID)`},
		{"a bad product id", head + "| P | S | 24be3cd7 | X (f20fedf3-f3c3-43c3-8267-2bfdd51c0939) | x |\n", "", `in.md:3: GUID "24be3cd7"; expected a lowercase GUID`},
		{"one GUID, two String IDs", head + "| P | S | 24be3cd7-82ca-41a5-94a7-4903373cdcae | X (f20fedf3-f3c3-43c3-8267-2bfdd51c0939) | x |\n| Q | T | 24be3cd7-82ca-41a5-94a7-4903373cdcae | X (f20fedf3-f3c3-43c3-8267-2bfdd51c0939) | x |\n", "", "in.md:4: GUID 24be3cd7-82ca-41a5-94a7-4903373cdcae is T here but S above"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkConvert(t, ConvertMarkdown, "in.md", tt.in, tt.want, tt.err) })
	}
}
