# Licences of the tenant, from input.entra.subscribedSkus: which service plans the tenant has
# bought and can use. Rules for features that need a licence (Entra ID P1 for Conditional
# Access, P2 for Identity Protection, P2 or Entra ID Governance for PIM, SAFEDOCS for Safe
# Documents) say so in their findings instead of assuming.
package posture.lib.licenses

# service_plans are the service plans posture's rules look for, as Microsoft's service plan
# reference lists them (baselines/licensing; go test ./baselines checks every entry against it):
# the servicePlanId subscribedSkus[].servicePlans[] carry, and products (skuPartNumber:
# Microsoft's product name) that contain the plan ("in", named in messages) or, where a mistake
# is easy, do not ("not_in").
service_plans := {
	"AAD_PREMIUM": {
		"id": "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
		"in": {"AAD_PREMIUM": "Microsoft Entra ID P1", "AAD_PREMIUM_P2": "Microsoft Entra ID P2", "SPE_E3": "Microsoft 365 E3", "SPB": "Microsoft 365 Business Premium", "EMS": "Enterprise Mobility + Security E3"},
		"not_in": {"ENTERPRISEPACK": "Office 365 E3"},
	},
	"AAD_PREMIUM_P2": {
		"id": "eec0eb4f-6444-4f95-aba0-50c24d67f998",
		"in": {"AAD_PREMIUM_P2": "Microsoft Entra ID P2", "SPE_E5": "Microsoft 365 E5", "EMSPREMIUM": "Enterprise Mobility + Security E5"},
		"not_in": {"SPE_E3": "Microsoft 365 E3", "SPB": "Microsoft 365 Business Premium"},
	},
	"Entra_Identity_Governance": {
		"id": "e866a266-3cff-43a3-acca-0c90a7e00c8b",
		"in": {"Microsoft_Entra_ID_Governance": "Microsoft Entra ID Governance"},
		"not_in": {"SPE_E5": "Microsoft 365 E5"},
	},
	"ATP_ENTERPRISE": {
		"id": "f20fedf3-f3c3-43c3-8267-2bfdd51c0939",
		"in": {"ATP_ENTERPRISE": "Microsoft Defender for Office 365 (Plan 1)", "THREAT_INTELLIGENCE": "Microsoft Defender for Office 365 (Plan 2)", "SPB": "Microsoft 365 Business Premium", "SPE_E5": "Microsoft 365 E5"},
		"not_in": {"SPE_E3": "Microsoft 365 E3"},
	},
	"THREAT_INTELLIGENCE": {
		"id": "8e0c0a52-6a6c-4d40-8370-dd62790dcd70",
		"in": {"THREAT_INTELLIGENCE": "Microsoft Defender for Office 365 (Plan 2)", "SPE_E5": "Microsoft 365 E5", "ENTERPRISEPREMIUM": "Office 365 E5"},
		"not_in": {"ATP_ENTERPRISE": "Microsoft Defender for Office 365 (Plan 1)"},
	},
	# Safe Documents is its own service plan, not part of Defender for Office 365 Plan 2
	# (Microsoft Learn, "Safe Documents in Microsoft 365 A5 or E5 Security").
	"SAFEDOCS": {
		"id": "bf6f5520-59e3-4f82-974b-7dbbc4fd27c7",
		"in": {"SPE_E5": "Microsoft 365 E5", "M365EDU_A5_FACULTY": "Microsoft 365 A5 for faculty", "IDENTITY_THREAT_PROTECTION": "Microsoft Defender Suite"},
		"not_in": {"THREAT_INTELLIGENCE": "Microsoft Defender for Office 365 (Plan 2)", "ENTERPRISEPREMIUM": "Office 365 E5"},
	},
	"LOCKBOX_ENTERPRISE": {
		"id": "9f431833-0334-42de-a7dc-70aa40db46db",
		"in": {"SPE_E5": "Microsoft 365 E5", "ENTERPRISEPREMIUM": "Office 365 E5", "INFORMATION_PROTECTION_COMPLIANCE": "Microsoft 365 E5 Compliance"},
		"not_in": {"SPE_E3": "Microsoft 365 E3"},
	},
	"INTUNE_A": {
		"id": "c1ec4a95-1f05-45b3-a911-aa3fa01094f5",
		"in": {"INTUNE_A": "Intune", "SPE_E3": "Microsoft 365 E3", "SPB": "Microsoft 365 Business Premium", "EMS": "Enterprise Mobility + Security E3"},
		"not_in": {"ENTERPRISEPACK": "Office 365 E3"},
	},
}

# Service plan ids (servicePlans[].servicePlanId), stable across SKUs that include the plan.
entra_id_p1 := service_plans.AAD_PREMIUM.id

entra_id_p2 := service_plans.AAD_PREMIUM_P2.id

entra_id_governance := service_plans.Entra_Identity_Governance.id

defender_office_p1 := service_plans.ATP_ENTERPRISE.id

defender_office_p2 := service_plans.THREAT_INTELLIGENCE.id

customer_lockbox := service_plans.LOCKBOX_ENTERPRISE.id

safe_documents := service_plans.SAFEDOCS.id

# products lists, for a message, the products that contain the service plan.
products(name) := concat(", ", sort([p | some p in service_plans[name]["in"]]))

# missing is the not_applicable reason of a rule whose feature needs one of the service plans
# `names` (any one suffices, as custom.license reads), none of which the tenant has; each plan
# comes with the products that contain it.
missing(feature, names) := sprintf("%s needs the service plan %s, which the tenant does not have", [feature, _with_products(names[0])]) if {
	count(names) == 1
}

missing(feature, names) := sprintf("%s needs one of the service plans %s, and the tenant has none of them", [feature, concat(" or ", [_with_products(n) | some n in names])]) if {
	count(names) > 1
}

_with_products(name) := sprintf("%s (in %s)", [name, products(name)])

# errors is why the tenant's licences cannot be read. A rule whose not_applicable rests on a
# missing plan adds them to its own, so a snapshot without subscribedSkus is error, never "not
# licensed" (the engine also fails closed on the required source).
errors contains "entra.subscribedSkus is not a list, so which service plans the tenant has is unknown" if not _skus_known

_skus_known if is_array(input.entra.subscribedSkus)

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

# has_pim is true when the tenant can use Privileged Identity Management: Microsoft Learn's
# Entra ID Governance licensing table lists PIM under Entra ID P2, Entra ID Governance and the
# Entra Suite (which includes ID Governance).
has_pim if has_p2

has_pim if has(entra_id_governance)

# pim_plans are the service plans that bring Privileged Identity Management, any one suffices.
pim_plans := ["AAD_PREMIUM_P2", "Entra_Identity_Governance"]

# has_defender_office is true when the tenant has Microsoft Defender for Office 365 (Plan 2
# includes Plan 1): Safe Links, Safe Attachments, impersonation protection.
has_defender_office if has(defender_office_p1)

has_defender_office if has(defender_office_p2)
