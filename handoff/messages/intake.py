"""Messages of handoff intake (data the vendor sends back). code -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
