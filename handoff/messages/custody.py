"""Messages of the custody commands. code -> (ja, en).

Every text names the rule, the item or job and what to do — never a value from an export.
"""

MESSAGES: dict[str, tuple[str, str]] = {
}
