"""The quality report: IPDAS criteria, reading level and plain language (docs/checks.md),
and the policy that decides which findings stop a build."""

from .check import AidCheck, CheckReport, check_aid
from .findings import Finding
from .policy import blocking, not_ready, withheld

__all__ = ["AidCheck", "CheckReport", "Finding", "blocking", "check_aid", "not_ready", "withheld"]
