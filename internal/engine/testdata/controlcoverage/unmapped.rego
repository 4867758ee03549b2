# METADATA
# title: A rule gives coverage to a control it does not map
# custom:
#   id: org.cc_unmapped
#   severity: low
#   level: shall
#   secure_score: [scid_1]
#   remediation: none
package posture.rules.org.cc_unmapped

control_coverage := {"scid_1": {"covered": 1, "total": 1}, "scid_9": {"covered": 0, "total": 1}}
