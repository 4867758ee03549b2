package engine

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/snapshot"
)

// orgRuleSource is an org rule file with the METADATA every rule needs; body follows the package.
func orgRuleSource(id, body string) string {
	return fmt.Sprintf(`# METADATA
# title: %[1]s
# description: A test rule.
# custom:
#   id: %[1]s
#   severity: low
#   level: shall
#   requires: [entra.users]
#   remediation: None.
package posture.rules.%[1]s

%[2]s
`, id, body)
}

// TestStoppedEvaluationNamesRules stops an evaluation that an org rule keeps running, by a
// deadline and by cancellation: the error says which and names the rule that was running and
// the rules that were not evaluated, and nothing else.
// stopAfter is long enough for the built-in rules to finish before the slow org rule on a
// loaded machine, so the stop always lands inside org.slow.
const stopAfter = 3 * time.Second

func TestStoppedEvaluationNamesRules(t *testing.T) {
	dir := writePolicy(t, map[string]string{
		// Ten billion iterations: this rule never finishes in a test's lifetime.
		"slow.rego": orgRuleSource("org.slow", `deny contains {"msg": "never"} if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i == j + 1000000
}`),
		"after.rego": orgRuleSource("org.zz_after", `deny contains {"msg": "after"} if false`),
	})
	eng, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Baselines: []string{"azure-ad", OrgBaseline}})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := snapshot.Load("../../testdata/snapshots/weak.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		ctx   func() (context.Context, context.CancelFunc)
		cause error
		text  string
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), stopAfter)
		}, context.DeadlineExceeded, "evaluation timed out while rule org.slow was running; 1 more not evaluated: org.zz_after"},
		{"interrupt", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(stopAfter, cancel)
			return ctx, cancel
		}, context.Canceled, "evaluation interrupted while rule org.slow was running; 1 more not evaluated: org.zz_after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			_, err := eng.Evaluate(ctx, snap, nil, EvalOptions{})
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("the evaluation took %v to stop", took)
			}
			var stopped *StoppedError
			if !errors.As(err, &stopped) {
				t.Fatalf("error %v (%T); want a *StoppedError", err, err)
			}
			if !errors.Is(err, tt.cause) {
				t.Errorf("error %v does not wrap %v", err, tt.cause)
			}
			if err.Error() != tt.text {
				t.Errorf("error = %q\nwant %q", err, tt.text)
			}
		})
	}
}

// TestClockIsCollectedAt evaluates an org rule that reads the clock, twice: time.now_ns is the
// snapshot's collectedAt both times, and a token that expired an hour after collection still
// verifies, so the result does not depend on when the check runs.
func TestClockIsCollectedAt(t *testing.T) {
	snap, err := snapshot.Load("../../testdata/snapshots/weak.json")
	if err != nil {
		t.Fatal(err)
	}
	at := snap.CollectedAt
	if at.IsZero() || time.Since(at) < 2*time.Hour {
		t.Fatalf("the test snapshot must be collected more than two hours ago, got %v", at)
	}
	token := hs256(t, "posture", fmt.Sprintf(`{"nbf":%d,"exp":%d}`, at.Add(-time.Hour).Unix(), at.Add(time.Hour).Unix()))
	dir := writePolicy(t, map[string]string{"clock.rego": orgRuleSource("org.clock", fmt.Sprintf(`deny contains {"msg": sprintf("now %%d, token valid %%v", [time.now_ns(), valid])} if {
	[valid, _, _] := io.jwt.decode_verify(%q, {"secret": "posture"})
}`, token))})
	eng, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Baselines: []string{OrgBaseline}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("now %d, token valid true", at.UnixNano())
	for i := range 2 {
		res, err := eng.Evaluate(context.Background(), snap, nil, EvalOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 1 || len(res.Findings[0].Violations) != 1 {
			t.Fatalf("evaluation %d: findings %+v; want one violation", i+1, res.Findings)
		}
		if got := res.Findings[0].Violations[0].Msg; got != want {
			t.Errorf("evaluation %d: %q, want %q", i+1, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// hs256 signs a JSON payload as a JWT with HMAC-SHA256.
func hs256(t *testing.T, secret, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	signed := enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(payload))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signed))
	return signed + "." + enc(mac.Sum(nil))
}
