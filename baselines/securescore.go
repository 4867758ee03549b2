package baselines

import (
	"cmp"
	"fmt"
	"maps"
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
// present, override MaxScore, Title and Category; the catalog is the fallback.
type Control struct {
	ID       string `json:"id" yaml:"id"` // the controlName / controlProfiles id, e.g. AdminMFAV2
	Title    string `json:"title" yaml:"title"`
	Category string `json:"category" yaml:"category"` // Identity | Data | Device | Apps | Infrastructure
	// Service is controlProfiles.service (AzureAD, EXO, MDO, MDATP, ...): Microsoft's name of
	// the product the control belongs to, which names the catalog Product it falls under.
	Service string `json:"service" yaml:"service"`
	// MaxScore is the points the control is worth; nil when no public source establishes them
	// (the estimate then counts the control only where the tenant's own data gives its maximum).
	MaxScore *float64 `json:"maxScore" yaml:"maxScore" expect:"a number of points above 0, or null when no source establishes it"`
	// Licenses are service plan names (keys of Catalog.ServicePlans) of the product's editions
	// that earn the points; any one suffices. Empty means every edition of the product does.
	Licenses           []string `json:"licenses" yaml:"licenses" expect:"a list of service plan names"`
	UserImpact         string   `json:"userImpact" yaml:"userImpact"`                 // low | moderate | high
	ImplementationCost string   `json:"implementationCost" yaml:"implementationCost"` // low | moderate | high
	ActionType         string   `json:"actionType" yaml:"actionType"`                 // Config | Review | Behavior
	// From names the sources (Catalog.Sources ids) of the control's values; a value that comes
	// from elsewhere says so in a comment beside it.
	From []string `json:"from" yaml:"from" expect:"a list of source ids"`
}

// Max returns the control's maximum points, and false when the catalog does not know them.
func (c Control) Max() (float64, bool) {
	if c.MaxScore == nil {
		return 0, false
	}
	return *c.MaxScore, true
}

// CatalogSource is where catalog values come from: a public export of Graph's secureScores and
// secureScoreControlProfiles, one of Microsoft's documents, or posture's own judgement.
type CatalogSource struct {
	ID   string `json:"id" yaml:"id"`
	What string `json:"what" yaml:"what"` // what it is and what the catalog takes from it
	// URL is where to read it; empty for a source without a stable public address (a
	// tenant export), whose What says so.
	URL string `json:"url,omitempty" yaml:"url"`
}

// Product is a Microsoft product Secure Score has recommendations for. Microsoft shows a
// product's recommendations, whatever the tenant's edition of it, only to a tenant that has
// the product; the others are not in its maximum.
type Product struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	// Services are the controlProfiles.service values of the product's controls.
	Services []string `json:"services" yaml:"services" expect:"a list of controlProfiles.service values"`
	// Always marks a product every Microsoft 365 tenant has (Entra ID).
	Always bool `json:"always,omitempty" yaml:"always"`
	// ServicePlans show the product: any one of them usable in subscribedSkus.
	ServicePlans []string `json:"servicePlans" yaml:"servicePlans" expect:"a list of service plan names"`
	// EnabledServices are the flags of secureScores' enabledServices that show the product.
	EnabledServices []string `json:"enabledServices" yaml:"enabledServices" expect:"a list of enabledServices flags"`
	// Insufficient are service plans of a related product that do not bring this one (Defender
	// for Endpoint Plan 1 has no vulnerability management): named when the product is absent.
	Insufficient []string `json:"insufficient,omitempty" yaml:"insufficient" expect:"a list of service plan names"`
	// Editions are the product's editions and add-ons the controls' licences name.
	Editions []Edition `json:"editions" yaml:"editions"`
	From     []string  `json:"from" yaml:"from" expect:"a list of source ids"`
}

// Edition is an edition or add-on of a product, shown by any one of its service plans.
type Edition struct {
	Name         string   `json:"name" yaml:"name"`
	ServicePlans []string `json:"servicePlans" yaml:"servicePlans" expect:"a list of service plan names"`
}

// Catalog is the Secure Score control catalog.
type Catalog struct {
	// Sources are where the catalog's values come from, by id.
	Sources []CatalogSource `json:"sources" yaml:"sources"`
	// ServicePlans maps a service plan name (AAD_PREMIUM) to its servicePlanId, the id
	// subscribedSkus[].servicePlans[] carry.
	ServicePlans map[string]string `json:"servicePlans" yaml:"servicePlans" expect:"a mapping of service plan names to servicePlanIds"`
	Products     []Product         `json:"products" yaml:"products"`
	Controls     []Control         `json:"controls" yaml:"controls"` // in file order

	byID      map[string]int
	byService map[string]int // service -> index into Products
}

// Control returns the control with the given id (exact, as Microsoft spells it).
func (c *Catalog) Control(id string) (Control, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Control{}, false
	}
	return c.Controls[i], true
}

