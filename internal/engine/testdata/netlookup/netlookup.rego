# METADATA
# title: Reads what a policy may not
# custom:
#   id: org.netlookup
#   severity: low
#   level: should
#   remediation: none
package posture.rules.org.netlookup

deny contains sprintf("%v", [x]) if {
	x := net.lookup_ip_addr("example.invalid")
}
