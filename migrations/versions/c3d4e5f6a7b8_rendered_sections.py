"""rendered plan sections and workshop descriptions

Markdown is rendered once when it is written; pages never render it per view.

Revision ID: c3d4e5f6a7b8
Revises: 23ac90efc415
Create Date: 2026-11-29 07:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3d4e5f6a7b8'
down_revision = '23ac90efc415'
branch_labels = None
depends_on = None


def _rendered(body: str) -> tuple[str, str]:
    """HTML and visible text; a legacy body too complex to render is shown as escaped text."""
    import html

    from collab.services.markdown import TooComplex, render_with_text

    try:
        return render_with_text(body)
    except TooComplex:
        return f"<pre>{html.escape(body)}</pre>", body


def upgrade():
    with op.batch_alter_table('plan_sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('text', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description_html', sa.Text(), nullable=False, server_default=''))
    conn = op.get_bind()
    sections = sa.table('plan_sections', sa.column('id', sa.Integer), sa.column('body', sa.Text),
                        sa.column('body_html', sa.Text), sa.column('text', sa.Text))
    for section_id, body in conn.execute(sa.select(sections.c.id, sections.c.body)).all():
        body_html, text = _rendered(body)
        conn.execute(sections.update().where(sections.c.id == section_id).values(body_html=body_html, text=text))
    workshops = sa.table('workshops', sa.column('id', sa.Integer), sa.column('description', sa.Text), sa.column('description_html', sa.Text))
    for workshop_id, description in conn.execute(sa.select(workshops.c.id, workshops.c.description)).all():
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(description_html=_rendered(description)[0]))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('description_html')
    with op.batch_alter_table('plan_sections', schema=None) as batch_op:
        batch_op.drop_column('text')
        batch_op.drop_column('body_html')
