"""A linear intent classifier on sentence vectors: multinomial logistic regression, kept as plain arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

DEFAULT_C = 10.0  # chosen on the dev split (see `kizuna nlu compare`)
SEED = 42


@dataclass(frozen=True)
class IntentHead:
    intents: tuple[str, ...]
    weights: np.ndarray   # (intents, dimension)
    bias: np.ndarray      # (intents,)

    @classmethod
    def fit(cls, vectors: np.ndarray, intents: list[str], c: float = DEFAULT_C,
            weights: Optional[np.ndarray] = None) -> "IntentHead":
        """`weights`: how much each example counts (default 1 each)."""
        from sklearn.linear_model import LogisticRegression

        if len(set(intents)) < 2:
            raise ValueError("an intent classifier needs examples of at least two intents")
        model = LogisticRegression(C=c, max_iter=5000, random_state=SEED).fit(vectors, intents, sample_weight=weights)
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # one logit for the second class; as a softmax, the first one's is 0
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls(tuple(str(i) for i in model.classes_), coef.astype(np.float32), intercept.astype(np.float32))

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(messages, intents) probabilities, each row summing to 1."""
        logits = np.atleast_2d(vectors) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def ranking(self, vector: np.ndarray, length: int = 10) -> list[tuple[str, float]]:
        """The `length` most likely intents of one message, most likely first."""
        row = self.probabilities(vector)[0]
        order = np.argsort(-row)[:length]
        return [(self.intents[i], float(row[i])) for i in order]

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"intents": np.array(self.intents), "weights": self.weights, "bias": self.bias}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "IntentHead":
        return cls(tuple(str(i) for i in arrays["intents"]), arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32))
