// Package snapshot defines posture's tenant snapshot (schema v1): types, load, validate, save, redact.
package snapshot

import (
	"strings"
	"time"
)

// SchemaVersion is the snapshot schema version this package reads and writes.
const SchemaVersion = 1

// Status is the outcome of collecting one source key.
type Status string

// The source statuses. Only StatusOK makes a key known; every other status
// means the key is unknown (never empty).
const (
	StatusOK         Status = "ok"
	StatusError      Status = "error"
	StatusForbidden  Status = "forbidden"  // a permission was missing
	StatusUnlicensed Status = "unlicensed" // the tenant lacks the license for the feature
	StatusSkipped    Status = "skipped"
)

// Valid reports whether s is one of the five statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusOK, StatusError, StatusForbidden, StatusUnlicensed, StatusSkipped:
		return true
	}
	return false
}

// Clouds a tenant can live in (Tenant.Cloud). An empty Cloud in memory means
// CloudGlobal; Parse fills it in when the key is absent.
const (
	CloudGlobal   = "global"
	CloudUSGov    = "usgov" // GCC High
	CloudUSGovDoD = "usgovdod"
	CloudChina    = "china"
)

// Source records how one key ("entra.users") was collected.
type Source struct {
	Status  Status `json:"status"`
	Count   *int   `json:"count,omitempty"`
	Message string `json:"message,omitempty"`
}

// Generator names the program that wrote the snapshot.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Tenant identifies the tenant a snapshot was taken from.
type Tenant struct {
	ID            string `json:"id"`
	DisplayName   string `json:"displayName"`
	DefaultDomain string `json:"defaultDomain"`
	Cloud         string `json:"cloud"`
}

// Snapshot is one tenant snapshot. The sections hold the service objects as
// decoded JSON: map[string]any, []any, string, bool, nil and json.Number.
// The struct tags give the file format Save writes; a zero SchemaVersion
// means SchemaVersion and an empty Tenant.Cloud means CloudGlobal.
type Snapshot struct {
	SchemaVersion int               `json:"schemaVersion"`
	Generator     Generator         `json:"generator,omitzero"`
	CollectedAt   time.Time         `json:"collectedAt,omitzero"`
	Tenant        Tenant            `json:"tenant"`
	Sources       map[string]Source `json:"sources"`
	Entra         map[string]any    `json:"entra,omitzero"`
	Exchange      map[string]any    `json:"exchange,omitzero"`
	Intune        map[string]any    `json:"intune,omitzero"`
	SecureScore   map[string]any    `json:"secureScore,omitzero"`

	// SHA256 is the hex SHA-256 of the exact bytes Load read; empty for a
	// snapshot parsed from memory or built in memory.
	SHA256 string `json:"-"`

	// counted is, for the keys whose elements a Builder built, what decoding them counted
	// for Unusable (see LoadWith); nil otherwise.
	counted map[string]bulkCount
}

// section returns the section called name, or nil.
func (s *Snapshot) section(name string) map[string]any {
	switch name {
	case SectionEntra:
		return s.Entra
	case SectionExchange:
		return s.Exchange
	case SectionIntune:
		return s.Intune
	case SectionSecureScore:
		return s.SecureScore
	}
	return nil
}

// Known reports whether the source key ("entra.users") can be relied on: its
// source status is ok and the key is present, and not null, in its section.
// Anything else is unknown, never empty.
func (s *Snapshot) Known(key string) bool {
	src, ok := s.Sources[key]
	if !ok || src.Status != StatusOK {
		return false
	}
	sec, name, ok := strings.Cut(key, ".")
	if !ok {
		return false
	}
	v, ok := s.section(sec)[name]
	return ok && v != nil
}

// Document returns the whole snapshot as a JSON-shaped map, the Rego `input`:
// schemaVersion, generator (when set), collectedAt (RFC 3339, when set),
// tenant, sources, and the sections that are not nil. It holds only
// map[string]any, []any, string, bool, int, nil and json.Number values, so it
// converts to an OPA value without a JSON round trip. The section maps are
// shared with s, not copied: do not modify the result.
func (s *Snapshot) Document() map[string]any {
	version := s.SchemaVersion
	if version == 0 {
		version = SchemaVersion
	}
	doc := map[string]any{
		"schemaVersion": version,
		"tenant": map[string]any{
			"id":            s.Tenant.ID,
			"displayName":   s.Tenant.DisplayName,
			"defaultDomain": s.Tenant.DefaultDomain,
			"cloud":         cloudOrDefault(s.Tenant.Cloud),
		},
	}
	if s.Generator != (Generator{}) {
		doc["generator"] = map[string]any{"name": s.Generator.Name, "version": s.Generator.Version}
	}
	if !s.CollectedAt.IsZero() {
		doc["collectedAt"] = s.CollectedAt.Format(time.RFC3339Nano)
	}
	sources := make(map[string]any, len(s.Sources))
	for k, src := range s.Sources {
		m := map[string]any{"status": string(src.Status)}
		if src.Count != nil {
			m["count"] = *src.Count
		}
		if src.Message != "" {
			m["message"] = src.Message
		}
		sources[k] = m
	}
	doc["sources"] = sources
	for _, name := range sectionNames() {
		if sec := s.section(name); sec != nil {
			doc[name] = sec
		}
	}
	return doc
}

func cloudOrDefault(c string) string {
	if c == "" {
		return CloudGlobal
	}
	return c
}
