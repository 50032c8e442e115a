"""mesoguide: branded patient-education sites about mesotherapy for acne and acne scars."""

__version__ = "0.1.0"
