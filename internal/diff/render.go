package diff

import (
	"encoding/json"
	"fmt"
	"io"
)

// Formats lists the output formats of Write.
func Formats() []string { return []string{"text", "json"} }

// CheckFormat reports whether format is one of Formats.
func CheckFormat(format string) error {
	for _, f := range Formats() {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("unknown format %q; expected text or json", format)
}

// Write renders the diff in format ("text" or "json").
func (d *Diff) Write(w io.Writer, format string) error {
	if err := CheckFormat(format); err != nil {
		return err
	}
	if format == "json" {
		return d.writeJSON(w)
	}
	return d.writeText(w)
}

// writeJSON writes the diff as indented JSON with a trailing newline.
func (d *Diff) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("write diff json: %w", err)
	}
	return nil
}
