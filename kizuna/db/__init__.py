"""The app database: SQLAlchemy models, engine and session helpers."""
