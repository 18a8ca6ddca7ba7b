"""Printed records and exports: pure functions of state + events. Never imports Qt."""
