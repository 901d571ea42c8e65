"""Messages of the mail area: code -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
