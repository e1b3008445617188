"""Fitting an export to where it is posted: Discord messages and Reddit comments have limits.

Discord holds 2,000 characters a message: ``discord_messages`` cuts a post
into messages at line breaks, never inside a spoiler span (each hidden line
is its own ``||…||`` span, see ``markup.Discord``); a line too long for one
message is cut between words, each piece in its own span if it was hidden.
Reddit holds 10,000 characters a comment; ``reddit_warning`` says when a
post is longer.
"""

from __future__ import annotations

DISCORD_LIMIT = 2000
REDDIT_LIMIT = 10_000
CUT = "-- 8< --"  # the line between Discord messages on stdout


def _pieces(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut after a space where one is near,
    and never between a backslash and the character it escapes."""
    out = []
    while len(text) > size:
        cut = text.rfind(" ", size // 2, size)
        cut = cut + 1 if cut != -1 else size
        while cut > 1 and text[cut - 1] == "\\" and (len(text[:cut]) - len(text[:cut].rstrip("\\"))) % 2 == 1:
            cut -= 1  # an escaping backslash stays with what it escapes
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        out.append(text)
    return out


def _fit(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    if line.startswith("||") and line.endswith("||") and len(line) > 4:
        return [f"||{p}||" for p in _pieces(line[2:-2], limit - 4)]
    return _pieces(line, limit)


def discord_messages(text: str, limit: int = DISCORD_LIMIT) -> list[str]:
    """``text`` as Discord messages of at most ``limit`` characters each."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in (piece for raw in text.split("\n") for piece in _fit(raw, limit)):
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            messages.append("\n".join(current).strip("\n"))
            current, size, extra = [], 0, len(line)
        if not current and not line.strip():
            continue  # a message never starts with a blank line
        current.append(line)
        size += extra
    if current and "\n".join(current).strip():
        messages.append("\n".join(current).strip("\n"))
    return messages


def reddit_warning(text: str, limit: int = REDDIT_LIMIT) -> str | None:
    """A warning when ``text`` is longer than a Reddit comment may be."""
    if len(text) <= limit:
        return None
    return f"the Reddit post is {len(text):,} characters; a comment holds at most {limit:,}, so post it in parts"
