"""surveys remember the bank survey they were made from; links can be test links

Revision ID: 0015
Revises: 0014

A survey published from the bank is the team's own copy: `made_from` names the bank
survey, so publishing that bank survey again offers the copy instead of overwriting it.
Surveys published from the bank before this revision kept the bank survey's id as their
own, so those ids are recorded as made from it. A test link walks the real respondent
pages but stores nothing at submit.
"""

from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The bank as shipped when this revision was written (file name = survey id).
BANK_AT_THIS_REVISION = (
    'parents-design',
    'parents-experience',
    'sample-young-people',
    'young-people-design',
    'young-people-design-easy-read',
    'young-people-experience',
    'young-people-experience-easy-read',
)

surveys = sa.table('surveys', sa.column('slug'), sa.column('made_from'))


def upgrade() -> None:
    with op.batch_alter_table('surveys') as batch:
        batch.add_column(sa.Column('made_from', sa.String(length=64), nullable=True))
    with op.batch_alter_table('links') as batch:
        batch.add_column(
            sa.Column('is_test', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        surveys.update()
        .where(surveys.c.slug.in_(BANK_AT_THIS_REVISION))
        .values(made_from=surveys.c.slug)
    )


def downgrade() -> None:
    with op.batch_alter_table('links') as batch:
        batch.drop_column('is_test')
    with op.batch_alter_table('surveys') as batch:
        batch.drop_column('made_from')
