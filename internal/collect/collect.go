// Package collect reads a live tenant into a snapshot: one collector per snapshot key, run
// concurrently with a bound, each recording its source status (ok, error, forbidden,
// unlicensed, skipped) so that nothing missing ever reads as empty.
package collect

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/m365posture/posture/internal/dns"
	"github.com/m365posture/posture/internal/exo"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

// DefaultConcurrency is how many sources are read at once when Options.Concurrency is 0.
const DefaultConcurrency = 4

// Options configure Run.
type Options struct {
	// Concurrency bounds the sources read at once; groupMembers also keeps at most this many
	// $batch requests in flight. 0 is DefaultConcurrency.
	Concurrency int
	// Progress receives one line per finished source and a summary; nil for none.
	Progress io.Writer
	// Generator is stamped into the snapshot.
	Generator snapshot.Generator
	// Now is the clock for collectedAt; nil is time.Now.
	Now func() time.Time
	// DNS says how exchange.dns is looked up: DNSSystem (the system resolver), DNSOff
	// (recorded as skipped), or the HOST:PORT of a DNS server to ask. "" is DNSAuto.
	DNS string
	// Accounts are the break-glass accounts the org config declares: their signInActivity is
	// read besides the privileged accounts' and the break-glass candidates'.
	Accounts Accounts
}

// Report tells how a collection went, source by source.
type Report struct {
	Sources []SourceReport // in snapshot key order
	Wall    time.Duration
	Graph   graph.Stats
}

// SourceReport is one source's outcome.
type SourceReport struct {
	Key     string
	Status  snapshot.Status
	Count   int
	Message string
	// Pages is the number of requests in the source's own longest sequential chain (each page
	// needs the previous page's nextLink); Chain adds the chain of the sources it waited for.
	Pages, Chain int
	Took         time.Duration
}

// LongestChain is the largest Chain of any source: the most requests one after the other any
// collector needs. Times the latency of one request, it is a lower bound of the wall time.
func (r *Report) LongestChain() int {
	n := 0
	for _, s := range r.Sources {
		n = max(n, s.Chain)
	}
	return n
}

// outcome is what one source produced.
type outcome struct {
	value any // []any, map[string]any
	src   snapshot.Source
	pages int
	chain int
	took  time.Duration
	cause error // why the source is not ok
	err   error // only *graph.AuthError and context errors: they end the whole run
	// then, when set, finishes the source once other sources are in (entra.users' signInActivity
	// waits for the role assignments and group members). It runs outside the worker pool, so a
	// worker never waits for a source that needs a worker.
	then func() *outcome
}

// Run reads every source through c and returns the snapshot (sections as decoded Graph JSON,
// tenant envelope, a source status per key) and a report. It fails only when it cannot sign
// in or ctx ends; a source that fails is recorded in the snapshot, not returned.
func Run(ctx context.Context, c *graph.Client, o Options) (*snapshot.Snapshot, *Report, error) {
	start := time.Now()
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	workers := o.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	if err := c.SignIn(ctx); err != nil {
		return nil, nil, err
	}
	before := c.Stats()
	resolver, err := resolverFor(o.DNS, c)
	if err != nil {
		return nil, nil, err
	}
	r := &runner{c: c, workers: workers, progress: o.Progress, resolver: resolver, accounts: o.Accounts,
		done: map[string]chan struct{}{}, out: map[string]*outcome{}}
	srcs := Sources()
	for _, s := range srcs {
		r.done[s.Key] = make(chan struct{})
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	// A source with inputs joins the queue once they are in; the queue closes after the last.
	jobs := make(chan Source, len(srcs))
	var feeders sync.WaitGroup
	for _, s := range schedule(srcs) {
		deps := inputs(s)
		if len(deps) == 0 {
			jobs <- s
			continue
		}
		feeders.Add(1)
		go func() {
			defer feeders.Done()
			for _, k := range deps {
				select {
				case <-r.done[k]:
				case <-ctx.Done():
					return
				}
			}
			jobs <- s
		}()
	}
	go func() {
		feeders.Wait()
		close(jobs)
	}()
	var wg, later sync.WaitGroup
	done := func(key string, out *outcome) {
		if out.err != nil {
			cancel(out.err)
		}
		r.finish(key, out)
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				out := r.collect(ctx, s)
				if out.then != nil {
					later.Add(1)
					go func() {
						defer later.Done()
						done(s.Key, out.then())
					}()
					continue
				}
				done(s.Key, out)
			}
		}()
	}
	wg.Wait()
	later.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}

	snap := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		Generator:     o.Generator,
		CollectedAt:   now().UTC().Truncate(time.Second),
		Tenant:        snapshot.Tenant{Cloud: c.Cloud().Name},
		Sources:       map[string]snapshot.Source{},
		Entra:         map[string]any{},
		Intune:        map[string]any{},
		SecureScore:   map[string]any{},
	}
	rep := &Report{}
	for _, k := range snapshot.Keys() {
		key := k.String()
		out, ok := r.out[key]
		if !ok {
			snap.Sources[key] = snapshot.Source{Status: snapshot.StatusSkipped, Message: notCollected(k)}
			continue
		}
		snap.Sources[key] = out.src
		if out.src.Status == snapshot.StatusOK {
			section(snap, k.Section)[k.Name] = out.value
		}
		sr := SourceReport{Key: key, Status: out.src.Status, Message: out.src.Message, Pages: out.pages, Chain: out.chain, Took: out.took}
		if out.src.Count != nil {
			sr.Count = *out.src.Count
		}
		rep.Sources = append(rep.Sources, sr)
	}
	fillTenant(snap)
	rep.Wall = time.Since(start)
	after := c.Stats()
	rep.Graph = graph.Stats{Requests: after.Requests - before.Requests, Throttled: after.Throttled - before.Throttled,
		BatchItems: after.BatchItems - before.BatchItems}
	r.summary(rep)
	return snap, rep, nil
}

