// Package suggest finds the name a user most likely meant, for "did you mean" hints.
package suggest

import "strings"

// Closest returns the candidate the user most likely meant by s, or "" when none is close.
// Case, '_' and '-' are ignored first ("fail_on" means "failOn"); then the edit distance must
// be small for the length, or the words must share a prefix ("entity" for "entities").
func Closest(s string, candidates []string) string {
	ns := normalizeKey(s)
	for _, c := range candidates {
		if normalizeKey(c) == ns {
			return c
		}
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		nc := normalizeKey(c)
		d := editDistance(ns, nc)
		limit := max(1, len([]rune(ns))/3)
		if commonPrefix(ns, nc) >= 4 {
			limit = max(limit, len([]rune(ns))/2)
		}
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

func normalizeKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

func commonPrefix(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n
}

// editDistance is the optimal-string-alignment distance between a and b, in runes: the
// Levenshtein distance with swapping two neighbours ("usres") counted as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := [3][]int{make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		pp, prev, cur := rows[(i+1)%3], rows[(i+2)%3], rows[i%3]
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
	}
	return rows[len(ra)%3][len(rb)]
}
