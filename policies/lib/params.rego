# Organization parameters from the config file (data.posture.config), with defaults: a key that
# is absent or null means "use the rule's default".
package posture.lib.params

# config is data.posture.config when it is an object; anything else counts as no config, so a
# rule falls back to its documented defaults instead of failing on a type error.
default config := {}

config := data.posture.config if is_object(data.posture.config)

# value is the parameter `name`, or `fallback` when the config does not set it (or sets null).
value(name, fallback) := v if {
	v := object.get(config, name, null)
	v != null
} else := fallback
