# Licences of the tenant, from input.entra.subscribedSkus: which service plans the tenant has
# bought and can use. Rules for features that need a licence (Entra ID P1 for Conditional
# Access, P2 for Identity Protection and PIM) say so in their findings instead of assuming.
package posture.lib.licenses

# Service plan ids (servicePlans[].servicePlanId), stable across SKUs that include the plan.
entra_id_p1 := "41781fb2-bc02-4b7c-bd55-b576c07bb09d" # AAD_PREMIUM

entra_id_p2 := "eec0eb4f-6444-4f95-aba0-50c24d67f998" # AAD_PREMIUM_P2

defender_office_p1 := "f20fedf3-f3c3-43c3-8267-2bfdd51c0939" # ATP_ENTERPRISE

defender_office_p2 := "8e0c0a52-6a6c-4d40-8370-dd62790dcd70" # THREAT_INTELLIGENCE

customer_lockbox := "9f431833-0334-42de-a7dc-70aa40db46db" # LOCKBOX_ENTERPRISE

default _skus := []

_skus := input.entra.subscribedSkus if is_array(input.entra.subscribedSkus)

# A subscription in "Warning" is past its end date but still works (grace period); "Suspended"
# and "Deleted" ones no longer grant anything. A plan inside a SKU may itself be disabled.
_usable_sku(s) if s.capabilityStatus in {"Enabled", "Warning"}

_usable_plan(p) if object.get(p, "provisioningStatus", "Success") in {"Success", "PendingActivation", "PendingProvisioning"}

# plans is the set of service plan ids the tenant can use.
plans contains p.servicePlanId if {
	some s in _skus
	_usable_sku(s)
	some p in object.get(s, "servicePlans", [])
	_usable_plan(p)
}

# has is true when the tenant can use the service plan.
has(plan_id) if plan_id in plans

# has_p1 is true when the tenant has Entra ID P1 (P2 includes it).
has_p1 if has(entra_id_p1)

has_p1 if has(entra_id_p2)

# has_p2 is true when the tenant has Entra ID P2.
has_p2 if has(entra_id_p2)

# has_defender_office is true when the tenant has Microsoft Defender for Office 365 (Plan 2
# includes Plan 1): Safe Links, Safe Attachments, impersonation protection.
has_defender_office if has(defender_office_p1)

has_defender_office if has(defender_office_p2)
