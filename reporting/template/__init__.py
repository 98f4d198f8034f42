"""The blank submission workbook for contractors (`sroi template`, INTERFACE.md section 6).

What the parser does with this file shapes the layout:
- every row under a header row with two or more filled cells is read as a line, so the example
  is not under the headers but on `Uitleg`, written one row per column (a row of `Uitleg` never
  holds two known headers, so it is never taken for a table);
- the value beside or *below* a cell `Contractnummer` names the contract, so the cell below it
  stays empty when the contract number is left for the contractor to fill in;
- hidden sheets are not read, so `Lijsten` can hold the list values.

columns.py derives the columns from the field definitions, examples.py the example rows,
guide.py writes `Uitleg`, workbook.py the workbook itself.
"""

from reporting.template.workbook import write_template

__all__ = ["write_template"]
