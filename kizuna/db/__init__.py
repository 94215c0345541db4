"""The app database: SQLAlchemy models, engine and session helpers, and the repositories holding the queries."""
