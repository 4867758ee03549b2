package snapshot

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	const in = `{"schemaVersion": 1,
	  "tenant": {"displayName": "Token Corp"},
	  "sources": {"entra.servicePrincipals": {"status": "ok", "message": "token refreshed"}},
	  "entra": {
	    "users": [{"id": "u1", "passwordProfile": {"password": "P@ss", "forceChangePasswordNextSignIn": true},
	               "passwordPolicies": "DisablePasswordExpiration"}],
	    "servicePrincipals": [{
	      "id": "sp1",
	      "passwordCredentials": [{"keyId": "k1", "displayName": "ci", "hint": "abc", "secretText": "abc123", "endDateTime": "2027-01-01T00:00:00Z"}],
	      "keyCredentials": [{"keyId": "k2", "type": "AsymmetricX509Cert", "usage": "Verify", "key": "MIIC..."}],
	      "tokenEncryptionKeyId": "k3",
	      "preferredTokenSigningKeyThumbprint": "AB12",
	      "preferredTokenSigningKeyEndDateTime": "2027-01-01T00:00:00Z",
	      "tokenIssuancePolicies": [{"id": "p1"}],
	      "isTokenBased": true,
	      "info": {"nested": [{"deeper": {"accessToken": "eyJ0", "ClientSecret": {"value": "s"}, "keep": "me"}}]}
	    }],
	    "directorySettings": [{"values": [{"name": "Secret", "value": "x", "mySecretValue": "y"}]}],
	    "future": {"privateKey": "-----BEGIN", "PASSWORD": 1, "refresh_token": "r", "tokenCount": 3}
	  },
	  "exchange": {"transportConfig": {"SmtpClientAuthenticationDisabled": true, "OAuthToken": "t"}},
	  "intune": {"deviceConfigurations": [{"id": "d1", "wiFiPreSharedKey": "kept: not on the list", "secretValue": "s"}]},
	  "secureScore": {"scores": [{"currentScore": 1}]}
	}`
	const want = `{"schemaVersion": 1,
	  "tenant": {"displayName": "Token Corp"},
	  "sources": {"entra.servicePrincipals": {"status": "ok", "message": "token refreshed"}},
	  "entra": {
	    "users": [{"id": "u1", "passwordPolicies": "DisablePasswordExpiration"}],
	    "servicePrincipals": [{
	      "id": "sp1",
	      "passwordCredentials": [{"keyId": "k1", "displayName": "ci", "endDateTime": "2027-01-01T00:00:00Z"}],
	      "keyCredentials": [{"keyId": "k2", "type": "AsymmetricX509Cert", "usage": "Verify"}],
	      "tokenEncryptionKeyId": "k3",
	      "preferredTokenSigningKeyThumbprint": "AB12",
	      "preferredTokenSigningKeyEndDateTime": "2027-01-01T00:00:00Z",
	      "tokenIssuancePolicies": [{"id": "p1"}],
	      "isTokenBased": true,
	      "info": {"nested": [{"deeper": {"keep": "me"}}]}
	    }],
	    "directorySettings": [{"values": [{"name": "Secret", "value": "x"}]}],
	    "future": {"tokenCount": 3}
	  },
	  "exchange": {"transportConfig": {"SmtpClientAuthenticationDisabled": true}},
	  "intune": {"deviceConfigurations": [{"id": "d1", "wiFiPreSharedKey": "kept: not on the list"}]},
	  "secureScore": {"scores": [{"currentScore": 1}]}
	}`
	s := mustParse(t, in)
	Redact(s)
	if got, want := s.Document(), mustParse(t, want).Document(); !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("Redact =\n%s", g)
	}
	b, _ := json.Marshal(s.Document())
	for _, secret := range []string{"P@ss", "abc123", `"abc"`, "MIIC", "eyJ0", "BEGIN", `"s"`, `"y"`, `"r"`, `"t"`} {
		if strings.Contains(string(b), secret) {
			t.Errorf("redacted snapshot still holds %s", secret)
		}
	}

	again := mustParse(t, want)
	Redact(again)
	if !reflect.DeepEqual(again.Document(), mustParse(t, want).Document()) {
		t.Error("Redact is not idempotent: a redacted snapshot changed")
	}
}

func TestRedactGoValues(t *testing.T) {
	s := &Snapshot{Entra: map[string]any{
		"servicePrincipals": []map[string]any{{
			"id":                  "sp1",
			"passwordCredentials": []map[string]any{{"keyId": "k", "secretText": "x", "hint": "x"}},
			"keyCredentials":      []map[string]any{{"keyId": "k", "Key": "x"}},
		}},
	}}
	Redact(s)
	want := map[string]any{
		"servicePrincipals": []map[string]any{{
			"id":                  "sp1",
			"passwordCredentials": []map[string]any{{"keyId": "k"}},
			"keyCredentials":      []map[string]any{{"keyId": "k"}},
		}},
	}
	if !reflect.DeepEqual(s.Entra, want) {
		t.Errorf("Redact = %#v, want %#v", s.Entra, want)
	}
	Redact(&Snapshot{}) // nil sections: nothing to do, no panic
}
