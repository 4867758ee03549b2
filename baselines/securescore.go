package baselines

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/yamldoc"
)

// catalogFile is the embedded Secure Score control catalog. It sits beside the baselines so it
// is embedded with them, but it is not a baseline: All skips it.
const catalogFile = "securescore.yaml"

// Control is one Microsoft Secure Score control (improvement action) a rule maps to: what it
// is worth and what a tenant needs to earn it. A snapshot's live controlProfiles, when
// present, override MaxScore and Title; the catalog is the fallback.
type Control struct {
	ID       string  `json:"id" yaml:"id"` // the controlName / controlProfiles id, e.g. AdminMFAV2
	Title    string  `json:"title" yaml:"title"`
	Category string  `json:"category" yaml:"category"` // Identity | Data | Device | Apps | Infrastructure
	Service  string  `json:"service" yaml:"service"`   // controlProfiles.service, e.g. AzureAD, EXO, MDO, MDATP
	MaxScore float64 `json:"maxScore" yaml:"maxScore" expect:"a number of points above 0"`
	// Licenses are service plan names (keys of Catalog.ServicePlans); any one suffices. Empty
	// means every tenant can earn the points.
	Licenses           []string `json:"licenses" yaml:"licenses" expect:"a list of service plan names"`
	UserImpact         string   `json:"userImpact" yaml:"userImpact"`                 // low | moderate | high
	ImplementationCost string   `json:"implementationCost" yaml:"implementationCost"` // low | moderate | high
	ActionType         string   `json:"actionType" yaml:"actionType"`                 // Config | Review | Behavior
}

// Catalog is the Secure Score control catalog.
type Catalog struct {
	// ServicePlans maps a service plan name (AAD_PREMIUM) to its servicePlanId, the id
	// subscribedSkus[].servicePlans[] carry.
	ServicePlans map[string]string `json:"servicePlans" yaml:"servicePlans" expect:"a mapping of service plan names to servicePlanIds"`
	Controls     []Control         `json:"controls" yaml:"controls"` // in file order

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
	c := &Catalog{}
	lines, err := yamldoc.Decode(data, c, yamldoc.Options{File: file, Name: "the catalog"})
	if err != nil {
		return nil, err
	}
	if lines == nil {
		return nil, fmt.Errorf("%s: empty file; expected a Secure Score catalog (servicePlans, controls)", file)
	}
	ck := checker{file: file, lines: lines}
	if err := ck.servicePlans(c.ServicePlans); err != nil {
		return nil, err
	}
	if !lines.Has("controls") {
		return nil, ck.errorf("", "the catalog has no controls; expected controls: [<control>, ...]")
	}
	c.byID = map[string]int{}
	for i, ctl := range c.Controls {
		path := fmt.Sprintf("controls[%d]", i)
		if err := ck.control(ctl, path, c.ServicePlans); err != nil {
			return nil, err
		}
		if first, dup := c.byID[ctl.ID]; dup {
			return nil, ck.errorf(path, "control %s listed twice (first at line %d); expected each control once", ctl.ID, lines[fmt.Sprintf("controls[%d]", first)])
		}
		c.byID[ctl.ID] = i
	}
	return c, nil
}

// servicePlans checks the service plan name -> servicePlanId mapping, in file order.
func (c checker) servicePlans(plans map[string]string) error {
	if !c.lines.Has("servicePlans") {
		return c.errorf("", "the catalog has no servicePlans; expected servicePlans: {<PLAN_NAME>: <servicePlanId>}")
	}
	names := sortedKeys(plans)
	slices.SortStableFunc(names, func(a, b string) int {
		return cmp.Compare(c.lines["servicePlans."+a], c.lines["servicePlans."+b])
	})
	for _, name := range names {
		path := "servicePlans." + name
		if !planName.MatchString(name) {
			return c.errorf(path, "service plan name %q; expected an uppercase name such as AAD_PREMIUM", name)
		}
		if !servicePlanID.MatchString(plans[name]) {
			return c.errorf(path, "service plan %s: servicePlanId %q; expected a lowercase GUID", name, plans[name])
		}
	}
	return nil
}

// control checks one control; every key is required.
func (c checker) control(ctl Control, path string, plans map[string]string) error {
	if err := c.required(ctl.ID, path, "id", path); err != nil {
		return err
	}
	where := "control " + ctl.ID
	if !controlID.MatchString(ctl.ID) {
		return c.errorf(path+".id", "%s: id; expected a Secure Score controlName (letters, digits, _ and .)", where)
	}
	for _, f := range []struct{ key, v string }{{"title", ctl.Title}, {"category", ctl.Category}, {"service", ctl.Service},
		{"userImpact", ctl.UserImpact}, {"implementationCost", ctl.ImplementationCost}, {"actionType", ctl.ActionType}} {
		if err := c.required(f.v, path, f.key, where); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		key, val string
		allowed  []string
	}{{"category", ctl.Category, ControlCategories}, {"userImpact", ctl.UserImpact, impactValues},
		{"implementationCost", ctl.ImplementationCost, impactValues}, {"actionType", ctl.ActionType, actionTypes}} {
		if !slices.Contains(f.allowed, f.val) {
			return c.errorf(path+"."+f.key, "%s: %s %q; expected %s", where, f.key, f.val, strings.Join(f.allowed, ", "))
		}
	}
	if !c.lines.Has(path + ".maxScore") {
		return c.errorf(path, "%s has no maxScore; expected maxScore: <points above 0>", where)
	}
	if !(ctl.MaxScore > 0) {
		return c.errorf(path+".maxScore", "%s: maxScore %v; expected a number of points above 0", where, ctl.MaxScore)
	}
	if ctl.Licenses == nil {
		return c.errorf(path, "%s has no licenses; expected licenses: [<service plan name>, ...] or [] for every tenant", where)
	}
	for i, name := range ctl.Licenses {
		at := fmt.Sprintf("%s.licenses[%d]", path, i)
		if _, ok := plans[name]; !ok {
			return c.errorf(at, "%s: licence %s is not in servicePlans; expected one of %s", where, name, strings.Join(sortedKeys(plans), ", "))
		}
		if slices.Contains(ctl.Licenses[:i], name) {
			return c.errorf(at, "%s: licence %s listed twice; expected each plan once", where, name)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
