package config_test

import (
	"fmt"
	"time"

	"github.com/m365posture/posture/internal/config"
)

func ExampleParse() {
	data := []byte(`
tenant: contoso.onmicrosoft.com
breakGlass:
  users: [bg1@contoso.onmicrosoft.com]
exceptions:
  - rule: entra.global_admin_count
    status: risk_accepted
    reason: Two GAs are enough for our size; reviewed by the CISO.
    expires: 2027-03-31
parameters:
  globalAdminMax: 4
policies: [./org-policies]
gate:
  failOn: high
`)
	cfg, err := config.Parse("posture.yaml", data, "/etc/posture")
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	e := cfg.Exception("entra.global_admin_count", "", now)
	fmt.Println(cfg.Tenant)
	fmt.Println(cfg.Policies)
	fmt.Println(e.Status, e.Expires.Format(time.DateOnly), "line", e.Line)
	fmt.Println(cfg.Data()["breakGlass"], cfg.Data()["globalAdminMax"])

	_, err = config.Parse("posture.yaml", []byte("gate:\n  failOn: hgh\n"), "")
	fmt.Println(err)
	// Output:
	// contoso.onmicrosoft.com
	// [/etc/posture/org-policies]
	// risk_accepted 2027-03-31 line 6
	// map[groups:[] users:[bg1@contoso.onmicrosoft.com]] 4
	// posture.yaml:2: gate.failOn "hgh" is not a severity (did you mean "high"?); expected one of: critical, high, medium, low, info, none
}
