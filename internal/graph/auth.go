package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Authentication methods (--auth).
const (
	AuthDefault         = "default"          // azidentity's default chain
	AuthSecret          = "secret"           // client secret from AZURE_CLIENT_SECRET
	AuthCertificate     = "certificate"      // client certificate file
	AuthDeviceCode      = "device-code"      // a person signs in on another device
	AuthCLI             = "cli"              // the Azure CLI's signed-in account
	AuthManagedIdentity = "managed-identity" // the Azure resource's managed identity
	AuthNone            = "none"             // no token: only for the simulator on loopback
)

// AuthMethods lists the values --auth accepts.
func AuthMethods() []string {
	return []string{AuthDefault, AuthSecret, AuthCertificate, AuthDeviceCode, AuthCLI, AuthManagedIdentity, AuthNone}
}

// Environment variables read for credentials. They follow azidentity's names, so the default
// chain and --auth secret|certificate agree. The secret and the certificate password are read
// only from the environment: a flag value would land in shell history and process listings.
const (
	EnvTenantID            = "AZURE_TENANT_ID"
	EnvClientID            = "AZURE_CLIENT_ID"
	EnvClientSecret        = "AZURE_CLIENT_SECRET"
	EnvCertificatePassword = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
)

// Options say how to reach Graph and authenticate.
type Options struct {
	Cloud           string // global (default), usgov, usgovdod, china
	Auth            string // one of AuthMethods; "" is AuthDefault
	TenantID        string // tenant id or domain; "" reads AZURE_TENANT_ID where a method needs one
	ClientID        string // application (client) id; "" reads AZURE_CLIENT_ID where a method needs one
	CertificatePath string // PEM or PKCS#12 file with the certificate and its private key (--auth certificate)

	// Endpoint replaces Graph's scheme and host (e.g. the simulator's https://127.0.0.1:8443) and,
	// for --auth secret and certificate, the sign-in authority host, so the real credentials
	// run against the simulator's token endpoint.
	Endpoint string
	// CAFile is a PEM file of extra root certificates to trust (e.g. the simulator's).
	CAFile string

	// Getenv reads the environment; nil is os.Getenv.
	Getenv func(string) string
	// Transport is the HTTP transport under Graph's middleware and azidentity's pipeline; nil
	// is a clone of http.DefaultTransport (with CAFile's roots).
	Transport http.RoundTripper
	// Credential, when set, is used instead of building one from Auth (tests, embedding).
	Credential azcore.TokenCredential
	// Log, when set, receives one line per HTTP attempt and per retry: method, path, status,
	// attempt. Never headers or bodies, so never a token or a secret.
	Log io.Writer
	// Prompt receives the device code sign-in instructions; nil is os.Stderr.
	Prompt io.Writer
	// MaxRetries bounds the retries of one request (and of one $batch item) that Graph
	// throttles (429) or finds unavailable (503, 504); 0 is DefaultMaxRetries.
	MaxRetries int
	// RequestTimeout bounds each attempt of a request, from sending it to the last byte of the
	// answer (and each sign-in request); 0 is DefaultRequestTimeout.
	RequestTimeout time.Duration
}

// DefaultMaxRetries is the retry bound when Options.MaxRetries is 0.
const DefaultMaxRetries = 5

func (o Options) getenv(key string) string {
	if o.Getenv != nil {
		return o.Getenv(key)
	}
	return os.Getenv(key)
}

func (o Options) auth() string {
	if o.Auth == "" {
		return AuthDefault
	}
	return o.Auth
}

func (o Options) tenantID() string {
	if o.TenantID != "" {
		return o.TenantID
	}
	return o.getenv(EnvTenantID)
}

func (o Options) clientID() string {
	if o.ClientID != "" {
		return o.ClientID
	}
	return o.getenv(EnvClientID)
}

