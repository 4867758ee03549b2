# METADATA
# title: A violation names no control in an empty set
# custom:
#   id: org.controls_empty
#   severity: low
#   level: shall
#   frameworks:
#     cisa_scuba: [MS.EXO.7.1v1]
#   remediation: none
package posture.rules.org.controls_empty

deny contains {"msg": "external tag", "controls": []}
