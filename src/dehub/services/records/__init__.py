"""Records use cases: accounts, committees, action plans, interventions and KPIs, exporters,
events, feedback. Each write takes an :class:`~dehub.records.policy.Actor`, checks it with
:func:`dehub.records.policy.require` and writes its audit entry in the caller's transaction
(:func:`dehub.records.db.session_scope`). Inputs are ``*Create`` / ``*Update`` schemas, outputs
``*Public`` (:mod:`dehub.services.records.schemas`)."""
