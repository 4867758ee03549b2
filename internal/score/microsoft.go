package score

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// microsoft is what the snapshot says about Microsoft's own Secure Score: the newest
// secureScores object, the history of daily scores and the live control profiles.
type microsoft struct {
	// newest is the newest secureScores object; zero At when the snapshot has none.
	newest   daily
	history  []daily // oldest first
	profiles map[string]profile
	// listed is true when the tenant's controlProfiles were read and hold at least one
	// profile: they then list every control Microsoft offers the tenant.
	listed bool
	// problems say why the data was not read (a source that is not ok), for notes.
	problems []string
}

// daily is one secureScores object.
type daily struct {
	At          time.Time
	Points, Max float64
	Controls    map[string]controlScore
	Comparisons []result.Comparison
	// EnabledServices are the object's enabledServices flags (HasMDEP2, ...): the products
	// Microsoft found the tenant has.
	EnabledServices []string
}

// controlScore is one entry of a secureScores object's controlScores.
type controlScore struct {
	Score, Percent float64
	Category       string
	Description    string
	Status         string // implementationStatus, Microsoft's words
	Count, Total   *float64
	LastSynced     time.Time
}

// profile is the part of a secureScoreControlProfile the estimate reads.
type profile struct {
	Title, Category, Service string
	Max                      float64
	Deprecated               bool
	UserImpact, Cost         string // lower case: low | moderate | high | unknown
	Remediation              string
	State                    string // the newest controlStateUpdates state; "" or Default for none
}

const (
	scoresKey   = "secureScore.scores"
	profilesKey = "secureScore.controlProfiles"
)

// readMicrosoft reads the secureScore section. A source that was not collected is a note, not
// an error: the estimate then stands on posture's rules and the catalog alone. Data of the wrong
// shape is an error naming its JSON path.
func readMicrosoft(snap *snapshot.Snapshot) (*microsoft, error) {
	m := &microsoft{profiles: map[string]profile{}}
	if src, ok := snap.Sources[scoresKey]; ok && src.Status == snapshot.StatusOK {
		items, err := list(snap.SecureScore, "scores")
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			d, err := readDaily(it, fmt.Sprintf("$.secureScore.scores[%d]", i))
			if err != nil {
				return nil, err
			}
			m.history = append(m.history, d)
		}
		sort.SliceStable(m.history, func(i, j int) bool { return m.history[i].At.Before(m.history[j].At) })
		if n := len(m.history); n > 0 {
			m.newest = m.history[n-1]
		}
	} else {
		m.problems = append(m.problems, sourceProblem(snap, scoresKey))
	}
	if src, ok := snap.Sources[profilesKey]; ok && src.Status == snapshot.StatusOK {
		items, err := list(snap.SecureScore, "controlProfiles")
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			id, p, err := readProfile(it, fmt.Sprintf("$.secureScore.controlProfiles[%d]", i))
			if err != nil {
				return nil, err
			}
			m.profiles[id] = p
		}
		m.listed = len(m.profiles) > 0
	} else {
		m.problems = append(m.problems, sourceProblem(snap, profilesKey))
	}
	return m, nil
}

func sourceProblem(snap *snapshot.Snapshot, key string) string {
	src, ok := snap.Sources[key]
	if !ok {
		return key + " was not collected"
	}
	msg := fmt.Sprintf("%s is %s", key, src.Status)
	if src.Message != "" {
		msg += " (" + src.Message + ")"
	}
	return msg
}

func list(section map[string]any, key string) ([]any, error) {
	v, ok := section[key]
	if !ok || v == nil {
		return nil, fmt.Errorf("$.secureScore.%s: missing, though its source is ok; expected an array", key)
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("$.secureScore.%s: %s; expected an array", key, kind(v))
	}
	return items, nil
}

func readDaily(v any, path string) (daily, error) {
	var d daily
	obj, ok := v.(map[string]any)
	if !ok {
		return d, fmt.Errorf("%s: %s; expected a secureScore object", path, kind(v))
	}
	var err error
	if d.At, err = timeField(obj, "createdDateTime", path, true); err != nil {
		return d, err
	}
	if d.Points, err = numField(obj, "currentScore", path, true); err != nil {
		return d, err
	}
	if d.Max, err = numField(obj, "maxScore", path, true); err != nil {
		return d, err
	}
	if raw, ok := obj["enabledServices"].([]any); ok {
		for _, f := range raw {
			if flag, ok := f.(string); ok {
				d.EnabledServices = append(d.EnabledServices, flag)
			}
		}
	}
	d.Controls = map[string]controlScore{}
	if raw, ok := obj["controlScores"].([]any); ok {
		for i, it := range raw {
			p := fmt.Sprintf("%s.controlScores[%d]", path, i)
			c, ok := it.(map[string]any)
			if !ok {
				return d, fmt.Errorf("%s: %s; expected a controlScore object", p, kind(it))
			}
			name, _ := c["controlName"].(string)
			if name == "" {
				return d, fmt.Errorf("%s.controlName: missing; expected the control's name", p)
			}
			var cs controlScore
			if cs.Score, err = numField(c, "score", p, true); err != nil {
				return d, err
			}
			if cs.Percent, err = numField(c, "scoreInPercentage", p, false); err != nil {
				return d, err
			}
			for _, k := range []struct {
				key string
				dst **float64
			}{{"count", &cs.Count}, {"total", &cs.Total}} {
				if _, ok := c[k.key]; !ok || c[k.key] == nil {
					continue
				}
				f, err := numField(c, k.key, p, false)
				if err != nil {
					return d, err
				}
				*k.dst = &f
			}
			if cs.LastSynced, err = timeField(c, "lastSynced", p, false); err != nil {
				return d, err
			}
			cs.Category, _ = c["controlCategory"].(string)
			cs.Description, _ = c["description"].(string)
			cs.Status, _ = c["implementationStatus"].(string)
			d.Controls[name] = cs
		}
	}
	if raw, ok := obj["averageComparativeScores"].([]any); ok {
		for i, it := range raw {
			c, err := readComparison(it, fmt.Sprintf("%s.averageComparativeScores[%d]", path, i))
			if err != nil {
				return d, err
			}
			d.Comparisons = append(d.Comparisons, c)
		}
	}
	return d, nil
}

