"""Socket.IO room names. The only place they are made: clients never name a channel."""
from __future__ import annotations


def workshop_channel(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


def facilitators_channel(workshop_id: int) -> str:
    return f"facilitators:{workshop_id}"


def partner_channel(partner_id: int) -> str:
    return f"partner:{partner_id}"


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"