// section returns the snapshot's section called name, creating it if need be.
func section(s *snapshot.Snapshot, name string) map[string]any {
	p := sectionPtr(s, name)
	if *p == nil {
		*p = map[string]any{}
	}
	return *p
}

func sectionPtr(s *snapshot.Snapshot, name string) *map[string]any {
	switch name {
	case snapshot.SectionEntra:
		return &s.Entra
	case snapshot.SectionIntune:
		return &s.Intune
	case snapshot.SectionSecureScore:
		return &s.SecureScore
	}
	return &s.Exchange
}

// schedule orders sources longest first, so the long page chains start at once and the short
// ones fill the other workers around them.
func schedule(srcs []Source) []Source {
	weight := map[string]int{
		"entra.users": 5, "entra.userRegistrationDetails": 4, "entra.groups": 3,
		"entra.servicePrincipals": 2, "intune.managedDevices": 2,
		// groupMembers waits for these: start them early.
		"entra.conditionalAccessPolicies": 1, "entra.roleAssignments": 1, "entra.roleEligibilitySchedules": 1,
	}
	out := append([]Source(nil), srcs...)
	sort.SliceStable(out, func(i, j int) bool { return weight[out[i].Key] > weight[out[j].Key] })
	return out
}

func sourceNamed(srcs []Source, key string) Source {
	for _, s := range srcs {
		if s.Key == key {
			return s
		}
	}
	panic("collect: no source " + key) // the table is static; a test covers it
}

// inputs returns the sources s needs before it can start.
func inputs(s Source) []string {
	switch {
	case s.Key == keyGroupMembers:
		return groupMemberInputs
	case s.Cmdlet != "":
		return []string{keyOrganization}
	case s.Key == keyDNS:
		return []string{keyAcceptedDomains}
	}
	return nil
}

// runner holds one Run's shared state.
type runner struct {
	c        *graph.Client
	workers  int
	progress io.Writer
	resolver *dns.Resolver // nil with DNSOff
	accounts Accounts

	exoOnce sync.Once
	exo     *exo.Client     // nil when exoSrc says why not
	exoSrc  snapshot.Source // why the cmdlets cannot run

	mu   sync.Mutex
	done map[string]chan struct{} // closed when the source's outcome is in out
	out  map[string]*outcome
}

func (r *runner) finish(key string, out *outcome) {
	r.mu.Lock()
	r.out[key] = out
	r.mu.Unlock()
	close(r.done[key])
	if r.progress != nil && out.err == nil {
		count := ""
		if out.src.Count != nil {
			count = fmt.Sprint(*out.src.Count)
		}
		line := fmt.Sprintf("%-36s %-10s %8s %7.1fs", key, out.src.Status, count, out.took.Seconds())
		if out.src.Message != "" {
			line += "  " + out.src.Message
		}
		r.mu.Lock()
		fmt.Fprintln(r.progress, line)
		r.mu.Unlock()
	}
}

// result returns a finished source's outcome.
func (r *runner) result(key string) *outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out[key]
}

