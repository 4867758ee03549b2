package graph_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/sim"
)

// refusingCredential fails every token request with err.
type refusingCredential struct{ err error }

func (c refusingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, c.err
}

// TestAuthErrorLine: whatever the credential says, and however much, a sign-in failure is one
// line naming the method, the reason (Entra ID's AADSTS line when it answered), the other
// --auth choices and the README's sections, and never a secret; the whole account is Detail.
func TestAuthErrorLine(t *testing.T) {
	snap := loadSnapshot(t, "hardened")
	run, err := sim.Start(snap, sim.Options{ClientID: clientID, ClientSecret: fakeSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	imds, _ := url.Parse("http://169.254.169.254/metadata/identity/oauth2/token?resource=x")
	proxy403 := &http.Response{Status: "403 Forbidden", StatusCode: 403, Body: io.NopCloser(bytes.NewReader([]byte("resolve_deny: denied destination"))),
		Request: &http.Request{Method: http.MethodGet, URL: imds}}
	const wrong = "posture-wrong-secret-4b1f"

	tests := []struct {
		name       string
		o          graph.Options
		env        map[string]string // process environment, for the default chain
		wantReason string            // the reason, exactly
		wantDetail string            // in Detail
	}{
		{name: "secret not set", o: graph.Options{Auth: graph.AuthSecret, TenantID: snap.Tenant.ID, ClientID: clientID, Getenv: env(nil)},
			wantReason: "the client secret is read from AZURE_CLIENT_SECRET, which is not set", wantDetail: "AZURE_CLIENT_SECRET"},
		{name: "secret refused", o: graph.Options{Auth: graph.AuthSecret, TenantID: snap.Tenant.ID, ClientID: clientID,
			Getenv: env(map[string]string{graph.EnvClientSecret: wrong}), Endpoint: run.URL, Transport: run.Client().Transport},
			wantReason: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
			wantDetail: "RESPONSE 401"},
		{name: "default chain finds nothing", o: graph.Options{Endpoint: "http://127.0.0.1:9"},
			env: map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev", "PATH": t.TempDir(), graph.EnvClientID: "", graph.EnvTenantID: "", graph.EnvClientSecret: ""},
			wantReason: "Azure Identity's default chain found no credential: no AZURE_TENANT_ID and AZURE_CLIENT_ID with a secret or certificate in the environment, " +
				"no workload or managed identity, no Azure CLI, Azure Developer CLI or Azure PowerShell sign-in",
			wantDetail: "AzureCLICredential"},
		{name: "an answer that is not Entra ID's", o: graph.Options{Auth: graph.AuthManagedIdentity,
			Credential: refusingCredential{&azidentity.AuthenticationFailedError{RawResponse: proxy403}}},
			wantReason: "the sign-in service answered 403 Forbidden (GET 169.254.169.254/metadata/identity/oauth2/token)",
			wantDetail: "resolve_deny"},
		{name: "a chain refused", o: graph.Options{Credential: refusingCredential{&azidentity.AuthenticationFailedError{RawResponse: proxy403}}},
			wantReason: "a credential of Azure Identity's default chain was refused: the sign-in service answered 403 Forbidden (GET 169.254.169.254/metadata/identity/oauth2/token)",
			wantDetail: "403"},
		{name: "a long multi-line error", o: graph.Options{Auth: graph.AuthCLI,
			Credential: refusingCredential{errors.New("AzureCLICredential: ERROR: Please run 'az login' to setup account.\nTo troubleshoot, visit https://aka.ms/x\n" + strings.Repeat("more ", 100))}},
			wantReason: "AzureCLICredential: ERROR: Please run 'az login' to setup account.", wantDetail: "more more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			err := tt.o.Validate()
			if err == nil {
				c, nerr := graph.New(tt.o)
				if nerr != nil {
					t.Fatal(nerr)
				}
				err = c.SignIn(context.Background())
			}
			var ae *graph.AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v, want an *AuthError", err)
			}
			if got := ae.Reason(); got != tt.wantReason {
				t.Errorf("Reason() =\n%s\nwant\n%s", got, tt.wantReason)
			}
			method := tt.o.Auth
			if method == "" {
				method = graph.AuthDefault
			}
			msg := err.Error()
			for _, want := range []string{"cannot sign in (--auth " + method + "): " + tt.wantReason + ";",
				"--auth default|secret|certificate|device-code|cli|managed-identity", `"Registering the app"`, `"Signing in"`} {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			if strings.ContainsAny(msg, "\r\n") || strings.Contains(msg, wrong) || strings.Contains(msg, fakeSecret) || len(msg) > 600 {
				t.Errorf("error %q: want one line of at most 600 characters without a secret", msg)
			}
			if d := ae.Detail(); !strings.Contains(d, tt.wantDetail) || strings.Contains(d, wrong) {
				t.Errorf("Detail() = %q, want it to contain %q and no secret", d, tt.wantDetail)
			}
		})
	}
}
