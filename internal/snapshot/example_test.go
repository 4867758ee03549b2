package snapshot_test

import (
	"fmt"

	"github.com/m365posture/posture/internal/snapshot"
)

func ExampleParse() {
	data := []byte(`{
  "schemaVersion": 1,
  "tenant": {"id": "11111111-2222-3333-4444-555555555555", "displayName": "Contoso"},
  "sources": {
    "entra.users": {"status": "ok", "count": 1},
    "entra.riskyUsers": {"status": "unlicensed", "message": "needs Entra ID P2"}
  },
  "entra": {"users": [{"id": "u1", "userPrincipalName": "adele@contoso.com"}], "riskyUsers": []}
}`)
	s, err := snapshot.Parse("contoso.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Tenant.DisplayName, s.Tenant.Cloud)
	fmt.Println("entra.users known:", s.Known("entra.users"))
	fmt.Println("entra.riskyUsers known:", s.Known("entra.riskyUsers"))

	_, err = snapshot.Parse("weak.json", []byte(`{"schemaVersion": 1, "entra": {"users": {}}}`))
	fmt.Println(err)
	// Output:
	// Contoso global
	// entra.users known: true
	// entra.riskyUsers known: false
	// weak.json: $.entra.users: expected an array, got object
}
