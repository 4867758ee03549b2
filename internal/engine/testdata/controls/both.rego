# METADATA
# title: A rule yields deny and warn violations
# custom:
#   id: org.controls_both
#   severity: low
#   level: shall
#   frameworks:
#     cisa_scuba: [MS.EXO.4.1v1, MS.EXO.4.2v1]
#   remediation: none
package posture.rules.org.controls_both

deny contains {"msg": "no DMARC record", "entity": {"type": "domain", "id": "a.example", "name": "a.example"}, "controls": ["MS.EXO.4.1v1"]}

warn contains {"msg": "DMARC p=quarantine", "entity": {"type": "domain", "id": "b.example", "name": "b.example"}, "controls": ["MS.EXO.4.2v1"]}
