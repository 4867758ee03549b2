# METADATA
# title: A rule gives two of its Secure Score controls their own coverage
# custom:
#   id: org.cc_counted
#   severity: low
#   level: shall
#   secure_score: [scid_1, scid_2, scid_3]
#   remediation: none
package posture.rules.org.cc_counted

deny contains {"msg": "one setting of scid_2 is not enforced"}

coverage := {"covered": 5, "total": 6}

control_coverage[id] := c if {
	some id, c in {"scid_1": {"covered": 2, "total": 2}, "scid_2": {"covered": 3, "total": 4}}
}
