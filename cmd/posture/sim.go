package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/m365posture/posture/internal/atomicfile"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/exo"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

func runSim(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(e.stdout, "Usage: posture sim serve (--snapshot FILE | --demo) [flags]")
		fmt.Fprintln(e.stdout, "\nSubcommands:\n  serve     serve a snapshot as Microsoft Graph, the Exchange Online admin API, DNS and an OAuth 2.0 token endpoint on loopback")
		fmt.Fprintln(e.stdout, "\nRun posture sim serve --help for its flags.")
		if len(args) == 0 {
			return &exitError{code: result.ExitUsage, err: errHelp}
		}
		return nil
	}
	if args[0] != "serve" {
		return usageError{fmt.Errorf("unknown sim command %q; expected serve", args[0])}
	}
	return runSimServe(ctx, args[1:], e)
}

// serveUsage is a usage error of posture sim serve: exit 2, one line, pointing at its help.
func serveUsage(err error) error {
	return &exitError{code: result.ExitUsage, err: fmt.Errorf("%v (see posture sim serve --help)", err)}
}

// simServeOptions are the flags of posture sim serve.
type simServeOptions struct {
	snapshotPath string
	demo         bool
	addr         string
	tls          bool
	certOut      string
	opts         sim.Options
	fails        []string
	verbose      bool
}

