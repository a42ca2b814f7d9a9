"""Security of the service: API keys and roles, the audit log, idempotent writes and CPR redaction.

The mechanisms live here (database tables and plain functions); ``api/security.py`` and
``api/idempotency.py`` turn them into FastAPI middleware, dependencies and a route class.
"""

from __future__ import annotations

from flexcalc.security.keys import ROLES, Principal, Role

__all__ = ["ROLES", "Principal", "Role"]
