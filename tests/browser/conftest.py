"""Browser journeys: the app served on a loopback port in a thread, driven by Debian's headless Chromium
through Playwright (never a downloaded browser). The `live_server` and `browser` fixtures live in
tests/conftest.py, shared with the accessibility tests."""
