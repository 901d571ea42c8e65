"""Messages of the machine around handoff: files that cannot be written, logs, interruptions. code -> (ja, en).

Every text names the folder or file and what to do — never a value from an export, never a password.
"""

MESSAGES: dict[str, tuple[str, str]] = {
}
