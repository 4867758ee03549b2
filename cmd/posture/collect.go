package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/version"
)

func runCollect(ctx context.Context, args []string, e env) error {
	fs := newFlags("collect", "collect --output FILE [flags]", e)
	var lf liveFlags
	lf.register(fs)
	var out, configPath string
	fs.StringVarP(&out, "output", "o", "", "write the snapshot to `FILE` (atomically; a new file gets mode 0600)")
	fs.StringVarP(&configPath, "config", "c", "", "org config `FILE`: its break-glass accounts' signInActivity is read too")
	if err := parse(fs, args); err != nil {
		return err
	}
	if configPath != "" {
		cfg, err := config.Load(configPath)
		if err != nil {
			return err
		}
		lf.accounts = accountsOf(cfg)
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if out == "" {
		return usageError{fmt.Errorf("--output FILE is required")}
	}
	snap, err := lf.collect(ctx, "collect", e)
	if err != nil {
		return err
	}
	return snap.Save(out)
}

// liveFlags are the flags of a live collection, shared by collect and check.
type liveFlags struct {
	o        graph.Options
	verbose  bool
	dns      string
	fs       *pflag.FlagSet
	accounts collect.Accounts // the config's break-glass accounts, whose signInActivity is read
}

// accountsOf returns the break-glass accounts cfg declares.
func accountsOf(cfg *config.Config) collect.Accounts {
	return collect.Accounts{Users: cfg.BreakGlass.Users, Groups: cfg.BreakGlass.Groups}
}

// liveFlagNames lists them, so check can refuse them next to --snapshot or --demo.
var liveFlagNames = []string{"cloud", "auth", "tenant", "client-id", "certificate", "endpoint", "ca-file", "verbose", "dns"}

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
}

// collect signs in and reads the tenant. Progress goes to stderr when it is a terminal;
// sources that failed or lacked a permission are reported there in any case.
func (l *liveFlags) collect(ctx context.Context, cmd string, e env) (*snapshot.Snapshot, error) {
	o := l.o
	o.Getenv = e.getenv
	o.Prompt = e.stderr
	if l.verbose {
		o.Log = e.stderr
	}
	if err := o.Validate(); err != nil {
		return nil, usageError{err}
	}
	dnsMode := l.dns
	if l.fs != nil && !l.fs.Changed("dns") {
		dnsMode = collect.DNSAuto
	}
	if err := collect.CheckDNS(dnsMode); err != nil {
		return nil, usageError{err}
	}
	c, err := graph.New(o)
	if err != nil {
		return nil, err
	}
	var progress io.Writer
	if isTerminal(e.stderr) {
		progress = e.stderr
	}
	snap, _, err := collect.Run(ctx, c, collect.Options{
		Progress:  progress,
		Generator: snapshot.Generator{Name: version.Name, Version: version.Version},
		DNS:       dnsMode,
		Accounts:  l.accounts,
	})
	if err != nil {
		return nil, err
	}
	if progress == nil {
		for _, w := range failedSources(snap) {
			fmt.Fprintf(e.stderr, "posture %s: warning: %s\n", cmd, w)
		}
	}
	return snap, nil
}

// failedSources returns a line per distinct failure of the sources that are error or
// forbidden, in key order; sources that failed the same way share a line (a refused Exchange
// sign-in fails every cmdlet alike).
func failedSources(snap *snapshot.Snapshot) []string {
	type failure struct{ status, message string }
	var order []failure
	keys := map[failure][]string{}
	for _, key := range snapshot.KnownKeys() {
		src := snap.Sources[key]
		if src.Status != snapshot.StatusError && src.Status != snapshot.StatusForbidden {
			continue
		}
		f := failure{string(src.Status), src.Message}
		if keys[f] == nil {
			order = append(order, f)
		}
		keys[f] = append(keys[f], key)
	}
	lines := make([]string, len(order))
	for i, f := range order {
		lines[i] = fmt.Sprintf("%s %s: %s", strings.Join(keys[f], ", "), f.status, f.message)
	}
	return lines
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
