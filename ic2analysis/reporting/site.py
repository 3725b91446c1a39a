"""The static site's machinery: Jinja2 templates (autoescape on), one message catalogue
for English and Chinese, safe links, and the assets every page shares.

Pages are plain files that open from the file system: relative links, no network, and a
Content-Security-Policy that allows only the site's own stylesheet and script.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import pandas as pd
import yaml

from .. import files, paths

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGS = ("en", "zh")
ASSETS = ("site.css", "filter.js")


@functools.lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """The interface text: ``{message id: {"en": ..., "zh": ...}}``."""
    path = TEMPLATES / "messages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, texts in data.items():
        missing = [lang for lang in LANGS if not (texts or {}).get(lang)]
        if missing:
            raise ValueError(f"{path}: message {key!r} has no text for {', '.join(missing)}")
    return data


def translator(lang: str):
    """``_(id, **values)``: the message in ``lang``, with ``{name}`` fields filled."""
    table = messages()

    def _(key: str, **values: object) -> str:
        if key not in table:
            raise KeyError(f"{TEMPLATES / 'messages.yaml'}: no message {key!r}")
        text = table[key][lang]
        return text.format(**values) if values else text

    return _


def web_url(value: object) -> str | None:
    """``value`` if it is an http(s) URL with a host, else None (never a link)."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if (
        parts.scheme.lower() in ("http", "https")
        and parts.netloc
        and not any(c in text for c in "\r\n\t\x00 ")
    ):
        return text
    return None


def page_name(stem: str, lang: str) -> str:
    """``index.html`` for English, ``index.zh.html`` for Chinese."""
    return f"{stem}.html" if lang == "en" else f"{stem}.{lang}.html"


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates from the package, every value escaped, undefined names an error."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["web_url"] = web_url
    env.globals["page_name"] = page_name
    return env


def render(template: str, lang: str, **context: object) -> str:
    """One page in one language."""
    return environment().get_template(template).render(lang=lang, _=translator(lang), **context)


def write_assets(folder: Path) -> list[Path]:
    """Copy the shared stylesheet and script next to the pages."""
    out = []
    for name in ASSETS:
        data = (TEMPLATES / "static" / name).read_bytes()
        out.append(files.write_bytes(Path(folder) / "assets" / name, data))
    return out


def read_table(out: paths.RunPaths, name: str) -> pd.DataFrame | None:
    """A run's table as strings, or None when the run did not write it."""
    f = out.tables / f"{name}.csv"
    return pd.read_csv(f, dtype=str, keep_default_na=False) if f.exists() else None


def read_json(out: paths.RunPaths, name: str) -> dict | None:
    """A run's JSON table (e.g. ``topic_model``), or None when absent."""
    f = out.tables / f"{name}.json"
    return json.loads(f.read_text(encoding="utf-8")) if f.exists() else None


def read_items(out: paths.RunPaths) -> pd.DataFrame | None:
    """The processed table as strings (no schema: new optional columns pass through)."""
    f = out.initiatives
    return pd.read_csv(f, dtype=str, keep_default_na=False) if f.exists() else None
