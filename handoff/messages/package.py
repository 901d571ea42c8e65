"""Messages of the package area: code -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
