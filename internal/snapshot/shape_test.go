package snapshot

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRequirementsTable keeps the table consistent: every key is a known key of the kind the
// check reads, listed once, with a noun exactly when it holds an array, and no path twice.
func TestRequirementsTable(t *testing.T) {
	kinds := map[string]Kind{}
	for _, k := range Keys() {
		kinds[k.String()] = k.Kind
	}
	seen := map[string]bool{}
	for _, r := range Requirements() {
		kind, ok := kinds[r.Key]
		switch {
		case !ok:
			t.Errorf("%s is not a known snapshot key", r.Key)
		case kind != KindArray && kind != KindObject:
			t.Errorf("%s is a %s; the check reads objects and arrays of objects", r.Key, kind)
		case (kind == KindArray) != (r.Noun != ""):
			t.Errorf("%s (%s) has noun %q: arrays need one, objects none", r.Key, kind, r.Noun)
		}
		if seen[r.Key] {
			t.Errorf("%s is listed twice", r.Key)
		}
		seen[r.Key] = true
		if len(r.Properties) == 0 {
			t.Errorf("%s lists no property", r.Key)
		}
		paths := map[string]bool{}
		for _, p := range r.Properties {
			if p.Path == "" || paths[p.Path] {
				t.Errorf("%s: empty or repeated path %q", r.Key, p.Path)
			}
			paths[p.Path] = true
		}
		// A nested property's parent must be listed before it, so that a missing parent is
		// reported as itself and not only through its children.
		for _, p := range r.Properties {
			names := splitPath(p.Path)
			if len(names) > 1 && !paths[strings.Join(names[:len(names)-1], ".")] {
				t.Errorf("%s: %s is listed without its parent", r.Key, p.Path)
			}
		}
	}
}

// complete builds one object of r that has every property of the table with a non-null value,
// nested properties inside objects.
func complete(r Requirement) map[string]any {
	obj := map[string]any{}
	for _, p := range r.Properties {
		cur := obj
		names := splitPath(p.Path)
		for _, n := range names[:len(names)-1] {
			next, ok := cur[n].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[n] = next
			}
			cur = next
		}
		if _, ok := cur[names[len(names)-1]]; !ok {
			cur[names[len(names)-1]] = "x"
		}
	}
	return obj
}

// set changes (or with del, removes) the property at path in obj.
func set(obj map[string]any, path string, v any, del bool) {
	names := splitPath(path)
	cur := obj
	for _, n := range names[:len(names)-1] {
		cur = cur[n].(map[string]any)
	}
	if del {
		delete(cur, names[len(names)-1])
		return
	}
	cur[names[len(names)-1]] = v
}

// snapshotWith is a snapshot whose key (known, status ok) holds value.
func snapshotWith(key string, value any) *Snapshot {
	s := &Snapshot{Sources: map[string]Source{key: {Status: StatusOK}}}
	sec, name, _ := strings.Cut(key, ".")
	m := map[string]any{name: value}
	switch sec {
	case SectionEntra:
		s.Entra = m
	case SectionExchange:
		s.Exchange = m
	case SectionIntune:
		s.Intune = m
	case SectionSecureScore:
		s.SecureScore = m
	}
	return s
}

// TestUnusableEachProperty removes, and then nulls, every property of the table in turn, in one
// object of two (an array key) or in the one object (an object key).
func TestUnusableEachProperty(t *testing.T) {
	for _, r := range Requirements() {
		for _, p := range r.Properties {
			t.Run(r.Key+"/"+p.Path, func(t *testing.T) {
				build := func(change func(map[string]any)) *Snapshot {
					first, second := complete(r), complete(r)
					change(first)
					if r.Noun == "" {
						return snapshotWith(r.Key, first)
					}
					return snapshotWith(r.Key, []any{first, second})
				}
				if got := build(func(map[string]any) {}).Unusable(); len(got) != 0 {
					t.Fatalf("complete objects: Unusable() = %v; want none", got)
				}

				missing := build(func(o map[string]any) { set(o, p.Path, nil, true) }).Unusable()[r.Key]
				want := fmt.Sprintf("%s: 1 of 2 %s lack %s", r.Key, r.Noun, p.Path)
				if r.Noun == "" {
					want = fmt.Sprintf("%s: has no %s", r.Key, p.Path)
				}
				if !strings.HasPrefix(missing, want) {
					t.Errorf("property missing: message %q; want it to start with %q", missing, want)
				}
				if p.Hint != "" && !strings.Contains(missing, p.Hint) {
					t.Errorf("property missing: message %q lacks the hint %q", missing, p.Hint)
				}

				null := build(func(o map[string]any) { set(o, p.Path, nil, false) }).Unusable()[r.Key]
				switch {
				case p.Nullable && null != "":
					t.Errorf("property null where the service returns null: message %q; want none", null)
				case !p.Nullable && r.Noun != "" && !strings.HasPrefix(null, fmt.Sprintf("%s: 1 of 2 %s have %s null", r.Key, r.Noun, p.Path)):
					t.Errorf("property null: message %q; want 1 of 2 %s have %s null", null, r.Noun, p.Path)
				case !p.Nullable && r.Noun == "" && !strings.HasPrefix(null, fmt.Sprintf("%s: has %s null", r.Key, p.Path)):
					t.Errorf("property null: message %q; want has %s null", null, p.Path)
				}
			})
		}
	}
}

