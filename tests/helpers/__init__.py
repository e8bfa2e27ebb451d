"""What the tests share, by tier: files (all), render (in-process units), builds (wiring and e2e),
servers and browser (e2e only). Fixtures are in tests/conftest.py."""