// ProductOf returns the product whose controls carry service (controlProfiles.service, matched
// case-insensitively: Microsoft's exports spell some services in more than one way).
func (c *Catalog) ProductOf(service string) (Product, bool) {
	i, ok := c.byService[strings.ToLower(service)]
	if !ok {
		return Product{}, false
	}
	return c.Products[i], true
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
	planName      = regexp.MustCompile(`^[A-Z][A-Za-z0-9_]*$`)
	servicePlanID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	lowerID       = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	flagName      = regexp.MustCompile(`^Has[A-Za-z0-9]+$`)
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
// one line: "file:line: control X: what is wrong; what was expected". Every key is required
// (licenses: [] says "every edition" explicitly; maxScore: null says no source establishes the
// points), unknown keys and duplicate ids are rejected, every licence must be a service plan of
// an edition of the control's product, and every value must name its sources.
func ParseCatalog(file string, data []byte) (*Catalog, error) {
	c := &Catalog{}
	lines, err := yamldoc.Decode(data, c, yamldoc.Options{File: file, Name: "the catalog"})
	if err != nil {
		return nil, err
	}
	if lines == nil {
		return nil, fmt.Errorf("%s: empty file; expected a Secure Score catalog (sources, servicePlans, products, controls)", file)
	}
	ck := checker{file: file, lines: lines}
	sources, err := ck.sources(c.Sources)
	if err != nil {
		return nil, err
	}
	if err := ck.servicePlans(c.ServicePlans); err != nil {
		return nil, err
	}
	if c.byService, err = ck.products(c.Products, c.ServicePlans, sources); err != nil {
		return nil, err
	}
	if !lines.Has("controls") {
		return nil, ck.errorf("", "the catalog has no controls; expected controls: [<control>, ...]")
	}
	c.byID = map[string]int{}
	for i, ctl := range c.Controls {
		path := fmt.Sprintf("controls[%d]", i)
		if err := ck.control(ctl, path, c, sources); err != nil {
			return nil, err
		}
		if first, dup := c.byID[ctl.ID]; dup {
			return nil, ck.errorf(path, "control %s listed twice (first at line %d); expected each control once", ctl.ID, lines[fmt.Sprintf("controls[%d]", first)])
		}
		c.byID[ctl.ID] = i
	}
	return c, nil
}

// sources checks the source list and returns its ids.
func (c checker) sources(srcs []CatalogSource) (map[string]bool, error) {
	if !c.lines.Has("sources") {
		return nil, c.errorf("", "the catalog has no sources; expected sources: [{id, what, url}, ...], naming where its values come from")
	}
	ids := map[string]bool{}
	for i, s := range srcs {
		path := fmt.Sprintf("sources[%d]", i)
		if err := c.required(s.ID, path, "id", path); err != nil {
			return nil, err
		}
		where := "source " + s.ID
		if !lowerID.MatchString(s.ID) {
			return nil, c.errorf(path+".id", "%s: id; expected lowercase letters, digits, - and _", where)
		}
		if ids[s.ID] {
			return nil, c.errorf(path+".id", "%s listed twice; expected each source once", where)
		}
		ids[s.ID] = true
		if err := c.required(s.What, path, "what", where); err != nil {
			return nil, err
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") {
			return nil, c.errorf(path+".url", "%s: url %q; expected an https:// address", where, s.URL)
		}
	}
	return ids, nil
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
			return c.errorf(path, "service plan name %q; expected the String ID Microsoft's licensing table gives, such as AAD_PREMIUM", name)
		}
		if !servicePlanID.MatchString(plans[name]) {
			return c.errorf(path, "service plan %s: servicePlanId %q; expected a lowercase GUID", name, plans[name])
		}
	}
	return nil
}

// products checks the products and returns the index of each service's product.
func (c checker) products(products []Product, plans map[string]string, sources map[string]bool) (map[string]int, error) {
	if !c.lines.Has("products") {
		return nil, c.errorf("", "the catalog has no products; expected products: [{id, name, services, ...}], one per product Secure Score has recommendations for")
	}
	byService := map[string]int{}
	ids := map[string]bool{}
	for i, p := range products {
		path := fmt.Sprintf("products[%d]", i)
		if err := c.required(p.ID, path, "id", path); err != nil {
			return nil, err
		}
		where := "product " + p.ID
		if !lowerID.MatchString(p.ID) {
			return nil, c.errorf(path+".id", "%s: id; expected lowercase letters, digits, - and _", where)
		}
		if ids[p.ID] {
			return nil, c.errorf(path+".id", "%s listed twice; expected each product once", where)
		}
		ids[p.ID] = true
		if err := c.required(p.Name, path, "name", where); err != nil {
			return nil, err
		}
		if len(p.Services) == 0 {
			return nil, c.errorf(path, "%s has no services; expected services: [<controlProfiles.service>, ...]", where)
		}
		for j, s := range p.Services {
			key := strings.ToLower(s)
			if first, dup := byService[key]; dup {
				return nil, c.errorf(fmt.Sprintf("%s.services[%d]", path, j), "%s: service %s belongs to product %s already; expected each service in one product", where, s, products[first].ID)
			}
			byService[key] = i
		}
		for _, list := range []struct {
			key   string
			names []string
		}{{"servicePlans", p.ServicePlans}, {"insufficient", p.Insufficient}} {
			if err := c.planList(list.names, path, list.key, where, plans, list.key == "servicePlans"); err != nil {
				return nil, err
			}
		}
		if !p.Always && len(p.ServicePlans) == 0 {
			return nil, c.errorf(path, "%s has no servicePlans and is not always present; expected the service plans that show it", where)
		}
		if p.EnabledServices == nil {
			return nil, c.errorf(path, "%s has no enabledServices; expected enabledServices: [<flag>, ...] or [] when no flag is known", where)
		}
		for j, f := range p.EnabledServices {
			if !flagName.MatchString(f) {
				return nil, c.errorf(fmt.Sprintf("%s.enabledServices[%d]", path, j), "%s: enabledServices flag %q; expected a flag such as HasMDEP2", where, f)
			}
		}
		for j, e := range p.Editions {
			epath := fmt.Sprintf("%s.editions[%d]", path, j)
			if err := c.required(e.Name, epath, "name", where+" edition"); err != nil {
				return nil, err
			}
			if err := c.planList(e.ServicePlans, epath, "servicePlans", where+" edition "+e.Name, plans, true); err != nil {
				return nil, err
			}
		}
		if err := c.from(p.From, path, where, sources); err != nil {
			return nil, err
		}
	}
	return byService, nil
}

