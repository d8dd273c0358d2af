"""comment themes per survey

Revision ID: 0014
Revises: 0013

Each survey may have its own list of comment themes (name and the words and phrases that
find it); a survey without one uses the default list.
"""

from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'comment_themes',
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('terms', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('survey_id', 'position'),
        sa.UniqueConstraint('survey_id', 'name'),
    )


def downgrade() -> None:
    op.drop_table('comment_themes')
