"""Web plumbing shared by every audience: errors, headers, limits, locale, static files."""
