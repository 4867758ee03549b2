// Command posture checks a Microsoft 365 tenant's configuration against security baselines.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is the process around a command, passed in so commands run in tests without one.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal, when set, answers whether a writer is a terminal (tests have none); nil
	// asks the operating system.
	isTerminal func(io.Writer) bool
	// now, when set, is the clock a collection is stamped with (collectedAt); nil is the
	// system's. Tests set it to replay a tenant as of its snapshot's time.
	now func() time.Time
}

// terminal reports whether w is a terminal, where progress may redraw a line.
func (e env) terminal(w io.Writer) bool {
	if e.isTerminal != nil {
		return e.isTerminal(w)
	}
	return isTerminal(w)
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"collect", "read a live tenant through Microsoft Graph into a snapshot", runCollect},
		{"check", "evaluate a tenant snapshot against the baselines", runCheck},
		{"score", "estimate the Microsoft Secure Score of a snapshot or result, and project it", runScore},
		{"report", "re-render an earlier result in another format", runReport},
		{"diff", "what changed between two snapshots or two results", runDiff},
		{"rules", "list the rule catalog", runRules},
		{"test", "run the Rego unit tests of org policies (with posture's library)", runTest},
		{"init", "write a starter config and an example org rule with its test", runInit},
		{"sim", "serve a snapshot as Microsoft Graph on loopback (posture sim serve)", runSim},
		{"version", "print posture's version", runVersion},
	}
}

// exitError carries a process exit code, one of result's, up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks bad command lines: they exit 2 with a hint to --help.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// errHelp ends a command whose usage has been printed: on its own it exits 0 (--help); in an
// exitError with that code (a command run without what it needs).
var errHelp = errors.New("usage printed")

// verdict ends a command with a gate's decision: nil when it passed, else the verdict's exit
// code and its reasons on one line after prefix ("gate: ..."; "" for none), the unverifiable
// rules first and long lists of rules cut short (Verdict.Line).
func verdict(prefix string, v result.Verdict) error {
	if v.Code == result.ExitPassed {
		return nil
	}
	msg := v.Line()
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	return &exitError{code: v.Code, err: errors.New(msg)}
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return result.ExitUsage
		}
		return result.ExitPassed
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], e)
		return exitCode(e.stderr, c.name, err)
	}
	fmt.Fprintf(e.stderr, "posture: unknown command %q; expected one of %s (see posture --help)\n", args[0], strings.Join(commandNames(), ", "))
	return result.ExitUsage
}

// exitCode prints err as one line and turns it into an exit code.
func exitCode(w io.Writer, cmd string, err error) int {
	var (
		ee *exitError
		ue usageError
	)
	switch {
	case err == nil:
		return result.ExitPassed
	case errors.As(err, &ee):
		if !errors.Is(ee.err, errHelp) {
			fmt.Fprintf(w, "posture %s: %s\n", cmd, oneLine(ee.err.Error()))
		}
		return ee.code
	case errors.Is(err, errHelp):
		return result.ExitPassed
	case errors.As(err, &ue):
		fmt.Fprintf(w, "posture %s: %s (see posture %s --help)\n", cmd, ue.err, cmd)
		return result.ExitUsage
	}
	fmt.Fprintf(w, "posture %s: %s\n", cmd, oneLine(err.Error()))
	return result.ExitUsage
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "posture checks a Microsoft 365 tenant's configuration against security baselines.")
	fmt.Fprintln(w, "\nUsage: posture <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun posture <command> --help for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 gate passed, 1 gate failed, 2 usage error, bad input or unverifiable data.")
}
