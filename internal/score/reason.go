package score

import (
	"fmt"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
)

// Microsoft's control states (controlStateUpdates[].state) that change its points.
const (
	stateThirdParty = "thirdparty"
	stateIgnored    = "ignored" // "risk accepted" in the portal
)

// reason says what most likely explains the difference between posture's points for a control
// and Microsoft's, from the most specific cause to the most general.
func (e *estimator) reason(c *control, ms controlScore) string {
	state := strings.ToLower(e.ms.profiles[c.ID].State)
	rules := strings.Join(c.Rules, ", ")
	switch {
	case c.Status == result.ControlUnverified:
		return fmt.Sprintf("posture could not evaluate %s (status error) and gives no points; Microsoft's figure may be right once the data is collected", rules)
	case state == stateThirdParty && c.Status != result.ControlThirdParty:
		return fmt.Sprintf("the control is marked resolved through a third party in the Microsoft Defender portal, which earns Microsoft's points; posture's config has no third_party exception for %s, so its rules decide", rules)
	case strings.Contains(state, "alternate") && c.Status != result.ControlAlternateMitigation:
		return fmt.Sprintf("the control is marked resolved through an alternate mitigation in the Microsoft Defender portal; posture's config has no alternate_mitigation exception for %s, so its rules decide", rules)
	case state == stateIgnored && c.Status != result.ControlRiskAccepted:
		return "the control is marked risk accepted in the Microsoft Defender portal, which gives no points there"
	case c.Status == result.ControlThirdParty || c.Status == result.ControlAlternateMitigation:
		return fmt.Sprintf("the config's %s exception earns the points in posture; Microsoft counts them once the control is marked the same way in the Microsoft Defender portal", c.Status)
	case c.Status == result.ControlPlanned || c.Status == result.ControlRiskAccepted:
		return fmt.Sprintf("the config excepts %s as %s, which earns no points now; Microsoft finds the control at least partly done, so the exception may be out of date", rules, c.Status)
	case c.Coverage != nil && ms.Count != nil && ms.Total != nil:
		return fmt.Sprintf("posture counts %d of %d covered, Microsoft %g of %g%s: Microsoft counts its own population (licensed users, onboarded devices), or the tenant changed since its sync",
			c.Coverage.Covered, c.Coverage.Total, *ms.Count, *ms.Total, synced(ms))
	}
	gap := e.snap.CollectedAt.Sub(ms.LastSynced)
	switch {
	case ms.LastSynced.IsZero() || e.snap.CollectedAt.IsZero() || gap <= 0:
		return "Microsoft's check and posture's rules disagree on this tenant (Microsoft does not publish its exact criteria); the findings of " + rules + " show what posture found"
	case gap <= 72*time.Hour:
		return fmt.Sprintf("Microsoft last assessed the control %s before the snapshot%s; Secure Score takes 24-48 hours to reflect a change, so a recent change is the likely reason",
			hours(gap), synced(ms))
	}
	return fmt.Sprintf("Microsoft last assessed the control %s before the snapshot%s: a change since then, or a difference between Microsoft's check and posture's rules, explains it",
		hours(gap), synced(ms))
}

func synced(ms controlScore) string {
	if ms.LastSynced.IsZero() {
		return ""
	}
	return " (synced " + ms.LastSynced.Format(time.RFC3339) + ")"
}

func hours(d time.Duration) string {
	if d < 72*time.Hour {
		return fmt.Sprintf("%.0f hours", d.Hours())
	}
	return fmt.Sprintf("%.0f days", d.Hours()/24)
}
