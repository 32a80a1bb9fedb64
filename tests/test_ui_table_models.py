"""The list models and the search proxy without a view: what each cell shows, how rows sort and filter."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from geschaeftsstelle import members
from geschaeftsstelle.members import MemberRow
from geschaeftsstelle.store.database import Database
from ui.app import make_application
from ui.members_view import COL_NAME, MEMBER_COLUMNS
from ui.table_models import ObjectRole, RowTableModel, SearchProxy, SortRole

pytestmark = pytest.mark.gui

HOSTILE = "<b>&amp;</b> 🎉 جمعية الرعاية"


@pytest.fixture
def proxy(sqlite_db: Database) -> SearchProxy:
    make_application()
    for name, city, tags, left_on in (
        ("Müller-Stiftung", "Weimar", ["Familie"], None),
        ("ärztliche Beratung e. V.", "Jena", ["Gesundheit"], None),
        ("Zukunftswerkstatt", "Apolda", [], dt.date(2020, 12, 31)),
        ("bürgerhaus Weimar", "Weimar", ["Ehrenamt"], None),
        (HOSTILE, "Erfurt", [], None),
    ):
        members.save_member(sqlite_db, members.MemberInput(name=name, city=city, tags=tags, left_on=left_on))
    model: RowTableModel[MemberRow] = RowTableModel(MEMBER_COLUMNS, dimmed=lambda r: not r.active)
    p = SearchProxy()
    p.setSourceModel(model)
    p.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    model.set_rows(members.list_members(sqlite_db))
    return p


def names(p: SearchProxy) -> list[str]:
    return [p.index(r, COL_NAME).data() for r in range(p.rowCount())]


def test_cells_show_the_service_rows(proxy: SearchProxy) -> None:
    model = proxy.sourceModel()
    assert isinstance(model, RowTableModel)
    assert model.columnCount() == len(MEMBER_COLUMNS)
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "Name"
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == "Zukunftswerkstatt")
    index = model.index(row, COL_NAME)
    obj = model.data(index, ObjectRole)
    assert isinstance(obj, MemberRow)
    assert obj.left_on == dt.date(2020, 12, 31)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None  # former members are greyed
    assert model.data(index, SortRole) == "zukunftswerkstatt"


def test_sorting_ignores_case_and_umlauts_and_reverses(proxy: SearchProxy) -> None:
    assert names(proxy) == [HOSTILE, "ärztliche Beratung e. V.", "bürgerhaus Weimar", "Müller-Stiftung",
                            "Zukunftswerkstatt"]  # fmt: skip
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names(proxy)[:2] == ["Zukunftswerkstatt", "Müller-Stiftung"]
    # the object role survives the proxy: the row behind a sorted position is the one shown there
    assert proxy.index(0, 3).data(ObjectRole).name == "Zukunftswerkstatt"


@pytest.mark.parametrize("query", ["MÜLLER", "muller", "Müller", "  müller  ", "weimar MULLER"])
def test_search_folds_case_and_diacritics(proxy: SearchProxy, query: str) -> None:
    proxy.set_query(query)
    assert names(proxy) == ["Müller-Stiftung"]


def test_search_by_city_tag_and_extra_predicate(proxy: SearchProxy) -> None:
    proxy.set_query("weimar")
    assert names(proxy) == ["bürgerhaus Weimar", "Müller-Stiftung"]
    proxy.set_query("ehrenamt")
    assert names(proxy) == ["bürgerhaus Weimar"]
    proxy.set_query("")
    proxy.set_extra(lambda r: not r.active)
    assert names(proxy) == ["Zukunftswerkstatt"]
    proxy.set_query("jena")
    assert names(proxy) == []
    proxy.set_extra(None)
    assert names(proxy) == ["ärztliche Beratung e. V."]


def test_query_is_kept_when_rows_are_replaced(proxy: SearchProxy, sqlite_db: Database) -> None:
    """After a refresh (F5, a saved dialog) the typed search still applies, also to new rows."""
    proxy.set_query("weim")
    assert len(names(proxy)) == 2
    members.save_member(sqlite_db, members.MemberInput(name="Tafel Weimar", city="Weimar"))
    model = proxy.sourceModel()
    assert isinstance(model, RowTableModel)
    model.set_rows(members.list_members(sqlite_db))
    assert names(proxy) == ["bürgerhaus Weimar", "Müller-Stiftung", "Tafel Weimar"]
    proxy.set_query("weima")  # one more letter: same rows
    assert names(proxy) == ["bürgerhaus Weimar", "Müller-Stiftung", "Tafel Weimar"]
    proxy.set_query("weimar tafel")
    assert names(proxy) == ["Tafel Weimar"]
    proxy.set_query("w")  # shorter again: the wider result comes back
    assert len(names(proxy)) == 4


def test_hostile_text_is_shown_verbatim(proxy: SearchProxy) -> None:
    proxy.set_query("جمعية")
    assert names(proxy) == [HOSTILE]
    proxy.set_query("<b>&amp;")
    assert proxy.index(0, COL_NAME).data() == HOSTILE
    assert proxy.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole) is None  # short: no tooltip needed


def test_a_list_page_tabs_from_search_through_its_filters_to_the_table(sqlite_db: Database) -> None:
    """Filters are added after the table exists; Tab still reaches them before the table, as on every page."""
    from ui.meetings_overview import MeetingsOverview
    from ui.members_view import MembersView

    make_application()
    for page in (MembersView(sqlite_db), MeetingsOverview(sqlite_db)):
        chain, widget = [], page.nextInFocusChain()
        while widget is not page:
            if widget.isVisibleTo(page) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                chain.append(widget)
            widget = widget.nextInFocusChain()
        filters = [page.filter] if isinstance(page, MembersView) else [page.year, page.kind, page.status]
        search = [page.search] if isinstance(page, MembersView) else []
        assert chain[: len(search) + len(filters) + 1] == [*search, *filters, page.table]
        page.deleteLater()
