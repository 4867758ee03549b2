package posture.lib.entity_test

import data.posture.lib.entity

test_entities_work_without_tenant_details if {
	entity.tenant == {"type": "tenant", "id": "", "name": ""} with input as {}
	entity.ca_policy({"displayName": "X"}) == {"type": "policy", "id": "", "name": "X"}
}

test_entities_are_named_from_the_snapshot if {
	entra := {
		"users": [{"id": "u1", "userPrincipalName": "alice@contoso.com"}],
		"groups": [{"id": "g1", "displayName": "Ops"}],
	}
	entity.tenant == {"type": "tenant", "id": "t1", "name": "Contoso"} with input as {"tenant": {"id": "t1", "displayName": "Contoso"}}
	entity.user("u1") == {"type": "user", "id": "u1", "name": "alice@contoso.com"} with input.entra as entra
	entity.user("u9") == {"type": "user", "id": "u9", "name": "u9"} with input.entra as entra
	entity.principal("u1") == {"type": "user", "id": "u1", "name": "alice@contoso.com"} with input.entra as entra
	entity.principal("g1") == {"type": "group", "id": "g1", "name": "Ops"} with input.entra as entra
	entity.role("62e90394-69f5-4237-9190-012177145e10") == {"type": "role", "id": "62e90394-69f5-4237-9190-012177145e10", "name": "Global Administrator"}
	entity.setting("a.b", "A B") == {"type": "setting", "id": "a.b", "name": "A B"}
	entity.domain("contoso.com") == {"type": "domain", "id": "contoso.com", "name": "contoso.com"}
}
