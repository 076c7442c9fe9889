"""Socket handlers for feedback: submit, edit, withdraw, respond."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.services import feedback


def register(socketio: SocketIO) -> None:
    @socketio.on("submit_feedback")
    @command
    def submit_feedback(data: dict) -> dict:
        return {"feedback": feedback.submit(current_user, data)}

    @socketio.on("edit_feedback")
    @command
    def edit_feedback(data: dict) -> dict:
        return {"feedback": feedback.edit(current_user, data)}

    @socketio.on("withdraw_feedback")
    @command
    def withdraw_feedback(data: dict) -> dict:
        return {"feedback": feedback.withdraw(current_user, data)}

    @socketio.on("respond_feedback")
    @command
    def respond_feedback(data: dict) -> dict:
        return {"feedback": feedback.respond(current_user, data)}
