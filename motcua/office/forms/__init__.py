"""Forms of the office: they parse what the official typed and hand it to an action, which judges it."""
