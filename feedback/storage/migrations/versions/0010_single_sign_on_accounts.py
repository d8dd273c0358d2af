"""single sign-on accounts: the OpenID Connect identity, and accounts without a password or role

Revision ID: 0010
Revises: 0009

An account made by someone's first single sign-on is linked to the provider's issuer and
subject, has no password, and has no role until an admin (or a group) gives one.
"""

from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('oidc_access_token', sa.Text(), nullable=True))
        batch_op.create_unique_constraint('uq_users_oidc_issuer', ['oidc_issuer', 'oidc_subject'])
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255),
                              nullable=True)
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=True)


def downgrade() -> None:
    # Accounts without a role or password are kept (others refer to them) but switched off,
    # with a password no one can match and the least role.
    op.execute("UPDATE users SET is_active = false, role = 'viewer' WHERE role IS NULL")
    op.execute("UPDATE users SET is_active = false, password_hash = '!' "
               "WHERE password_hash IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255),
                              nullable=False)
        batch_op.drop_constraint('uq_users_oidc_issuer', type_='unique')
        batch_op.drop_column('oidc_access_token')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
