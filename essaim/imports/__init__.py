"""Bringing files in and sending them out: reading what French offices produce, the templates,
the checks an import passes, the atomic commit, exports that are safe in a spreadsheet."""
