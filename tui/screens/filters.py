"""The filter dialog (`f`): actor, relation type, date range and document source, each optional.

Every field completes as you type (→ accepts the completion): actors by canonical name or alias,
types and sources from the store. Enter applies, escape cancels, ctrl+r clears every field. The
dialog returns the new `Filters` (or None when cancelled); an actor that cannot be found or a
malformed date keeps the dialog open with a one-line reason.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Label, Static

from dprk_tui.db.queries.filters import valid_date
from dprk_tui.db.store import NO_FILTERS, Filters, Store
from dprk_tui.tui.screens.base import READ_ERRORS
from dprk_tui.tui.widgets.footer import KeyFooter
from dprk_tui.tui.widgets.paged_table import one_line


class ActorSuggester(Suggester):
    """Completes an actor's name (or alias) from the store, whatever the case typed (the value
    arrives as typed, so the completion keeps the user's own letters)."""

    def __init__(self, store: Store | None) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.store = store

    async def get_suggestion(self, value: str) -> str | None:
        if self.store is None or len(value.strip()) < 2:
            return None
        try:
            found = self.store.actors.names(value, limit=5)
        except READ_ERRORS:
            return None
        for candidate in found:
            for name in (candidate.name, candidate.matched):
                if name.casefold().startswith(value.casefold()):
                    return value + name[len(value):]
        return None


class SourceSuggester(Suggester):
    """Completes a document source from the store."""

    def __init__(self, store: Store | None) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.store = store

    async def get_suggestion(self, value: str) -> str | None:
        if self.store is None or not value:
            return None
        try:
            found = self.store.documents.sources(value, limit=1)
        except READ_ERRORS:
            return None
        return found[0] if found else None


class FilterScreen(ModalScreen[Filters | None]):
    """Choose what narrows documents and relations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filters.cancel", tooltip="Close, keeping the filters as they were"),
        Binding("ctrl+r", "clear", "Clear all", id="filters.clear", tooltip="Empty every field"),
        Binding("enter", "apply", "Apply", id="filters.apply", tooltip="Apply these filters"),
    ]

    DEFAULT_CSS = """
    FilterScreen {
        align: center middle;
        & > #filter-box {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        & Grid { grid-size: 2; grid-columns: 8 1fr; grid-rows: 1; grid-gutter: 1 0; height: auto; margin: 1 0; }
        & Input { background: $boost; }
        & Input:focus { background: $accent 25%; }
        & #filter-hint { color: $text-muted; }
        & #filter-error { color: $error; text-style: bold; height: auto; }
    }
    """

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.filters = filters

    @property
    def store(self) -> Store | None:
        return getattr(self.app, "store", None)

    def compose(self) -> ComposeResult:
        store = self.store
        try:
            types = store.relations.types() if store is not None else []
        except READ_ERRORS:
            types = []
        self.types = types
        current = self.filters
        with Vertical(id="filter-box") as box:
            box.border_title = "Filters"
            box.border_subtitle = "enter applies · escape cancels · ctrl+r clears"
            with Grid():
                yield Label("Actor")
                yield Input(current.actor or "", placeholder="name or alias, e.g. Choe Son-hui",
                            id="filter-actor", compact=True, suggester=ActorSuggester(store))
                yield Label("Type")
                yield Input(current.type or "", placeholder="relation type, e.g. CONSULT", id="filter-type", compact=True,
                            suggester=SuggestFromList(types, case_sensitive=False))
                yield Label("From")
                yield Input(current.date_from or "", placeholder="YYYY, YYYY-MM or YYYY-MM-DD",
                            id="filter-from", compact=True, max_length=10)
                yield Label("To")
                yield Input(current.date_to or "", placeholder="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)",
                            id="filter-to", compact=True, max_length=10)
                yield Label("Source")
                yield Input(current.source or "", placeholder="document source, e.g. Yonhap",
                            id="filter-source", compact=True, suggester=SourceSuggester(store))
            hint = "Types: " + (", ".join(types) if types else "none yet") + " · → completes a field"
            yield Static(Content(hint), id="filter-hint")
            yield Static(Content(""), id="filter-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#filter-actor", Input).focus()

    def value(self, name: str) -> str:
        return " ".join(self.query_one(f"#filter-{name}", Input).value.split())

    def read(self) -> Filters | str:
        """The filters the fields describe, or why they do not."""
        filters = NO_FILTERS
        actor = self.value("actor")
        if actor:
            if actor == (self.filters.actor or "") and self.filters.actor_id is not None:
                filters = replace(filters, actor_id=self.filters.actor_id, actor=self.filters.actor)
            else:
                store = self.store
                found = None
                if store is not None:
                    try:
                        found = store.actors.resolve(actor)
                    except READ_ERRORS as exc:
                        return f"Actor: {one_line(exc)}"
                if found is None:
                    return f"No actor called “{one_line(actor)}”."
                filters = replace(filters, actor_id=found.id, actor=found.name)
        kind = self.value("type").upper()
        if kind:
            if self.types and kind not in self.types:
                return f"No relation type “{one_line(kind)}”; one of {', '.join(self.types)}."
            filters = replace(filters, type=kind)
        for name, field in (("from", "date_from"), ("to", "date_to")):
            date = self.value(name)
            if date:
                if not valid_date(date):
                    return f"{name.title()}: “{one_line(date)}” is not YYYY, YYYY-MM or YYYY-MM-DD."
                filters = replace(filters, **{field: date})
        if filters.date_from and filters.date_to and filters.date_from[: len(filters.date_to)] > filters.date_to:
            return "From is after To."
        source = self.value("source")
        if source:
            filters = replace(filters, source=source)
        return filters

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        result = self.read()
        if isinstance(result, str):
            self.query_one("#filter-error", Static).update(Content(result))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def dismiss(self, result: Filters | None = None) -> AwaitComplete:
        """Close once: an enter or escape that reaches this screen after it closed (keys typed in
        one burst, #7) must not close the screen below it (Textual would pop the last screen)."""
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    def action_clear(self) -> None:
        for field in self.query(Input):
            field.value = ""
        self.query_one("#filter-error", Static).update(Content(""))
        self.query_one("#filter-actor", Input).focus()
