"""Notes on how an analysis adapted to the mapping, readable in any language.

A note is the English sentence the notebook prints, and it also carries a message id and
its values, so the index can say the same thing in Chinese (``reporting/templates/
messages.yaml``, ids ``note.<key>``) instead of printing English on a Chinese page.
"""

from __future__ import annotations


class Note(str):
    """An English note (a ``str``) with the message key and values that say it anywhere."""

    key: str
    values: dict

    def __new__(cls, key: str, text: str, **values: object) -> Note:
        note = super().__new__(cls, text)
        note.key, note.values = key, dict(values)
        return note

    def as_dict(self) -> dict:
        """The form saved beside the English text in ``topic_model.json``."""
        return {"key": self.key, "values": self.values, "text": str(self)}


def saved(notes: list[str]) -> list[dict]:
    """Notes as saved: keyed notes with their values, plain text as text only."""
    return [n.as_dict() if isinstance(n, Note) else {"text": str(n)} for n in notes]
