"""tallies waves change notes and comment reviews

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('you_said', sa.Text(), nullable=False),
    sa.Column('we_did', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_change_notes_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_notes'))
    )
    with op.batch_alter_table('change_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_notes_survey_id'), ['survey_id'], unique=False)

    op.create_table('tallies',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=130), nullable=False),
    sa.Column('choice', sa.String(length=64), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_tallies_link_id_links'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_tallies_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'item_key', 'choice', 'week_start', 'link_id', 'language', name=op.f('pk_tallies'))
    )
    op.create_table('waves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_waves_link_id_links'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_waves_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waves'))
    )
    with op.batch_alter_table('waves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waves_survey_id'), ['survey_id'], unique=False)

    op.create_table('comment_reviews',
    sa.Column('response_id', sa.BigInteger(), nullable=False),
    sa.Column('item_key', sa.String(length=130), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_comment_reviews_response_id_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_comment_reviews_reviewed_by_users')),
    sa.PrimaryKeyConstraint('response_id', 'item_key', name=op.f('pk_comment_reviews'))
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('age_band', sa.String(length=20), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_column('age_band')

    op.drop_table('comment_reviews')
    with op.batch_alter_table('waves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waves_survey_id'))

    op.drop_table('waves')
    op.drop_table('tallies')
    with op.batch_alter_table('change_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_notes_survey_id'))

    op.drop_table('change_notes')
