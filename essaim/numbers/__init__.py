"""Numbers and dates as French people read and type them: parsing, the kind of number an
indicator holds (its measure), the ranges a value must lie in, and formatting (Paris time for
dates)."""
