"""csintake: the intake interview that scopes library customer-service training."""

__version__ = "0.1.0"
