"""Socket handlers for presenting a plan in a room."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import SocketIO

from collab.realtime.handler import command
from collab.realtime.live import seats
from collab.services import presentations
from collab.services.inputs import PresentationRef, ShowSectionInput, StartPresentationInput


def register(socketio: SocketIO) -> None:
    @socketio.on("start_presentation")
    @command(StartPresentationInput)
    def start_presentation(form: StartPresentationInput) -> dict:
        return {"presentation": presentations.start_presentation(current_user, form)}

    @socketio.on("show_section")
    @command(ShowSectionInput)
    def show_section(form: ShowSectionInput) -> dict:
        seat = seats().get(request.sid)
        fast = presentations.show_section_in_seat(seat, form) if seat is not None else None
        return fast if fast is not None else presentations.show_section(current_user, form)

    @socketio.on("end_presentation")
    @command(PresentationRef)
    def end_presentation(form: PresentationRef) -> dict:
        return presentations.end_presentation(current_user, form)
