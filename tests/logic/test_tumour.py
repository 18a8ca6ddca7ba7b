"""Best overall response and disease control (issue 16, ``msc-l-crc``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from infusion_app.logic.tumour import OverallResponse, best_overall_response, disease_control

CR, PR, SD, PD, NE = (
    OverallResponse.CR,
    OverallResponse.PR,
    OverallResponse.SD,
    OverallResponse.PD,
    OverallResponse.NE,
)


def test_best_overall_response_ranks_cr_pr_sd_pd_ne() -> None:
    assert best_overall_response([SD, PR, PD]) is PR
    assert best_overall_response([NE, PD]) is PD
    assert best_overall_response([NE]) is NE
    assert best_overall_response([PD, CR, NE]) is CR
    assert best_overall_response([]) is None
    # no RECIST confirmation: a PR recorded once is the best response (the summary asks for
    # no confirmation and gives no minimum SD duration)
    assert best_overall_response([PR, PD]) is PR


def test_disease_control_by_hand() -> None:
    # six patients: CR, PR, SD (controlled: 3), PD, NE only (assessed, not controlled), never
    # assessed (not counted): DCR = 3 / 5.
    best = [CR, PR, SD, PD, best_overall_response([NE, NE]), best_overall_response([])]
    assert disease_control(best) == (3, 5)
    assert disease_control([]) == (0, 0)
    assert disease_control([None, None]) == (0, 0)


@given(st.lists(st.lists(st.sampled_from(list(OverallResponse)), max_size=5), max_size=20))
def test_disease_control_is_a_proportion(patients: list[list[OverallResponse]]) -> None:
    best = [best_overall_response(assessments) for assessments in patients]
    controlled, assessed = disease_control(best)
    assert 0 <= controlled <= assessed == sum(1 for a in patients if a)
    for assessments, response in zip(patients, best, strict=True):
        assert (response is None) == (not assessments)
        assert response is None or response in assessments
