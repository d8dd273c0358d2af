"""What we learn: aggregation, disclosure control and the tables and charts built on them.

Input is plain data (counts from grouped database queries); output is plain
results. No web framework here, so it can be tested and reused anywhere.
"""

from dashboards.disclosure import Cell, DisclosurePolicy, Suppression
from dashboards.tables import Completion, QuestionTable, Row, completion, question_tables, total

__all__ = [
    "Cell",
    "Completion",
    "DisclosurePolicy",
    "QuestionTable",
    "Row",
    "Suppression",
    "completion",
    "question_tables",
    "total",
]
