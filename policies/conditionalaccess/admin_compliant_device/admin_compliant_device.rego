# METADATA
# title: Administrators sign in only from compliant or hybrid-joined devices
# description: >-
#   An admin session on an unmanaged laptop is exposed to whatever malware and token thieves that
#   device carries, and stolen admin credentials plus MFA are enough from any device of the
#   attacker's choosing. Requiring a device that Intune marks compliant, or that is Microsoft
#   Entra hybrid joined, ties admin access to hardware the organization controls. The tenant
#   passes when every enabled holder of a privileged role (active or PIM eligible, directly or
#   through a group; declared break-glass accounts left out) is covered, in every class of their
#   admin sessions (resources, client apps, platforms, locations, risk levels, device filters, as
#   posture.lib.ca_eval cuts them: policies for complementary conditions add up, and a block
#   counts), by an enabled Conditional Access policy whose grant requires a compliant device or a
#   hybrid-joined device without offering anything else: "compliant device OR hybrid-joined
#   device" counts, "compliant device OR multifactor authentication" does not, because MFA alone
#   then lets an admin in from any device; with "Require all the selected controls" one device
#   control is enough. Security defaults do not require managed devices. Report-only policies
#   enforce nothing.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-compliant-device-admin
#     description: "Microsoft Learn: Require compliant or Microsoft Entra hybrid joined device for administrators"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-grant
#     description: "Microsoft Learn: Conditional Access grant controls"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-report-only
#     description: "Microsoft Learn: Conditional Access report-only mode"
# custom:
#   id: conditionalaccess.admin_compliant_device
#   severity: medium
#   level: should
#   requires:
#     - entra.securityDefaults
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.groups
#     - entra.groupMembers
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     # CISA MS.AAD.3.7v1 and CIS 5.2.2.9 ask for a managed device for *all users*, which is
#     # stricter than this rule: conditionalaccess.managed_device_required checks them.
#     cisa_scuba: []
#     cis_m365: []
#   # Entra ID P1 for Conditional Access; a compliant device also needs Intune (hybrid join does not).
#   license: [AAD_PREMIUM]
#   remediation: >-
#     Make sure every admin works from a device enrolled in Intune with a compliance policy
#     assigned (Intune admin center > Devices > Compliance), or from a Microsoft Entra hybrid
#     joined device, or the policy locks them out. Then in the Microsoft Entra admin center open
#     Entra ID > Conditional Access > Policies (formerly Protection > Conditional Access) > New
#     policy. Users: Include > Select users and groups > Directory roles, and pick every
#     privileged role (at least Global, Application, Authentication, Billing, Cloud
#     Application, Conditional Access, Exchange, Helpdesk, Password, Privileged Authentication,
#     Privileged Role, Security, SharePoint and User Administrator); Exclude > Users and groups:
#     your break-glass accounts only. Target resources: Include > All resources (formerly "All
#     cloud apps"), no exclusions. Leave Conditions and Client apps unconfigured. Grant: Grant
#     access > Require device to be marked as compliant and Require Microsoft Entra hybrid
#     joined device > Require one of the selected controls (do not add Require multifactor
#     authentication to the same "one of" list; require MFA in its own policy). Enable policy:
#     Report-only first, then On. Graph: grantControls.builtInControls ["compliantDevice",
#     "domainJoinedDevice"] with operator "OR". Conditional Access needs Entra ID P1 and
#     security defaults turned off.
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
package posture.rules.conditionalaccess.admin_compliant_device

import data.posture.lib.ca
import data.posture.lib.coverage as cov

_eval := cov.admins_eval(ca.managed_device)

uncovered := _eval.uncovered

coverage := {"covered": count(cov.admins) - count(uncovered), "total": count(cov.admins)} if count(cov.admins) > 0

deny contains v if some v in cov.admin_violations(_eval)

error contains msg if some msg in cov.unverifiable_admins(_eval)
