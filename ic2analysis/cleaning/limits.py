"""Hard caps on what one mapping file may hold, so that no input can exhaust the machine.

Above a cap the file is rejected with a message naming it (issue #19); the caps are far
above any real mapping (the desks have about 200 rows and 20 columns).
"""

from __future__ import annotations

MAX_FILE_BYTES = 200 * 1024 * 1024  # a CSV file, or one worksheet's XML inside a workbook
MAX_ROWS = 500_000  # data rows per file (the 100k-item benchmark fits)
MAX_COLUMNS = 500  # non-empty columns per row
MAX_CELL_CHARS = 2_000_000  # characters in one cell (Excel itself stops at 32,767)
EMPTY_ROWS_STOP = 1_000  # a sheet ends after this many empty rows in a row
EMPTY_COLUMNS_STOP = 100  # a row ends after this many empty cells in a row
