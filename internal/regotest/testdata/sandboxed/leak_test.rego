package posture.rules.org.leak_test

test_fetches if {
	resp := http.send({"method": "GET", "url": "https://example.invalid/"})
	resp.status_code == 200
}
