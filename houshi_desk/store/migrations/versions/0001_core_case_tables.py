"""core case tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from models.py at the first release, then reviewed; never edit after it ships.
    op.create_table('case_number_sequences',
    sa.Column('prefix', sa.String(length=32), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', name=op.f('pk_case_number_sequences'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('region', sa.String(length=8), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('terminal_id', sa.String(length=8), nullable=False),
    sa.Column('office', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('clerk', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('application_date', sa.Date(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('death', sa.JSON(), nullable=False),
    sa.Column('death_kind', sa.String(length=16), nullable=False),
    sa.Column('died_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id_card_surrendered', sa.Boolean(), nullable=False),
    sa.Column('anonymised', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_application_date'), ['application_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_clerk'), ['clerk'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_cases_region_status_date', ['region', 'status', 'application_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)

    op.create_table('case_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_materials_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_materials')),
    sa.UniqueConstraint('case_id', 'code', name='uq_case_materials_case_code')
    )
    with op.batch_alter_table('case_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_materials_case_id'), ['case_id'], unique=False)

    op.create_table('case_matters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('department', sa.String(length=32), nullable=False),
    sa.Column('applicable', sa.Boolean(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('chosen', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('due_date_uncertain', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_matters_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_matters')),
    sa.UniqueConstraint('case_id', 'code', name='uq_case_matters_case_code')
    )
    with op.batch_alter_table('case_matters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_matters_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_matters_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_matters_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_matters_status'), ['status'], unique=False)

    op.create_table('case_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('matter_code', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_tasks_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_tasks'))
    )
    with op.batch_alter_table('case_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_tasks_case_id'), ['case_id'], unique=False)

    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=False),
    sa.Column('card_type', sa.String(length=16), nullable=False),
    sa.Column('identity', sa.JSON(), nullable=False),
    sa.Column('photo_wlt', sa.LargeBinary(), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('employer', sa.String(length=120), nullable=False),
    sa.Column('bank_account', sa.String(length=64), nullable=False),
    sa.Column('bank_name', sa.String(length=120), nullable=False),
    sa.Column('relation', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_parties_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_name'), ['name'], unique=False)

    op.create_table('print_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('printer', sa.String(length=120), nullable=False),
    sa.Column('paper', sa.String(length=32), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('reprint', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('pdf_path', sa.String(length=400), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_print_log_case_id_cases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_log'))
    )
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_log_case_id'), ['case_id'], unique=False)

    op.create_table('material_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('page_no', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('dpi', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['case_materials.id'], name=op.f('fk_material_files_material_id_case_materials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_files'))
    )
    with op.batch_alter_table('material_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_files_material_id'), ['material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_material_files_sha256'), ['sha256'], unique=False)

    op.create_table('matter_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['matter_id'], ['case_matters.id'], name=op.f('fk_matter_status_history_matter_id_case_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matter_status_history'))
    )
    with op.batch_alter_table('matter_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matter_status_history_matter_id'), ['matter_id'], unique=False)



def downgrade() -> None:
    # Generated from models.py at the first release, then reviewed; never edit after it ships.
    with op.batch_alter_table('matter_status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matter_status_history_matter_id'))

    op.drop_table('matter_status_history')
    with op.batch_alter_table('material_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_files_sha256'))
        batch_op.drop_index(batch_op.f('ix_material_files_material_id'))

    op.drop_table('material_files')
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_log_case_id'))
        batch_op.drop_index(batch_op.f('ix_print_log_at'))

    op.drop_table('print_log')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_name'))
        batch_op.drop_index(batch_op.f('ix_parties_id_number'))
        batch_op.drop_index(batch_op.f('ix_parties_case_id'))

    op.drop_table('parties')
    with op.batch_alter_table('case_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_tasks_case_id'))

    op.drop_table('case_tasks')
    with op.batch_alter_table('case_matters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_matters_status'))
        batch_op.drop_index(batch_op.f('ix_case_matters_due_date'))
        batch_op.drop_index(batch_op.f('ix_case_matters_code'))
        batch_op.drop_index(batch_op.f('ix_case_matters_case_id'))

    op.drop_table('case_matters')
    with op.batch_alter_table('case_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_materials_case_id'))

    op.drop_table('case_materials')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index('ix_cases_region_status_date')
        batch_op.drop_index(batch_op.f('ix_cases_created_at'))
        batch_op.drop_index(batch_op.f('ix_cases_clerk'))
        batch_op.drop_index(batch_op.f('ix_cases_application_date'))

    op.drop_table('cases')
    op.drop_table('case_number_sequences')
