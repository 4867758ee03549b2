package baselines

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// catalogFile is the embedded Secure Score control catalog. It sits beside the baselines so it
// is embedded with them, but it is not a baseline: All skips it.
const catalogFile = "securescore.yaml"

// Control is one Microsoft Secure Score control (improvement action) a rule maps to: what it
// is worth and what a tenant needs to earn it. A snapshot's live controlProfiles, when
// present, override MaxScore and Title; the catalog is the fallback.
type Control struct {
	ID       string  `json:"id"` // the controlName / controlProfiles id, e.g. AdminMFAV2
	Title    string  `json:"title"`
	Category string  `json:"category"` // Identity | Data | Device | Apps | Infrastructure
	Service  string  `json:"service"`  // controlProfiles.service, e.g. AzureAD, EXO, MDO, MDATP
	MaxScore float64 `json:"maxScore"`
	// Licenses are service plan names (keys of Catalog.ServicePlans); any one suffices. Empty
	// means every tenant can earn the points.
	Licenses           []string `json:"licenses"`
	UserImpact         string   `json:"userImpact"`         // low | moderate | high
	ImplementationCost string   `json:"implementationCost"` // low | moderate | high
	ActionType         string   `json:"actionType"`         // Config | Review | Behavior
}

// Catalog is the Secure Score control catalog.
type Catalog struct {
	Controls []Control `json:"controls"` // in file order
	// ServicePlans maps a service plan name (AAD_PREMIUM) to its servicePlanId, the id
	// subscribedSkus[].servicePlans[] carry.
	ServicePlans map[string]string `json:"servicePlans"`

	byID map[string]int
}

// Control returns the control with the given id (exact, as Microsoft spells it).
func (c *Catalog) Control(id string) (Control, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Control{}, false
	}
	return c.Controls[i], true
}

// The values the catalog's enumerated fields may take.
var (
	// ControlCategories are Secure Score's categories, in its display order.
	ControlCategories = []string{"Identity", "Data", "Device", "Apps", "Infrastructure"}
	impactValues      = []string{"low", "moderate", "high"}
	actionTypes       = []string{"Config", "Review", "Behavior"}
)

// The keys each mapping of the catalog may hold.
var (
	catalogKeys = []string{"servicePlans", "controls"}
	controlKeys = []string{"id", "title", "category", "service", "maxScore", "licenses", "userImpact", "implementationCost", "actionType"}
)

var (
	controlID     = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)
	planName      = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	servicePlanID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// LoadCatalog parses the embedded Secure Score control catalog. Each call returns a new
// Catalog the caller may keep.
func LoadCatalog() (*Catalog, error) {
	data, err := files.ReadFile(catalogFile)
	if err != nil {
		return nil, fmt.Errorf("read secure score catalog: %w", err)
	}
	return ParseCatalog("baselines/"+catalogFile, data)
}

// ParseCatalog reads a Secure Score control catalog. file names the file in errors, which are
// one line: "file:line: control X: what is wrong; what was expected". Every control key is
// required (licenses: [] says "every tenant" explicitly), unknown keys and duplicate ids are
// rejected, and every licence must be a service plan the catalog names.
func ParseCatalog(file string, data []byte) (*Catalog, error) {
	p := parser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("%s: empty file; expected a Secure Score catalog (servicePlans, controls)", file)
	}
	root := doc.Content[0]
	m, err := p.mapping(root, "the catalog", catalogKeys)
	if err != nil {
		return nil, err
	}
	c := &Catalog{byID: map[string]int{}}
	if c.ServicePlans, err = p.servicePlans(m["servicePlans"], root.Line); err != nil {
		return nil, err
	}
	if m["controls"] == nil {
		return nil, p.errorf(root.Line, "the catalog has no controls; expected controls: [<control>, ...]")
	}
	items, err := p.sequence(m["controls"], "controls")
	if err != nil {
		return nil, err
	}
	for i, item := range items {
		ctl, err := p.control(item, i, c.ServicePlans)
		if err != nil {
			return nil, err
		}
		if first, dup := c.byID[ctl.ID]; dup {
			return nil, p.errorf(item.Line, "control %s listed twice (first at line %d); expected each control once", ctl.ID, items[first].Line)
		}
		c.byID[ctl.ID] = len(c.Controls)
		c.Controls = append(c.Controls, ctl)
	}
	return c, nil
}

