package posture.lib.ca

extra := true
