# METADATA
# title: A control's coverage is above its total
# custom:
#   id: org.cc_bad
#   severity: low
#   level: shall
#   secure_score: [scid_1]
#   remediation: none
package posture.rules.org.cc_bad

control_coverage := {"scid_1": {"covered": 3, "total": 2}}
