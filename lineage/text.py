"""Messages that remember how they were made: a `Text` is the English string (so a CLI, a log or a
test reads it as any str) that also keeps its template and values, so a UI can show it in another
language (`ui.i18n.tr`). The template is the translation key, as for `ui.i18n.t`."""

from __future__ import annotations

from typing import Any


class Text(str):
    """`Text("{n} layers", n=5)` == "5 layers", with `.template` and `.values` kept for translation.
    A value may be a Text itself (a phrase translated on its own)."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Text:
        made = super().__new__(cls, template.format(**values) if values else template)
        made.template, made.values = template, values
        return made

    def __reduce__(self):  # keep template and values through pickling (caches, worker queues)
        return _rebuild, (self.template, self.values)


def _rebuild(template: str, values: dict[str, Any]) -> Text:
    return Text(template, **values)


def message_of(error: BaseException) -> str:
    """An error's message, a `Text` kept as one (`str(error)` would copy it into a plain str)."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
