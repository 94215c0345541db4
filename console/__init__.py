"""The console: the public entry point (widget channel, API, pages)."""
