# METADATA
# title: Coverage above total
# custom:
#   id: org.badoutput
#   severity: low
#   level: shall
#   remediation: none
package posture.rules.org.badoutput

coverage := {"covered": 5, "total": 2}