// Validate checks the options without touching the network, so a command line gets its
// usage error before any sign-in. Each error is one line naming the flag.
func (o Options) Validate() error {
	if _, err := CloudNamed(o.Cloud); err != nil {
		return fmt.Errorf("--cloud: %w", err)
	}
	if o.Endpoint != "" {
		if _, err := parseEndpoint(o.Endpoint); err != nil {
			return fmt.Errorf("--endpoint: %w", err)
		}
	}
	auth := o.auth()
	known := false
	for _, m := range AuthMethods() {
		known = known || m == auth
	}
	if !known {
		return fmt.Errorf("--auth: unknown method %q: expected one of %s", auth, strings.Join(AuthMethods(), ", "))
	}
	if o.CertificatePath != "" && auth != AuthCertificate {
		return fmt.Errorf("--certificate needs --auth certificate")
	}
	if o.Credential != nil {
		return nil
	}
	switch auth {
	case AuthNone:
		if o.Endpoint == "" || !loopbackURL(o.Endpoint) {
			return fmt.Errorf("--auth none needs --endpoint on a loopback address (the simulator, e.g. http://127.0.0.1:8080)")
		}
	case AuthDefault:
		if o.ClientID != "" {
			return fmt.Errorf("--client-id needs --auth secret, certificate, device-code or managed-identity (the default chain reads %s)", EnvClientID)
		}
	case AuthSecret, AuthCertificate:
		if o.tenantID() == "" {
			return fmt.Errorf("--auth %s needs --tenant (or %s)", auth, EnvTenantID)
		}
		if o.clientID() == "" {
			return fmt.Errorf("--auth %s needs --client-id (or %s)", auth, EnvClientID)
		}
		if auth == AuthSecret && o.getenv(EnvClientSecret) == "" {
			// No credential at all: an *AuthError, so it reads like any other sign-in failure.
			return &AuthError{Method: auth, Err: fmt.Errorf("the client secret is read from %s, which is not set", EnvClientSecret)}
		}
		if auth == AuthCertificate && o.CertificatePath == "" {
			return fmt.Errorf("--auth certificate needs --certificate FILE (PEM or PKCS#12 with the private key)")
		}
	case AuthCLI:
		if o.ClientID != "" {
			return fmt.Errorf("--client-id does not apply to --auth cli (the Azure CLI signs in as its own app)")
		}
	}
	return nil
}

// credential builds the azidentity credential for o.Auth; nil for AuthNone.
//
// With an Endpoint, secret and certificate credentials sign in at the endpoint and skip
// instance discovery: MSAL would otherwise ask login.microsoftonline.com whether the
// endpoint is a known authority, which the simulator is not.
func (o Options) credential(c Cloud, authority string, transport *http.Client) (azcore.TokenCredential, error) {
	if o.Credential != nil {
		return o.Credential, nil
	}
	copts := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: authority},
		Transport: transport,
	}
	tenant, client := o.tenantID(), o.clientID()
	switch o.auth() {
	case AuthNone:
		return nil, nil
	case AuthSecret:
		cred, err := azidentity.NewClientSecretCredential(tenant, client, o.getenv(EnvClientSecret),
			&azidentity.ClientSecretCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: o.Endpoint != ""})
		if err != nil {
			return nil, fmt.Errorf("client secret credential: %w", err)
		}
		return cred, nil
	case AuthCertificate:
		data, err := os.ReadFile(o.CertificatePath)
		if err != nil {
			return nil, fmt.Errorf("read certificate: %w", err)
		}
		var password []byte
		if p := o.getenv(EnvCertificatePassword); p != "" {
			password = []byte(p)
		}
		certs, key, err := azidentity.ParseCertificates(data, password)
		if err != nil {
			return nil, fmt.Errorf("certificate %s: %w", o.CertificatePath, err)
		}
		cred, err := azidentity.NewClientCertificateCredential(tenant, client, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: o.Endpoint != ""})
		if err != nil {
			return nil, fmt.Errorf("client certificate credential: %w", err)
		}
		return cred, nil
	case AuthDeviceCode:
		prompt := o.Prompt
		if prompt == nil {
			prompt = os.Stderr
		}
		cred, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: copts, TenantID: tenant, ClientID: client,
			UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
				_, err := fmt.Fprintln(prompt, m.Message)
				return err
			},
		})
		if err != nil {
			return nil, fmt.Errorf("device code credential: %w", err)
		}
		return cred, nil
	case AuthCLI:
		cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: o.TenantID})
		if err != nil {
			return nil, fmt.Errorf("azure cli credential: %w", err)
		}
		return cred, nil
	case AuthManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: copts}
		if o.ClientID != "" {
			mo.ID = azidentity.ClientID(o.ClientID)
		}
		cred, err := azidentity.NewManagedIdentityCredential(mo)
		if err != nil {
			return nil, fmt.Errorf("managed identity credential: %w", err)
		}
		return cred, nil
	}
	cred, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
		ClientOptions: copts, TenantID: o.TenantID,
	})
	if err != nil {
		return nil, fmt.Errorf("default azure credential: %w", err)
	}
	return cred, nil
}

// parseEndpoint checks an --endpoint URL: http or https, a host, no path, query or user
// info. Plain http is allowed only on loopback, where a token never crosses a network.
func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("not a URL: %q", raw)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("expected an http or https URL, got %q", raw)
	case u.Host == "":
		return nil, fmt.Errorf("expected a host in %q", raw)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return nil, fmt.Errorf("expected scheme://host[:port] only, got %q", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("plain http is allowed only on a loopback address, got %q (use https)", raw)
	}
	u.Path = ""
	return u, nil
}

