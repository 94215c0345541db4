"""Learning from the logs: the trainers' corrections become training data, candidate models are
trained, compared with the serving model on a fixed test set, and promoted only when not worse."""
