package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/m365posture/posture/internal/atomicfile"
	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/version"
)

// collectOptions are what collect does: read the tenant live into a snapshot file.
type collectOptions struct {
	live liveFlags
	out  string
}

func runCollect(ctx context.Context, args []string, e env) error {
	o, err := collectFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(ctx, e)
}

// collectFlags reads collect's command line into its options, and checks the flags, the
// config and the output file: all before anything goes over the network.
func collectFlags(args []string, e env) (*collectOptions, error) {
	fs := newFlags("collect", "collect --output FILE [flags]", e)
	var o collectOptions
	o.live.register(fs)
	var configPath string
	fs.StringVarP(&o.out, "output", "o", "", "write the snapshot to `FILE` (a file atomically, a new one with mode 0600; through a symbolic link; "+
		"to a device or FIFO directly; - is stdout)")
	fs.StringVarP(&configPath, "config", "c", "", "org config `FILE`: its break-glass accounts' signInActivity is read too")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if configPath != "" {
		cfg, err := config.Load(configPath)
		if err != nil {
			return nil, err
		}
		o.live.accounts = accountsOf(cfg)
	}
	if err := noArgs(fs); err != nil {
		return nil, err
	}
	if o.out == "" {
		return nil, usageError{fmt.Errorf("--output FILE is required")}
	}
	if err := refuseInputs(o.out, input{"--config", configPath}); err != nil {
		return nil, err
	}
	if _, _, err := o.live.options(e); err != nil {
		return nil, err
	}
	if err := checkOutput(o.out, e); err != nil {
		return nil, err
	}
	return &o, nil
}

// run collects and writes the snapshot.
func (o *collectOptions) run(ctx context.Context, e env) error {
	snap, rep, err := o.live.collect(ctx, "collect", e)
	if err != nil {
		return collectFailed(err, "nothing written to "+o.out)
	}
	if o.out == "-" || isStdout(o.out, e) {
		err = snap.Write(e.stdout)
	} else {
		err = snap.Save(o.out)
	}
	if err != nil {
		return err
	}
	if failed := rep.Failed(); len(failed) > 0 {
		// check fails closed on these sources, so the snapshot is worth keeping; the exit code
		// says it is incomplete.
		return &exitError{code: result.ExitUnverified, err: fmt.Errorf(
			"wrote %s with %d source(s) error or forbidden: rules that need them report error", o.out, len(failed))}
	}
	return nil
}

// checkOutput refuses an output file that could not be written, before minutes of collection;
// stdout needs no check.
func checkOutput(path string, e env) error {
	if path == "" || path == "-" || isStdout(path, e) {
		return nil
	}
	if err := atomicfile.Check(path); err != nil {
		return &exitError{code: result.ExitUnverified, err: fmt.Errorf("--output %s: %w", path, err)}
	}
	return nil
}

// collectFailed turns a collection that produced no snapshot into one line and exit 2; what
// says what did not happen ("nothing written to FILE").
func collectFailed(err error, what string) error {
	var (
		te *collect.TimeoutError
		nr *collect.NothingReadError
		ae *graph.AuthError
		ee *exitError
		ue usageError
	)
	switch {
	case errors.As(err, &ee) || errors.As(err, &ue):
		return err
	case errors.As(err, &ae):
		// Its line already names the --auth choices and the README sections; no source was read.
	case errors.As(err, &te):
		err = fmt.Errorf("timed out after %s (--timeout) %s; %s", te.After, te.Where(), what)
	case errors.As(err, &nr):
		err = fmt.Errorf("%v; %s", nr, what)
	case errors.Is(err, context.Canceled):
		err = fmt.Errorf("interrupted; %s", what)
	default:
		err = fmt.Errorf("%v; %s", err, what)
	}
	return &exitError{code: result.ExitUnverified, err: err}
}

// liveFlags are the flags of a live collection, shared by collect and check.
type liveFlags struct {
	o        graph.Options
	verbose  bool
	dns      string
	timeout  time.Duration
	fs       *pflag.FlagSet
	accounts collect.Accounts // the config's break-glass accounts, whose signInActivity is read
}

// accountsOf returns the break-glass accounts cfg declares.
func accountsOf(cfg *config.Config) collect.Accounts {
	return collect.Accounts{Users: cfg.BreakGlass.Users, Groups: cfg.BreakGlass.Groups}
}

// liveFlagNames lists them, so check can refuse them next to --snapshot or --demo.
var liveFlagNames = []string{"cloud", "auth", "tenant", "client-id", "certificate", "endpoint", "ca-file", "verbose", "dns", "timeout"}

