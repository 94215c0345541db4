"""The turn core: what kizuna does with every customer turn, whichever adapter it came in by (the action
server, the console's catch-up, the CLI): sentiment, trend, customer profile, retention decision, storage."""
