package result

import "fmt"

// Severity ranks how much a failing rule matters.
type Severity string

// Severities from most to least severe.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Severities lists every severity, most severe first.
var Severities = []Severity{Critical, High, Medium, Low, Info}

// Rank is 5 for critical down to 1 for info, and 0 for anything else.
func (s Severity) Rank() int {
	for i, v := range Severities {
		if s == v {
			return len(Severities) - i
		}
	}
	return 0
}

// ParseSeverity accepts one of the severities.
func ParseSeverity(s string) (Severity, error) {
	if Severity(s).Rank() == 0 {
		return "", fmt.Errorf("severity %q; expected critical, high, medium, low or info", s)
	}
	return Severity(s), nil
}
