package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/snapshot"
)

// TestTermProgress follows the status line through a run: sources show once a tick or a
// finished source redraws, longest running first; a finished source's line replaces the
// status line, which is drawn again below it; nothing wider than a narrow terminal; Close
// leaves no status line behind.
func TestTermProgress(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p := newTermProgress(&buf, 3, 0)
	p.now = func() time.Time { return now }
	long := "exchange." + strings.Repeat("x", 90)
	steps := []struct {
		name string
		do   func()
		want string // what the step writes, exactly
	}{
		{"a start draws nothing", func() { p.Started("entra.users") }, ""},
		{"a tick draws", func() { now = now.Add(2 * time.Second); p.Started("entra.groups"); p.redraw() },
			"\r\x1b[K0/3 sources done, 2 running: entra.users 2s, entra.groups 0s"},
		{"a finished source gets its line", func() {
			now = now.Add(time.Second)
			p.Finished(collect.SourceReport{Key: "entra.users", Status: snapshot.StatusOK, Count: 5, Took: 3 * time.Second})
		}, "\r\x1b[K" + collect.SourceReport{Key: "entra.users", Status: snapshot.StatusOK, Count: 5, Took: 3 * time.Second}.Line() + "\n" +
			"\r\x1b[K1/3 sources done, 1 running: entra.groups 1s"},
		{"a long line is cut", func() { p.Started(long); p.redraw() },
			"\r\x1b[K" + string([]rune("1/3 sources done, 2 running: entra.groups 1s, " + long)[:statusWidth-3]) + "..."},
		{"close clears", p.Close, "\r\x1b[K"},
	}
	for _, st := range steps {
		buf.Reset()
		st.do()
		if got := buf.String(); got != st.want {
			t.Errorf("%s: wrote %q, want %q", st.name, got, st.want)
		}
	}
}
