// Package collect reads a live tenant into a snapshot: one collector per snapshot key, run
// concurrently with a bound, each recording its source status (ok, error, forbidden,
// unlicensed, skipped) so that nothing missing ever reads as empty.
package collect

import (
	"context"
	"errors"
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

// DefaultTimeout is the --timeout of a collection: generous, since a tenant of 100,000 users
// reads in about nine minutes (most of it paced to Graph's documented limits: ten
// signInActivity reads a minute), yet short enough that a stalled service fails a scheduled job
// the same hour.
const DefaultTimeout = 30 * time.Minute

// Options configure Run.
type Options struct {
	// Concurrency bounds the sources read at once; groupMembers also keeps at most this many
	// $batch requests in flight. 0 is DefaultConcurrency.
	Concurrency int
	// Progress hears of each source as it starts and finishes; nil for none. Lines writes
	// a line per finished source.
	Progress Progress
	// Timeout bounds the whole run, sign-in included; 0 for none. When it passes, Run returns
	// a *TimeoutError naming the sources still running.
	Timeout time.Duration
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
	// Paced is, for each family of Graph's documented limits the run sent requests in, their
	// cost there and how long they waited for the limit.
	Paced []graph.Paced
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
	// NoAnswer says why a source that is error got no answer at all, without the request
	// ("dial tcp ...: connection refused", "no answer within 1m40s"); "" when it got one.
	NoAnswer string
}

// Counts returns how many sources ended in each status.
func (r *Report) Counts() map[snapshot.Status]int {
	counts := map[snapshot.Status]int{}
	for _, s := range r.Sources {
		counts[s.Status]++
	}
	return counts
}

// Summary is the run in one line: every status's count (zeros too, so the line always reads
// the same way), the wall time and the requests.
func (r *Report) Summary() string {
	c := r.Counts()
	return fmt.Sprintf("%d ok, %d forbidden, %d unlicensed, %d error, %d skipped in %s (%d requests, %d throttled, %d in $batch)",
		c[snapshot.StatusOK], c[snapshot.StatusForbidden], c[snapshot.StatusUnlicensed], c[snapshot.StatusError], c[snapshot.StatusSkipped],
		wallTime(r.Wall), r.Graph.Requests, r.Graph.Throttled, r.Graph.BatchItems)
}

// wallTime is "3.2s" under a minute and "12m5s" above.
func wallTime(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// Failed returns the sources that are error or forbidden, in key order: their data is
// unknown, so the rules that need them report error.
func (r *Report) Failed() []SourceReport {
	var out []SourceReport
	for _, s := range r.Sources {
		if s.Status == snapshot.StatusError || s.Status == snapshot.StatusForbidden {
			out = append(out, s)
		}
	}
	return out
}

// read reports whether any source was read from the tenant: ok, or an answer about the tenant
// itself (forbidden: the app lacks a permission; unlicensed: the tenant lacks a licence).
func (r *Report) read() bool {
	c := r.Counts()
	return c[snapshot.StatusOK]+c[snapshot.StatusForbidden]+c[snapshot.StatusUnlicensed] > 0
}

// Progress hears how a run goes. Run calls it from several goroutines at once.
type Progress interface {
	// Started says a source is about to send its first request.
	Started(key string)
	// Finished gives a source's outcome. Sources that a stopped run cut short never finish.
	Finished(s SourceReport)
}

// Lines returns a Progress that writes a line per finished source to w: key, status, count,
// time and message.
func Lines(w io.Writer) Progress { return &lines{w: w} }

type lines struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lines) Started(string) {}

func (l *lines) Finished(s SourceReport) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(l.w, s.Line())
}

// Line is the source's outcome as a progress line.
func (s SourceReport) Line() string {
	count := ""
	if s.Status == snapshot.StatusOK {
		count = fmt.Sprint(s.Count)
	}
	line := fmt.Sprintf("%-36s %-10s %8s %7.1fs", s.Key, s.Status, count, s.Took.Seconds())
	if s.Message != "" {
		line += "  " + s.Message
	}
	return line
}

// NothingReadError is a run that read nothing from the tenant: no source is ok, forbidden or
// unlicensed (every one is error or skipped), or the service gave no answer at all (refused,
// unreachable, silent past the request timeout) before any source was read, which stops the
// run at once. A snapshot of it would hold no tenant data, so Run returns none.
type NothingReadError struct {
	First   SourceReport // the first failure: the one that stopped the run, else the first error in key order
	Stopped bool         // the service did not answer before any source was read
	Report  *Report      // nil when the run was stopped
}

