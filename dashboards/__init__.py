"""What we learn: aggregation, disclosure control and the tables and charts built on them.

Input is plain data (counts from grouped database queries); output is plain
results. No web framework here, so it can be tested and reused anywhere.
"""

from dashboards.disclosure import Cell, DisclosurePolicy, Suppression
from dashboards.tables import QuestionTable, Row, question_tables

__all__ = ["Cell", "DisclosurePolicy", "QuestionTable", "Row", "Suppression", "question_tables"]
