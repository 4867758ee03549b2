package report

import (
	"fmt"

	"github.com/m365posture/posture/internal/result"
)

// scoreLine is the one-line Secure Score summary the text format ends with.
func scoreLine(s *result.Score) string {
	if s == nil {
		return ""
	}
	line := fmt.Sprintf("Secure Score estimate %s (%s%%)", fraction(s.Estimate), pct(s.Estimate.Percent))
	if s.Reported != nil {
		line += fmt.Sprintf(", Microsoft reported %s%% on %s", pct(s.Reported.Percent), s.Reported.At.Format("2006-01-02"))
	}
	if s.Projected.Points != s.Estimate.Points {
		line += fmt.Sprintf(", projected %s%%", pct(s.Projected.Percent))
	}
	return line + "; `posture score` explains every point"
}

func fraction(f result.Figure) string { return num(f.Points) + "/" + num(f.Max) }

func pct(f float64) string { return fmt.Sprintf("%.2f", f) }

func signed(f float64) string {
	if f > 0 {
		return "+" + num(f)
	}
	return num(f)
}
