"""what the team said each rewording is: a typo fix or a new question

Revision ID: 0013
Revises: 0012

Versions published before this migration have none recorded; results treat their
rewordings as new questions (shown apart, with a note).
"""

from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rewordings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.drop_column('rewordings')
