# METADATA
# title: Modern authentication is on for Exchange Online
# description: >-
#   With modern authentication (OAuth 2.0) off, Outlook for Windows and Mac falls back to basic
#   authentication prompts, which bypass MFA and Conditional Access. Tenants created since 2017
#   have it on, but older tenants may still carry the old default:
#   Get-OrganizationConfig's OAuth2ClientProfileEnabled must be true.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/enable-or-disable-modern-authentication-in-exchange-online
#     description: "Microsoft Learn: Enable or disable modern authentication for Outlook in Exchange Online"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-organizationconfig
#     description: "Microsoft Learn: Set-OrganizationConfig (OAuth2ClientProfileEnabled)"
# custom:
#   id: exchange.modern_auth_enabled
#   severity: high
#   level: shall
#   requires: [exchange.organizationConfig]
#   secure_score: [exo_oauth2clientprofileenabled]
#   frameworks:
#     cis_m365: ["6.5.1"]
#   license: []
#   remediation: >-
#     In the Microsoft 365 admin center go to Settings > Org settings > Services > Modern
#     authentication, tick "Turn on modern authentication for Outlook 2013 for Windows and later"
#     and save. In Exchange Online PowerShell: Set-OrganizationConfig
#     -OAuth2ClientProfileEnabled $true. Users may need to restart Outlook.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.modern_auth_enabled

import data.posture.lib.exchange

deny contains v if some v in exchange.switch_violations("organizationConfig", "OAuth2ClientProfileEnabled", false, "Modern authentication for Outlook", "Modern authentication is off for Outlook (organizationConfig.OAuth2ClientProfileEnabled is false): Outlook signs in with basic authentication, which MFA and Conditional Access cannot protect")

error contains msg if some msg in exchange.setting_errors("organizationConfig", ["OAuth2ClientProfileEnabled"])
