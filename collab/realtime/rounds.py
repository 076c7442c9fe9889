"""Socket handlers for running a round: open, extend, move a partner, close."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.services import rounds
from collab.services.inputs import CloseInput, ExtendInput, MoveInput, RoundRef


def register(socketio: SocketIO) -> None:
    @socketio.on("open_round")
    @command(RoundRef)
    def open_round(form: RoundRef) -> dict:
        return {"round": rounds.open_round(current_user, form)}

    @socketio.on("extend_round")
    @command(ExtendInput)
    def extend_round(form: ExtendInput) -> dict:
        return rounds.extend_round(current_user, form)

    @socketio.on("move_partner")
    @command(MoveInput)
    def move_partner(form: MoveInput) -> dict:
        return rounds.move_partner(current_user, form)

    @socketio.on("close_round")
    @command(CloseInput)
    def close_round(form: CloseInput) -> dict:
        return rounds.close_round(current_user, form)
