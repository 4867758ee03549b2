package snapshot

import (
	"bytes"
	"fmt"
	"testing"
)

// bigSnapshot returns the JSON of a snapshot with n users shaped like
// Graph's, indented like Save writes them.
func bigSnapshot(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{
  "schemaVersion": 1,
  "generator": {"name": "posture", "version": "0.1.0"},
  "collectedAt": "2026-11-22T10:00:00Z",
  "tenant": {"id": "11111111-2222-3333-4444-555555555555", "displayName": "Contoso", "defaultDomain": "contoso.onmicrosoft.com", "cloud": "global"},
  "sources": {"entra.users": {"status": "ok", "count": %d}},
  "entra": {
    "users": [`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `
      {
        "id": "%08x-0000-4000-8000-%012x",
        "userPrincipalName": "user%d@contoso.com",
        "displayName": "User %d",
        "accountEnabled": %t,
        "userType": "Member",
        "onPremisesSyncEnabled": null,
        "assignedLicenses": [{"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "disabledPlans": []}],
        "signInActivity": {"lastSignInDateTime": "2026-11-%02dT08:15:00Z"}
      }`, i, i, i, i, i%10 != 0, 1+i%28)
	}
	b.WriteString("\n    ]\n  }\n}\n")
	return b.Bytes()
}

// BenchmarkParse parses a 100,000-user snapshot.
func BenchmarkParse(b *testing.B) {
	data := bigSnapshot(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse("big.json", data)
		if err != nil {
			b.Fatal(err)
		}
		if !s.Known("entra.users") {
			b.Fatal("entra.users unknown")
		}
	}
}

func TestBigSnapshotParses(t *testing.T) {
	s, err := Parse("big.json", bigSnapshot(1000))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Entra["users"].([]any)); n != 1000 {
		t.Errorf("%d users, want 1000", n)
	}
}
