package posture.rules.org.bare

deny contains "always"