// comparisonCategories are the category fields of an averageComparativeScore, in display order.
var comparisonCategories = []string{"identity", "data", "device", "apps", "infrastructure"}

// readComparison reads one averageComparativeScore. Its averageScore is a percentage (it equals
// the category scores' sum over the tenant's maximum in every export seen); the category scores
// are points.
func readComparison(v any, path string) (result.Comparison, error) {
	var c result.Comparison
	obj, ok := v.(map[string]any)
	if !ok {
		return c, fmt.Errorf("%s: %s; expected an averageComparativeScore object", path, kind(v))
	}
	c.Basis, _ = obj["basis"].(string)
	if c.Basis == "" {
		return c, fmt.Errorf("%s.basis: missing; expected AllTenants, TotalSeats or IndustryTypes", path)
	}
	var err error
	if c.Percent, err = numField(obj, "averageScore", path, true); err != nil {
		return c, err
	}
	c.Percent = round2(c.Percent)
	for _, name := range comparisonCategories {
		if _, ok := obj[name+"Score"]; !ok {
			continue
		}
		f, err := numField(obj, name+"Score", path, false)
		if err != nil {
			return c, err
		}
		if c.Categories == nil {
			c.Categories = map[string]float64{}
		}
		c.Categories[name] = round2(f)
		c.Points += f
	}
	c.Points = round2(c.Points)
	return c, nil
}

func readProfile(v any, path string) (string, profile, error) {
	var p profile
	obj, ok := v.(map[string]any)
	if !ok {
		return "", p, fmt.Errorf("%s: %s; expected a secureScoreControlProfile object", path, kind(v))
	}
	id, _ := obj["id"].(string)
	if id == "" {
		return "", p, fmt.Errorf("%s.id: missing; expected the control's id", path)
	}
	var err error
	if p.Max, err = numField(obj, "maxScore", path, true); err != nil {
		return "", p, err
	}
	p.Title, _ = obj["title"].(string)
	p.Category, _ = obj["controlCategory"].(string)
	p.Service, _ = obj["service"].(string)
	p.Deprecated, _ = obj["deprecated"].(bool)
	p.Remediation, _ = obj["remediation"].(string)
	ui, _ := obj["userImpact"].(string)
	ic, _ := obj["implementationCost"].(string)
	p.UserImpact, p.Cost = level(ui), level(ic)
	if ups, ok := obj["controlStateUpdates"].([]any); ok {
		var newest time.Time
		for _, u := range ups {
			um, ok := u.(map[string]any)
			if !ok {
				continue
			}
			at, _ := time.Parse(time.RFC3339, fmt.Sprint(um["updatedDateTime"]))
			if st, ok := um["state"].(string); ok && !at.Before(newest) {
				p.State, newest = st, at
			}
		}
	}
	return id, p, nil
}

// level normalises Microsoft's Low / Moderate / Medium / High to posture's words.
func level(s string) string {
	switch strings.ToLower(s) {
	case "low":
		return "low"
	case "moderate", "medium":
		return "moderate"
	case "high":
		return "high"
	}
	return "unknown"
}

// numField reads a number that Microsoft sometimes sends as a string ("22").
func numField(obj map[string]any, key, path string, required bool) (float64, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		if required {
			return 0, fmt.Errorf("%s.%s: missing; expected a number", path, key)
		}
		return 0, nil
	}
	var f float64
	var err error
	switch n := v.(type) {
	case json.Number:
		f, err = n.Float64()
	case float64:
		f = n
	case int:
		f = float64(n)
	case string:
		f, err = strconv.ParseFloat(strings.TrimSpace(n), 64)
	default:
		err = fmt.Errorf("a %s", kind(v))
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, fmt.Errorf("%s.%s: %v; expected a number of points (0 or more)", path, key, v)
	}
	return f, nil
}

func timeField(obj map[string]any, key, path string, required bool) (time.Time, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		if required {
			return time.Time{}, fmt.Errorf("%s.%s: missing; expected an RFC 3339 time", path, key)
		}
		return time.Time{}, nil
	}
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s.%s: %v; expected an RFC 3339 time", path, key, v)
	}
	return t.UTC(), nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, int:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
