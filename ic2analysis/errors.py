"""Errors that say where the problem is (file, row, column) and what was expected."""

from __future__ import annotations


class MappingError(ValueError):
    """A problem in a mapping file, located as precisely as it can be."""

    def __init__(
        self,
        file: str,
        expected: str,
        row: int | None = None,
        column: str | None = None,
        got: object = None,
    ) -> None:
        self.file, self.row, self.column, self.expected, self.got = file, row, column, expected, got
        super().__init__(self.format())

    def __reduce__(self):
        """Pickled with its parts, so it crosses from a worker process intact."""
        return type(self), (self.file, self.expected, self.row, self.column, self.got)

    def format(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        msg = f"{', '.join(where)}: expected {self.expected}"
        if self.got is not None:
            msg += f"; got {self.got!r}"
        return msg


class NotebookError(RuntimeError):
    """A notebook stopped: which one, the error it raised, and where the failed copy is."""
