package main

import (
	"fmt"
	"time"

	"github.com/m365posture/posture/internal/history"
	"github.com/m365posture/posture/internal/result"
)

// trendFrom reads posture's earlier estimates for res's tenant from the history directory dir,
// covering history.Window before res's snapshot; with save, res is stored first, so it is the
// newest point.
func trendFrom(dir string, res *result.Result, save bool) ([]result.TrendPoint, error) {
	if dir == "" {
		return nil, nil
	}
	if save {
		if _, err := history.Save(dir, res); err != nil {
			return nil, fmt.Errorf("--history: %w", err)
		}
	}
	since := res.Snapshot.CollectedAt.Add(-history.Window)
	if res.Snapshot.CollectedAt.IsZero() {
		since = time.Now().Add(-history.Window)
	}
	past, err := history.Load(dir, res.Snapshot.Tenant.ID, since)
	if err != nil {
		return nil, fmt.Errorf("--history: %w", err)
	}
	return history.Trend(past), nil
}

// minScore reads --min-score: a percentage from 0 to 100, or nil when the flag was not given
// (the config's gate.minScore then applies).
func minScore(changed bool, v float64) (*float64, error) {
	if !changed {
		return nil, nil
	}
	if v < 0 || v > 100 {
		return nil, usageError{fmt.Errorf("--min-score %g: expected a percentage from 0 to 100", v)}
	}
	return &v, nil
}
