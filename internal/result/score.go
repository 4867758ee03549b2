package result

import "time"

// Score is the Secure Score estimate of a result (its "score" member): what Microsoft Secure
// Score would give the snapshot's configuration, computed from the findings at once instead of
// 24-48 hours later, with every point explained. internal/score computes it.
type Score struct {
	// Estimate is posture's figure for the snapshot: every control's achieved points over
	// the maximum of all controls.
	Estimate Figure `json:"estimate"`
	// Reported is Microsoft's own figure from the newest secureScores object, when the
	// snapshot has one.
	Reported *Reported `json:"reported,omitempty"`
	// Projected counts the controls with a `planned` exception as done.
	Projected Figure `json:"projected"`
	// Achievable is the most the tenant can reach with the licences it has.
	Achievable Figure `json:"achievable"`
	// AchievableAccepted is Achievable without the controls whose risk is accepted.
	AchievableAccepted Figure `json:"achievableWithRiskAcceptance"`
	// Categories break the estimate down by Secure Score category, in the order of
	// Categories() (Identity, Data, Device, Apps, Infrastructure), empty ones left out.
	Categories []CategoryScore `json:"categories"`
	// Controls are every control counted, sorted by category then id.
	Controls []ControlScore `json:"controls"`
	// Actions are the improvement actions that would gain points, quick wins first.
	Actions []Action `json:"actions"`
	// Comparisons are Microsoft's averages for similar organisations, when reported.
	Comparisons []Comparison `json:"comparisons,omitempty"`
	// Trend is Microsoft's reported score per day, oldest first (up to 90 days).
	Trend []TrendPoint `json:"trend,omitempty"`
	// Products are the products Secure Score has recommendations for that the catalog knows,
	// whether the tenant has them, and what that did to the maximum: Microsoft counts a
	// product's controls only for a tenant that has the product, and then all of them,
	// whatever the edition.
	Products []ProductScore `json:"products,omitempty"`
	// NotOffered are the catalog controls posture's rules evaluate that the tenant's live
	// controlProfiles do not list (and Microsoft's controlScores do not count): Microsoft does
	// not offer them to the tenant, so they are not in its maximum, and leave posture's.
	// NotOfferedMax is their points. Both stay empty when the profiles were not read.
	NotOffered    []string `json:"notOffered,omitempty"`
	NotOfferedMax float64  `json:"notOfferedMax,omitempty"`
	// Notes explain choices the estimate had to make (unknown licences, say).
	Notes []string `json:"notes,omitempty"`
}

// Product presence values.
const (
	ProductPresent = "present" // the tenant has the product: its controls count
	ProductAbsent  = "absent"  // it does not: its controls leave the maximum
	ProductUnknown = "unknown" // nothing says: its controls stay in the maximum
)

// ProductScore is one product and what the tenant's licences did to its controls.
type ProductScore struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"` // present | absent | unknown
	// Evidence says what showed the product, or its absence.
	Evidence string `json:"evidence"`
	// Editions are the product's editions the tenant has; MissingEditions those some
	// counted control needs and the tenant lacks.
	Editions        []string `json:"editions,omitempty"`
	MissingEditions []string `json:"missingEditions,omitempty"`
	// LeftOut are the controls posture's rules evaluate that left the maximum because the
	// product is absent, and LeftOutMax their points.
	LeftOut    []string `json:"leftOut,omitempty"`
	LeftOutMax float64  `json:"leftOutMax,omitempty"`
	// Counted is the number of the product's controls in the estimate; Labelled those of
	// them kept in the maximum without points because an edition is missing.
	Counted  int      `json:"counted"`
	Labelled []string `json:"labelled,omitempty"`
}

// Figure is a number of points out of a maximum, and the percentage that makes.
type Figure struct {
	Points  float64 `json:"points"`
	Max     float64 `json:"max"`
	Percent float64 `json:"percent"`
}

// Reported is Microsoft's Secure Score as the snapshot recorded it.
type Reported struct {
	Figure
	// At is the secureScores object's createdDateTime.
	At time.Time `json:"at"`
}