func (r *runner) summary(rep *Report) {
	if r.progress == nil {
		return
	}
	counts := map[snapshot.Status]int{}
	for _, s := range rep.Sources {
		counts[s.Status]++
	}
	var parts []string
	for _, st := range []snapshot.Status{snapshot.StatusOK, snapshot.StatusForbidden, snapshot.StatusUnlicensed, snapshot.StatusError, snapshot.StatusSkipped} {
		if counts[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
		}
	}
	fmt.Fprintf(r.progress, "collected %d sources in %.1fs: %s; %d requests (%d throttled, %d in $batch)\n",
		len(rep.Sources), rep.Wall.Seconds(), strings.Join(parts, ", "), rep.Graph.Requests, rep.Graph.Throttled, rep.Graph.BatchItems)
}

// collect reads one source.
func (r *runner) collect(ctx context.Context, s Source) *outcome {
	start := time.Now()
	var out *outcome
	switch {
	case s.Key == keyGroupMembers:
		out = r.groupMembers(ctx, s)
	case s.Cmdlet != "":
		out = r.exchange(ctx, s)
	case s.Key == keyDNS:
		out = r.dns(ctx, s)
	case s.Key == "entra.users":
		out = r.users(ctx, s)
	case len(s.expand) > 0:
		out = r.expanded(ctx, s)
	case s.property != "":
		out = r.property(ctx, s)
	default:
		out = r.read(ctx, s, s.Path)
	}
	if out.src.Status == snapshot.StatusOK {
		// Redact each source as it arrives, while the longer ones are still on their way.
		sec, name, _ := strings.Cut(s.Key, ".")
		one := &snapshot.Snapshot{}
		*sectionPtr(one, sec) = map[string]any{name: out.value}
		snapshot.Redact(one)
	}
	out.took = time.Since(start)
	if out.chain == 0 {
		out.chain = out.pages
	}
	if then := out.then; then != nil {
		out.then = func() *outcome {
			o := then()
			o.took = time.Since(start)
			return o
		}
	}
	return out
}

// read GETs a source's path into its shape.
func (r *runner) read(ctx context.Context, s Source, path string) *outcome {
	switch s.shape {
	case object:
		obj, err := r.c.Object(ctx, path)
		if err != nil {
			return failed(ctx, s, err, 1)
		}
		return &outcome{value: obj, src: snapshot.Source{Status: snapshot.StatusOK}, pages: 1}
	case first:
		items, pages, err := r.c.List(ctx, path)
		if err != nil {
			return failed(ctx, s, err, pages+1)
		}
		obj, ok := firstObject(items)
		if !ok {
			return &outcome{src: snapshot.Source{Status: snapshot.StatusError,
				Message: fmt.Sprintf("GET %s: expected one object, got %d", path, len(items))}, pages: pages}
		}
		return &outcome{value: obj, src: snapshot.Source{Status: snapshot.StatusOK}, pages: pages}
	}
	items, pages, err := r.c.List(ctx, path)
	if err != nil {
		return failed(ctx, s, err, pages+1)
	}
	return okOutcome(items, len(items), pages)
}

func firstObject(items []any) (map[string]any, bool) {
	if len(items) != 1 {
		return nil, false
	}
	m, ok := items[0].(map[string]any)
	return m, ok
}

func okOutcome(value any, count, pages int) *outcome {
	return &outcome{value: value, src: snapshot.Source{Status: snapshot.StatusOK, Count: &count}, pages: pages}
}

// users reads every user without signInActivity (Graph's page of 999), then, once the sources
// that name them are in, the signInActivity of the accounts rules need (withSignInActivity).
func (r *runner) users(ctx context.Context, s Source) *outcome {
	out := r.read(ctx, s, usersPath)
	if out.err != nil || out.src.Status != snapshot.StatusOK {
		return out
	}
	r.c.TenantUsers(len(asList(out.value)))
	out.then = func() *outcome { return r.withSignInActivity(ctx, out) }
	return out
}

// fillTenant sets the tenant envelope from organization (id, displayName) and domains (the
// default domain), when those were read.
func fillTenant(s *snapshot.Snapshot) {
	if org, ok := s.Entra["organization"].(map[string]any); ok {
		s.Tenant.ID, _ = org["id"].(string)
		s.Tenant.DisplayName, _ = org["displayName"].(string)
	}
	for _, d := range asList(s.Entra["domains"]) {
		if m, ok := d.(map[string]any); ok && m["isDefault"] == true {
			s.Tenant.DefaultDomain, _ = m["id"].(string)
		}
	}
}
