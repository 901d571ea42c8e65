"""Messages of the mailing calendar, handoff due, run --due and schedule install. code -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
