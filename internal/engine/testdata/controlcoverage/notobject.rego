# METADATA
# title: control_coverage is not an object
# custom:
#   id: org.cc_notobject
#   severity: low
#   level: shall
#   secure_score: [scid_1]
#   remediation: none
package posture.rules.org.cc_notobject

control_coverage := [{"covered": 1, "total": 1}]
