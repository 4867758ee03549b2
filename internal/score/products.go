package score

import (
	"fmt"
	"slices"
	"strings"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/result"
)

// product is one catalog product and whether the tenant has it. Microsoft shows a product's
// recommendations only to a tenant that has the product, and then all of them whatever the
// edition ("If you have a license for one of the supported Microsoft products, then you see
// recommendations for those products. We show you the full set of possible recommendations for
// a product, regardless of license edition":
// https://learn.microsoft.com/defender-xdr/microsoft-secure-score). So an absent product's
// controls leave the maximum; a missing edition's controls stay in it without points.
type product struct {
	result.ProductScore
	def baselines.Product
}

// readProducts decides, for every catalog product, whether the tenant has it. A product is
// present when it is always there (Entra ID), when a usable subscription carries one of its
// service plans, when the newest secureScores object's enabledServices name one of its flags,
// or when Microsoft's controlScores count one of its controls (Microsoft counts controls only
// of products the tenant has). It is absent only when subscribedSkus were read and none of
// that holds: enabledServices flags are not all documented, so their silence proves nothing.
// Otherwise it is unknown, and its controls stay in the maximum (the estimate then errs low,
// never high).
func (e *estimator) readProducts() {
	reported := map[string]string{} // lower-case service -> a control Microsoft counts
	for name := range e.ms.newest.Controls {
		svc := e.ms.profiles[name].Service
		if cc, ok := e.cat.Control(name); ok && svc == "" {
			svc = cc.Service
		}
		key := strings.ToLower(svc)
		if svc != "" && (reported[key] == "" || name < reported[key]) {
			reported[key] = name
		}
	}
	for _, def := range e.cat.Products {
		p := &product{def: def, ProductScore: result.ProductScore{ID: def.ID, Name: def.Name}}
		p.Status, p.Evidence = e.presence(def, reported)
		if e.lic.known {
			for _, ed := range def.Editions {
				if e.lic.any(ed.ServicePlans, e.cat) {
					p.Editions = append(p.Editions, ed.Name)
				}
			}
		}
		e.products = append(e.products, p)
	}
}

// presence returns a product's status and the evidence for it.
func (e *estimator) presence(def baselines.Product, reported map[string]string) (string, string) {
	if def.Always {
		return result.ProductPresent, "every Microsoft 365 tenant has it"
	}
	if e.lic.known {
		for _, plan := range def.ServicePlans {
			if e.lic.any([]string{plan}, e.cat) {
				return result.ProductPresent, "subscribedSkus carry " + plan
			}
		}
	}
	for _, flag := range def.EnabledServices {
		if slices.Contains(e.ms.newest.EnabledServices, flag) {
			return result.ProductPresent, "Microsoft's enabledServices name " + flag
		}
	}
	for _, svc := range def.Services {
		if name := reported[strings.ToLower(svc)]; name != "" {
			return result.ProductPresent, "Microsoft's secureScores count its control " + name
		}
	}
	if !e.lic.known {
		return result.ProductUnknown, sourceProblem(e.snap, skusKey) + ", and Microsoft's enabledServices do not name it"
	}
	why := "no usable subscription carries " + strings.Join(def.ServicePlans, ", ")
	var have []string
	for _, plan := range def.Insufficient {
		if e.lic.any([]string{plan}, e.cat) {
			have = append(have, plan)
		}
	}
	if len(have) > 0 {
		why += fmt.Sprintf(" (%s is there, but does not bring this product)", strings.Join(have, ", "))
	}
	return result.ProductAbsent, why
}

// productOf returns the product whose controls carry service; nil for a service the catalog
// puts in no product.
func (e *estimator) productOf(service string) *product {
	def, ok := e.cat.ProductOf(service)
	if !ok {
		return nil
	}
	for _, p := range e.products {
		if p.ID == def.ID {
			return p
		}
	}
	return nil
}

// leaveOut reports whether c leaves the maximum because the tenant lacks its product, and
// records it on the product.
func (e *estimator) leaveOut(c *control) bool {
	p := e.productOf(c.Service)
	if p == nil || p.Status != result.ProductAbsent {
		return false
	}
	p.LeftOut = append(p.LeftOut, c.ID)
	p.LeftOutMax = round2(p.LeftOutMax + c.Max)
	return true
}

// label names the editions a control kept in the maximum needs, when the tenant has its
// product but none of the editions its licences name.
func (e *estimator) label(c *control) {
	if c.Licensed || len(c.licences) == 0 {
		return
	}
	p := e.productOf(c.Service)
	if p == nil {
		return
	}
	c.MissingEditions = neededEditions(p.def.Editions, c.licences)
}

// neededEditions names the least editions that earn a control with the given licences: the
// editions all of whose plans are among the licences, without one whose plans another such
// edition includes (Entra ID P1's plans include P2's, so a control for P1 or P2 needs "Entra ID
// P1"; one for P2 alone needs "Entra ID P2").
func neededEditions(editions []baselines.Edition, licences []string) []string {
	var fit []baselines.Edition
	for _, ed := range editions {
		if len(ed.ServicePlans) > 0 && !slices.ContainsFunc(ed.ServicePlans, func(p string) bool { return !slices.Contains(licences, p) }) {
			fit = append(fit, ed)
		}
	}
	var out []string
	for _, ed := range fit {
		lower := slices.ContainsFunc(fit, func(o baselines.Edition) bool {
			return len(o.ServicePlans) > len(ed.ServicePlans) &&
				!slices.ContainsFunc(ed.ServicePlans, func(p string) bool { return !slices.Contains(o.ServicePlans, p) })
		})
		if !lower {
			out = append(out, ed.Name)
		}
	}
	return out
}

// productFigures counts each product's controls and labels, and returns the products for the
// score, with a note for every product whose presence is unknown.
func (e *estimator) productFigures() []result.ProductScore {
	for _, c := range e.controls {
		p := e.productOf(c.Service)
		if p == nil {
			continue
		}
		p.Counted++
		if len(c.MissingEditions) > 0 {
			p.Labelled = append(p.Labelled, c.ID)
			for _, ed := range c.MissingEditions {
				if !slices.Contains(p.MissingEditions, ed) {
					p.MissingEditions = append(p.MissingEditions, ed)
				}
			}
		}
	}
	out := make([]result.ProductScore, 0, len(e.products))
	for _, p := range e.products {
		slices.Sort(p.LeftOut)
		slices.Sort(p.Labelled)
		if p.Status == result.ProductUnknown && p.Counted > 0 {
			e.notes = append(e.notes, fmt.Sprintf("whether the tenant has %s is unknown (%s): its %d control(s) stay in the maximum, so the estimate may be too low",
				p.Name, p.Evidence, p.Counted))
		}
		out = append(out, p.ProductScore)
	}
	return out
}