func TestUnusableMessages(t *testing.T) {
	user := func(kv ...any) any {
		u := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			u[kv[i].(string)] = kv[i+1]
		}
		return u
	}
	full := user("id", "u1", "userPrincipalName", "a@x", "accountEnabled", true, "userType", "Member")
	policy := func(conditions any) any {
		return map[string]any{"id": "p1", "state": "enabled", "conditions": conditions, "grantControls": nil, "sessionControls": nil}
	}
	// conditions with every required property; users, applications and the rest null
	conditions := func(change func(map[string]any)) map[string]any {
		c := map[string]any{
			"users": nil, "applications": nil, "platforms": nil, "locations": nil, "devices": nil,
			"clientApplications": nil, "authenticationFlows": nil, "insiderRiskLevels": nil,
			"clientAppTypes": []any{"all"}, "signInRiskLevels": []any{}, "userRiskLevels": []any{}, "servicePrincipalRiskLevels": []any{},
		}
		change(c)
		return c
	}
	// many users, counted in parallel: 7 lack accountEnabled, 3 have it null, spread out
	many := make([]any, 3*parallelMin)
	for i := range many {
		switch {
		case i%1000 == 7 && i < 7000:
			many[i] = user("id", fmt.Sprint(i), "userPrincipalName", "a@x", "userType", "Member")
		case i%1000 == 9 && i < 3000:
			many[i] = user("id", fmt.Sprint(i), "userPrincipalName", "a@x", "accountEnabled", nil, "userType", "Member")
		default:
			many[i] = user("id", fmt.Sprint(i), "userPrincipalName", "a@x", "accountEnabled", true, "userType", "Member")
		}
	}
	tests := []struct {
		name string
		snap *Snapshot
		key  string
		want string // "" when the key is usable
	}{
		{"many users", snapshotWith("entra.users", many), "entra.users",
			fmt.Sprintf("entra.users: 10 of %d users lack accountEnabled (7 missing, 3 null) (%s)", len(many), hintUserSelect)},
		{"complete users", snapshotWith("entra.users", []any{full}), "entra.users", ""},
		{"userType null is a value Graph returns", snapshotWith("entra.users", []any{
			user("id", "u1", "userPrincipalName", "a@x", "accountEnabled", true, "userType", nil),
		}), "entra.users", ""},
		{"Graph's default /users answer", snapshotWith("entra.users", []any{
			user("id", "u1", "userPrincipalName", "a@x", "displayName", "A"),
			user("id", "u2", "userPrincipalName", "b@x", "displayName", "B"),
		}), "entra.users",
			"entra.users: 2 of 2 users lack accountEnabled; 2 of 2 users lack userType (" + hintUserSelect + ")"},
		{"partly missing and partly null", snapshotWith("entra.users", []any{
			full,
			user("id", "u2", "userPrincipalName", "b@x", "userType", "Member"),
			user("id", "u3", "userPrincipalName", "c@x", "accountEnabled", nil, "userType", "Member"),
			user("id", nil, "userPrincipalName", "d@x", "accountEnabled", true, "userType", "Member"),
		}), "entra.users",
			"entra.users: 1 of 4 users have id null; 2 of 4 users lack accountEnabled (1 missing, 1 null) (" + hintUserSelect + ")"},
		{"not known: not checked", &Snapshot{
			Sources: map[string]Source{"entra.users": {Status: StatusForbidden}},
			Entra:   map[string]any{"users": []any{user("id", "u1")}},
		}, "entra.users", ""},
		{"empty list", snapshotWith("entra.users", []any{}), "entra.users", ""},
		{"null parent: its children are not required", snapshotWith("entra.conditionalAccessPolicies", []any{
			policy(conditions(func(map[string]any) {})),
		}), "entra.conditionalAccessPolicies", ""},
		{"nested property missing", snapshotWith("entra.conditionalAccessPolicies", []any{
			policy(conditions(func(c map[string]any) {
				c["users"] = map[string]any{
					"includeUsers": []any{"All"}, "includeGroups": []any{}, "excludeGroups": []any{},
					"includeRoles": []any{}, "excludeRoles": []any{},
					"includeGuestsOrExternalUsers": nil, "excludeGuestsOrExternalUsers": nil,
				}
			})),
		}), "entra.conditionalAccessPolicies",
			"entra.conditionalAccessPolicies: 1 of 1 policies lack conditions.users.excludeUsers"},
		{"parent not an object: its children are missing", snapshotWith("entra.conditionalAccessPolicies", []any{
			policy(conditions(func(c map[string]any) { c["locations"] = "everywhere" })),
		}), "entra.conditionalAccessPolicies",
			"entra.conditionalAccessPolicies: 1 of 1 policies lack conditions.locations.includeLocations; " +
				"1 of 1 policies lack conditions.locations.excludeLocations"},
		{"missing parent is reported, not its children", snapshotWith("entra.conditionalAccessPolicies", []any{
			map[string]any{"id": "p1", "state": "enabled", "grantControls": nil, "sessionControls": nil},
		}), "entra.conditionalAccessPolicies", "entra.conditionalAccessPolicies: 1 of 1 policies lack conditions"},
		{"object key", snapshotWith("entra.securityDefaults", map[string]any{"id": "x"}), "entra.securityDefaults",
			"entra.securityDefaults: has no isEnabled"},
		{"Exchange names are PascalCase, read exactly", snapshotWith("exchange.acceptedDomains", []any{
			map[string]any{"domainName": "contoso.com"},
		}), "exchange.acceptedDomains", "exchange.acceptedDomains: 1 of 1 accepted domains lack DomainName"},
		{"OData annotation is one name", snapshotWith("intune.deviceConfigurations", []any{
			map[string]any{"@odata.type": "#microsoft.graph.windows10GeneralConfiguration"},
		}), "intune.deviceConfigurations",
			"intune.deviceConfigurations: 1 of 1 profiles lack assignments (" + hintAssignments + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.snap.Unusable()
			if got[tt.key] != tt.want {
				t.Errorf("Unusable()[%s] = %q\nwant %q", tt.key, got[tt.key], tt.want)
			}
			for k := range got {
				if k != tt.key {
					t.Errorf("Unusable() also names %s: %q", k, got[k])
				}
			}
		})
	}
}

