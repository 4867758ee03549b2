# METADATA
# title: Multifactor authentication is required for administrative roles
# description: >-
#   Accounts in privileged directory roles can change every security setting of the tenant, so a
#   stolen admin password must not be enough to sign in. The tenant passes when security defaults
#   are on, or when every enabled holder of a privileged role (active or PIM eligible, directly or
#   through a group; declared break-glass accounts left out) is covered, in every class of their
#   admin sessions (resources, client apps, platforms, locations, risk levels, device filters, as
#   posture.lib.ca_eval cuts them: policies for complementary conditions add up, and a block
#   counts), by an enabled Conditional Access policy whose grant requires MFA or an authentication
#   strength without offering an alternative. Report-only policies do not enforce anything.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-admin-mfa
#     description: "Microsoft Learn: Require MFA for administrators"
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/security-defaults
#     description: "Microsoft Learn: Security defaults in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-report-only
#     description: "Microsoft Learn: Conditional Access report-only mode"
# custom:
#   id: entra.admin_mfa
#   severity: high
#   level: shall
#   requires:
#     - entra.securityDefaults
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.groups
#     - entra.groupMembers
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   secure_score: [AdminMFAV2]
#   frameworks:
#     # MS.AAD.3.6v1 asks for *phishing-resistant* MFA for privileged roles, which is stricter
#     # than this rule, so it is not claimed here.
#     cisa_scuba: []
#     cis_m365: ["5.2.2.1"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) and select New policy. Users: Include > Select users and
#     groups > Directory roles, and pick every privileged role (Global, Application,
#     Authentication, Billing, Cloud Application, Conditional Access, Exchange, Helpdesk,
#     Password, Privileged Authentication, Privileged Role, Security, SharePoint and User
#     Administrator); Exclude > Users and groups: your break-glass accounts only. Target
#     resources: Include > All resources (formerly "All cloud apps"), no exclusions. Leave
#     Conditions and Client apps unconfigured. Grant: Grant access > Require multifactor
#     authentication (or Require authentication strength), and if you tick more than one control
#     choose "Require all the selected controls". Enable policy: On (not Report-only).
#     Conditional Access needs Entra ID P1; a tenant without it turns on security defaults
#     instead: Entra ID > Overview > Properties > Manage security defaults > Enabled.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: privilegedRoles
#       type: array
#       items: string
#       description: >-
#         Role template ids that count as privileged; replaces the default, which is the role
#         list of Microsoft's "Require MFA for administrators" policy template plus Hybrid
#         Identity Administrator, which CISA SCuBA counts as highly privileged.
#       default:
#         - 62e90394-69f5-4237-9190-012177145e10 # Global Administrator
#         - 9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3 # Application Administrator
#         - c4e39bd9-1100-46d3-8c65-fb160da0071f # Authentication Administrator
#         - b0f54661-2d74-4c50-afa3-1ec803f12efe # Billing Administrator
#         - 158c047a-c907-4556-b7ef-446551a6b5f7 # Cloud Application Administrator
#         - b1be1c3e-b65d-4f19-8427-f6fa0d97feb9 # Conditional Access Administrator
#         - 29232cdf-9323-42fd-ade2-1d097af3e4de # Exchange Administrator
#         - 729827e3-9c14-49f7-bb1b-9608f156bbb8 # Helpdesk Administrator
#         - 966707d0-3269-4727-9be2-8c3a10f19b9d # Password Administrator
#         - 7be44c8a-adaf-4e2a-84d6-ab2649e08a13 # Privileged Authentication Administrator
#         - e8611ab8-c189-46e8-94e1-60213ab1f814 # Privileged Role Administrator
#         - 194ae4cb-b126-40b2-bd5b-6091b380977d # Security Administrator
#         - f28a1f50-f6e7-4571-818b-6a12f2af6b6c # SharePoint Administrator
#         - fe930be7-5e62-47db-91af-98c3a49a38b1 # User Administrator
#         - 8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2 # Hybrid Identity Administrator
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); they are left
#         out of the admins this rule checks.
#       default: {users: [], groups: []}
package posture.rules.entra.admin_mfa

import data.posture.lib.ca
import data.posture.lib.coverage as cov

# admins is the set of users holding a privileged role who are not disabled, break-glass
# accounts left out (posture.lib.coverage.admins).
admins := cov.admins

default uncovered := set()

# _eval is the evaluation of MFA over every class of the admins' admin sessions.
_eval := cov.admins_eval(ca.mfa)

uncovered := _eval.uncovered if not cov.security_defaults

coverage := {"covered": count(admins) - count(uncovered), "total": count(admins)} if count(admins) > 0

deny contains v if {
	not cov.security_defaults
	some v in cov.admin_violations(_eval)
}

error contains msg if {
	not cov.security_defaults
	some msg in cov.unverifiable_admins(_eval)
}
