"""The home page's selection logic: a click never changes the figure (the browser already shows
it), a selection made elsewhere is drawn into the figure, and a stale browser view is redrawn."""

from types import SimpleNamespace

import pytest

from ui import home_state as state

NO_HIGHLIGHT = (frozenset(), frozenset())


@pytest.fixture(autouse=True)
def session(monkeypatch):
    fake = SimpleNamespace(session_state={}, query_params={})
    monkeypatch.setattr(state, "st", fake)
    return fake.session_state


def click(session, customdata):
    """What Streamlit stores for a plotly click (or a click on empty space), then the callback."""
    points = [] if customdata is None else [{"customdata": customdata, "curve_number": 1}]
    session[state.CHART] = {"selection": {"points": points}}
    state.on_chart_select()


def test_a_click_selects_without_changing_the_figure(session):
    assert state.figure_selection(NO_HIGHLIGHT) == (None, 0)
    click(session, "resnet")
    assert session[state.SELECTED_NODE] == "resnet"
    assert state.figure_selection(NO_HIGHLIGHT) == (None, 0)
    click(session, "vgg>resnet")
    assert session[state.SELECTED_EDGE] == ("vgg", "resnet") and state.selection_key() == "vgg>resnet"
    assert state.figure_selection(NO_HIGHLIGHT) == (None, 0)


def test_a_selection_made_elsewhere_is_drawn_into_the_figure(session):
    state.select_node("alexnet")  # a deep link, the picker or a search hit
    assert state.figure_selection(NO_HIGHLIGHT) == ("alexnet", 0)
    assert state.figure_selection(NO_HIGHLIGHT) == ("alexnet", 0)  # a rerun changes nothing


def test_a_browser_showing_another_click_is_made_to_redraw(session):
    state.select_node("alexnet")
    state.figure_selection(NO_HIGHLIGHT)
    click(session, "vgg")
    assert state.figure_selection(NO_HIGHLIGHT) == ("alexnet", 0)  # kept: the browser shows vgg
    state.select_node("alexnet")  # going back to what the figure already holds
    assert state.figure_selection(NO_HIGHLIGHT) == ("alexnet", 1)


def test_a_new_highlight_carries_the_selection(session):
    click(session, "resnet")
    highlight = (frozenset({"vgg", "resnet"}), frozenset({("vgg", "resnet")}))
    assert state.figure_selection(highlight) == ("resnet", 0)


def test_a_click_on_empty_space_clears_the_selection(session):
    click(session, "resnet")
    click(session, None)
    assert session[state.SELECTED_NODE] is None and state.selection_key() is None
    assert state.figure_selection(NO_HIGHLIGHT) == (None, 0)


def test_the_go_to_picker_empties_itself_after_the_jump(session):
    session[state.NODE_PICKER] = "densenet"
    state.on_picker_change()
    assert session[state.SELECTED_NODE] == "densenet" and session[state.NODE_PICKER] is None
