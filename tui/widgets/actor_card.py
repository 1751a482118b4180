"""The top of an actor's profile: canonical name, type, country, sector, mention and document
counts, aliases, the roles table (title, from, to) and the timeline of its relations.

A focusable `VerticalScroll` (long role lists scroll with the arrow keys); every name and title goes
in as `Content` / `rich.text.Text`, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.widgets import Static

from dprk_tui.db.store import Actor
from dprk_tui.tui.widgets.paged_table import one_line
from dprk_tui.tui.widgets.timeline import Timeline

TYPE_NAMES: dict[str, str] = {"ORG": "organisation", "GPE": "country or place"}


def roles_table(actor: Actor) -> Table | Text:
    """The roles as a table of title, from, to ("now" for a role still held)."""
    if not actor.roles:
        return Text("Roles: none recorded", style="italic")
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, expand=False)
    table.add_column("Role", style="bold", overflow="fold", ratio=1)
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    for role in actor.roles:
        table.add_row(Text(one_line(role.title)), Text(one_line(role.start) or "?"),
                      Text(one_line(role.end) or "now"))
    return table


class ActorCard(VerticalScroll):
    """Who an actor is, in a few lines."""

    help_name = "Actor profile"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="actor.up", tooltip="Scroll the profile up"),
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="actor.down",
                tooltip="Scroll the profile down"),
    ]

    DEFAULT_CSS = """
    ActorCard {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        & > Static { height: auto; }
        & > #actor-facts, & > #actor-aliases { color: $text-muted; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content("…"), id="actor-name")
        yield Static(Content(""), id="actor-facts")
        yield Static(Content(""), id="actor-aliases")
        yield Static(Text(""), id="actor-roles")
        yield Timeline(id="actor-timeline")

    def show(self, actor: Actor, counterparts: str = "…") -> None:
        """Show `actor`; `counterparts` is the number of counterparts (or "…" while counting)."""
        name = one_line(actor.name)
        kind = TYPE_NAMES.get(actor.type)
        details = [f"{actor.type} ({kind})" if kind else actor.type]
        if actor.country:
            details.append(actor.country)
        if actor.sector:
            details.append(f"sector {actor.sector}")
        if actor.origin != "dictionary":
            details.append("found in the text, not in the dictionary")
        rest = " · " + " · ".join(one_line(part) for part in details)
        self.query_one("#actor-name", Static).update(
            Content.assemble(Content(name, spans=[Span(0, len(name), "bold")]), Content(rest))
        )
        facts = f"{actor.mentions:,} mentions in {actor.documents:,} documents · {counterparts} counterparts"
        self.query_one("#actor-facts", Static).update(Content(facts))
        aliases = ", ".join(one_line(alias) for alias in actor.aliases)
        self.query_one("#actor-aliases", Static).update(
            Content(f"Also: {aliases}" if aliases else "Also: no other names recorded")
        )
        self.query_one("#actor-roles", Static).update(roles_table(actor))

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)
