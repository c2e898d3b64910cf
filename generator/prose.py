"""What editors' Markdown may contain, checked when the data is loaded so that an editor gets
a clear error: links only to http, https and mailto addresses, read the way a browser reads
them (inline or by reference definition; a scheme with a newline, a control character or an
HTML entity in it is still that scheme), and no attribute lists ('{: onclick=...}').

Every pattern runs in linear time: its quantifiers are possessive or stop at a character the
next part cannot start with, so 40,000 '[' or '{' cost nothing.
"""
from __future__ import annotations

import html
import re

SCHEMES = ("http", "https", "mailto")
# Link targets: inline '[a](target)' and reference definitions '[a]: target'.
_TARGET = re.compile(r"\]\(([^)]*+)|^ {0,3}\[[^\]\n]*+\]:[ \t]*+(\S*+)", re.M)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*+):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")   # browsers drop these inside a URL's scheme
# Attribute lists ('{: onclick=...}', '{#id}', '{.class}'), which Python-Markdown would apply.
_ATTRIBUTES = re.compile(r"\{:?[ ]*+(?:[#.:]|[^{}\n=]*+=)")


def link_scheme(target: str) -> str | None:
    """The scheme a browser would see in a link target: entities decoded, angle brackets,
    spaces and control characters dropped ('java\\nscript:' is 'javascript:')."""
    found = _SCHEME.match(_CONTROL.sub("", html.unescape(target)).lstrip("<"))
    return found.group(1).lower() if found else None


def problem(text: str) -> str | None:
    """What is wrong with a Markdown text, as the end of an editor's message, or None."""
    for match in _TARGET.finditer(text):
        scheme = link_scheme(match.group(1) or match.group(2) or "")
        if scheme and scheme not in SCHEMES:
            return f"links to a '{scheme}:' URL; only http, https and mailto links are allowed"
    if found := _ATTRIBUTES.search(text):
        return (f"has an attribute list ('{found.group(0)}...'); attributes are not allowed in "
                "editors' text, so remove it")
    return None