// TestTestTenantsAreUsable checks that the test tenants, the demo and the diff walkthrough's
// snapshots (examples/diff) hold every property the rules count on: their documented findings
// depend on it.
func TestTestTenantsAreUsable(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test tenants found: %v", err)
	}
	paths = append(paths, filepath.Join("..", "demo", "contoso.json"))
	walkthrough, err := filepath.Glob(filepath.Join("..", "..", "examples", "diff", "*.json"))
	if err != nil || len(walkthrough) != 2 {
		t.Fatalf("examples/diff: %d snapshots, %v; want the diff walkthrough's two", len(walkthrough), err)
	}
	paths = append(paths, walkthrough...)
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			s, err := Load(p)
			if err != nil {
				t.Fatal(err)
			}
			unusable := s.Unusable()
			for _, key := range slices.Sorted(maps.Keys(unusable)) {
				t.Errorf("%s", unusable[key])
			}
		})
	}
}

// TestRequirementsDocumented keeps README's contract notes in step with the table: each key is
// listed with each of its properties.
func TestRequirementsDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, notes, ok := strings.Cut(string(data), "### Required properties")
	if !ok {
		t.Fatal("README.md has no section ### Required properties")
	}
	notes, _, _ = strings.Cut(notes, "\n#")
	// Each item reads "- `key`[, `key`...]: `property`, ...", wrapped onto indented lines.
	lines := map[string]string{}
	for _, l := range strings.Split(notes, "\n- ") {
		keys, rest, ok := strings.Cut(strings.ReplaceAll(l, "\n  ", " "), "`: ")
		if !ok {
			continue
		}
		for _, k := range strings.Split(keys, ", ") {
			lines[strings.Trim(k, "`")] = rest
		}
	}
	for _, r := range Requirements() {
		line, ok := lines[r.Key]
		if !ok {
			t.Errorf("README: no line for %s", r.Key)
			continue
		}
		for _, p := range r.Properties {
			if !strings.Contains(line, "`"+p.Path+"`") {
				t.Errorf("README: the line for %s does not name `%s`", r.Key, p.Path)
			}
		}
	}
}
