"""How much an import may hold: a file's size, a table's rows, a workbook once unzipped, a cell.
Read at call time (`limits.MAX_ROWS`), so a test can lower them."""

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # data rows of one table
MAX_UNZIPPED_BYTES = 300 * 1000 * 1000  # a workbook's parts once decompressed (zip-bomb guard)
MAX_CELL_CHARS = 100_000
HEADER_SEARCH_ROWS = 30  # the header may sit under title rows, within this many lines
