package ocsfschema

import (
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

var (
	compiled = flag.String("ocsf-compiled", "", "rewrite "+File+" from this compiled OCSF schema (ocsf-schema-compiler output)")
	commit   = flag.String("ocsf-commit", "", "the ocsf-schema commit the compiled schema was built from, recorded in "+File)
	compiler = flag.String("ocsf-compiler", "", "the ocsf-schema-compiler version and commit that compiled it, recorded in "+File)
)

func load(t *testing.T) *Schema {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFile rewrites the schema file with -ocsf-compiled, and otherwise checks that
// the stored file is the class posture emits, of the version it declares, complete: every
// object an attribute names is there, and every type.
func TestFile(t *testing.T) {
	if *compiled != "" {
		data, err := os.ReadFile(*compiled)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Extract(data, *commit, *compiler)
		if err != nil {
			t.Fatalf("%s: %v", *compiled, err)
		}
		if err := os.WriteFile(File, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if stored, err = os.ReadFile(File); err != nil {
			t.Fatal(err)
		}
	}
	s := load(t)
	if s.Version != Version || s.Class.Name != "compliance_finding" || s.Class.UID != ClassUID {
		t.Fatalf("%s holds class %s (%d) of OCSF %s; want compliance_finding (%d) of %s", File, s.Class.Name, s.Class.UID, s.Version, ClassUID, Version)
	}
	if !strings.Contains(s.Source, "ocsf-schema") || !strings.Contains(s.Source, Version) {
		t.Errorf("source %q does not name the ocsf-schema release", s.Source)
	}
	items := map[string]Item{"class": s.Class}
	for name, o := range s.Objects {
		items["object "+name] = o
	}
	for where, it := range items {
		for name, a := range it.Attributes {
			switch {
			case a.Type == "object_t":
				if _, ok := s.Objects[a.ObjectType]; !ok {
					t.Errorf("%s: attribute %s names object %q, which the file lacks", where, name, a.ObjectType)
				}
			default:
				if _, ok := s.Types[a.Type]; !ok {
					t.Errorf("%s: attribute %s has type %q, which the file lacks", where, name, a.Type)
				}
			}
		}
	}
	if len(s.Objects) < 50 || len(s.Class.Attributes) < 50 {
		t.Errorf("%d objects, %d class attributes: the file is not the whole class", len(s.Objects), len(s.Class.Attributes))
	}
}

// TestValidate shows the validator catches what it claims to: each broken event yields
// the problem named, and the valid one none.
func TestValidate(t *testing.T) {
	s := load(t)
	base := func() map[string]any {
		return map[string]any{
			"activity_id": json.Number("1"), "category_uid": json.Number("2"), "class_uid": json.Number("2003"),
			"type_uid": json.Number("200301"), "time": json.Number("1763805600000"), "severity_id": json.Number("4"),
			"severity":     "High",
			"metadata":     map[string]any{"version": Version, "product": map[string]any{"name": "posture"}},
			"finding_info": map[string]any{"uid": "x"},
			"compliance":   map[string]any{"status_id": json.Number("3")},
		}
	}
	tests := []struct {
		name   string
		modify func(e map[string]any)
		want   string // "" for valid
	}{
		{"valid", func(map[string]any) {}, ""},
		{"required missing", func(e map[string]any) { delete(e, "finding_info") }, "finding_info: required attribute missing"},
		{"required in an object", func(e map[string]any) { delete(e["metadata"].(map[string]any), "product") }, "metadata.product: required attribute missing"},
		{"unknown attribute", func(e map[string]any) { e["rule"] = "x" }, "rule: unknown attribute"},
		{"wrong type", func(e map[string]any) { e["time"] = "2026-11-22T10:00:00Z" }, `time: string "2026-11-22T10:00:00Z"; want long_t`},
		{"not an integer", func(e map[string]any) { e["severity_id"] = json.Number("4.5") }, "severity_id: 4.5; want integer_t"},
		{"enum value", func(e map[string]any) { e["severity_id"] = json.Number("7"); e["severity"] = "x" }, "severity_id: 7 is not one of the enum values"},
		{"enum in an object", func(e map[string]any) { e["compliance"].(map[string]any)["status_id"] = json.Number("4") }, "compliance.status_id: 4 is not one of"},
		{"sibling caption", func(e map[string]any) { e["severity"] = "Severe" }, `severity: "Severe"; the caption of severity_id 4 is "High"`},
		{"type_uid", func(e map[string]any) { e["type_uid"] = json.Number("200300") }, "type_uid: 200300; want class_uid * 100 + activity_id = 200301"},
		{"class", func(e map[string]any) { e["class_uid"] = json.Number("2001"); e["type_uid"] = json.Number("200101") }, "class_uid: 2001; want 2003"},
		{"version", func(e map[string]any) { e["metadata"].(map[string]any)["version"] = "1.1.0" }, `metadata.version: "1.1.0"; the schema is 1.8.0`},
		{"constraint", func(e map[string]any) { e["metadata"].(map[string]any)["product"] = map[string]any{"version": "1"} }, "metadata.product: product needs at least one of"},
		{"array", func(e map[string]any) { e["resources"] = map[string]any{"uid": "t"} }, "resources: an object; want an array"},
		{"null", func(e map[string]any) { e["message"] = nil }, "message: null"},
		{"deprecated", func(e map[string]any) { e["resource"] = map[string]any{"uid": "t"} }, "resource: deprecated attribute"},
		{"profile not declared", func(e map[string]any) { e["time_dt"] = "2026-11-22T10:00:00Z" }, "time_dt: attribute of profile [datetime]"},
		{"profile declared", func(e map[string]any) {
			e["metadata"].(map[string]any)["profiles"] = []any{"datetime"}
			e["time_dt"] = "2026-11-22T10:00:00Z"
		}, ""},
		{"type pattern", func(e map[string]any) {
			e["metadata"].(map[string]any)["profiles"] = []any{"datetime"}
			e["time_dt"] = "22 Nov 2026"
		}, `time_dt: "22 Nov 2026" does not match datetime_t's pattern`},
		{"open object", func(e map[string]any) { e["unmapped"] = map[string]any{"anything": []any{1, "x"}} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			tt.modify(e)
			errs, _ := s.Validate(e)
			if tt.want == "" {
				if len(errs) > 0 {
					t.Errorf("valid event: %q", errs)
				}
				return
			}
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, tt.want) }) {
				t.Errorf("problems %q; want one starting %q", errs, tt.want)
			}
		})
	}
}

// TestDecodeLines reads events line by line and refuses what is not one object per line.
func TestDecodeLines(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		wantErr string
	}{
		{"", 0, ""},
		{"{\"a\":1}\n{\"a\":2}\n", 2, ""},
		{"{\"a\":1}\nnot json\n", 0, "line 2 is not a JSON object"},
		{"{\"a\":1} {\"b\":2}\n", 0, "line 1 holds more than one JSON value"},
	}
	for _, tt := range tests {
		events, err := DecodeLines(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("DecodeLines(%q) error %v; want %q", tt.in, err, tt.wantErr)
			}
		case err != nil || len(events) != tt.n:
			t.Errorf("DecodeLines(%q) = %d events, %v; want %d", tt.in, len(events), err, tt.n)
		}
	}
}
