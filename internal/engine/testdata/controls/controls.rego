# METADATA
# title: Violations name the controls they break
# custom:
#   id: org.controls_named
#   severity: low
#   level: shall
#   frameworks:
#     cisa_scuba: [MS.EXO.6.1v1, MS.EXO.6.2v1]
#     cis_m365: ["1.3.3"]
#   remediation: none
package posture.rules.org.controls_named

deny contains {"msg": "calendar details shared with every domain", "controls": ["MS.EXO.6.2v1", "1.3.3"]}

deny contains {"msg": "posture is stricter here", "controls": ["posture"]}
