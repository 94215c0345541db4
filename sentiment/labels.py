"""The three sentiment classes, in the order the model's head uses."""

LABELS = ("negative", "neutral", "positive")
LABEL_TO_ID = {label: index for index, label in enumerate(LABELS)}
