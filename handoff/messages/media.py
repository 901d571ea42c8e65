"""Messages of the media area: code -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
