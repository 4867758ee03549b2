# METADATA
# title: SMTP AUTH is turned off for the organization
# description: >-
#   Authenticated SMTP client submission (SMTP AUTH, port 587) takes a user name and password
#   (basic authentication) and cannot ask for MFA, so it is a favourite of password-spraying and
#   of malware that sends mail as a stolen account. Modern clients (Outlook, mobile apps) never
#   use it. Get-TransportConfig's SmtpClientAuthenticationDisabled must be true; the few devices
#   and apps that still need it (scanners, line-of-business apps) can be allowed per mailbox
#   (Set-CASMailbox -SmtpClientAuthenticationDisabled $false), which this rule does not read.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission
#     description: "Microsoft Learn: Enable or disable authenticated client SMTP submission (SMTP AUTH)"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-transportconfig
#     description: "Microsoft Learn: Set-TransportConfig (SmtpClientAuthenticationDisabled)"
# custom:
#   id: exchange.smtp_auth_disabled
#   severity: medium
#   level: shall
#   requires: [exchange.transportConfig]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.EXO.5.1v1]
#     cis_m365: ["6.5.4"]
#   license: []
#   remediation: >-
#     In the Exchange admin center go to Settings > Mail flow and tick "Turn off SMTP AUTH protocol
#     for your organization", then save. In Exchange Online PowerShell: Set-TransportConfig
#     -SmtpClientAuthenticationDisabled $true. Re-enable it only for the mailboxes of devices that
#     cannot use anything else (Set-CASMailbox <mailbox> -SmtpClientAuthenticationDisabled
#     $false), or move them to an SMTP relay connector or High Volume Email.
#   user_impact: low
#   implementation_cost: moderate
package posture.rules.exchange.smtp_auth_disabled

import data.posture.lib.exchange

deny contains v if some v in exchange.switch_violations("transportConfig", "SmtpClientAuthenticationDisabled", false, "SMTP AUTH (organization)", "SMTP AUTH is allowed for every mailbox (transportConfig.SmtpClientAuthenticationDisabled is false): it accepts a password alone, so MFA cannot protect mail submission")

error contains msg if some msg in exchange.setting_errors("transportConfig", ["SmtpClientAuthenticationDisabled"])
