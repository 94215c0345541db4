"""Transformer sentiment of customer messages, and the trend of a conversation."""
