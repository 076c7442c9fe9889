"""Accounts: created by administrators (and by the CLI)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from collab.extensions import db
from collab.models import User
from collab.services.access import require_admin
from collab.services.auth import hash_password
from collab.services.errors import Conflict
from collab.services.inputs import LanguageInput, PreferencesInput, UserInput
from collab.services.unit_of_work import write


def create_user(actor: User | None, form: UserInput) -> User:
    """Create an account; `actor` None means the command line (trusted)."""
    if actor is not None:
        require_admin(actor)
    email = form.email.strip().lower()
    password_hash = hash_password(form.password)  # in the thread pool: before the unit of work begins
    with write():
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            raise Conflict(_("An account with this email already exists."), fields={"email": _("Already in use.")})
        user = User(email=email, name=form.name, password_hash=password_hash, locale=form.locale, is_admin=form.is_admin)
        db.session.add(user)
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.name)))


def set_language(user: User, form: LanguageInput) -> None:
    with write():
        user.locale = form.locale


def set_preferences(user: User, form: PreferencesInput) -> None:
    with write():
        user.locale = form.locale
        user.time_zone = form.time_zone
