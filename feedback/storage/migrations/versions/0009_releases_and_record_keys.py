"""releases, record keys and key sums for the cell key method

Revision ID: 0009
Revises: 0008

Responses get a random record key (0-255) and lose SQLite's hidden rowid; tallies
keep the sum of their responses' record keys; waves no longer select by link; and
the releases table records each protected release.
"""

from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

responses = sa.table('responses', sa.column('id'), sa.column('survey_id'),
                     sa.column('link_id'), sa.column('language'), sa.column('submitted_on'),
                     sa.column('record_key'))
answers = sa.table('answers', sa.column('response_id'), sa.column('survey_id'),
                   sa.column('item_key'), sa.column('choice'))
tallies = sa.table('tallies', sa.column('survey_id'), sa.column('item_key'), sa.column('choice'),
                   sa.column('week_start'), sa.column('link_id'), sa.column('language'),
                   sa.column('count'), sa.column('key_sum'))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.add_column('responses', sa.Column('record_key', sa.Integer(), nullable=True))
    op.execute('UPDATE responses SET record_key = abs(random()) % 256' if sqlite
               else 'UPDATE responses SET record_key = floor(random() * 256)::int')
    if sqlite:
        with op.batch_alter_table('responses', recreate='always',
                                  table_kwargs={'sqlite_with_rowid': False}) as batch:
            batch.alter_column('record_key', existing_type=sa.Integer(), nullable=False)
    else:
        op.alter_column('responses', 'record_key', existing_type=sa.Integer(), nullable=False)

    op.add_column('tallies', sa.Column('key_sum', sa.BigInteger(), nullable=True))
    _recount_tallies(sqlite)
    with op.batch_alter_table('tallies') as batch:
        batch.alter_column('key_sum', existing_type=sa.BigInteger(), nullable=False)

    with op.batch_alter_table('waves') as batch:
        batch.drop_column('link_id')

    op.create_table(
        'releases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('covers_before', sa.Date(), nullable=False),
        sa.Column('cut_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('survey_id', 'number'),
    )


def _recount_tallies(sqlite: bool) -> None:
    """Every tally again from the responses, now with the sum of their record keys."""
    week = (sa.func.date(responses.c.submitted_on, 'weekday 0', '-6 days') if sqlite
            else sa.cast(sa.func.date_trunc('week', responses.c.submitted_on), sa.Date))
    dims = (responses.c.link_id, responses.c.language)
    op.execute(tallies.delete())
    columns = ['survey_id', 'item_key', 'choice', 'week_start', 'link_id', 'language', 'count',
               'key_sum']
    totals = (sa.select(responses.c.survey_id, sa.literal(''), sa.literal(''), week, *dims,
                        sa.func.count(), sa.func.sum(responses.c.record_key))
              .group_by(responses.c.survey_id, week, *dims))
    answered = (sa.select(answers.c.response_id, answers.c.item_key).distinct()
                .subquery())
    bases = (sa.select(responses.c.survey_id, answered.c.item_key, sa.literal(''), week, *dims,
                       sa.func.count(), sa.func.sum(responses.c.record_key))
             .join(responses, responses.c.id == answered.c.response_id)
             .group_by(responses.c.survey_id, answered.c.item_key, week, *dims))
    choices = (sa.select(responses.c.survey_id, answers.c.item_key, answers.c.choice, week,
                         *dims, sa.func.count(), sa.func.sum(responses.c.record_key))
               .join(responses, responses.c.id == answers.c.response_id)
               .where(answers.c.choice != '')
               .group_by(responses.c.survey_id, answers.c.item_key, answers.c.choice, week,
                         *dims))
    for query in (totals, bases, choices):
        op.execute(tallies.insert().from_select(columns, query))


def downgrade() -> None:
    op.drop_table('releases')
    with op.batch_alter_table('waves') as batch:
        batch.add_column(sa.Column('link_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('tallies') as batch:
        batch.drop_column('key_sum')
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('responses', recreate='always') as batch:
            batch.drop_column('record_key')
    else:
        op.drop_column('responses', 'record_key')