func runSimServe(ctx context.Context, args []string, e env) error {
	fs := newFlags("sim serve", "sim serve (--snapshot FILE | --demo) [--addr 127.0.0.1:PORT] [--tls --cert-out FILE] [flags]", e)
	var o simServeOptions
	fs.StringVarP(&o.snapshotPath, "snapshot", "s", "", "snapshot `FILE` to serve (from posture collect, or testdata/snapshots/*.json)")
	fs.BoolVar(&o.demo, "demo", false, "serve the demo tenant embedded in posture (Contoso) instead of a snapshot file")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "loopback `HOST:PORT` to listen on (127.0.0.1, ::1 or localhost; port 0 picks a free one)")
	fs.BoolVar(&o.tls, "tls", false, "serve HTTPS with a self-signed certificate and require OAuth tokens (as Azure Identity needs)")
	fs.StringVar(&o.certOut, "cert-out", "", "with --tls, write the certificate (PEM) to `FILE`, to trust it from clients (posture collect --ca-file)")
	fs.BoolVar(&o.opts.NoAuth, "no-auth", false, "with --tls, serve Graph without asking for a token (plain HTTP never asks)")
	addCountFlag(fs, &o.opts.PageSize, "page-size", "most items per collection page (@odata.nextLink paging)", sim.DefaultPageSize, 1, "expected a positive number")
	fs.DurationVar(&o.opts.Latency, "latency", 0, "delay before answering each Graph request, e.g. 50ms")
	addNumberFlag(fs, "throttle-rate", "fraction (0 to 1) of Graph requests and $batch items answered 429 with Retry-After", 0, 0, 1,
		"expected a fraction from 0 to 1, e.g. 0.1", func(v float64) { o.opts.ThrottleRate = v })
	fs.DurationVar(&o.opts.RetryAfter, "retry-after", sim.DefaultRetryAfter, "Retry-After of throttled answers (whole seconds, rounded up)")
	fs.Int64Var(&o.opts.Seed, "seed", 0, "seed of the throttling decisions (the same seed throttles the same requests)")
	fs.BoolVar(&o.opts.NoServiceLimits, "no-service-limits", false, "turn off the per-tenant request limits Microsoft documents (Conditional Access and Identity Protection 1 request/s, reports 5 per 10 s, signInActivity 10 per minute, directory, Intune, Secure Score), on by default")
	fs.StringArrayVar(&o.fails, "fail", nil, "answer requests under `PATH=CODE` with that HTTP error, e.g. /v1.0/identity/conditionalAccess/policies=403; "+
		"InvokeCommand:CMDLET=CODE fails one Exchange cmdlet, e.g. InvokeCommand:Get-TransportConfig=403 (repeatable)")
	fs.StringVar(&o.opts.ClientID, "client-id", "", "with --tls, the only client id the token endpoint accepts (default: any)")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "log every request (method, path, status, time; never headers or tokens) to stderr")
	if err := parse(fs, args); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			return serveUsage(ue.err)
		}
		return err
	}
	if fs.NArg() > 0 {
		return serveUsage(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if err := o.check(); err != nil {
		return serveUsage(err)
	}

	snap, err := o.load()
	if err != nil {
		return err
	}
	if o.verbose {
		o.opts.Log = e.stderr
	}
	srv, err := sim.New(snap, o.opts)
	if err != nil {
		return serveUsage(err)
	}
	ln, err := sim.Listen(o.addr)
	if err != nil {
		return serveUsage(fmt.Errorf("--addr: %v", err))
	}
	pc, err := sim.ListenDNS(ln)
	if err != nil {
		ln.Close()
		return serveUsage(fmt.Errorf("--addr: %v", err))
	}
	defer pc.Close()
	go func() { _ = srv.ServeDNS(ctx, pc) }()
	var cert *sim.Certificate
	if o.tls {
		if cert, err = sim.NewCertificate(0); err != nil {
			ln.Close()
			return err
		}
		if o.certOut != "" {
			if err := atomicfile.Write(o.certOut, 0o644, func(w io.Writer) error { _, err := w.Write(cert.PEM); return err }); err != nil {
				ln.Close()
				return fmt.Errorf("write %s: %w", o.certOut, err)
			}
		}
	}
	o.announce(e, snap, sim.URL(ln, o.tls))
	return srv.Serve(ctx, ln, cert)
}

// check validates flag combinations and collects --fail rules into the options.
func (o *simServeOptions) check() error {
	if o.snapshotPath == "" && !o.demo {
		return fmt.Errorf("--snapshot FILE (or --demo) is required")
	}
	if o.snapshotPath != "" && o.demo {
		return fmt.Errorf("--snapshot and --demo are exclusive: serve one tenant")
	}
	if o.certOut != "" && !o.tls {
		return fmt.Errorf("--cert-out needs --tls (plain HTTP has no certificate)")
	}
	if o.opts.ClientID != "" && !o.tls {
		return fmt.Errorf("--client-id needs --tls (plain HTTP asks for no token)")
	}
	if o.opts.Latency < 0 {
		return fmt.Errorf("--latency %s; expected zero or more, e.g. 50ms", o.opts.Latency)
	}
	if o.opts.RetryAfter < 0 {
		return fmt.Errorf("--retry-after %s; expected zero or more, e.g. 1s", o.opts.RetryAfter)
	}
	if o.opts.RetryAfter == 0 {
		o.opts.RetryAfter = -1 // the option's zero means the default; the flag's zero means zero
	}
	if !o.tls {
		// Azure Identity and azcore send tokens over TLS only, so plain HTTP can only be used
		// without them.
		o.opts.NoAuth = true
	}
	for _, f := range o.fails {
		path, code, ok := strings.Cut(f, "=")
		n, err := strconv.Atoi(code)
		target := strings.HasPrefix(path, "/") || strings.HasPrefix(path, sim.FailCmdletPrefix+"Get-")
		if !ok || err != nil || !target || n < 400 || n > 599 {
			return fmt.Errorf("--fail %q: expected PATH=CODE or %sCMDLET=CODE with an error status 400-599, e.g. /v1.0/users=403 or %sGet-TransportConfig=403",
				f, sim.FailCmdletPrefix, sim.FailCmdletPrefix)
		}
		if o.opts.Fail == nil {
			o.opts.Fail = map[string]int{}
		}
		o.opts.Fail[path] = n
	}
	return nil
}

// load reads the tenant to serve.
func (o *simServeOptions) load() (*snapshot.Snapshot, error) {
	if o.demo {
		o.snapshotPath = "posture's embedded demo"
		return snapshot.Parse("demo tenant", demo.Snapshot)
	}
	return snapshot.Load(o.snapshotPath)
}

// announce prints where the simulator listens and how to reach it. The first line is
// "posture sim: listening on URL", for scripts and tests to read.
func (o *simServeOptions) announce(e env, snap *snapshot.Snapshot, url string) {
	w := e.stdout
	fmt.Fprintf(w, "posture sim: listening on %s\n", url)
	fmt.Fprintf(w, "  tenant:    %s (%s) from %s\n", snap.Tenant.DisplayName, snap.Tenant.ID, o.snapshotPath)
	fmt.Fprintf(w, "  graph:     %s/v1.0 and %s/beta\n", url, url)
	fmt.Fprintf(w, "  exchange:  POST %s/adminapi/beta/%s/InvokeCommand (%d cmdlets)\n", url, snap.Tenant.ID, len(exo.Cmdlets()))
	fmt.Fprintf(w, "  dns:       %s (UDP; TXT records of exchange.dns; posture collect asks it when --endpoint is this simulator)\n", strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"))
	switch {
	case !o.tls:
		fmt.Fprintf(w, "  auth:      none (plain HTTP): posture collect --endpoint %s --auth none --output snapshot.json\n", url)
	case o.opts.NoAuth:
		fmt.Fprintf(w, "  auth:      none: posture collect --endpoint %s --auth none --ca-file %s --output snapshot.json\n", url, certOr(o.certOut))
	default:
		fmt.Fprintf(w, "  authority: %s/ (tenant %s; OAuth 2.0 client credentials, any secret)\n", url, snap.Tenant.ID)
		fmt.Fprintf(w, "  collect:   AZURE_CLIENT_SECRET=any posture collect --endpoint %s --auth secret --tenant %s --client-id %s --ca-file %s --output snapshot.json\n",
			url, snap.Tenant.ID, clientIDOr(o.opts.ClientID), certOr(o.certOut))
	}
	if o.tls {
		if o.certOut != "" {
			fmt.Fprintf(w, "  cert:      %s (self-signed, valid for 127.0.0.1, ::1 and localhost)\n", o.certOut)
		} else {
			fmt.Fprintln(w, "  cert:      self-signed, not written (use --cert-out FILE to trust it)")
		}
	}
	var knobs []string
	if o.opts.Latency > 0 {
		knobs = append(knobs, "latency "+o.opts.Latency.String())
	}
	if o.opts.ThrottleRate > 0 {
		knobs = append(knobs, fmt.Sprintf("throttle rate %g (seed %d)", o.opts.ThrottleRate, o.opts.Seed))
	}
	if len(o.opts.Fail) > 0 {
		knobs = append(knobs, fmt.Sprintf("%d injected failure(s)", len(o.opts.Fail)))
	}
	knobs = append(knobs, "page size "+strconv.Itoa(o.opts.PageSize))
	fmt.Fprintf(w, "  simulate:  %s\n", strings.Join(knobs, ", "))
	if o.demo {
		// The demo's findings need the demo's org config, as check --demo applies it.
		fmt.Fprintf(w, "  check:     posture check --snapshot snapshot.json --config %s (the demo's org config, as check --demo applies it)\n", demo.ConfigPath)
	}
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
}

func certOr(path string) string {
	if path == "" {
		return "CERT"
	}
	return path
}

func clientIDOr(id string) string {
	if id == "" {
		return "00000000-0000-0000-0000-000000000001"
	}
	return id
}
