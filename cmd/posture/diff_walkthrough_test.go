package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// walkStep is one command of a README console block: its arguments, whether it discards
// stdout ("> /dev/null", so the lines shown are stderr), and the lines shown after it.
type walkStep struct {
	line    string
	args    []string
	discard bool
	echo    bool // "echo $?": the lines shown are the previous command's exit code
	shown   []string
}

// readmeConsole returns the steps of the first console block under the README heading.
func readmeConsole(t *testing.T, heading string) []walkStep {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no heading %q", heading)
	}
	if next := strings.Index(section, "\n#"); next >= 0 {
		section = section[:next]
	}
	_, block, ok := strings.Cut(section, "```console\n")
	if !ok {
		t.Fatalf("README %s has no console block", heading)
	}
	block, _, _ = strings.Cut(block, "```")
	var steps []walkStep
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		cmd, isCmd := strings.CutPrefix(line, "$ ")
		if !isCmd {
			if len(steps) == 0 {
				t.Fatalf("README %s: output %q before any command", heading, line)
			}
			steps[len(steps)-1].shown = append(steps[len(steps)-1].shown, line)
			continue
		}
		st := walkStep{line: line}
		fields := strings.Fields(cmd)
		switch {
		case cmd == "echo $?":
			st.echo = true
		case len(fields) > 0 && fields[0] == "posture":
			if n := len(fields); n >= 2 && fields[n-2] == ">" && fields[n-1] == "/dev/null" {
				st.discard, fields = true, fields[:n-2]
			}
			for _, f := range fields[1:] {
				if strings.ContainsAny(f, `'"$|&;<>*`) {
					t.Fatalf("README %s: %q: the test runs plain arguments only", heading, line)
				}
			}
			st.args = fields[1:]
		default:
			t.Fatalf("README %s: %q is neither posture nor echo $?", heading, line)
		}
		steps = append(steps, st)
	}
	return steps
}

// matchShown reports where the lines shown differ from the output: each shown line is a whole
// line of the output, consecutive lines follow each other, and "..." stands for any lines.
func matchShown(shown []string, out string) error {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	i, skip := 0, false
	for _, want := range shown {
		if want == "..." {
			skip = true
			continue
		}
		for skip && i < len(lines) && lines[i] != want {
			i++
		}
		if i >= len(lines) {
			return fmt.Errorf("%q is not in the output (in order)", want)
		}
		if lines[i] != want {
			return fmt.Errorf("line %d is %q; README shows %q", i+1, lines[i], want)
		}
		i, skip = i+1, false
	}
	if !skip && i != len(lines) {
		return fmt.Errorf("the output goes on after the lines shown: %q", lines[i])
	}
	return nil
}

// TestDiffWalkthrough runs the README's diff walkthrough as written, from the repository root,
// on the committed snapshots, and checks every line it shows and the exit code it states.
func TestDiffWalkthrough(t *testing.T) {
	steps := readmeConsole(t, "### posture diff")
	if len(steps) < 2 {
		t.Fatalf("the walkthrough has %d commands", len(steps))
	}
	last := -1
	for _, st := range steps {
		if st.echo {
			if len(st.shown) != 1 || st.shown[0] != strconv.Itoa(last) {
				t.Errorf("%s shows %q; the command before exited %d", st.line, st.shown, last)
			}
			continue
		}
		r := runPostureIn(t, filepath.Join("..", ".."), map[string]string{"NO_COLOR": "1"}, st.args...)
		last = r.code
		out := r.stdout
		if st.discard {
			out = r.stderr
		} else if r.stderr != "" {
			t.Errorf("%s: stderr %q", st.line, r.stderr)
		}
		if err := matchShown(st.shown, out); err != nil {
			t.Errorf("%s: %v\noutput:\n%s", st.line, err, out)
		}
	}
}

// TestMatchShown checks the matcher the walkthrough relies on.
func TestMatchShown(t *testing.T) {
	out := "a\nb\nc\nd\n"
	tests := []struct {
		shown []string
		ok    bool
	}{
		{[]string{"a", "b", "c", "d"}, true},
		{[]string{"a", "...", "d"}, true},
		{[]string{"...", "c", "d"}, true},
		{[]string{"a", "..."}, true},
		{[]string{"a", "c", "d"}, false},          // b left out without "..."
		{[]string{"a", "b"}, false},               // output goes on
		{[]string{"a", "...", "x"}, false},        // not in the output
		{[]string{"...", "c", "...", "b"}, false}, // out of order
	}
	for _, tt := range tests {
		if err := matchShown(tt.shown, out); (err == nil) != tt.ok {
			t.Errorf("matchShown(%q) = %v; want ok %v", tt.shown, err, tt.ok)
		}
	}
}
