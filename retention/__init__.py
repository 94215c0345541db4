"""The retention decision: carry on, make an offer fitted to the customer, or bring in a human."""
