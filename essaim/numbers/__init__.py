"""Numbers as French people read and type them: parsing, the ranges a value must lie in, and
formatting."""
