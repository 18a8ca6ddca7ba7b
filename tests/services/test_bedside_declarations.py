"""The bedside declarations (services/bedside.py): one per action, driving the service call,
the CLI's steps and the window's buttons; and the service's refusals as message values."""

from __future__ import annotations

import pytest

from infusion_app.logic import messages as m
from infusion_app.logic.messages import Message
from infusion_app.services import bedside, infusions
from infusion_app.services.bedside import HardStop
from tests.stored import stored_events


def test_each_step_is_declared_once_with_its_own_names():
    names = [step.name for step in bedside.STEPS]
    # 19 actions of before and the note, less the follow-up (now the patient's calendar)
    assert len(names) == len(set(names)) == 19
    gates = [s.button.gate for s in bedside.STEPS if s.button and s.button.gate]
    assert len(gates) == len(set(gates))  # one button per rule-book probe
    for step in bedside.STEPS:
        flags = [p.flag for p in (step.cli_params or step.params) if p.flag]
        assert len(flags) == len(set(flags)), step.name
        assert set(step.positional) <= {p.name for p in step.params} | {"password"}
        # a signed step takes the password; an unsigned one never does
        assert ("password" in step.positional) == (step.meaning is not None), step.name


def test_calling_a_step_checks_its_arguments_like_a_function(ctx, staff, infusion_id):
    with pytest.raises(TypeError, match="note: unexpected argument colour"):
        bedside.NOTE(ctx, staff.nurse, infusion_id, text="x", colour="red")
    with pytest.raises(TypeError, match="note: missing argument text"):
        bedside.NOTE(ctx, staff.nurse, infusion_id)
    with pytest.raises(TypeError, match="verify-dose: missing argument password"):
        bedside.verify_dose(ctx, staff.nurse, infusion_id)
    with pytest.raises(TypeError, match="premed: is not signed: it takes no password"):
        bedside.give_premedication(ctx, staff.nurse, infusion_id, password="secret")
    with pytest.raises(TypeError, match="takes 1 positional"):
        bedside.pause_infusion(ctx, staff.nurse, infusion_id, "why", "more")
    # nothing reached the record: only the infusion's creation is there
    assert [e.type for e in stored_events(ctx, infusion_id)] == ["infusion_created"]


def test_a_hard_stop_carries_its_message_value():
    stop = HardStop([m.text("wristband is for P002, not P001"), m.product_expired(product="B-7")])
    assert stop.message.code == "hard_stop"
    problems = stop.message.param("problems")
    assert isinstance(problems, tuple) and isinstance(problems[1], Message)
    assert problems[1].code == "product_expired"
    # the English line is word for word the one of before: "hard stop: " + "; ".join(...)
    assert str(stop) == (
        "hard stop: wristband is for P002, not P001; product B-7 is past its expiry"
    )


def test_an_unreleased_bag_at_the_check_is_a_message_and_the_record_keeps_english(
    ctx, staff, registered
):
    unreleased = infusions.create_infusion(ctx, staff.nurse, "P001", registered, 1)
    with pytest.raises(HardStop) as stopped:
        bedside.check_identity(
            ctx, staff.nurse, unreleased, wristband="MSC|P001|WL", product_id=registered
        )
    (problem,) = stopped.value.message.param("problems")
    # the status is a value message (each language words it); the stored line is English
    status = m.value_of("product_status", "registered")
    assert problem == m.product_not_released(product=registered, status=status)
    failed = stored_events(ctx, unreleased)[-1]
    assert failed.type == "check_failed"
    assert f'"problems":["product {registered} is registered, not released by a pharmacist"]' in (
        failed.payload
    )
