package score

import (
	"strings"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/snapshot"
)

const skusKey = "entra.subscribedSkus"

// licences answers which of the catalog's service plans the tenant can use.
type licences struct {
	known bool            // subscribedSkus was read
	plans map[string]bool // usable servicePlanIds, lower case
}

// readLicences collects the service plans of subscriptions that are in use: the subscription
// Enabled or in its grace period (Warning), the plan provisioned or being provisioned. A
// Suspended or LockedOut subscription, or a Disabled plan, earns no points.
func readLicences(snap *snapshot.Snapshot) licences {
	l := licences{plans: map[string]bool{}}
	if src, ok := snap.Sources[skusKey]; !ok || src.Status != snapshot.StatusOK {
		return l
	}
	l.known = true
	skus, _ := snap.Entra["subscribedSkus"].([]any)
	for _, s := range skus {
		sku, ok := s.(map[string]any)
		if !ok {
			continue
		}
		switch sku["capabilityStatus"] {
		case "Enabled", "Warning":
		default:
			continue
		}
		plans, _ := sku["servicePlans"].([]any)
		for _, p := range plans {
			plan, ok := p.(map[string]any)
			if !ok {
				continue
			}
			status, _ := plan["provisioningStatus"].(string)
			id, _ := plan["servicePlanId"].(string)
			if id != "" && (status == "Success" || strings.HasPrefix(status, "Pending")) {
				l.plans[strings.ToLower(id)] = true
			}
		}
	}
	return l
}

// has reports whether the tenant holds any of the control's licences. A control that needs
// none, or a tenant whose subscriptions were not read, counts as licensed: the estimate then
// keeps the control in the achievable score and says so in a note.
func (l licences) has(c baselines.Control, cat *baselines.Catalog) bool {
	if len(c.Licenses) == 0 || !l.known {
		return true
	}
	return l.any(c.Licenses, cat)
}

// any reports whether the tenant can use any of the named service plans (catalog names).
func (l licences) any(names []string, cat *baselines.Catalog) bool {
	for _, name := range names {
		if id := cat.ServicePlans[name]; id != "" && l.plans[strings.ToLower(id)] {
			return true
		}
	}
	return false
}
