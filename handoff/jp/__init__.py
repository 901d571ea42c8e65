"""Japanese domain rules as pure functions: 和暦, check digits, age, 外字 / CP932, 個人番号."""
