"""plan-gen: a home exercise plan for everyday lower back pain, from a short questionnaire."""

__version__ = "0.1.0"