// CategoryScore is the estimate for one Secure Score category.
type CategoryScore struct {
	Category string `json:"category"`
	Figure
	Reported *Figure `json:"reported,omitempty"`
}

// Control status values: how a control's points came about.
const (
	ControlAchieved            = "achieved"             // every rule passes
	ControlPartial             = "partial"              // some of the population is covered
	ControlNotAchieved         = "not_achieved"         // a rule fails
	ControlUnverified          = "unverified"           // a rule could not be evaluated: no points (fail closed)
	ControlUnlicensed          = "unlicensed"           // the tenant lacks a licence the control needs
	ControlThirdParty          = "third_party"          // an exception says a third-party tool does it
	ControlAlternateMitigation = "alternate_mitigation" // an exception says another control does it
	ControlRiskAccepted        = "risk_accepted"        // an exception accepts the risk
	ControlPlanned             = "planned"              // an exception says the work is planned
	ControlReported            = "reported"             // no rule evaluates it: Microsoft's points
)

// Sources of a control's points.
const (
	SourceEvaluated = "evaluated" // posture's rules
	SourceReported  = "reported"  // Microsoft's controlScores
)

// ControlScore is one Secure Score control (improvement action) and its points.
type ControlScore struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Category string  `json:"category"`
	Service  string  `json:"service,omitempty"`
	Max      float64 `json:"max"`
	Achieved float64 `json:"achieved"`
	Status   string  `json:"status"`
	Source   string  `json:"source"`
	// Rules are the posture rules that evaluate the control; empty for a reported control.
	Rules    []string  `json:"rules,omitempty"`
	Coverage *Coverage `json:"coverage,omitempty"`
	// Reported are Microsoft's points for the control, when the snapshot has them.
	Reported *float64 `json:"reported,omitempty"`
	// Difference is Achieved minus Reported; Reason says what likely explains it.
	Difference *float64 `json:"difference,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	// Licensed is false when the tenant lacks every licence the control needs.
	Licensed bool `json:"licensed"`
	// MissingEditions name the editions of the control's product that would earn its points,
	// when the tenant has the product but none of them (the control stays in the maximum).
	MissingEditions []string `json:"missingEditions,omitempty"`
}

// Action is an improvement action: a control not yet at its maximum, and what doing it costs.
type Action struct {
	Control            string   `json:"control"`
	Title              string   `json:"title"`
	Category           string   `json:"category"`
	Gain               float64  `json:"gain"` // points to gain
	GainPercent        float64  `json:"gainPercent"`
	UserImpact         string   `json:"userImpact"`         // low | moderate | high
	ImplementationCost string   `json:"implementationCost"` // low | moderate | high
	Rules              []string `json:"rules,omitempty"`
	Remediation        string   `json:"remediation,omitempty"`
	// QuickWin marks actions whose user impact and implementation cost are both low.
	QuickWin bool `json:"quickWin"`
	// Blocked says why the action cannot be done now (a missing licence, accepted risk).
	Blocked string `json:"blocked,omitempty"`
}

// Comparison is Microsoft's average score for organisations like the tenant.
type Comparison struct {
	// Basis is Microsoft's: AllTenants, TotalSeats or IndustryTypes.
	Basis   string  `json:"basis"`
	Points  float64 `json:"points"`
	Percent float64 `json:"percent"` // of the reported maximum
	// Categories are the per-category averages Microsoft gives (identity, data, ...), in points.
	Categories map[string]float64 `json:"categories,omitempty"`
}

// TrendPoint is a score on one day.
type TrendPoint struct {
	At       time.Time `json:"at"`
	Percent  float64   `json:"percent"`
	Points   float64   `json:"points"`
	Max      float64   `json:"max"`
	Estimate bool      `json:"estimate,omitempty"` // posture's estimate rather than Microsoft's figure
}

// Categories returns the Secure Score categories in display order.
func Categories() []string {
	return []string{"Identity", "Data", "Device", "Apps", "Infrastructure"}
}
