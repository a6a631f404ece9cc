"""The shared jinja2 environment for every HTML page partnernet writes.

* Autoescape is on for every template (``.html``, ``.j2``, strings), so text
  from the data is escaped wherever it is put into markup.
* ``tojson`` is replaced by :func:`tojson`, which is safe inside ``<script>``
  (also ``type="application/json"`` blocks): ``<``, ``>``, ``&``, ``'`` and the
  JavaScript line terminators U+2028/U+2029 are written as ``\\uXXXX`` escapes,
  so no data can close the script element or start a comment.
* :func:`csp_hash` gives the ``'sha256-…'`` source for an inline script or
  style, so pages can forbid every other inline script.

Templates live in ``partnernet/render/templates`` and are loaded as package data.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def json_for_script(value: Any, *, indent: int | None = None) -> str:
    """JSON text that can be placed verbatim between ``<script>`` and ``</script>``.

    Non-ASCII letters are kept as UTF-8 (the page is UTF-8); dict order is kept.

    >>> json_for_script({"label": "</script><b>&'\\u2028"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u0027\\\\u2028"}'
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(value, ensure_ascii=False, separators=separators, indent=indent, allow_nan=False)
    for char, escape in _JSON_ESCAPES:  # str.replace is much faster than translate on MB-sized text
        if char in text:
            text = text.replace(char, escape)
    return text


def tojson(value: Any, indent: int | None = None) -> Markup:
    """The ``tojson`` filter: :func:`json_for_script` marked safe for the template."""
    return Markup(json_for_script(value, indent=indent))


def script_safe(source: str) -> str:
    """JavaScript source made safe to inline in ``<script>``: no ``</script`` or ``<!--`` can end it early."""
    return source.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT").replace("<!--", "<\\!--")


def style_safe(source: str) -> str:
    """CSS made safe to inline in ``<style>``."""
    return source.replace("</style", "<\\/style").replace("</STYLE", "<\\/STYLE")


def csp_hash(content: str) -> str:
    """The CSP source expression (``'sha256-…'``) allowing exactly this inline script or style text."""
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one jinja2 environment: package templates, autoescape everywhere, strict undefined.
    Templates are package data, so they are not checked for changes on every page written."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("partnernet.render", "templates"),
        autoescape=True,
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tojson"] = tojson
    env.globals["csp_hash"] = csp_hash
    return env


def render_template(name: str, /, **context: Any) -> str:
    """Render a template from ``partnernet/render/templates`` with the shared environment."""
    return environment().get_template(name).render(**context)
