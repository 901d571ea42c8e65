"""Pipeline stages. Each is ``run(table, spec, ctx) -> StageResult`` and does no I/O (extract reads its input).

``table`` is a pandas DataFrame whose columns are the programme's field names (strings) plus ``ROW`` — the
source row number (1-based data row; the line number for text files) that every finding refers to.
"""
