"""Messages of the jp area: code -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