func (l *liveFlags) register(fs *pflag.FlagSet) {
	l.fs = fs
	fs.StringVar(&l.dns, "dns", collect.DNSSystem, "SPF and DMARC lookups of the accepted domains: system (the system resolver), off, or `HOST:PORT` "+
		"of a DNS server to ask (default with a loopback --endpoint: the simulator's DNS on the same port)")
	fs.StringVar(&l.o.Cloud, "cloud", "global", "Microsoft `CLOUD`: "+strings.Join(graph.CloudNames(), "|"))
	fs.StringVar(&l.o.Auth, "auth", graph.AuthDefault, "sign-in `METHOD`: "+strings.Join(graph.AuthMethods(), "|")+
		" (default is Azure Identity's chain; secret reads "+graph.EnvClientSecret+")")
	fs.StringVar(&l.o.TenantID, "tenant", "", "tenant `ID` or domain (default: "+graph.EnvTenantID+")")
	fs.StringVar(&l.o.ClientID, "client-id", "", "application (client) `ID` of the app registration (default: "+graph.EnvClientID+")")
	fs.StringVar(&l.o.CertificatePath, "certificate", "", "certificate `FILE` with its private key, PEM or PKCS#12, for --auth certificate (password: "+graph.EnvCertificatePassword+")")
	fs.StringVar(&l.o.Endpoint, "endpoint", "", "base `URL` of Graph and the Exchange Online admin API instead of the cloud's, e.g. the simulator's http://127.0.0.1:8080")
	fs.StringVar(&l.o.CAFile, "ca-file", "", "PEM `FILE` of extra root certificates to trust (e.g. the simulator's)")
	fs.BoolVarP(&l.verbose, "verbose", "v", false, "log every Graph and Exchange Online request and retry to stderr (never tokens)")
	fs.DurationVar(&l.timeout, "timeout", collect.DefaultTimeout, "stop the collection after `DURATION` (e.g. 45m, 2h), sign-in included; nothing is written "+
		"(each request also gives up after "+graph.DefaultRequestTimeout.String()+" without an answer)")
}

// options checks the flags without touching the network and returns the client's options
// and the DNS mode. Missing credentials (no AZURE_CLIENT_SECRET for --auth secret) are the
// sign-in failure's one line, not a usage error.
func (l *liveFlags) options(e env) (graph.Options, string, error) {
	o := l.o
	o.Getenv = e.getenv
	o.Prompt = e.stderr
	if l.verbose {
		o.Log = e.stderr
	}
	if l.timeout <= 0 {
		return o, "", usageError{fmt.Errorf("--timeout %s: expected a positive duration, e.g. 30m", l.timeout)}
	}
	if err := o.Validate(); err != nil {
		var ae *graph.AuthError
		if errors.As(err, &ae) {
			return o, "", &exitError{code: result.ExitUnverified, err: err}
		}
		return o, "", usageError{err}
	}
	dnsMode := l.dns
	if l.fs != nil && !l.fs.Changed("dns") {
		dnsMode = collect.DNSAuto
	}
	if err := collect.CheckDNS(dnsMode); err != nil {
		return o, "", usageError{err}
	}
	return o, dnsMode, nil
}

// collect signs in and reads the tenant. On a terminal, progress goes to stderr as it happens;
// otherwise sources that failed or lacked a permission are listed there at the end. A line of
// counts follows in any case. On failure it prints nothing: the caller's one line says why.
func (l *liveFlags) collect(ctx context.Context, cmd string, e env) (*snapshot.Snapshot, *collect.Report, error) {
	o, dnsMode, err := l.options(e)
	if err != nil {
		return nil, nil, err
	}
	c, err := graph.New(o)
	if err != nil {
		return nil, nil, err
	}
	var progress *termProgress
	opts := collect.Options{
		Generator: snapshot.Generator{Name: version.Name, Version: version.Version},
		DNS:       dnsMode,
		Accounts:  l.accounts,
		Timeout:   l.timeout,
		Now:       e.now,
	}
	if e.terminal(e.stderr) {
		progress = newTermProgress(e.stderr, len(collect.Sources()), time.Second)
		opts.Progress = progress
	}
	snap, rep, err := collect.Run(ctx, c, opts)
	if progress != nil {
		progress.Close()
	}
	if err != nil {
		var ae *graph.AuthError
		if l.verbose && errors.As(err, &ae) {
			fmt.Fprintf(e.stderr, "posture %s: sign-in: %s\n", cmd, ae.Detail())
		}
		return nil, nil, err
	}
	if progress == nil {
		for _, w := range failedSources(rep) {
			fmt.Fprintf(e.stderr, "posture %s: warning: %s\n", cmd, w)
		}
	}
	fmt.Fprintf(e.stderr, "posture %s: %s\n", cmd, rep.Summary())
	return snap, rep, nil
}

// failedSources returns a line per distinct failure of the sources that are error or
// forbidden, in key order; sources that failed the same way share a line (a refused Exchange
// sign-in fails every cmdlet alike; a server that went away fails every request alike, so
// sources that got no answer are grouped by why, whatever their request).
func failedSources(rep *collect.Report) []string {
	type failure struct{ status, message string }
	var order []failure
	keys := map[failure][]string{}
	for _, src := range rep.Failed() {
		f := failure{string(src.Status), src.Message}
		if src.NoAnswer != "" {
			f.message = src.NoAnswer
		}
		if keys[f] == nil {
			order = append(order, f)
		}
		keys[f] = append(keys[f], src.Key)
	}
	lines := make([]string, len(order))
	for i, f := range order {
		lines[i] = fmt.Sprintf("%s %s: %s", strings.Join(keys[f], ", "), f.status, f.message)
	}
	return lines
}

// isTerminal reports whether w is a character device (a terminal). env.terminal is the
// replaceable way to ask.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
