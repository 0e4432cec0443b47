"""Text kept zlib-compressed in a binary column.

For long text stored again beside its live copy and read a few rows at a time: an item's published
versions (the current one repeats the item's public body) and the search index's display copy of
a body (the index also keeps it normalised). Chinese text takes about 2.3 times less room; what
it saves per item is in docs/search.md (storage). Not for text the database has to search or
compare: it sees only bytes.
"""

import zlib

from django.db import models

LEVEL = 1  # the fastest: within 5% of the default level's ratio on item bodies for two thirds of its CPU


def compress(text: str) -> bytes:
    return zlib.compress(text.encode(), LEVEL)


class CompressedTextField(models.BinaryField):
    """Reads and writes ``str``; stores the zlib-compressed UTF-8."""

    description = "Text (zlib-compressed)"

    def get_default(self):
        return "" if not self.has_default() else super().get_default()

    def from_db_value(self, value, expression, connection):
        return None if value is None else _text(value)

    def to_python(self, value):
        return _text(value) if isinstance(value, bytes | bytearray | memoryview) else value

    def get_db_prep_value(self, value, connection, prepared=False):
        if isinstance(value, str):
            value = compress(value)
        return super().get_db_prep_value(value, connection, prepared)

    def value_to_string(self, obj):
        return self.value_from_object(obj)


def _text(value) -> str:
    return zlib.decompress(value).decode() if value else ""  # b"": a column added with an empty default
