# METADATA
# title: A violation names a control the rule does not cite
# custom:
#   id: org.controls_typo
#   severity: low
#   level: shall
#   frameworks:
#     cisa_scuba: [MS.EXO.5.1v1]
#   remediation: none
package posture.rules.org.controls_typo

deny contains {"msg": "smtp auth", "controls": ["MS.EXO.5.2v1"]}
