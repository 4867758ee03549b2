package report

import (
	"math"
	"strconv"
)

// num formats points with at most two decimals and no trailing zeros, so 61.5 stays 61.5 and
// 8.00 is 8; negative zero prints as 0.
func num(f float64) string {
	f = math.Round(f*100) / 100
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
