"""The English texts that were wrong before messages became data, now right, one test each."""

from __future__ import annotations

from infusion_app.logic.roles import Action, Role, refusal


def test_an_admin_takes_an_not_a() -> None:
    # was "a admin may not print or export records"
    assert str(refusal(Role.ADMIN, Action.PRINT)) == "an admin may not print or export records"
    assert str(refusal(Role.NURSE, Action.MANAGE_ACCOUNTS)) == "a nurse may not manage accounts"


def test_every_role_and_action_has_words() -> None:
    # the refusal reads "<role with article> may not <action>" for each of the 4 x 14 pairs;
    # the action words are the Action's own value, as the old f-string printed them
    for role in Role:
        for action in Action:
            line = str(refusal(role, action))
            assert line.endswith(f" {role.value} may not {action.value}")
            assert line.split(" ")[0] == ("an" if role is Role.ADMIN else "a")