// planList checks the list of service plan names at parent.key; a required list must be there.
func (c checker) planList(names []string, parent, key, where string, plans map[string]string, required bool) error {
	if required && !c.lines.Has(parent+"."+key) {
		return c.errorf(parent, "%s has no %s; expected %s: [<service plan name>, ...]", where, key, key)
	}
	for i, name := range names {
		at := fmt.Sprintf("%s.%s[%d]", parent, key, i)
		if _, ok := plans[name]; !ok {
			return c.errorf(at, "%s: service plan %s is not in servicePlans; expected one of %s", where, name, strings.Join(sortedKeys(plans), ", "))
		}
		if slices.Contains(names[:i], name) {
			return c.errorf(at, "%s: service plan %s listed twice; expected each plan once", where, name)
		}
	}
	return nil
}

// from checks a block's sources: a non-empty list of known source ids.
func (c checker) from(ids []string, path, where string, sources map[string]bool) error {
	if len(ids) == 0 {
		return c.errorf(path, "%s has no from; expected from: [<source id>, ...] naming where its values come from", where)
	}
	for i, id := range ids {
		if !sources[id] {
			return c.errorf(fmt.Sprintf("%s.from[%d]", path, i), "%s: source %q is not in sources; expected one of %s", where, id, strings.Join(slices.Sorted(maps.Keys(sources)), ", "))
		}
	}
	return nil
}

// control checks one control; every key is required.
func (c checker) control(ctl Control, path string, cat *Catalog, sources map[string]bool) error {
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
	product, ok := cat.ProductOf(ctl.Service)
	if !ok {
		return c.errorf(path+".service", "%s: service %s belongs to no product; expected the service of one of the products (%s)", where, ctl.Service, strings.Join(allServices(cat.Products), ", "))
	}
	if !c.lines.Has(path + ".maxScore") {
		return c.errorf(path, "%s has no maxScore; expected maxScore: <points above 0>, or null when no source establishes them", where)
	}
	if m := ctl.MaxScore; m != nil && !(*m > 0) {
		return c.errorf(path+".maxScore", "%s: maxScore %v; expected a number of points above 0, or null when no source establishes them", where, *m)
	}
	if ctl.Licenses == nil {
		return c.errorf(path, "%s has no licenses; expected licenses: [<service plan name>, ...] or [] for every edition of the product", where)
	}
	for i, name := range ctl.Licenses {
		at := fmt.Sprintf("%s.licenses[%d]", path, i)
		if _, ok := cat.ServicePlans[name]; !ok {
			return c.errorf(at, "%s: licence %s is not in servicePlans; expected one of %s", where, name, strings.Join(sortedKeys(cat.ServicePlans), ", "))
		}
		if slices.Contains(ctl.Licenses[:i], name) {
			return c.errorf(at, "%s: licence %s listed twice; expected each plan once", where, name)
		}
		if len(product.EditionsWith(name)) == 0 {
			return c.errorf(at, "%s: licence %s is no edition of product %s; expected a service plan of its editions (%s)", where, name, product.ID, strings.Join(product.editionPlans(), ", "))
		}
	}
	return c.from(ctl.From, path, where, sources)
}

// EditionsWith returns the names of the product's editions that plan shows.
func (p Product) EditionsWith(plan string) []string {
	var out []string
	for _, e := range p.Editions {
		if slices.Contains(e.ServicePlans, plan) {
			out = append(out, e.Name)
		}
	}
	return out
}

func (p Product) editionPlans() []string {
	var out []string
	for _, e := range p.Editions {
		for _, s := range e.ServicePlans {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

func allServices(products []Product) []string {
	var out []string
	for _, p := range products {
		out = append(out, p.Services...)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
