package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/m365posture/posture/internal/atomicfile"
)

// newFlags returns a FlagSet that reports errors instead of exiting.
func newFlags(name, synopsis string, e env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: posture %s\n\nFlags:\n", synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses args; --help prints usage and ends the command with exit 0.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) { // pflag has already printed the usage
			return &exitError{code: 0, err: errors.New("")}
		}
		return usageError{err}
	}
	return nil
}

// output writes through fill to path atomically, or to stdout when path is "" or "-".
func output(path string, e env, fill func(w io.Writer) error) error {
	if path == "" || path == "-" {
		return fill(e.stdout)
	}
	if err := atomicfile.Write(path, 0o644, fill); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// colorFor reports whether text for w may use colour: only on a terminal, and never when
// NO_COLOR is set (https://no-color.org) or TERM is dumb.
func colorFor(w io.Writer, e env) bool {
	if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}
