package baselines

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestAll(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]Baseline{}
	for _, b := range all {
		ids[b.ID] = b
	}
	b, ok := ids["azure-ad"]
	if !ok {
		t.Fatalf("azure-ad baseline missing; have %v", all)
	}
	if len(b.Rules) == 0 || b.Title == "" {
		t.Errorf("azure-ad baseline is empty: %+v", b)
	}
	for _, b := range all {
		if len(b.Settings) > 0 && b.Source == nil {
			t.Errorf("baseline %s has settings but no source: say which published baseline they follow", b.ID)
		}
	}
}

// TestParseSettings reads a fixture with every optional part and checks what rules will see
// as data.posture.baselines.<id>: the YAML keys, only the expected form given.
func TestParseSettings(t *testing.T) {
	data, err := os.ReadFile("testdata/settings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("testdata/settings.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Source == nil || b.Source.Version != "24H2" || len(b.Settings) != 6 || len(b.Rules) != 1 || len(b.Verification) != 1 {
		t.Fatalf("parsed %+v", b)
	}
	got, err := json.Marshal(b.Settings)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"expected":{"value":"device_vendor_msft_policy_config_mssecurityguide_configuresmbv1clientdriver_1"}`,
		`"legacy":{"deviceConfiguration":{"type":"#microsoft.graph.windows10EndpointProtectionConfiguration","property":"smbAutoEncryptedFileExtensions","value":true},"intent":{"definitionId":"deviceConfiguration--windows10EndpointProtectionConfiguration_smb","value":true}}`,
		`"expected":{"values":[2,1]}`,
		`"expected":{"min":14}`,
		`"expected":{"max":15}`,
		`"expected":{"equals":"block"}`,
		`"definitionId":"device_vendor_msft_policy_config_devicelock_minimumpasswordlength"`,
		`"area":"device_lock","severity":"low"`,
		`"expected":{"min":1,"max":900},"secureScore":["scid_28"],"verified":["template"]`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("settings JSON lacks %s:\n%s", want, got)
		}
	}
}

// setting is a valid setting entry; tests replace one of its lines.
const setting = `  - id: smb_v1
    definitionId: device_vendor_msft_smb
    title: SMB v1 off
    area: smb
    severity: high
    expected: {value: device_vendor_msft_smb_0}
`

// withSetting is a baseline whose first setting is the valid one with old replaced by new.
func withSetting(old, new string) string {
	return "id: x\nrules: []\nsettings:\n" + strings.Replace(setting, old, new, 1)
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"bad level", "id: x\nrules:\n  - {id: a.b, level: must}\n", `x.yaml:3: rule a.b: level "must"; expected shall or should`},
		{"duplicate rule", "id: x\nrules:\n  - {id: a.b, level: shall}\n  - {id: a.b, level: should}\n", "x.yaml:4: rule a.b listed twice (first at line 3)"},
		{"rule without id", "id: x\nrules:\n  - {level: shall}\n", "x.yaml:3: rules[0] has no id"},
		{"unknown key", "id: x\nrulez: []\n", `x.yaml:2: unknown key "rulez"; did you mean "rules"?`},
		{"no id", "title: t\n", "x.yaml:1: the baseline has no id"},
		{"syntax", "id: x\nrules: [\n", "x.yaml:2: invalid YAML: did not find expected node content"},
		{"empty", "", "x.yaml: empty file"},
		{"not a mapping", "- a\n", "x.yaml:1: the baseline is a list; expected a mapping"},
		{"settings not a list", "id: x\nsettings: {}\n", "x.yaml:2: settings is a mapping; expected a list"},
		{"source without url", "id: x\nsource: {name: n}\n", "x.yaml:2: source has no url"},
		{"source without name", "id: x\nsource: {url: https://x}\n", "x.yaml:2: source has no name"},
		{"source url not https", "id: x\nsource: {name: n, url: ftp://x}\n", `x.yaml:2: source.url "ftp://x"; expected an https:// address`},
		{"source unknown key", "id: x\nsource: {name: n, url: https://x, date: 2024}\n", `x.yaml:2: unknown key "date" in source`},
		{"setting unknown key", withSetting("    area: smb\n", "    area: smb\n    areas: smb\n"), `x.yaml:8: unknown key "areas" in settings[0]; did you mean "area"?`},
		{"setting without id", withSetting("  - id: smb_v1\n    ", "  - "), "x.yaml:4: settings[0] has no id"},
		{"setting id not snake_case", withSetting("id: smb_v1", "id: SMBv1"), "x.yaml:4: setting SMBv1: id; expected snake_case"},
		{"setting without definitionId", withSetting("    definitionId: device_vendor_msft_smb\n", ""), "x.yaml:4: setting smb_v1 has no definitionId"},
		{"definitionId with spaces", withSetting("device_vendor_msft_smb\n", "device vendor\n"), `x.yaml:5: setting smb_v1: definitionId "device vendor"; expected a settings catalog setting definition id`},
		{"setting without title", withSetting("    title: SMB v1 off\n", ""), "x.yaml:4: setting smb_v1 has no title"},
		{"setting with empty title", withSetting("title: SMB v1 off", `title: ""`), "x.yaml:6: setting smb_v1 has no title"},
		{"setting without area", withSetting("    area: smb\n", ""), "x.yaml:4: setting smb_v1 has no area"},
		{"area not snake_case", withSetting("area: smb", "area: Credential Guard"), `x.yaml:7: setting smb_v1: area "Credential Guard"; expected snake_case`},
		{"setting without severity", withSetting("    severity: high\n", ""), "x.yaml:4: setting smb_v1 has no severity"},
		{"unknown severity", withSetting("severity: high", "severity: severe"), `x.yaml:8: setting smb_v1: severity "severe"; expected critical, high, medium, low, info`},
		{"setting without expected", withSetting("    expected: {value: device_vendor_msft_smb_0}\n", ""), "x.yaml:4: setting smb_v1 has no expected"},
		{"expected empty", withSetting("{value: device_vendor_msft_smb_0}", "{}"), "x.yaml:9: setting smb_v1: expected has none; expected exactly one of value, values, min, max, equals"},
		{"expected two forms", withSetting("{value: device_vendor_msft_smb_0}", "{value: a, max: 2}"), "x.yaml:9: setting smb_v1: expected has value and max; expected exactly one of"},
		{"expected three forms", withSetting("{value: device_vendor_msft_smb_0}", "{min: 1, max: 2, equals: 3}"), "x.yaml:9: setting smb_v1: expected has min and max and equals; expected exactly one of"},
		{"range upside down", withSetting("{value: device_vendor_msft_smb_0}", "{min: 900, max: 1}"), "x.yaml:9: setting smb_v1: expected.min 900 is greater than max 1; expected a range with min <= max"},
		{"secureScore empty", withSetting("", "") + "    secureScore: []\n", "x.yaml:10: setting smb_v1: secureScore is empty; expected a list of Secure Score control ids"},
		{"secureScore blank id", withSetting("", "") + "    secureScore: [\" \"]\n", "x.yaml:10: settings[0].secureScore[0] is empty; expected a non-empty string"},
		{"secureScore id with a space", withSetting("", "") + "    secureScore: [scid 53]\n", `x.yaml:10: setting smb_v1: secureScore[0] "scid 53"; expected a Secure Score control id such as scid_2070`},
		{"secureScore twice", withSetting("", "") + "    secureScore: [scid_53, scid_53]\n", "x.yaml:10: setting smb_v1: secureScore lists scid_53 twice; expected each control once"},
		{"secureScore not a list", withSetting("", "") + "    secureScore: scid_53\n", `x.yaml:10: settings[0].secureScore is the string "scid_53"; expected a list`},
		{"verification without url", "id: x\nverification:\n  - {id: tpl, title: t}\n", "x.yaml:3: verification tpl has no url"},
		{"verification id not snake_case", "id: x\nverification:\n  - {id: Tpl, title: t, url: https://x}\n", "x.yaml:3: verification Tpl: id; expected snake_case"},
		{"verification url not https", "id: x\nverification:\n  - {id: tpl, title: t, url: http://x}\n", `x.yaml:3: verification tpl: url "http://x"; expected an https:// address`},
		{"verification twice", "id: x\nverification:\n  - {id: tpl, title: t, url: https://x}\n  - {id: tpl, title: u, url: https://y}\n", "x.yaml:4: verification tpl listed twice (first at line 3)"},
		{"setting not verified", "id: x\nverification:\n  - {id: tpl, title: t, url: https://x}\n" + withSetting("", "")[len("id: x\n"):],
			"x.yaml:6: setting smb_v1 has no verified; expected verified: [<id of a verification entry>]"},
		{"verified names an unknown source", "id: x\nverification:\n  - {id: tpl, title: t, url: https://x}\n" + withSetting("", "")[len("id: x\n"):] + "    verified: [export]\n",
			`x.yaml:12: setting smb_v1: verified names "export"; expected the id of one of the baseline's verification entries`},
		{"verified twice", "id: x\nverification:\n  - {id: tpl, title: t, url: https://x}\n" + withSetting("", "")[len("id: x\n"):] + "    verified: [tpl, tpl]\n",
			"x.yaml:12: setting smb_v1: verified names tpl twice; expected each source once"},
		{"expected unknown key", withSetting("{value: device_vendor_msft_smb_0}", "{vlaue: 1}"), `x.yaml:9: unknown key "vlaue" in settings[0].expected; did you mean "value"?`},
		{"expected not a mapping", withSetting("{value: device_vendor_msft_smb_0}", "device_vendor_msft_smb_0"), `x.yaml:9: settings[0].expected is the string "device_vendor_msft_smb_0"; expected a mapping with keys value, values, min, max and equals`},
		{"value null", withSetting("{value: device_vendor_msft_smb_0}", "{value: null}"), "x.yaml:9: setting smb_v1: expected.value is empty; expected a string, number or boolean"},
		{"value a list", withSetting("{value: device_vendor_msft_smb_0}", "{value: [a]}"), "x.yaml:9: setting smb_v1: expected.value is a list; expected a string"},
		{"equals a mapping", withSetting("{value: device_vendor_msft_smb_0}", "{equals: {a: 1}}"), "x.yaml:9: setting smb_v1: expected.equals is a mapping; expected a string"},
		{"values empty", withSetting("{value: device_vendor_msft_smb_0}", "{values: []}"), "x.yaml:9: setting smb_v1: expected.values is empty; expected at least one value"},
		{"values not a list", withSetting("{value: device_vendor_msft_smb_0}", "{values: a}"), `x.yaml:9: settings[0].expected.values is the string "a"; expected a list`},
		{"values of lists", withSetting("{value: device_vendor_msft_smb_0}", "{values: [[a]]}"), "x.yaml:9: setting smb_v1: expected.values[0] is a list; expected a string"},
		{"min not an integer", withSetting("{value: device_vendor_msft_smb_0}", "{min: 1.5}"), `x.yaml:9: settings[0].expected.min is the number 1.5; expected an integer`},
		{"max a string", withSetting("{value: device_vendor_msft_smb_0}", "{max: ten}"), `x.yaml:9: settings[0].expected.max is the string "ten"; expected an integer`},
		{"max out of range", withSetting("{value: device_vendor_msft_smb_0}", "{max: 99999999999999999999}"), `x.yaml:9: settings[0].expected.max is the number 99999999999999999999; expected an integer`},
		{"duplicate setting id", "id: x\nsettings:\n" + setting + strings.Replace(setting, "device_vendor_msft_smb\n", "device_vendor_msft_other\n", 1),
			"x.yaml:9: setting smb_v1 listed twice (first at line 3); expected unique setting ids"},
		{"duplicate definitionId", "id: x\nsettings:\n" + setting + strings.Replace(setting, "id: smb_v1", "id: smb_v1_again", 1),
			"x.yaml:9: setting smb_v1_again: definitionId device_vendor_msft_smb is also used at line 3"},
		{"duplicate key", withSetting("    area: smb\n", "    area: smb\n    area: uac\n"), `x.yaml:8: duplicate key "area" in settings[0] (first at line 7)`},
		{"legacy empty", withSetting("", "") + "    legacy: {}\n", "x.yaml:10: setting smb_v1: legacy is empty; expected deviceConfiguration, intent or both"},
		{"legacy unknown key", withSetting("", "") + "    legacy: {profile: {}}\n", `x.yaml:10: unknown key "profile" in settings[0].legacy; expected one of: deviceConfiguration, intent`},
		{"legacy not a mapping", withSetting("", "") + "    legacy: true\n", `x.yaml:10: settings[0].legacy is the boolean true; expected a mapping with keys deviceConfiguration and intent`},
		{"legacy profile without type", withSetting("", "") + "    legacy:\n      deviceConfiguration: {property: p, value: true}\n",
			"x.yaml:11: setting smb_v1: legacy.deviceConfiguration has no type"},
		{"legacy profile type not an odata type", withSetting("", "") + "    legacy:\n      deviceConfiguration: {type: windows10GeneralConfiguration, property: p, value: true}\n",
			`x.yaml:11: setting smb_v1: legacy.deviceConfiguration.type "windows10GeneralConfiguration"; expected an @odata.type`},
		{"legacy profile without property", withSetting("", "") + "    legacy:\n      deviceConfiguration: {type: \"#microsoft.graph.x\", value: true}\n",
			"x.yaml:11: setting smb_v1: legacy.deviceConfiguration has no property"},
		{"legacy profile with a null value", withSetting("", "") + "    legacy:\n      deviceConfiguration: {type: \"#microsoft.graph.x\", property: p, value: null}\n",
			"x.yaml:11: setting smb_v1: legacy.deviceConfiguration.value is empty; expected a string, number or boolean"},
		{"legacy profile unknown key", withSetting("", "") + "    legacy:\n      deviceConfiguration: {type: \"#microsoft.graph.x\", property: p, value: 1, values: [1]}\n",
			`x.yaml:11: unknown key "values" in settings[0].legacy.deviceConfiguration; did you mean "value"?`},
		{"legacy intent without definitionId", withSetting("", "") + "    legacy:\n      intent: {value: true}\n",
			"x.yaml:11: setting smb_v1: legacy.intent has no definitionId"},
		{"legacy intent value a mapping", withSetting("", "") + "    legacy:\n      intent: {definitionId: d, value: {a: 1}}\n",
			"x.yaml:11: setting smb_v1: legacy.intent.value is a mapping; expected a string, number or boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.yaml))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v\nwant it to start with %q\nYAML:\n%s", err, tt.want, tt.yaml)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct{ name, yaml string }{
		{"a valid setting", withSetting("", "")},
		{"a range", withSetting("{value: device_vendor_msft_smb_0}", "{min: 1, max: 900}")},
		{"a verified setting with Secure Score controls", "id: x\nverification:\n  - {id: tpl, title: t, url: https://x}\n" + withSetting("", "")[len("id: x\n"):] +
			"    secureScore: [scid_53, scid_54]\n    verified: [tpl]\n"},
		{"legacy without values (compared with expected)", withSetting("", "") +
			"    legacy:\n      deviceConfiguration: {type: \"#microsoft.graph.x\", property: p}\n      intent: {definitionId: d}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse("x.yaml", []byte(tt.yaml)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
