# METADATA
# title: Bad severity
# custom:
#   id: org.badmeta
#   severity: severe
#   level: shall
#   remediation: none
package posture.rules.org.badmeta

deny contains "x" if false
