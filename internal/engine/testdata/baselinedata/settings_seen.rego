# METADATA
# title: Baseline settings reach rules
# description: Test rule - reports every expected setting of the fixture baseline and its source.
# custom:
#   id: org.settings_seen
#   severity: info
#   level: should
#   requires: []
#   remediation: Nothing to do; this rule exists for the engine's tests.
package posture.rules.org.settings_seen

deny contains {"msg": sprintf("%s %s expects %v (%s)", [s.id, s.definitionId, s.expected, data.posture.baselines.fixture.source.version]), "entity": {"type": "setting", "id": s.id, "name": s.title}} if {
	some s in data.posture.baselines.fixture.settings
}
