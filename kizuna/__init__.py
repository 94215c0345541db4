"""kizuna: customer-support assistant that notices when a customer is slipping away."""

__version__ = "0.1.0"
