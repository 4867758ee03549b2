package baselines

import (
	"strings"
	"testing"
)

func TestFrameworks(t *testing.T) {
	fws, err := Frameworks()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Framework{}
	for _, f := range fws {
		byID[f.ID] = f
	}
	tests := []struct {
		framework, control, level, profile string
		reason                             bool
		count                              int
	}{
		// 34 Entra ID, 12 Exchange Online and 24 Security Suite policies.
		{framework: "cisa_scuba", control: "MS.AAD.3.2v2", level: "shall", count: 70},
		{framework: "cisa_scuba", control: "MS.SECURITYSUITE.3.1v1", level: "shall", reason: true, count: 70},
		{framework: "cisa_scuba", control: "MS.EXO.3.1v1", level: "should", count: 70},
		{framework: "cisa_scuba", control: "MS.AAD.5.5v1", level: "should", count: 70},
		{framework: "cis_m365", control: "5.2.2.1", level: "L1", profile: "E3", count: 52},
		{framework: "cis_m365", control: "5.2.2.10", level: "L1", profile: "E3", count: 52},
		{framework: "cis_m365", control: "4.1", level: "L2", profile: "E3", count: 52},
	}
	for _, tt := range tests {
		f, ok := byID[tt.framework]
		if !ok {
			t.Fatalf("no framework %s in %v", tt.framework, fws)
		}
		if len(f.Controls) != tt.count {
			t.Errorf("%s has %d controls, want %d", tt.framework, len(f.Controls), tt.count)
		}
		c, ok := f.Control(tt.control)
		if !ok || c.Level != tt.level || c.Profile != tt.profile || (c.Reason != "") != tt.reason || c.Title == "" {
			t.Errorf("%s %s = %+v, %v; want level %s, profile %q, reason %v", tt.framework, tt.control, c, ok, tt.level, tt.profile, tt.reason)
		}
	}
	scuba := byID["cisa_scuba"]
	if _, ok := scuba.Control("MS.AAD.3.2v1"); ok {
		t.Error("MS.AAD.3.2v1 is in the catalog; aad.md at ScubaGear 4d34e9a has MS.AAD.3.2v2")
	}
}

func TestParseFrameworkErrors(t *testing.T) {
	const head = "id: fw\ntitle: A framework\nsource: {name: Doc, version: '1', url: https://example.com}\nlevels: [shall, should]\nidPattern: '^X\\.[0-9]+(\\.[0-9]+)*$'\n"
	tests := []struct {
		name, doc, want string
	}{
		{"unknown key", head + "controls:\n  - {id: X.1, title: T, level: shall, reasn: r}\n", `t.yaml:7: unknown key "reasn"`},
		{"no controls", head, "t.yaml:1: the framework catalog has no controls"},
		{"no source", "id: fw\ntitle: T\nlevels: [a]\nidPattern: '^x$'\ncontrols: [{id: x, title: T, level: a}]\n", "t.yaml:1: the framework catalog has no source"},
		{"http source", strings.Replace(head, "https://", "http://", 1) + "controls:\n  - {id: X.1, title: T, level: shall}\n", `t.yaml:3: source.url "http://example.com"; expected an https:// address`},
		{"unanchored pattern", strings.Replace(head, "'^X", "'X", 1) + "controls:\n  - {id: X.1, title: T, level: shall}\n", "t.yaml:5: idPattern"},
		{"an id the pattern refuses", head + "controls:\n  - {id: Y.1, title: T, level: shall}\n", `t.yaml:7: control id "Y.1" does not match idPattern`},
		{"a level of another framework", head + "controls:\n  - {id: X.1, title: T, level: L1}\n", `t.yaml:7: control X.1: level "L1"; expected one of shall, should`},
		{"no title", head + "controls:\n  - {id: X.1, level: shall}\n", "t.yaml:7: control X.1 has no title"},
		{"a duplicate", head + "controls:\n  - {id: X.1, title: T, level: shall}\n  - {id: X.1, title: T, level: shall}\n", "t.yaml:8: control X.1 listed twice (first at line 7)"},
		{"out of order", head + "controls:\n  - {id: X.2, title: T, level: shall}\n  - {id: X.1.5, title: T, level: shall}\n", "t.yaml:8: control X.1.5 comes after X.2 (line 7); expected the framework's order"},
		{"an empty reason", head + "controls:\n  - {id: X.1, title: T, level: shall, reason: ''}\n", "t.yaml:7: control X.1: reason is empty"},
		{"a profile the catalog does not have", head + "controls:\n  - {id: X.1, title: T, level: shall, profile: E3}\n", "t.yaml:7: control X.1: profile given, but the catalog lists no profiles"},
		{"a missing profile", strings.Replace(head, "levels:", "profiles: [E3, E5]\nlevels:", 1) + "controls:\n  - {id: X.1, title: T, level: shall}\n", "t.yaml:8: control X.1 has no profile"},
		{"an unknown profile", strings.Replace(head, "levels:", "profiles: [E3, E5]\nlevels:", 1) + "controls:\n  - {id: X.1, title: T, level: shall, profile: E7}\n", `t.yaml:8: control X.1: profile "E7"; expected one of E3, E5`},
		{"a level twice", strings.Replace(head, "[shall, should]", "[shall, shall]", 1) + "controls:\n  - {id: X.1, title: T, level: shall}\n", "t.yaml:4: levels: shall listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFramework("t.yaml", []byte(tt.doc))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line starting %q", err, tt.want)
			}
		})
	}
}

func TestFrameworkOrder(t *testing.T) {
	tests := []struct {
		ids []string
		ok  bool
	}{
		{[]string{"MS.AAD.3.2v2", "MS.AAD.3.10v1", "MS.AAD.4.1v1", "MS.EXO.1.1v2", "MS.EXO.13.1v1", "MS.SECURITYSUITE.1.1v1"}, true},
		{[]string{"5.2.2.9", "5.2.2.12", "5.2.3.1", "5.3.1", "6.1.1"}, true},
		{[]string{"4.1", "5.1.2.2"}, true},
		{[]string{"MS.AAD.3.10v1", "MS.AAD.3.2v2"}, false},
		{[]string{"MS.AAD.1.1v1", "MS.EXO.1.1v1", "MS.AAD.2.1v1"}, false}, // a group listed twice
		{[]string{"5.2.2", "5.2.2.1"}, true},
		{[]string{"5.2.2.1", "5.2.2"}, false},
	}
	for _, tt := range tests {
		var ctls []FrameworkControl
		ok := true
		var prev []idPart
		for i, id := range tt.ids {
			cur := splitID(id)
			if i > 0 && !idAfter(ctls, prev, cur) {
				ok = false
			}
			ctls = append(ctls, FrameworkControl{ID: id})
			prev = cur
		}
		if ok != tt.ok {
			t.Errorf("%v in order = %v, want %v", tt.ids, ok, tt.ok)
		}
	}
}
