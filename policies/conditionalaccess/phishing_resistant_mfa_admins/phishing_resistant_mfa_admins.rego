# METADATA
# title: Phishing-resistant multifactor authentication is required for administrative roles
# description: >-
#   Adversary-in-the-middle phishing kits relay push approvals and one-time codes as easily as
#   passwords, and a phished admin session gives away the whole tenant. Passkeys (FIDO2),
#   Windows Hello for Business and certificate-based authentication are bound to the real
#   sign-in page and cannot be relayed. The tenant passes when every enabled holder of a
#   privileged role (active or PIM eligible, directly or through a group; declared break-glass
#   accounts left out) is covered by an enabled Conditional Access policy for all resources and
#   all client apps, with no narrowing conditions, whose grant requires the built-in
#   Phishing-resistant MFA authentication strength (or a custom strength allowing only
#   phishing-resistant methods) without offering an alternative. Security defaults do not
#   satisfy this: they accept Microsoft Authenticator notifications and codes. Report-only
#   policies enforce nothing. Which roles are privileged is the privilegedRoles parameter for
#   posture's verdict and CIS 5.2.2.5; CISA SCuBA MS.AAD.3.6v1 names its own eight "highly
#   privileged roles", so a violation breaks MS.AAD.3.6v1 only when it is about a holder of one
#   of those (or a policy that leaves one out), and a holder of one of them whom privilegedRoles
#   leaves out is still reported, as a warning that breaks MS.AAD.3.6v1 alone. Like the
#   baseline's text, an All-users policy counts for admins (ScubaGear at 4d34e9a counts only a policy
#   that includes all eight roles by name).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/how-to-policy-phish-resistant-admin-mfa
#     description: "Microsoft Learn: Require phishing-resistant multifactor authentication for administrators"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-strengths
#     description: "Microsoft Learn: Conditional Access authentication strength"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-report-only
#     description: "Microsoft Learn: Conditional Access report-only mode"
# custom:
#   id: conditionalaccess.phishing_resistant_mfa_admins
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
#   secure_score: [aad_phishing_MFA_strength]
#   frameworks:
#     cisa_scuba: [MS.AAD.3.6v1]
#     cis_m365: ["5.2.2.5"]
#   license: [AAD_PREMIUM]
#   remediation: >-
#     First make sure every admin has registered a passkey (FIDO2), Windows Hello for Business
#     or certificate-based authentication (a Temporary Access Pass lets them register one), or
#     the policy locks them out. Then in the Microsoft Entra admin center open Entra ID >
#     Conditional Access > Policies (formerly Protection > Conditional Access) > New policy.
#     Users: Include > Select users and groups > Directory roles, and pick every privileged role
#     (at least Global, Application, Authentication, Billing, Cloud Application, Conditional
#     Access, Exchange, Helpdesk, Password, Privileged Authentication, Privileged Role, Security,
#     SharePoint and User Administrator); Exclude > Users and groups: your break-glass accounts
#     only. Target resources: Include > All resources (formerly "All cloud apps"), no
#     exclusions. Leave Conditions and Client apps unconfigured. Grant: Grant access > Require
#     authentication strength > Phishing-resistant MFA. Enable policy: Report-only first, then
#     On. Graph: grantControls.authenticationStrength.id 00000000-0000-0000-0000-000000000004.
#     Conditional Access needs Entra ID P1 and security defaults turned off.
#   user_impact: moderate
#   implementation_cost: moderate
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
#     - name: maxListedUsers
#       type: integer
#       minimum: 0
#       description: >-
#         How many uncovered admins are listed one by one (sorted by object id); the rest are
#         counted in one further violation. Coverage always counts every admin.
#       default: 1000
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); they are left
#         out of the admins this rule checks.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.phishing_resistant_mfa_admins

import data.posture.lib.ca
import data.posture.lib.coverage as cov

_scuba := "MS.AAD.3.6v1"

_eval := cov.admins_eval(ca.phishing_resistant_mfa)

uncovered := _eval.uncovered

coverage := {"covered": count(cov.admins) - count(uncovered), "total": count(cov.admins)} if count(cov.admins) > 0

deny contains object.union(v, {"controls": cov.scuba_controls(v, uncovered, _scuba, ["5.2.2.5"])}) if {
	some v in cov.admin_violations(_eval)
}

warn contains v if some v in cov.scuba_only_admin_violations(ca.phishing_resistant_mfa, _scuba)

error contains msg if some msg in cov.unverifiable_admins(_eval)
