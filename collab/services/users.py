"""Accounts: created by administrators (and by the CLI)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from collab.extensions import db
from collab.models import User
from collab.services.access import require_admin
from collab.services.auth import hash_password
from collab.services.errors import Conflict
from collab.services.inputs import UserInput, parse


def create_user(actor: User | None, data: dict) -> User:
    """Create an account; `actor` None means the command line (trusted)."""
    if actor is not None:
        require_admin(actor)
    form = parse(UserInput, data)
    email = form.email.strip().lower()
    password_hash = hash_password(form.password)  # before the write transaction begins
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        db.session.rollback()
        raise Conflict(_("An account with this email already exists."), fields={"email": _("Already in use.")})
    user = User(email=email, name=form.name, password_hash=password_hash, locale=form.locale, is_admin=form.is_admin)
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    db.session.commit()


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.name)))
