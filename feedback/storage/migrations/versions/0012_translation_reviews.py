"""translation reviews

Revision ID: 0012
Revises: 0011

A fluent speaker's review of each translated message (accepted or corrected, by role and
date) and of each language's catalogue as a whole.
"""

from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('translation_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('message_key', sa.String(length=64), nullable=False),
    sa.Column('context', sa.String(length=100), nullable=False),
    sa.Column('english', sa.Text(), nullable=False),
    sa.Column('translation', sa.JSON(), nullable=False),
    sa.Column('corrected', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by_role', sa.String(length=20), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_reviews')),
    sa.UniqueConstraint('catalogue', 'language', 'message_key',
                        name=op.f('uq_translation_reviews_catalogue')),
    )
    op.create_table('language_reviews',
    sa.Column('catalogue', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('reviewed_by_role', sa.String(length=20), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('catalogue', 'language', name=op.f('pk_language_reviews')),
    )


def downgrade() -> None:
    op.drop_table('language_reviews')
    op.drop_table('translation_reviews')