// servicePlans reads the service plan name -> servicePlanId mapping.
func (p parser) servicePlans(n *yaml.Node, line int) (map[string]string, error) {
	if n == nil {
		return nil, p.errorf(line, "the catalog has no servicePlans; expected servicePlans: {<PLAN_NAME>: <servicePlanId>}")
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n.Line, "servicePlans is %s; expected a mapping of service plan names to servicePlanIds", describe(n))
	}
	out := make(map[string]string, len(n.Content)/2)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !planName.MatchString(k.Value) {
			return nil, p.errorf(k.Line, "service plan name %q; expected an uppercase name such as AAD_PREMIUM", k.Value)
		}
		if first, dup := seen[k.Value]; dup {
			return nil, p.errorf(k.Line, "service plan %s listed twice (first at line %d); expected each plan once", k.Value, first)
		}
		seen[k.Value] = k.Line
		if v.Kind != yaml.ScalarNode || !servicePlanID.MatchString(v.Value) {
			return nil, p.errorf(v.Line, "service plan %s: servicePlanId %s; expected a lowercase GUID", k.Value, describe(v))
		}
		out[k.Value] = v.Value
	}
	return out, nil
}

// control reads one control; every key is required.
func (p parser) control(n *yaml.Node, i int, plans map[string]string) (Control, error) {
	var c Control
	m, err := p.mapping(n, fmt.Sprintf("controls[%d]", i), controlKeys)
	if err != nil {
		return c, err
	}
	if c.ID, err = p.reqString(m, "id", fmt.Sprintf("controls[%d]", i), n.Line); err != nil {
		return c, err
	}
	where := "control " + c.ID
	if !controlID.MatchString(c.ID) {
		return c, p.errorf(m["id"].Line, "%s: id; expected a Secure Score controlName (letters, digits, _ and .)", where)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"title", &c.Title}, {"category", &c.Category}, {"service", &c.Service}, {"userImpact", &c.UserImpact},
		{"implementationCost", &c.ImplementationCost}, {"actionType", &c.ActionType}} {
		if *f.dst, err = p.reqString(m, f.key, where, n.Line); err != nil {
			return c, err
		}
	}
	for _, f := range []struct {
		key, val string
		allowed  []string
	}{{"category", c.Category, ControlCategories}, {"userImpact", c.UserImpact, impactValues},
		{"implementationCost", c.ImplementationCost, impactValues}, {"actionType", c.ActionType, actionTypes}} {
		if !slices.Contains(f.allowed, f.val) {
			return c, p.errorf(m[f.key].Line, "%s: %s %q; expected %s", where, f.key, f.val, strings.Join(f.allowed, ", "))
		}
	}
	if c.MaxScore, err = p.points(m, where, n.Line); err != nil {
		return c, err
	}
	if c.Licenses, err = p.licenses(m, where, n.Line, plans); err != nil {
		return c, err
	}
	return c, nil
}

// points reads a control's maxScore: a number above zero.
func (p parser) points(m map[string]*yaml.Node, where string, line int) (float64, error) {
	v := m["maxScore"]
	if v == nil {
		return 0, p.errorf(line, "%s has no maxScore; expected maxScore: <points above 0>", where)
	}
	var f float64
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") || v.Decode(&f) != nil {
		return 0, p.errorf(v.Line, "%s: maxScore is %s; expected a number of points above 0", where, describe(v))
	}
	if !(f > 0) || math.IsInf(f, 0) {
		return 0, p.errorf(v.Line, "%s: maxScore %s; expected a number of points above 0", where, v.Value)
	}
	return f, nil
}

// licenses reads a control's service plan names; each must be one of plans. The list is
// required and never nil, so "every tenant" is written out as [].
func (p parser) licenses(m map[string]*yaml.Node, where string, line int, plans map[string]string) ([]string, error) {
	v := m["licenses"]
	if v == nil {
		return nil, p.errorf(line, "%s has no licenses; expected licenses: [<service plan name>, ...] or [] for every tenant", where)
	}
	if v.Kind != yaml.SequenceNode {
		return nil, p.errorf(v.Line, "%s: licenses is %s; expected a list of service plan names", where, describe(v))
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		name := item.Value
		if item.Kind != yaml.ScalarNode {
			name = describe(item)
		}
		if _, ok := plans[name]; !ok || item.Kind != yaml.ScalarNode {
			return nil, p.errorf(item.Line, "%s: licence %s is not in servicePlans; expected one of %s", where, name, strings.Join(sortedKeys(plans), ", "))
		}
		if slices.Contains(out, name) {
			return nil, p.errorf(item.Line, "%s: licence %s listed twice; expected each plan once", where, name)
		}
		out = append(out, name)
	}
	return out, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
