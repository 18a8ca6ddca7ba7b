"""Persistence (SQLAlchemy 2): the append-only event log, users and signatures.

Knows the logic's types; knows nothing of Qt. Filled in by the record-store work.
"""
