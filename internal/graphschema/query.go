package graphschema

import (
	"fmt"
	"strings"
)

// QueryError is a query option Graph refuses, with the code and message of Graph's error
// body. Graph answers 400 to an unknown $select or $expand name with
//
//	{"error": {"code": "BadRequest", "message": "Parsing OData Select and Expand failed:
//	Could not find a property named 'x' on type 'microsoft.graph.y'."}}
//
// (the message as Graph sends it for a directory resource in
// microsoftgraph/msgraph-sdk-powershell#2103, the code with it in mguessan/davmail#488), and
// to $expand of a property that is not a navigation property with "Property 'body' on type
// 'microsoft.graph.message' is not a navigation property or complex property. Only
// navigation properties can be expanded." (Softeria/ms-365-mcp-server#595, from OData's URI
// parser, OData/odata.net#2831).
type QueryError struct {
	Code    string
	Message string
}

func (e *QueryError) Error() string { return e.Code + ": " + e.Message }

const selectExpandFailed = "Parsing OData Select and Expand failed: "

func notFound(name string, t *Type) *QueryError {
	return &QueryError{Code: "BadRequest", Message: selectExpandFailed +
		fmt.Sprintf("Could not find a property named '%s' on type '%s'.", name, t.Name)}
}

func badTerm(term string) *QueryError {
	return &QueryError{Code: "BadRequest", Message: selectExpandFailed +
		fmt.Sprintf("Term '%s' is not valid in a $select or $expand expression.", term)}
}

// ExpandItem is one navigation property of an $expand, with its nested options.
type ExpandItem struct {
	Name string // as written
	Cast string // a type cast before the name ("microsoft.graph.x/name"), or ""
	// Select and Expand are the nested $select and $expand; nil when not given.
	Select []string
	Expand []ExpandItem
	// Options are the other nested options ($filter, $top, ...), option name lowercased with
	// its '$' -> value.
	Options map[string]string
}