func (e *NothingReadError) Error() string {
	if e.Stopped || e.Report == nil {
		why := e.First.NoAnswer
		if why == "" {
			why = e.First.Message
		}
		return fmt.Sprintf("nothing could be read: no answer to %s: %s", e.First.Key, why)
	}
	c := e.Report.Counts()
	return fmt.Sprintf("nothing could be read: %d source(s) error and %d skipped, none ok, forbidden or unlicensed (first: %s: %s)",
		c[snapshot.StatusError], c[snapshot.StatusSkipped], e.First.Key, e.First.Message)
}

// TimeoutError is a run stopped by Options.Timeout.
type TimeoutError struct {
	After      time.Duration
	Running    []string // sources still running, in key order; none while signing in
	NotStarted int      // sources that had not started
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s %s", e.After, e.Where())
}

// Where says what the run was doing: "while signing in", or "with 4 sources still running:
// entra.users, ...; 49 not started".
func (e *TimeoutError) Where() string {
	if len(e.Running) == 0 {
		return "while signing in"
	}
	msg := fmt.Sprintf("with %d source(s) still running: %s", len(e.Running), strings.Join(e.Running, ", "))
	if e.NotStarted > 0 {
		msg += fmt.Sprintf("; %d not started", e.NotStarted)
	}
	return msg
}

// errTimedOut is the cause of a run's context when Options.Timeout passes.
var errTimedOut = errors.New("collection timed out")

// stopped is the cause of a run's context when the service gave no answer before any source
// was read.
type stopped struct{ first SourceReport }

func (s *stopped) Error() string { return "stopped: " + s.first.Message }

// LongestChain is the largest Chain of any source: the most requests one after the other any
// collector needs. Times the latency of one request, it is a lower bound of the wall time.
func (r *Report) LongestChain() int {
	n := 0
	for _, s := range r.Sources {
		n = max(n, s.Chain)
	}
	return n
}

// LowerBound is the least wall time the run's requests could take with latency per request:
// the longest chain times the latency or, when longer, for a family of Graph's documented
// limits, the time its requests need under the limit (its limit's worth at once, then as much
// again a window later, and so on; the last answered a latency after it went).
func (r *Report) LowerBound(latency time.Duration) time.Duration {
	b := time.Duration(r.LongestChain()) * latency
	for _, p := range r.Paced {
		if p.Cost == 0 || p.Limit <= 0 {
			continue
		}
		windows := (p.Cost+p.Limit-1)/p.Limit - 1
		b = max(b, time.Duration(windows)*p.Window+latency)
	}
	return b
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
// tenant envelope, a source status per key) and a report. A source that fails is recorded in
// the snapshot, not returned. Run fails, returning no snapshot, when it cannot sign in (a
// *graph.AuthError), when nothing could be read (a *NothingReadError), when Options.Timeout
// passes (a *TimeoutError) and when ctx ends (its cause).
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
	srcs := Sources()
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, o.Timeout, errTimedOut)
		defer cancel()
	}
	if err := c.SignIn(ctx); err != nil {
		if errors.Is(context.Cause(ctx), errTimedOut) {
			return nil, nil, &TimeoutError{After: o.Timeout, NotStarted: len(srcs)}
		}
		return nil, nil, err
	}
	before, pacedBefore := c.Stats(), c.Paced()
	resolver, err := resolverFor(o.DNS, c)
	if err != nil {
		return nil, nil, err
	}
	r := &runner{c: c, workers: workers, progress: o.Progress, resolver: resolver, accounts: o.Accounts,
		done: map[string]chan struct{}{}, out: map[string]*outcome{}, running: map[string]bool{}}
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
		if stop := r.finish(key, out); stop != nil {
			cancel(stop)
		}
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				if ctx.Err() != nil {
					continue // a stopped run starts nothing more
				}
				r.start(s.Key)
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
		var st *stopped
		switch {
		case errors.Is(err, errTimedOut):
			running, started := r.unfinished()
			return nil, nil, &TimeoutError{After: o.Timeout, Running: running, NotStarted: len(srcs) - started}
		case errors.As(err, &st):
			return nil, nil, &NothingReadError{First: st.first, Stopped: true}
		}
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
			src := snapshot.Source{Status: snapshot.StatusSkipped, Message: notCollected(k)}
			snap.Sources[key] = src
			rep.Sources = append(rep.Sources, SourceReport{Key: key, Status: src.Status, Message: src.Message})
			continue
		}
		snap.Sources[key] = out.src
		if out.src.Status == snapshot.StatusOK {
			section(snap, k.Section)[k.Name] = out.value
		}
		rep.Sources = append(rep.Sources, sourceReport(key, out))
	}
	fillTenant(snap)
	rep.Wall = time.Since(start)
	after := c.Stats()
	rep.Graph = graph.Stats{Requests: after.Requests - before.Requests, Throttled: after.Throttled - before.Throttled,
		BatchItems: after.BatchItems - before.BatchItems}
	rep.Paced = pacedSince(pacedBefore, c.Paced())
	if !rep.read() {
		first := rep.Sources[0]
		if f := rep.Failed(); len(f) > 0 {
			first = f[0]
		}
		return nil, nil, &NothingReadError{First: first, Report: rep}
	}
	return snap, rep, nil
}

