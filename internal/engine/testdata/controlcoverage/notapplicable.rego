# METADATA
# title: A rule that does not apply carries no control coverage
# custom:
#   id: org.cc_na
#   severity: low
#   level: shall
#   secure_score: [scid_1]
#   remediation: none
package posture.rules.org.cc_na

not_applicable := "the tenant has no Windows devices"

control_coverage := {"scid_1": {"covered": 0, "total": 0}}
