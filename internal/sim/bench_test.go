package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// BenchmarkUsersPages pages through a synthetic 100,000-user tenant with Graph's page size,
// through the handler (no network), to show the simulator is not what a collector benchmark
// measures.
func BenchmarkUsersPages(b *testing.B) {
	snap, err := snapshot.Parse("synth.json", synth.Generate(synth.Options{Users: 100000}))
	if err != nil {
		b.Fatal(err)
	}
	h := newServer(b, snap, Options{NoAuth: true}).Handler()
	b.ResetTimer()
	for b.Loop() {
		pages := 0
		for next := "http://127.0.0.1/v1.0/users?$select=id,displayName,userPrincipalName,accountEnabled,userType"; next != ""; pages++ {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, next, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
			next = nextLink(b, rec.Body.Bytes())
		}
		if pages != 1000 {
			b.Fatalf("%d pages; want 1000", pages)
		}
	}
}

func nextLink(b *testing.B, body []byte) string {
	var p struct {
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		b.Fatal(err)
	}
	return p.NextLink
}
