"""Records: what people write (accounts, committees, action plans, interventions and KPIs,
exporters, events, feedback, the audit log), in a relational database (SQLite by default,
PostgreSQL in production) with Alembic migrations shipped in ``migrations/``.

Models only: permissions live in :mod:`dehub.records.policy`, use cases in
:mod:`dehub.services.records`.
"""