// pacedSince returns what after holds beyond before, family by family, leaving out families
// with nothing new.
func pacedSince(before, after []graph.Paced) []graph.Paced {
	var out []graph.Paced
	for _, a := range after {
		for _, b := range before {
			if b.Family == a.Family {
				a.Cost -= b.Cost
				a.Waited -= b.Waited
			}
		}
		if a.Cost > 0 {
			out = append(out, a)
		}
	}
	return out
}

func sourceReport(key string, out *outcome) SourceReport {
	sr := SourceReport{Key: key, Status: out.src.Status, Message: out.src.Message, Pages: out.pages, Chain: out.chain, Took: out.took}
	if out.src.Count != nil {
		sr.Count = *out.src.Count
	}
	var ge *graph.Error
	if out.src.Status == snapshot.StatusError && graph.NoAnswer(out.cause) && errors.As(out.cause, &ge) {
		sr.NoAnswer = ge.Short()
	}
	return sr
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
	progress Progress
	resolver *dns.Resolver // nil with DNSOff
	accounts Accounts

	exoOnce sync.Once
	exo     *exo.Client     // nil when exoSrc says why not
	exoSrc  snapshot.Source // why the cmdlets cannot run

	mu       sync.Mutex
	done     map[string]chan struct{} // closed when the source's outcome is in out
	out      map[string]*outcome
	running  map[string]bool // started, and not finished or cut short by a stopped run
	started  int
	answered bool // a source is ok, forbidden or unlicensed: the service answers
}

func (r *runner) start(key string) {
	r.mu.Lock()
	r.running[key] = true
	r.started++
	r.mu.Unlock()
	if r.progress != nil {
		r.progress.Started(key)
	}
}

// finish records a source's outcome. It returns the cause to stop the run with when the
// source got no answer at all and no source has been read: the service is unreachable or
// silent, and every other source would wait for the same failure.
func (r *runner) finish(key string, out *outcome) error {
	r.mu.Lock()
	r.out[key] = out
	if out.err == nil {
		delete(r.running, key)
	}
	switch out.src.Status {
	case snapshot.StatusOK, snapshot.StatusForbidden, snapshot.StatusUnlicensed:
		r.answered = true
	}
	unreachable := out.err == nil && !r.answered && out.src.Status == snapshot.StatusError && graph.NoAnswer(out.cause)
	r.mu.Unlock()
	close(r.done[key])
	if out.err != nil {
		return nil
	}
	sr := sourceReport(key, out)
	if r.progress != nil {
		r.progress.Finished(sr)
	}
	if unreachable {
		return &stopped{first: sr}
	}
	return nil
}

// unfinished returns the sources still running, in key order, and how many had started.
func (r *runner) unfinished() ([]string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var keys []string
	for _, k := range snapshot.KnownKeys() {
		if r.running[k] {
			keys = append(keys, k)
		}
	}
	return keys, r.started
}

// result returns a finished source's outcome.
func (r *runner) result(key string) *outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out[key]
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

// authReason is why a sign-in failed, without the advice the command's line carries: a
// source's message names only its own failure.
func authReason(err error) string {
	var ae *graph.AuthError
	if errors.As(err, &ae) {
		return ae.Reason()
	}
	return oneLine(err.Error())
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