func loopbackURL(raw string) bool {
	u, err := parseEndpoint(raw)
	return err == nil && isLoopback(u.Hostname())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cachedCredential keeps tokens in memory until five minutes before they expire (or from when
// the service says to refresh them). MSAL-based credentials cache on their own, but the Azure
// CLI credential (and so the default chain on a developer machine or in GitHub Actions after
// azure/login) would run `az account get-access-token` for every request. The lock is held
// while a token is fetched, so concurrent first requests sign in once.
type cachedCredential struct {
	cred azcore.TokenCredential

	mu     sync.Mutex
	tokens map[string]azcore.AccessToken
}

func (c *cachedCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if opts.Claims != "" {
		// A claims challenge (Continuous Access Evaluation) asks for a new token.
		return c.cred.GetToken(ctx, opts)
	}
	key := strings.Join(opts.Scopes, " ") + "\x00" + opts.TenantID + "\x00" + fmt.Sprint(opts.EnableCAE)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if t, ok := c.tokens[key]; ok && t.ExpiresOn.Sub(now) > 5*time.Minute && (t.RefreshOn.IsZero() || now.Before(t.RefreshOn)) {
		return t, nil
	}
	t, err := c.cred.GetToken(ctx, opts)
	if err != nil {
		return t, err
	}
	if c.tokens == nil {
		c.tokens = map[string]azcore.AccessToken{}
	}
	c.tokens[key] = t
	return t, nil
}

// AuthError is a failure to obtain a token, or to have what one needs: no request can
// succeed, so a collector stops. Error is one line: the method, the reason (Entra ID's own
// AADSTS message when it answered) and where to look next; Detail is the credential's whole
// account, for --verbose. Neither holds a secret: Entra ID never echoes one.
type AuthError struct {
	Method string // the --auth method
	Err    error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("cannot sign in (--auth %s): %s; %s", e.Method, e.Reason(), signInHelp())
}

func (e *AuthError) Unwrap() error { return e.Err }

// Detail is the credential's own error text, which may span many lines (Azure Identity's
// default chain lists every credential it tried).
func (e *AuthError) Detail() string { return strings.TrimSpace(e.Err.Error()) }

// Reason is why sign-in failed, in one line.
func (e *AuthError) Reason() string {
	var af *azidentity.AuthenticationFailedError
	switch {
	case errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded):
		return "stopped before it finished"
	case errors.As(e.Err, &af) && af.RawResponse != nil && e.Method == AuthDefault:
		return "a credential of Azure Identity's default chain was refused: " + answerReason(af.RawResponse)
	case errors.As(e.Err, &af) && af.RawResponse != nil:
		return answerReason(af.RawResponse)
	case errors.As(e.Err, &af):
		return firstLine(af.Error())
	case e.Method == AuthDefault:
		// Every credential of the chain was unavailable: nothing to sign in with here.
		return "Azure Identity's default chain found no credential: no " + EnvTenantID + " and " + EnvClientID +
			" with a secret or certificate in the environment, no workload or managed identity, no Azure CLI, Azure Developer CLI or Azure PowerShell sign-in"
	}
	return firstLine(e.Err.Error())
}

// signInHelp names the other ways to sign in and the README sections that set them up.
func signInHelp() string {
	var methods []string
	for _, m := range AuthMethods() {
		if m != AuthNone {
			methods = append(methods, m)
		}
	}
	return `--auth ` + strings.Join(methods, "|") + ` chooses how to sign in: see "Registering the app" and "Signing in" in posture's README` +
		" (--verbose shows the credential's own error)"
}

// answerReason reads the sign-in service's error answer: the first line of Entra ID's
// error_description ("AADSTS7000215: Invalid client secret provided. ..."; the lines after it
// are trace and correlation ids), else its status and the request's host and path.
func answerReason(resp *http.Response) string {
	body, _ := runtime.Payload(resp)
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) == nil {
		if d := firstLine(e.Description); d != "" {
			return d
		}
		if e.Error != "" {
			return "the sign-in service answered " + e.Error
		}
	}
	where := ""
	if resp.Request != nil && resp.Request.URL != nil {
		where = " (" + resp.Request.Method + " " + resp.Request.URL.Host + resp.Request.URL.Path + ")"
	}
	return fmt.Sprintf("the sign-in service answered %s%s", resp.Status, where)
}

// firstLine returns the first non-empty line of s without Azure Identity's troubleshooting
// link, cut to a length that stays one readable line.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if i := strings.Index(line, "To troubleshoot, visit"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if r := []rune(line); len(r) > 300 {
			line = string(r[:300]) + "..."
		}
		return line
	}
	return ""
}
