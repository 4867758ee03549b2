// Package dns looks up the SPF and DMARC TXT records of mail domains, telling a failed lookup from a missing record.
package dns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout bounds one lookup when New is given 0.
const DefaultTimeout = 5 * time.Second

// Concurrency is how many lookups run at once.
const Concurrency = 8

// Resolver looks up TXT records through the system resolver or one DNS server.
type Resolver struct {
	r       *net.Resolver
	server  string
	timeout time.Duration
}

// New returns a resolver. server "" is the system resolver; "HOST:PORT" asks that server only
// (UDP, and TCP for truncated answers), e.g. the simulator's. timeout bounds each lookup; 0 is
// DefaultTimeout.
func New(server string, timeout time.Duration) (*Resolver, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// StrictErrors: a failure is never hidden behind a later "not found".
	r := &net.Resolver{StrictErrors: true}
	if server != "" {
		if err := CheckServer(server); err != nil {
			return nil, err
		}
		r.PreferGo = true
		r.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, server)
		}
	}
	return &Resolver{r: r, server: server, timeout: timeout}, nil
}

// CheckServer checks a DNS server address: HOST:PORT with a numeric port.
func CheckServer(server string) error {
	host, port, err := net.SplitHostPort(server)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return fmt.Errorf("DNS server %q: expected HOST:PORT, e.g. 1.1.1.1:53", server)
	}
	return nil
}

// Server returns the server asked, or "" for the system resolver.
func (r *Resolver) Server() string { return r.server }

// The record kinds looked up, as keys of a domain's entry.
const (
	SPF   = "spf"
	DMARC = "dmarc"
)

// Lookup looks up the SPF record (TXT at the domain starting "v=spf1") and the DMARC record
// (TXT at _dmarc.<domain> starting "v=DMARC1") of every domain, a few at a time, and returns
// them in the snapshot's exchange.dns shape, keyed by lowercased domain:
//
//	{"spf": ["v=spf1 ..."], "dmarc": []}
//
// An empty array means the lookup succeeded and found no such record (NXDOMAIN, no TXT, or
// no matching TXT). A lookup that failed (timeout, SERVFAIL) is null and its message is under
// "errors": {"spf": "..."}: unknown, never "no record".
func (r *Resolver) Lookup(ctx context.Context, domains []string) map[string]any {
	type job struct{ domain, kind string }
	var jobs []job
	out := map[string]any{}
	for _, d := range domains {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		if d == "" {
			continue
		}
		if _, dup := out[d]; dup {
			continue
		}
		out[d] = map[string]any{}
		jobs = append(jobs, job{d, SPF}, job{d, DMARC})
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].domain < jobs[j].domain })
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, Concurrency)
	)
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			recs, err := r.records(ctx, j.domain, j.kind)
			mu.Lock()
			defer mu.Unlock()
			entry := out[j.domain].(map[string]any)
			if err != nil {
				entry[j.kind] = nil
				errs, _ := entry["errors"].(map[string]any)
				if errs == nil {
					errs = map[string]any{}
					entry["errors"] = errs
				}
				errs[j.kind] = err.Error()
				return
			}
			entry[j.kind] = recs
		}()
	}
	wg.Wait()
	return out
}

// records returns the TXT records of one kind for domain; an empty slice when there are none.
func (r *Resolver) records(ctx context.Context, domain, kind string) ([]any, error) {
	name, prefix := domain, "v=spf1"
	if kind == DMARC {
		name, prefix = "_dmarc."+domain, "v=DMARC1"
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	// The trailing dot makes the name absolute: no search domain is tried after it, so a
	// failure cannot turn into the NXDOMAIN of some search domain.
	txts, err := r.r.LookupTXT(ctx, name+".")
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return []any{}, nil
		}
		return nil, fmt.Errorf("look up TXT %s: %s", name, oneLine(describe(err)))
	}
	out := []any{}
	for _, t := range txts {
		if matches(t, prefix) {
			out = append(out, t)
		}
	}
	return out, nil
}

// matches reports whether a TXT record starts with the version tag prefix ("v=spf1",
// "v=DMARC1"), case-insensitively, followed by the end of the record or a separator.
func matches(txt, prefix string) bool {
	t := strings.TrimSpace(txt)
	if len(t) < len(prefix) || !strings.EqualFold(t[:len(prefix)], prefix) {
		return false
	}
	rest := t[len(prefix):]
	return rest == "" || rest[0] == ' ' || rest[0] == ';' || rest[0] == '\t'
}

// describe names a DNS failure without Go's "lookup NAME on SERVER:" prefix.
func describe(err error) string {
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsTimeout:
			return "timed out"
		case de.Err != "":
			return de.Err
		}
	}
	return err.Error()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
