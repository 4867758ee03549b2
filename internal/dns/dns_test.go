package dns_test

import (
	"context"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/dns"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// served is the exchange.dns the simulator's DNS server answers from.
const served = `{"schemaVersion":1,"tenant":{"id":"7e000000-0009-4000-8000-000000000000"},
	"sources":{"exchange.dns":{"status":"ok","count":3}},
	"exchange":{"dns":{
	  "good.example":{"spf":["v=spf1 include:spf.protection.outlook.com -all"],"dmarc":["v=DMARC1; p=reject"]},
	  "broken.example":{"spf":null,"dmarc":[],"errors":{"spf":"SERVFAIL"}},
	  "long.example":{"spf":["v=spf1 ` + `ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 ip4:192.0.2.6 ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 ip4:192.0.2.11 ip4:192.0.2.12 ip4:192.0.2.13 ip4:192.0.2.14 ip4:192.0.2.15 ip4:192.0.2.16 ip4:192.0.2.17 ip4:192.0.2.18 -all"],"dmarc":[]}}}}`

func TestLookup(t *testing.T) {
	snap, err := snapshot.Parse("dns test", []byte(served))
	if err != nil {
		t.Fatal(err)
	}
	run, err := sim.StartHTTP(snap, sim.Options{NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	r, err := dns.New(run.DNS, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Lookup(context.Background(), []string{"Good.Example", "broken.example", "missing.example", "long.example", "good.example"})
	long := snap.Exchange["dns"].(map[string]any)["long.example"].(map[string]any)["spf"]
	tests := []struct {
		domain string
		want   map[string]any
	}{
		{"good.example", map[string]any{"spf": []any{"v=spf1 include:spf.protection.outlook.com -all"}, "dmarc": []any{"v=DMARC1; p=reject"}}},
		// NXDOMAIN for both names: the lookups succeeded and found nothing.
		{"missing.example", map[string]any{"spf": []any{}, "dmarc": []any{}}},
		// A record longer than one 255-byte TXT string comes back whole.
		{"long.example", map[string]any{"spf": long, "dmarc": []any{}}},
	}
	if len(got) != 4 {
		t.Errorf("%d domains, want 4 (duplicates folded): %v", len(got), got)
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(got[tt.domain], tt.want) {
			t.Errorf("%s: %v, want %v", tt.domain, got[tt.domain], tt.want)
		}
	}
	// SERVFAIL: unknown, never "no record".
	b := got["broken.example"].(map[string]any)
	spf, has := b["spf"]
	errs, _ := b["errors"].(map[string]any)
	if !has || spf != nil || errs == nil || !strings.Contains(errs["spf"].(string), "look up TXT broken.example") || errs["dmarc"] != nil {
		t.Errorf("broken.example: %v; want spf null with an errors entry, dmarc []", b)
	}
	if !reflect.DeepEqual(b["dmarc"], []any{}) {
		t.Errorf("broken.example dmarc %v, want []", b["dmarc"])
	}
}

// TestLookupTimeout: a server that never answers gives failed lookups within the timeout.
func TestLookupTimeout(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	r, err := dns.New(pc.LocalAddr().String(), 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	got := r.Lookup(context.Background(), []string{"a.example", "b.example"})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %s", took)
	}
	for d, e := range got {
		m := e.(map[string]any)
		errs, _ := m["errors"].(map[string]any)
		if m["spf"] != nil || m["dmarc"] != nil || len(errs) != 2 {
			t.Errorf("%s: %v; want both lookups failed", d, m)
		}
	}
}

func TestNewChecksServer(t *testing.T) {
	for _, s := range []string{"1.1.1.1", "host:", ":53", "host:port", "h:70000"} {
		if _, err := dns.New(s, 0); err == nil {
			t.Errorf("New(%q) accepted it", s)
		}
	}
}
