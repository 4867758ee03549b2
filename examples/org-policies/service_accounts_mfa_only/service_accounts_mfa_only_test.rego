package posture.rules.org.service_accounts_mfa_only_test

import data.posture.rules.org.service_accounts_mfa_only

policy(id, name, state, excluded) := {
	"id": id, "displayName": name, "state": state,
	"conditions": {"users": {"includeUsers": ["All"], "excludeGroups": excluded}},
}

tenant(policies) := {"entra": {
	"groups": [{"id": "sa", "displayName": "Service accounts"}, {"id": "bg", "displayName": "Emergency access"}],
	"conditionalAccessPolicies": policies,
}}

config := {"serviceAccountsGroup": "Service accounts", "serviceAccountsMfaPolicies": ["CA001 Require MFA"]}

test_excluded_from_the_mfa_policy_only_passes if {
	t := tenant([policy("1", "CA001 Require MFA", "enabled", ["sa", "bg"]), policy("2", "CA002 Block legacy", "enabled", ["bg"])])
	count(service_accounts_mfa_only.deny) == 0 with input as t with data.posture.config as config
	count(service_accounts_mfa_only.error) == 0 with input as t with data.posture.config as config
}

test_excluded_from_another_policy_fails if {
	t := tenant([policy("1", "CA001 Require MFA", "enabled", ["sa"]), policy("2", "CA002 Block legacy", "enabled", ["sa"])])
	denies := service_accounts_mfa_only.deny with input as t with data.posture.config as config
	count(denies) == 1
	some d in denies
	d.entity.id == "2"
}

test_report_only_policies_count_disabled_ones_do_not if {
	t := tenant([policy("2", "CA002 Block legacy", "enabledForReportingButNotEnforced", ["sa"]), policy("3", "Old", "disabled", ["sa"])])
	denies := service_accounts_mfa_only.deny with input as t with data.posture.config as config
	{d.entity.id | some d in denies} == {"2"}
}

test_without_the_group_parameter_it_is_unknown if {
	count(service_accounts_mfa_only.error) == 1 with input as tenant([]) with data.posture.config as {}
}

test_a_group_the_tenant_lacks_is_unknown if {
	errs := service_accounts_mfa_only.error with input as tenant([]) with data.posture.config as {"serviceAccountsGroup": "Robots"}
	errs == {`the service-accounts group "Robots" is not in the tenant's groups`}
}
