"""The quality report: IPDAS criteria, reading level and plain language (docs/checks.md)."""

from .check import AidCheck, CheckReport, check, check_aid
from .findings import Finding

__all__ = ["AidCheck", "CheckReport", "Finding", "check", "check_aid"]
