# Organization parameters from the config file (data.posture.config), with the defaults rules
# declare: every parameter a rule reads is declared in its METADATA (custom.parameters: name,
# type, default), and the engine, `posture test` and `go test ./policies` provide the declared
# defaults as data.posture.defaults, so a default is written once, in METADATA.
package posture.lib.params

# config is data.posture.config when it is an object; anything else counts as no config, so a
# rule falls back to its declared defaults instead of failing on a type error.
default config := {}

config := data.posture.config if is_object(data.posture.config)

# value is the parameter `name` from the config, or its declared default when the config does
# not set it (or sets null). It is undefined for a parameter no rule declares a default for.
value(name) := v if {
	v := object.get(config, name, null)
	v != null
} else := data.posture.defaults[name]
