package snapshot

import "strings"

// Redact removes secret-bearing properties from the snapshot's sections,
// wherever they occur (at any depth, in objects and arrays), so that a
// snapshot never carries a credential. Removed, with names compared
// ignoring case:
//
//   - secretText, password, passwordProfile, clientSecret, privateKey:
//     whatever their value;
//   - key, inside the elements of a keyCredentials array;
//   - hint (the first characters of the secret), inside the elements of a
//     passwordCredentials array;
//   - any other property whose name contains "token" or "secret" and whose
//     value is a string, except the non-secret servicePrincipal properties
//     tokenEncryptionKeyId, preferredTokenSigningKeyThumbprint and
//     preferredTokenSigningKeyEndDateTime (a rule may check certificate
//     expiry).
//
// The envelope (tenant, sources) is left alone. Redact changes the sections
// in place and is idempotent.
func Redact(s *Snapshot) {
	for _, name := range sectionNames() {
		redact(s.section(name))
	}
}

func redact(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if secretProperty(k, x) {
				delete(v, k) // deleting during range is safe and visits no key twice
				continue
			}
			switch {
			case strings.EqualFold(k, "keyCredentials"):
				dropInElements(x, "key")
			case strings.EqualFold(k, "passwordCredentials"):
				dropInElements(x, "hint")
			}
			redact(x)
		}
	case []any:
		for _, x := range v {
			redact(x)
		}
	case []map[string]any: // a collector may build sections from Go values
		for _, x := range v {
			redact(x)
		}
	}
}

// dropInElements removes the property name (ignoring case) from every
// object of the array arr.
func dropInElements(arr any, name string) {
	each := func(m map[string]any) {
		for k := range m {
			if strings.EqualFold(k, name) {
				delete(m, k)
			}
		}
	}
	switch arr := arr.(type) {
	case []any:
		for _, x := range arr {
			if m, ok := x.(map[string]any); ok {
				each(m)
			}
		}
	case []map[string]any:
		for _, m := range arr {
			each(m)
		}
	}
}

// secretProperty reports whether the property name with value x is removed
// regardless of where it occurs.
func secretProperty(name string, x any) bool {
	n := strings.ToLower(name)
	switch n {
	case "secrettext", "password", "passwordprofile", "clientsecret", "privatekey":
		return true
	case "tokenencryptionkeyid", "preferredtokensigningkeythumbprint", "preferredtokensigningkeyenddatetime":
		return false
	}
	if _, ok := x.(string); !ok {
		return false
	}
	return strings.Contains(n, "token") || strings.Contains(n, "secret")
}
