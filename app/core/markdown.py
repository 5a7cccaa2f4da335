"""The one MarkdownIt instance Askwell renders content with.

Raw HTML is off and dangerous link schemes are refused, so nothing a module
author (or a co-designer whose words are published) writes can reach a page
as markup or script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

CONTAINER_NAME = "block"
"""Every `::: name` line opens a container token of this type; the loader reads the name."""

_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
_EXTERNAL_LINK = re.compile(r"^https?://", re.IGNORECASE)
_NHS_CLASSES = {
    "bullet_list_open": "nhsuk-list nhsuk-list--bullet",
    "ordered_list_open": "nhsuk-list nhsuk-list--number",
    "table_open": "nhsuk-table",
}


def slugify(text: str) -> str:
    """Turns a heading into a stable, ASCII, URL-safe id (progress is stored against it)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def is_safe_url(url: str) -> bool:
    """Refuses script, file and every data: URL, including data:image.

    Control characters and whitespace (even percent-encoded) are ignored when
    reading the scheme, so `java\\tscript:` and `java%09script:` cannot slip through.
    """
    decoded = unquote(url)
    compact = "".join(ch for ch in decoded if ch.isprintable() and not ch.isspace()).lower()
    return not compact.startswith(_UNSAFE_SCHEMES)


def _accept_any_named_container(params: str, _markup: str) -> bool:
    """Lets the loader see every `::: name` so it can report unknown names by line."""
    return bool(params.strip())


def _render_container(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    return renderer.renderToken(tokens, idx, options, env)


def _add_nhs_classes(state: StateCore) -> None:
    """Gives lists and tables NHS.UK frontend classes so prose looks like the rest of the site."""
    for token in state.tokens:
        css_class = _NHS_CLASSES.get(token.type)
        if css_class:
            token.attrSet("class", css_class)


def _render_link_open(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    token = tokens[idx]
    if _EXTERNAL_LINK.match(str(token.attrGet("href") or "")):
        token.attrSet("rel", "noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(front_matter_plugin)
    md.use(
        container_plugin,
        name=CONTAINER_NAME,
        validate=_accept_any_named_container,
        render=_render_container,
    )
    md.use(anchors_plugin, min_level=3, max_level=3, slug_func=slugify)
    md.core.ruler.push("nhs_classes", _add_nhs_classes)
    md.add_render_rule("link_open", _render_link_open)
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    return md


md = _build_markdown()


def render_markdown(text: str) -> str:
    """Renders block Markdown to HTML that is safe to mark `|safe` in a template."""
    return md.render(text)


def render_inline(text: str) -> str:
    """Renders one line of Markdown (no paragraph wrapper), e.g. for a title or a label."""
    return md.renderInline(text)
