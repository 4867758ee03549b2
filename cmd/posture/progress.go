package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/m365posture/posture/internal/collect"
)

// statusWidth keeps the status line shorter than the narrowest usual terminal: a line that
// wraps cannot be redrawn in place.
const statusWidth = 79

// termProgress shows a collection on a terminal: a line per finished source and, below them,
// a status line redrawn in place every tick with how many sources are done and which are still
// running, for how long. A stalled request shows there, not as silence.
type termProgress struct {
	w     io.Writer
	total int
	now   func() time.Time

	mu      sync.Mutex
	running map[string]time.Time
	done    int
	shown   bool // a status line is on screen

	stop chan struct{}
	wg   sync.WaitGroup
}

// newTermProgress returns a progress for total sources that redraws its status line every
// tick (never with tick 0). Close stops it.
func newTermProgress(w io.Writer, total int, tick time.Duration) *termProgress {
	p := &termProgress{w: w, total: total, now: time.Now, running: map[string]time.Time{}, stop: make(chan struct{})}
	if tick > 0 {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			t := time.NewTicker(tick)
			defer t.Stop()
			for {
				select {
				case <-p.stop:
					return
				case <-t.C:
					p.redraw()
				}
			}
		}()
	}
	return p
}

// Started notes the source; the next tick or finished source shows it.
func (p *termProgress) Started(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[key] = p.now()
}

func (p *termProgress) Finished(s collect.SourceReport) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, s.Key)
	p.done++
	p.clear()
	fmt.Fprintln(p.w, s.Line())
	p.draw()
}

// Close stops the ticks and takes the status line off the screen.
func (p *termProgress) Close() {
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

func (p *termProgress) redraw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw()
}

// draw writes the status line over the one on screen. Callers hold mu.
func (p *termProgress) draw() {
	keys := make([]string, 0, len(p.running))
	for k := range p.running {
		keys = append(keys, k)
	}
	// Longest running first: the one holding the collection up.
	sort.Slice(keys, func(i, j int) bool {
		if a, b := p.running[keys[i]], p.running[keys[j]]; !a.Equal(b) {
			return a.Before(b)
		}
		return keys[i] < keys[j]
	})
	now := p.now()
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %ds", k, int(now.Sub(p.running[k]).Seconds()))
	}
	line := fmt.Sprintf("%d/%d sources done", p.done, p.total)
	if len(parts) > 0 {
		line += fmt.Sprintf(", %d running: %s", len(parts), strings.Join(parts, ", "))
	}
	if r := []rune(line); len(r) > statusWidth {
		line = string(r[:statusWidth-3]) + "..."
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.shown = true
}

// clear erases the status line. Callers hold mu.
func (p *termProgress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
