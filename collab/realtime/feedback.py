"""Socket handlers for feedback: submit, edit, withdraw, respond."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.realtime.live import seats
from collab.services import feedback, shapes
from collab.services.inputs import FeedbackEdit, FeedbackInput, FeedbackRef, ResponseInput


def register(socketio: SocketIO) -> None:
    @socketio.on("submit_feedback")
    @command(FeedbackInput)
    def submit_feedback(form: FeedbackInput) -> dict:
        seat = seats().get(request.sid)
        fast = feedback.submit_in_seat(seat, form) if seat is not None else None
        return {"feedback": fast if fast is not None else shapes.feedback(feedback.submit(current_user, form))}

    @socketio.on("edit_feedback")
    @command(FeedbackEdit)
    def edit_feedback(form: FeedbackEdit) -> dict:
        return {"feedback": shapes.feedback(feedback.edit(current_user, form))}

    @socketio.on("withdraw_feedback")
    @command(FeedbackRef)
    def withdraw_feedback(form: FeedbackRef) -> dict:
        return {"feedback": shapes.feedback(feedback.withdraw(current_user, form))}

    @socketio.on("respond_feedback")
    @command(ResponseInput)
    def respond_feedback(form: ResponseInput) -> dict:
        return {"feedback": shapes.feedback(feedback.respond(current_user, form))}
