package check

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/m365posture/posture/internal/snapshot"
)

func TestZZDump(t *testing.T) {
	for _, n := range []string{"admins", "big"} {
		s, err := snapshot.Load("/tmp/ep/" + n + ".json")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(scubaInput(s))
		os.WriteFile("/tmp/ep/scuba-"+n+".json", b, 0o644)
	}
	s, _ := loadSnapshot(Options{Demo: true})
	b, _ := json.Marshal(scubaInput(s))
	os.WriteFile("/tmp/ep/scuba-demo.json", b, 0o644)
}
