"""Reaching out first: win-back campaigns, campaign e-mail and its delivery, webhooks to the shop's other tools."""
