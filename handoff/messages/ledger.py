"""Messages of the ledger area: code -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
