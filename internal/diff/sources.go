package diff

import (
	"sort"

	"github.com/m365posture/posture/internal/snapshot"
)

// SourceChange is a snapshot key ("entra.users") whose collection status changed.
type SourceChange struct {
	Key string `json:"key"`
	// Old and New are the source statuses (ok, error, forbidden, unlicensed, skipped),
	// "missing" when the snapshot has no source entry, and "ok (no data)" when it says ok
	// but holds no value.
	Old   string `json:"old"`
	New   string `json:"new"`
	Class Class  `json:"class"`
	// Message is NEW's reason for a status other than ok ("needs AuditLog.Read.All").
	Message string `json:"message,omitempty"`
}

// compareSources reports the keys whose status changed, sorted by key. Data that became
// unknown is a regression: every rule reading it can no longer be verified, whatever it
// said before.
func compareSources(old, new *snapshot.Snapshot) []SourceChange {
	keys := map[string]bool{}
	for k := range old.Sources {
		keys[k] = true
	}
	for k := range new.Sources {
		keys[k] = true
	}
	out := []SourceChange{}
	for k := range keys {
		was, now := sourceStatus(old, k), sourceStatus(new, k)
		if was == now {
			continue
		}
		c := SourceChange{Key: k, Old: was, New: now, Class: Neutral}
		switch ok, nk := old.Known(k), new.Known(k); {
		case ok && !nk:
			c.Class = Regression
		case !ok && nk:
			c.Class = Improvement
		}
		if !new.Known(k) {
			c.Message = new.Sources[k].Message
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func sourceStatus(s *snapshot.Snapshot, key string) string {
	src, ok := s.Sources[key]
	switch {
	case !ok:
		return "missing"
	case src.Status == snapshot.StatusOK && !s.Known(key):
		return "ok (no data)"
	}
	return string(src.Status)
}
