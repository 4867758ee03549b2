package sim_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// A test tenant served over HTTPS, read page by page with a client that trusts the
// simulator's certificate.
func ExampleStart() {
	snap, err := snapshot.Load("../../testdata/snapshots/weak.json")
	if err != nil {
		log.Fatal(err)
	}
	r, err := sim.Start(snap, sim.Options{PageSize: 5, NoAuth: true})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	next := r.URL + "/v1.0/users?$select=id,userPrincipalName"
	for page := 1; next != ""; page++ {
		resp, err := r.Client().Get(next)
		if err != nil {
			log.Fatal(err)
		}
		var body struct {
			Value    []map[string]any `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d: %d users\n", page, len(body.Value))
		next = body.NextLink
	}
	// Output:
	// page 1: 5 users
	// page 2: 5 users
	// page 3: 2 users
}