// ParseSelect splits a $select value into its items.
func ParseSelect(raw string) ([]string, error) {
	parts, err := splitTop(raw, ',')
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || strings.ContainsAny(p, "()") {
			return nil, badTerm(p)
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseExpand parses an $expand value: "assignments,scheduledActionsForRule($expand=
// scheduledActionConfigurations)" names assignments and scheduledActionsForRule, the latter
// with a nested $expand.
func ParseExpand(raw string) ([]ExpandItem, error) {
	parts, err := splitTop(raw, ',')
	if err != nil {
		return nil, err
	}
	out := make([]ExpandItem, 0, len(parts))
	for _, p := range parts {
		it, err := parseExpandItem(strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func parseExpandItem(p string) (ExpandItem, error) {
	var it ExpandItem
	name, opts, hasOpts := strings.Cut(p, "(")
	if hasOpts {
		if !strings.HasSuffix(opts, ")") {
			return it, badTerm(p)
		}
		opts = strings.TrimSuffix(opts, ")")
	}
	name = strings.TrimSpace(name)
	if cast, n, ok := strings.Cut(name, "/"); ok {
		it.Cast, name = cast, n
	}
	if name == "" || !isIdentifier(name) && name != "*" {
		return it, badTerm(p)
	}
	it.Name = name
	if !hasOpts {
		return it, nil
	}
	parts, err := splitTop(opts, ';')
	if err != nil {
		return it, err
	}
	for _, o := range parts {
		k, v, ok := strings.Cut(strings.TrimSpace(o), "=")
		if !ok {
			return it, badTerm(o)
		}
		k = "$" + strings.TrimPrefix(strings.ToLower(strings.TrimSpace(k)), "$")
		switch k {
		case "$select":
			if it.Select, err = ParseSelect(v); err != nil {
				return it, err
			}
		case "$expand":
			if it.Expand, err = ParseExpand(v); err != nil {
				return it, err
			}
		default:
			if it.Options == nil {
				it.Options = map[string]string{}
			}
			it.Options[k] = v
		}
	}
	return it, nil
}

// splitTop splits s at sep outside parentheses and quotes.
func splitTop(s string, sep rune) ([]string, error) {
	var out []string
	depth, start, quoted := 0, 0, false
	for i, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
		case quoted:
		case r == '(':
			depth++
		case r == ')':
			depth--
			if depth < 0 {
				return nil, badTerm(s)
			}
		case r == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if depth != 0 || quoted {
		return nil, badTerm(s)
	}
	return append(out, s[start:]), nil
}

func isIdentifier(s string) bool {
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

// CheckSelect checks $select items against t: each names a property of t (or of a type
// derived from it, after a cast "microsoft.graph.x/name"), or a property of a complex
// property ("a/b"); "*" selects all. Graph refuses the whole request at the first unknown
// name, and so does CheckSelect. Open types are no exception: Graph refuses an unknown
// $select name on servicePrincipal, an open type; only directory extension properties
// (extension_<appId>_<name>) may be selected without being declared.
func (s *Schema) CheckSelect(t *Type, items []string) error {
	for _, item := range items {
		if item == "*" {
			continue
		}
		cur := t
		segs := strings.Split(item, "/")
		for i, seg := range segs {
			if isQualified(seg) {
				cast, ok := s.Type(seg)
				if !ok || !cast.IsA(cur) || i == len(segs)-1 {
					return badTerm(item)
				}
				cur = cast
				continue
			}
			if !isIdentifier(seg) {
				return badTerm(item)
			}
			p, ok := cur.Property(seg)
			if !ok {
				if cur.Kind == Entity && cur.Open && isExtension(seg) && i == len(segs)-1 {
					break
				}
				return notFound(seg, cur)
			}
			if i == len(segs)-1 {
				break
			}
			next, ok := s.Type(p.Type)
			if p.Navigation || !ok || next.Kind != Complex {
				return badTerm(item)
			}
			cur = next
		}
	}
	return nil
}

// CheckExpand checks $expand items against t: each names a navigation property of t (or of
// a type derived from it after a cast), and its nested $select and $expand are checked
// against the navigation property's type.
func (s *Schema) CheckExpand(t *Type, items []ExpandItem) error {
	for _, it := range items {
		if it.Name == "*" {
			continue
		}
		cur := t
		if it.Cast != "" {
			cast, ok := s.Type(it.Cast)
			if !isQualified(it.Cast) || !ok || !cast.IsA(t) {
				return badTerm(it.Cast + "/" + it.Name)
			}
			cur = cast
		}
		p, ok := cur.Property(it.Name)
		if !ok {
			return notFound(it.Name, cur)
		}
		if !p.Navigation {
			return &QueryError{Code: "BadRequest", Message: selectExpandFailed + fmt.Sprintf(
				"Property '%s' on type '%s' is not a navigation property or complex property. Only navigation properties can be expanded.",
				it.Name, cur.Name)}
		}
		target, ok := s.Type(p.Type)
		if !ok {
			return fmt.Errorf("graph schema %s: %s.%s targets %s, which the compact schema leaves out; add the request to the generator's roots",
				s.Version, cur.Name, p.Name, p.Type)
		}
		if it.Select != nil {
			if err := s.CheckSelect(target, it.Select); err != nil {
				return err
			}
		}
		if err := s.CheckExpand(target, it.Expand); err != nil {
			return err
		}
	}
	return nil
}

// CheckQuery checks the $select and $expand values of a request on t ("" when absent).
func (s *Schema) CheckQuery(t *Type, selectValue, expandValue string) error {
	if selectValue != "" {
		items, err := ParseSelect(selectValue)
		if err != nil {
			return err
		}
		if err := s.CheckSelect(t, items); err != nil {
			return err
		}
	}
	if expandValue != "" {
		items, err := ParseExpand(expandValue)
		if err != nil {
			return err
		}
		return s.CheckExpand(t, items)
	}
	return nil
}

// isExtension reports whether a property name is a directory extension property,
// extension_<application id without dashes>_<name>: the dynamic properties Graph serves on
// open directory types (user, group, servicePrincipal, ...).
func isExtension(name string) bool {
	rest, ok := strings.CutPrefix(name, "extension_")
	if !ok {
		return false
	}
	app, prop, ok := strings.Cut(rest, "_")
	if !ok || len(app) != 32 || prop == "" {
		return false
	}
	for _, r := range strings.ToLower(app) {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}
