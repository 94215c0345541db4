"""Customer intelligence: features, churn probability, lifetime value, tiers and segments."""
