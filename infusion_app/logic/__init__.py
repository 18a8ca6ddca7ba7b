"""Pure domain logic: protocols, dosing, drip plans, release checks.

Nothing here imports Qt or SQLAlchemy, reads the clock or touches a database, so every rule
can be tested with fixed inputs and reused by the CLI, the services and the window alike.
"""
