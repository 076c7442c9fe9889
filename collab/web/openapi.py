"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json.

Request bodies and query filters come from the pydantic input models the views parse, so
they cannot drift from what the server accepts; response shapes are written out here from
services/shapes.py. tests/test_openapi.py checks that every /api/v1 route is described.
"""
from __future__ import annotations

from functools import cache

from flask import Blueprint, jsonify
from pydantic.json_schema import models_json_schema

from collab.models import ADOPTION_STAGES
from collab.services import inputs

bp = Blueprint("openapi", __name__)

BODY_MODELS = [
    inputs.LoginInput, inputs.UserInput, inputs.PartnerInput, inputs.MemberInput, inputs.PlanInput, inputs.VersionInput,
    inputs.WorkshopInput, inputs.RoundInput, inputs.FeedbackPatch, inputs.GeneralFeedbackInput, inputs.VideoLinkInput,
    inputs.ResourceInput, inputs.PresentationMinutesInput, inputs.AdoptionInput,
]

INTEGER = {"type": "integer"}
STRING = {"type": "string"}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: dict, optional: dict | None = None) -> dict:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def _page(item: dict) -> dict:
    return _object({"items": {"type": "array", "items": item}, "next": NULLABLE_INTEGER})


SHAPES = {
    "Error": _object({"error": _object({"code": STRING, "message": STRING}, {"fields": {"type": "object"}})}),
    "UserLite": _object({"id": INTEGER, "name": STRING}),
    "User": _object({"id": INTEGER, "email": STRING, "name": STRING, "locale": STRING, "is_admin": {"type": "boolean"}}),
    "Partner": _object({"id": INTEGER, "name": STRING, "short_name": STRING, "country": STRING,
                        "organisations": {"type": "array", "items": STRING},
                        "members": {"type": "array", "items": _ref("UserLite")}}),
    "Plan": _object({"id": INTEGER, "partner_id": INTEGER, "title": STRING, "latest_version": INTEGER,
                     "versions": {"type": "array", "items": _object({"number": INTEGER, "created_at": STRING, "note": STRING})},
                     "version": INTEGER,
                     "sections": {"type": "array", "items": _object({"key": STRING, "title": STRING, "body": STRING, "position": INTEGER})}}),
    "Adoption": _object({"plan_id": INTEGER, "current": {"enum": [*ADOPTION_STAGES, None]},
                         **{stage: {"oneOf": [_object({"body": STRING, "date": {"type": "string", "format": "date"}, "note": STRING,
                                                       "link": STRING, "updated_at": STRING,
                                                       "updated_by": {"oneOf": [_ref("UserLite"), {"type": "null"}]}}),
                                              {"type": "null"}]}
                            for stage in ADOPTION_STAGES}}),
    "Room": _object({"id": INTEGER, "name": STRING, "partner_ids": {"type": "array", "items": INTEGER},
                     "plan_ids": {"type": "array", "items": INTEGER}}),
    "Round": _object({"id": INTEGER, "workshop_id": INTEGER, "name": STRING,
                      "status": {"enum": ["pending", "open", "closing", "closed"]}, "minutes": INTEGER,
                      "opened_at": NULLABLE_STRING, "ends_at": NULLABLE_STRING,
                      "rooms": {"type": "array", "items": _ref("Room")}}),
    "Workshop": _object({"id": INTEGER, "title": STRING, "status": STRING,
                         "rubric": {"type": "array", "items": _object({"key": STRING, "label": STRING})},
                         "partners": {"type": "array", "items": _ref("Partner")},
                         "facilitators": {"type": "array", "items": _ref("UserLite")},
                         "rounds": {"type": "array", "items": _ref("Round")}},
                        {"description": STRING, "starts_at": NULLABLE_STRING, "presentation_minutes": INTEGER}),
    "Feedback": _object({"id": INTEGER, "client_id": STRING, "plan_id": INTEGER, "plan_version": INTEGER,
                         "section_key": STRING, "kind": NULLABLE_STRING, "body": STRING, "status": STRING,
                         "author": {"oneOf": [_ref("UserLite"), {"type": "null"}]}, "parent_id": NULLABLE_INTEGER,
                         "created_at": STRING, "replies": {"type": "array"}},
                        {"seq": NULLABLE_INTEGER, "room_id": NULLABLE_INTEGER, "workshop_id": NULLABLE_INTEGER,
                         "presentation_id": NULLABLE_INTEGER}),
    "RoomCall": _object({"room_id": INTEGER, "video_url": NULLABLE_STRING, "call_url": NULLABLE_STRING}),
    "Resource": _object({"id": INTEGER, "workshop_id": INTEGER, "title": STRING, "url": STRING,
                         "kind": {"enum": ["recording", "document", "video", None]}, "created_at": STRING}),
    "Event": _object({"seq": INTEGER, "type": STRING, "workshop_id": INTEGER, "room_id": NULLABLE_INTEGER,
                      "at": STRING, "data": {"type": "object"}}),
}

ID_PARAMETERS = {name: {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}
                 for name in ("plan_id", "partner_id", "workshop_id", "round_id", "feedback_id", "room_id", "resource_id")}
FORMAT_PARAMETER = {"name": "fmt", "in": "path", "required": True, "schema": {"enum": ["csv", "md", "json"]}}


def _filter_parameters() -> list[dict]:
    """The feedback filters as query parameters: each optional, so its non-null form."""
    parameters = []
    for name, schema in inputs.FeedbackFilters.model_json_schema()["properties"].items():
        variants = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
        parameters.append({"name": name, "in": "query", "required": False, "schema": variants[0] if len(variants) == 1 else {"anyOf": variants}})
    return parameters


FEEDBACK_FILTERS = _filter_parameters()
EVENT_QUERY = [{"name": "after_seq", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
               {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 500}}]
VERSION_QUERY = [{"name": "version", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}]

EXPORT_CONTENT = {
    "text/csv": {"schema": STRING},
    "text/markdown": {"schema": STRING},
    "application/json": {"schema": _object({"items": {"type": "array", "items": {"type": "object"}}})},
}


def _operation(summary: str, status: int, response: dict | None, *, body: str | None = None,
               query: list[dict] | None = None, content: dict | None = None, anonymous: bool = False) -> dict:
    responses: dict = {
        "4XX": {"description": "refused; see `error.code`", "content": {"application/json": {"schema": _ref("Error")}}},
        "503": {"description": "busy: the database's write lock stayed taken; retry after `Retry-After`",
                "content": {"application/json": {"schema": _ref("Error")}}},
    }
    if content is not None:
        responses[str(status)] = {"description": "a download", "content": content}
    elif response is None:
        responses[str(status)] = {"description": "done"}
    else:
        responses[str(status)] = {"description": "done", "content": {"application/json": {"schema": response}}}
    operation: dict = {"summary": summary, "responses": responses, "parameters": list(query or [])}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if anonymous:
        operation["security"] = []
    return operation


def _paths() -> dict:
    session_shape = _object({"user": _ref("User"), "csrf_token": STRING})
    me_shape = _object({"user": _ref("User"), "partners": {"type": "array", "items": _ref("Partner")}, "csrf_token": STRING})
    general_shape = _object({"items": {"type": "array", "items": _ref("Feedback")}, "skipped_plan_ids": {"type": "array", "items": INTEGER}})
    return {
        "/api/v1/openapi.json": {"get": _operation("this document", 200, {"type": "object"}, anonymous=True)},
        "/api/v1/session": {
            "post": _operation("sign in (no CSRF token needed)", 200, session_shape, body="LoginInput", anonymous=True),
            "delete": _operation("sign out; every socket of this session is disconnected", 204, None),
        },
        "/api/v1/me": {"get": _operation("who am I", 200, me_shape)},
        "/api/v1/users": {
            "get": _operation("every user (admins)", 200, _page(_ref("User"))),
            "post": _operation("create a user (admins)", 201, _ref("User"), body="UserInput"),
        },
        "/api/v1/partners": {
            "get": _operation("the partner directory", 200, _page(_ref("Partner"))),
            "post": _operation("create a partner (admins, facilitators)", 201, _ref("Partner"), body="PartnerInput"),
        },
        "/api/v1/partners/{partner_id}": {"get": _operation("one partner", 200, _ref("Partner"))},
        "/api/v1/partners/{partner_id}/members": {
            "post": _operation("add a member (admins, facilitators of the partner's workshops)", 201, _ref("Partner"), body="MemberInput"),
        },
        "/api/v1/plans": {"post": _operation("create a plan (partner members, admins)", 201, _ref("Plan"), body="PlanInput")},
        "/api/v1/plans/{plan_id}": {"get": _operation("a plan at a version (default latest)", 200, _ref("Plan"), query=VERSION_QUERY)},
        "/api/v1/plans/{plan_id}/versions": {
            "post": _operation("save a new version (409 if base_version is not the latest)", 201, _ref("Plan"), body="VersionInput"),
        },
        "/api/v1/plans/{plan_id}/adoption": {
            "get": _operation("the plan's steps to formal adoption (plan readers)", 200, _ref("Adoption")),
            "put": _operation("replace them (partner members, admins); 422 names a step out of order or dated wrongly",
                              200, _ref("Adoption"), body="AdoptionInput"),
        },
        "/api/v1/plans/{plan_id}/feedback": {
            "get": _operation("the plan's feedback, oldest first", 200, _page(_ref("Feedback")), query=FEEDBACK_FILTERS),
        },
        "/api/v1/plans/{plan_id}/feedback.{fmt}": {
            "get": _operation("export the plan's feedback", 200, None, query=FEEDBACK_FILTERS, content=EXPORT_CONTENT),
        },
        "/api/v1/plans/{plan_id}/readiness": {
            "get": _operation("counts per version, criterion and status", 200, _object({"versions": {"type": "array"}})),
        },
        "/api/v1/feedback/{feedback_id}": {
            "patch": _operation("answer (owner's members) or edit (author) an item", 200, _ref("Feedback"), body="FeedbackPatch"),
        },
        "/api/v1/feedback/{feedback_id}/changes": {"get": _operation("who changed what and when", 200, _page({"type": "object"}))},
        "/api/v1/workshops": {
            "get": _operation("the caller's workshops", 200, _page(_ref("Workshop"))),
            "post": _operation("create a workshop (admins)", 201, _ref("Workshop"), body="WorkshopInput"),
        },
        "/api/v1/workshops/{workshop_id}": {
            "get": _operation("a workshop (participants)", 200, _ref("Workshop")),
            "patch": _operation("set the presenters' default time limit (facilitators)", 200, _ref("Workshop"), body="PresentationMinutesInput"),
        },
        "/api/v1/workshops/{workshop_id}/rounds": {
            "post": _operation("create a round (facilitators)", 201, _ref("Round"), body="RoundInput"),
        },
        "/api/v1/workshops/{workshop_id}/rounds/{round_id}": {"get": _operation("a round (participants)", 200, _ref("Round"))},
        "/api/v1/workshops/{workshop_id}/events": {
            "get": _operation("events the caller may see, in seq order", 200, _page(_ref("Event")), query=EVENT_QUERY),
        },
        "/api/v1/workshops/{workshop_id}/feedback.{fmt}": {
            "get": _operation("export the workshop's feedback the caller may read", 200, None, query=FEEDBACK_FILTERS, content=EXPORT_CONTENT),
        },
        "/api/v1/workshops/{workshop_id}/resources": {
            "get": _operation("the workshop's resources (participants)", 200, _page(_ref("Resource"))),
            "post": _operation("add a resource (facilitators)", 201, _ref("Resource"), body="ResourceInput"),
        },
        "/api/v1/workshops/{workshop_id}/resources/{resource_id}": {
            "delete": _operation("remove a resource (facilitators)", 204, None),
        },
        "/api/v1/rooms/{room_id}": {
            "patch": _operation("set a room's video-call link; null or empty uses the configured one (facilitators)", 200,
                                _ref("RoomCall"), body="VideoLinkInput"),
        },
        "/api/v1/workshops/{workshop_id}/general-feedback": {
            "post": _operation("one item on that section of every plan (facilitators)", 201, general_shape, body="GeneralFeedbackInput"),
        },
    }


def _with_path_parameters(paths: dict) -> dict:
    for path, operations in paths.items():
        wanted = [ID_PARAMETERS[name] for name in ID_PARAMETERS if "{" + name + "}" in path]
        if "{fmt}" in path:
            wanted.append(FORMAT_PARAMETER)
        for operation in operations.values():
            operation["parameters"] = wanted + operation["parameters"]
    return paths


@cache
def document() -> dict:
    _, body_schemas = models_json_schema([(model, "validation") for model in BODY_MODELS],
                                         ref_template="#/components/schemas/{model}")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Collab API", "version": "1",
                 "description": "Live peer-review workshops. Contract: shared/design/PROTOCOL.md; additions: docs/API.md."},
        "servers": [{"url": "/"}],
        "security": [{"session": [], "csrf": []}],
        "paths": _with_path_parameters(_paths()),
        "components": {
            "schemas": {**body_schemas["$defs"], **SHAPES},
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                         "description": "from POST /session or GET /me; needed on every write but the sign-in"},
            },
        },
    }


@bp.get("/api/v1/openapi.json")
def get_openapi():
    return jsonify(document())
