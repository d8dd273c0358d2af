"""kiosk links and single-use codes

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_access_codes_link_id_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_access_codes'))
    )
    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_codes_link_id'), ['link_id'], unique=False)

    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('access_code_hash', sa.String(length=64), nullable=True))

    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('requires_code', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_column('requires_code')
        batch_op.drop_column('kiosk')

    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_column('access_code_hash')

    with op.batch_alter_table('access_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_codes_link_id'))

    op.drop_table('access_codes')
