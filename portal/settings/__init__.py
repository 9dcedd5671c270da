"""Settings package: base (shared), dev (embedded SQLite start), test, prod."""
