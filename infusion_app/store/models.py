"""The tables. The event log and the signatures are append-only (enforced by triggers created
in the migrations); the other tables are current-state projections, updated in the same
transaction as the event that explains the change."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infusion_app.store.types import ExactDecimal, UTCDateTime

GENESIS_HASH = "0" * 64


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    printed_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # schema 0005 (issue 17): a first or reset password the user must replace at next login,
    # an administrator's lock (until unlocked), and a deactivation (the row stays: the log's
    # entries name it)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locked_by_admin: Mapped[bool] = mapped_column(default=False)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Stream(Base):
    """One hash chain: ``system``, ``patient:P001``, ``product:X``, ``infusion:7``.

    Its row is what concurrent writers lock (SELECT ... FOR UPDATE on PostgreSQL), and it
    records the head so that a deleted tail is noticed even before a printout is compared.
    """

    __tablename__ = "streams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    head_seq: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("stream_id", "seq", name="uq_events_stream_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON text, hashed byte for byte
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Signature(Base):
    """21 CFR 11.50: who (printed name), when (UTC), what it means, and what was signed
    (the hash of the signed event). The signature is also an event of the same stream."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    printed_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(String(32))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id"))
    signed_seq: Mapped[int]
    signed_hash: Mapped[str] = mapped_column(String(64))
    signature_seq: Mapped[int]


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_id: Mapped[str] = mapped_column(String(64), unique=True)
    initials: Mapped[str] = mapped_column(String(8))
    date_of_birth: Mapped[date | None]
    age_years: Mapped[int | None]
    sex: Mapped[str] = mapped_column(String(16))
    weight_kg: Mapped[Decimal] = mapped_column(ExactDecimal)
    weight_measured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    protocol_id: Mapped[str] = mapped_column(String(64))
    dose_level: Mapped[str] = mapped_column(String(16))
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id"), unique=True)


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64), unique=True)
    lot: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    coa: Mapped[str] = mapped_column(Text)  # the CoA as canonical JSON
    status: Mapped[str] = mapped_column(String(16))
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id"), unique=True)


class Infusion(Base):
    __tablename__ = "infusions"
    __table_args__ = (UniqueConstraint("patient_id", "number", name="uq_infusions_patient_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    number: Mapped[int]  # the cycle (msc-l-crc) or dose number (ucmsc-cart-cytopenia)
    protocol_id: Mapped[str] = mapped_column(String(64))
    protocol_version: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id"), unique=True)


Index("ix_signatures_stream", Signature.stream_id, Signature.signed_seq)
# schema 0006 (issue 18): date ranges and one kind of entry across the record, without a scan
Index("ix_events_occurred_at", Event.occurred_at)
Index("ix_events_type_stream", Event.type, Event.stream_id)
