package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Managed device id prefixes, as in testdata: the device and its Entra device object.
const (
	devicePrefix    = "de000000-0000-4000-8000-"
	aadDevicePrefix = "de000000-0000-4ad0-8000-"
)

// serviceSections are the snapshot sections Options.Services supplies, in the order written.
var serviceSections = []string{"exchange", "intune", "secureScore"}

// services is what Options.Services contributes: its non-Entra sections and their sources.
type services struct {
	sources  map[string]json.RawMessage            // "<section>.<key>" -> source entry
	sections map[string]map[string]json.RawMessage // section -> key -> value
	devices  []map[string]any                      // intune.managedDevices, decoded for cloning
}

func decodeServices(data []byte) (*services, error) {
	var doc struct {
		Sources     map[string]json.RawMessage `json:"sources"`
		Exchange    map[string]json.RawMessage `json:"exchange"`
		Intune      map[string]json.RawMessage `json:"intune"`
		SecureScore map[string]json.RawMessage `json:"secureScore"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	s := &services{
		sources:  map[string]json.RawMessage{},
		sections: map[string]map[string]json.RawMessage{"exchange": doc.Exchange, "intune": doc.Intune, "secureScore": doc.SecureScore},
	}
	for k, v := range doc.Sources {
		if sec, _, _ := strings.Cut(k, "."); slices.Contains(serviceSections, sec) {
			s.sources[k] = v
		}
	}
	if raw, ok := doc.Intune["managedDevices"]; ok {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber() // keep numbers as written
		if err := dec.Decode(&s.devices); err != nil {
			return nil, fmt.Errorf("intune.managedDevices: %w", err)
		}
	}
	return s, nil
}

// deviceCount is how many managed devices the tenant gets.
func (p *plan) deviceCount(svc *services) int {
	if p.o.Devices > 0 && len(svc.devices) > 0 {
		return p.o.Devices
	}
	return len(svc.devices)
}

// writeServiceSources writes the sources entries of the copied sections, each preceded by a
// comma (the Entra sources come first).
func (p *plan) writeServiceSources(w *writer, svc *services) {
	keys := make([]string, 0, len(svc.sources))
	for k := range svc.sources {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.raw(`,`)
		w.str(k)
		w.raw(`:`)
		if k == "intune.managedDevices" && p.o.Devices > 0 && len(svc.devices) > 0 {
			w.raw(`{"status":"ok","count":` + strconv.Itoa(p.deviceCount(svc)) + `}`)
			continue
		}
		w.b = append(w.b, svc.sources[k]...)
	}
}

// writeServices writes the copied sections after the entra section, each preceded by a comma.
func (p *plan) writeServices(w *writer, svc *services) {
	for _, name := range serviceSections {
		sec := svc.sections[name]
		if sec == nil {
			continue
		}
		keys := make([]string, 0, len(sec))
		for k := range sec {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.raw(`,"` + name + `":{`)
		for i, k := range keys {
			w.comma(i)
			w.str(k)
			w.raw(`:`)
			if name == "intune" && k == "managedDevices" && p.o.Devices > 0 && len(svc.devices) > 0 {
				p.writeDevices(w, svc)
				continue
			}
			w.b = append(w.b, sec[k]...)
		}
		w.raw(`}`)
	}
}

// writeDevices writes Options.Devices managed devices: Services' devices in turn, each with a
// fresh id, Entra device id and name.
func (p *plan) writeDevices(w *writer, svc *services) {
	w.raw(`[`)
	for i := range p.deviceCount(svc) {
		w.comma(i)
		d := make(map[string]any, len(svc.devices[0])+1)
		for k, v := range svc.devices[i%len(svc.devices)] {
			d[k] = v
		}
		d["id"] = hexID(devicePrefix, i+1)
		if _, ok := d["azureADDeviceId"]; ok {
			d["azureADDeviceId"] = hexID(aadDevicePrefix, i+1)
		}
		d["deviceName"] = fmt.Sprintf("SYN-%06d", i+1)
		b, err := json.Marshal(d) // decoded JSON always marshals
		if err != nil {
			panic("synth: encode managed device: " + err.Error())
		}
		w.b = append(w.b, b...)
	}
	w.raw(`]`)
}

// Config is the org config for a generated tenant: its "Emergency access" group declared as
// break-glass, and the protected users and partner domain that SCuBA's impersonation controls
// need (the demo tenant's, whose Exchange data Options.Services copies), so that no rule errors
// for want of a parameter only the organization can give.
const Config = `breakGlass:
  groups: [Emergency access]
parameters:
  protectedUsers: [megan@contoso.com, nestor@contoso.com]
  partnerDomains: [fabrikam.com]
`
