package collect

import (
	"context"
	"errors"
	"strings"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

// failed turns a source's error into its outcome. Sign-in failures and a cancelled run end
// the run; everything else is the source's status.
func failed(ctx context.Context, s Source, err error, pages int) *outcome {
	var ae *graph.AuthError
	if errors.As(err, &ae) {
		return &outcome{err: ae}
	}
	if ctx.Err() != nil {
		return &outcome{err: context.Cause(ctx)}
	}
	return &outcome{src: classify(s, err), cause: err, pages: pages}
}

// classify maps a Graph failure to a source status:
//   - a licence error (Graph's codes for a tenant without Entra ID P1/P2 or Intune) is
//     unlicensed, naming the licence;
//   - any other 401 or 403 is forbidden, naming the least-privilege permission;
//   - everything else (5xx and 429 after retries, network errors, bad answers) is error.
//
// The message keeps Graph's own code and message after the explanation.
func classify(s Source, err error) snapshot.Source {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		return snapshot.Source{Status: snapshot.StatusError, Message: oneLine(err.Error())}
	}
	switch {
	case unlicensed(ge):
		need := s.Licence
		if need == "" {
			need = "a licence the tenant lacks"
		}
		return snapshot.Source{Status: snapshot.StatusUnlicensed, Message: "needs " + need + " (" + ge.Short() + ")"}
	case ge.Status == 401 || ge.Status == 403:
		return snapshot.Source{Status: snapshot.StatusForbidden, Message: "needs " + s.Permission + " (" + ge.Short() + ")"}
	}
	return snapshot.Source{Status: snapshot.StatusError, Message: oneLine(ge.Error())}
}

// licenceCodes are Graph error codes that mean the tenant lacks a licence, whatever the status
// they come with (400, 401 or 403):
//   - AadPremiumLicenseRequired: PIM without Entra ID P2 / ID Governance (see internal/sim's
//     licence errors for where it was observed);
//   - Authentication_RequestFromNonPremiumTenantOrB2CTenant: sign-in logs, reports and
//     signInActivity without Entra ID P1 (Microsoft Learn, "How to detect and investigate
//     inactive user accounts" and the signInActivity docs; answered 401 as well as 403, e.g.
//     microsoftgraph/microsoft-graph-docs#14120);
//   - missingLicense: Microsoft Learn, "Get azureADPremiumLicenseInsight" ("Tenants without a
//     premium license receive a 403 Forbidden response with the missingLicense error code").
var licenceCodes = map[string]bool{
	"AadPremiumLicenseRequired":                             true,
	"Authentication_RequestFromNonPremiumTenantOrB2CTenant": true,
	"missingLicense":                                        true,
}

// unlicensed reports whether Graph refused for want of a licence: a licence code, or a message
// that says so ("not licensed" for Identity Protection and Conditional Access, "Request not
// applicable to target tenant" for Intune), on a 400, 401 or 403.
func unlicensed(e *graph.Error) bool {
	if e.Status != 400 && e.Status != 401 && e.Status != 403 {
		return false
	}
	if licenceCodes[e.Code] {
		return true
	}
	m := strings.ToLower(e.Message)
	return strings.Contains(m, "not licensed") || strings.Contains(m, "license is required") ||
		strings.Contains(m, "not applicable to target tenant") || strings.Contains(m, "premium license")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
