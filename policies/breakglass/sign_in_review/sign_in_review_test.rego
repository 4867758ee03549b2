package posture.rules.breakglass.sign_in_review_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.sign_in_review

_user(id, activity) := {"id": id, "userPrincipalName": sprintf("%s@contoso.onmicrosoft.com", [id]), "signInActivity": activity}

_old := {"lastSignInDateTime": "2026-08-14T09:30:00Z", "lastNonInteractiveSignInDateTime": "2026-08-14T09:31:00Z"}

_entra(bg2_activity) := {
	"users": [_user("bg1", _old), _user("bg2", bg2_activity)],
	"groups": [],
	"groupMembers": {},
}

_config := {"breakGlass": {"users": ["bg1", "bg2"]}}

_now := "2026-11-22T10:00:00Z"

_entity := fixtures.user_entity("bg2", "bg2@contoso.onmicrosoft.com")

test_passes_when_no_account_signed_in_recently if {
	sign_in_review.warn == set() with input.entra as _entra(_old) with input.collectedAt as _now with data.posture.config as _config
	sign_in_review.error == set() with input.entra as _entra(_old) with input.collectedAt as _now with data.posture.config as _config
}

test_passes_for_an_account_that_never_signed_in if {
	never := {"lastSignInDateTime": null, "lastNonInteractiveSignInDateTime": null}
	sign_in_review.warn == set() with input.entra as _entra(never) with input.collectedAt as _now with data.posture.config as _config
	sign_in_review.error == set() with input.entra as _entra(never) with input.collectedAt as _now with data.posture.config as _config
}

test_warns_for_a_recent_interactive_sign_in if {
	recent := {"lastSignInDateTime": "2026-11-19T08:00:00Z", "lastNonInteractiveSignInDateTime": "2026-08-01T00:00:00Z"}
	sign_in_review.warn == {{
		"msg": "break-glass account bg2@contoso.onmicrosoft.com signed in within the last 30 days (last interactive sign-in attempt 2026-11-19T08:00:00Z, 3 days before the snapshot); break-glass accounts are for emergencies only, so confirm each sign-in was an emergency or a drill",
		"entity": _entity,
	}} with input.entra as _entra(recent)
		with input.collectedAt as _now
		with data.posture.config as _config
}

test_warns_once_per_account_listing_both_kinds if {
	recent := {"lastSignInDateTime": "2026-11-21T10:00:00Z", "lastNonInteractiveSignInDateTime": "2026-11-22T09:00:00.1234567Z"}
	sign_in_review.warn == {{
		"msg": "break-glass account bg2@contoso.onmicrosoft.com signed in within the last 30 days (last interactive sign-in attempt 2026-11-21T10:00:00Z, 1 day before the snapshot; last non-interactive sign-in attempt 2026-11-22T09:00:00.1234567Z, less than a day before the snapshot); break-glass accounts are for emergencies only, so confirm each sign-in was an emergency or a drill",
		"entity": _entity,
	}} with input.entra as _entra(recent)
		with input.collectedAt as _now
		with data.posture.config as _config
}

test_the_window_is_a_parameter if {
	sign_in_review.warn == set() with input.entra as _entra(_old) with input.collectedAt as _now with data.posture.config as _config
	some w in sign_in_review.warn with input.entra as _entra(_old)
		with input.collectedAt as _now
		with data.posture.config as object.union(_config, {"breakGlassSignInReviewDays": 120})
	w.msg == "break-glass account bg1@contoso.onmicrosoft.com signed in within the last 120 days (last interactive sign-in attempt 2026-08-14T09:30:00Z, 100 days before the snapshot; last non-interactive sign-in attempt 2026-08-14T09:31:00Z, 100 days before the snapshot); break-glass accounts are for emergencies only, so confirm each sign-in was an emergency or a drill"
}

test_errors_when_sign_in_activity_is_missing if {
	entra := {"users": [_user("bg1", _old), {"id": "bg2", "userPrincipalName": "bg2@contoso.onmicrosoft.com"}], "groups": [], "groupMembers": {}}
	sign_in_review.error == {"break-glass account bg2@contoso.onmicrosoft.com has no signInActivity in the snapshot: reading it needs the AuditLog.Read.All permission and Entra ID P1"} with input.entra as entra
		with input.collectedAt as _now
		with data.posture.config as _config
}

test_passes_when_sign_in_activity_is_null if {
	# The collector read signInActivity; Graph had none for this account: it never signed in.
	sign_in_review.warn == set() with input.entra as _entra(null) with input.collectedAt as _now with data.posture.config as _config
	sign_in_review.error == set() with input.entra as _entra(null) with input.collectedAt as _now with data.posture.config as _config
}

test_errors_on_a_malformed_timestamp if {
	sign_in_review.error == {`break-glass account bg2@contoso.onmicrosoft.com has signInActivity.lastSignInDateTime "yesterday", which is not an RFC 3339 date and time`} with input.entra as _entra({"lastSignInDateTime": "yesterday"})
		with input.collectedAt as _now
		with data.posture.config as _config
}

test_errors_without_a_collection_time if {
	sign_in_review.error == {`snapshot collectedAt null is not an RFC 3339 date and time, so the age of sign-ins cannot be told`} with input.entra as _entra(_old)
		with data.posture.config as _config
}

test_errors_on_a_bad_parameter if {
	sign_in_review.error == {`config breakGlassSignInReviewDays must be a number of days, got "30"`} with input.entra as _entra(_old)
		with input.collectedAt as _now
		with data.posture.config as object.union(_config, {"breakGlassSignInReviewDays": "30"})
}

test_is_not_applicable_without_declared_accounts if {
	sign_in_review.not_applicable with input.entra as _entra(_old) with input.collectedAt as _now
	sign_in_review.error == set() with input.entra as _entra(_old) with input.collectedAt as _now
}
