"""Shapes of what clients send, checked strictly; errors become `validation` with fields."""
from __future__ import annotations

import ipaddress
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

import pytz
from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from collab.services.errors import BadRequest, Invalid

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,64}$")]
# The largest id anything accepts: the largest integer a JavaScript client holds exactly.
MAX_ID = 2**53
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(_l("This field must not be blank."))
    return value.strip()


def text(max_length: int, min_length: int = 1):
    """A required single-line text field, trimmed, never blank."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), AfterValidator(_not_blank)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_l("This field must not contain NUL characters."))
    return value


def tidy_text(value: str) -> str:
    """One form of a text however it was typed: browsers post textareas with CRLF line ends
    and often a trailing newline, the API and the store have LF. Without this, saving an
    untouched section from the browser would count as a change."""
    return value.replace("\r\n", "\n").replace("\r", "\n").rstrip()


Markdown = Annotated[str, StringConstraints(max_length=100_000), AfterValidator(_no_nul), AfterValidator(tidy_text)]


def _invisible(ch: str) -> bool:
    """Control characters and invisible formatting ones (U+200B, the bidi overrides such as
    U+202E): a person cannot see what they do to a text or an address."""
    return unicodedata.category(ch) in ("Cc", "Cf")


# In a title, the zero-width joiner builds emoji sequences (a person with a laptop) and hides
# nothing; in an address it would (IDNA drops it), so only titles allow it.
_EMOJI_JOINER = "\u200d"


def _no_invisible(value: str) -> str:
    """A single-line text (a title) with nothing in it that a reader cannot see."""
    if any(_invisible(ch) and ch != _EMOJI_JOINER for ch in value):
        raise ValueError(_l("This field must not contain control or invisible formatting characters."))
    return value


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _real_host(host: str) -> bool:
    """A host name (IDNA allowed: bücher.example) or an IP address."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(ascii_host) <= 253 and all(_HOST_LABEL.match(label) for label in ascii_host.split("."))


def _web_address(value: str) -> str:
    """An absolute http(s) address to a real host, nothing a browser would read otherwise:
    no javascript: or data:, no relative path, no user name before the host (that reads as
    the host to a person: https://good.example@evil.example/), a port from 1 to 65535, and
    no whitespace, control or invisible formatting character anywhere."""
    value = value.strip()
    not_web = PydanticCustomError("web_address", "must be an http:// or https:// address")
    misread = PydanticCustomError("web_address_misread", "has a part a browser would misread")
    if any(ch.isspace() or _invisible(ch) for ch in value):
        raise misread
    try:
        parts = urlsplit(value)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise misread from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise not_web
    if "@" in parts.netloc or not host or not _real_host(host) or port == 0:
        raise misread
    return value


def _optional_web_address(value: str) -> str:
    """Empty means "none given" (a form's blank field)."""
    return _web_address(value) if value.strip() else ""


WebAddress = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_web_address)]
OptionalWebAddress = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_optional_web_address)]


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(item) for item in value)
    return False  # numbers, and nested inputs, which checked their own fields


class Input(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    @field_validator("*")
    @classmethod
    def _no_nul_in_any_text(cls, value: Any) -> Any:
        """PostgreSQL refuses NUL in text, and no name or note needs one: every field, one rule."""
        if _holds_nul(value):
            raise ValueError(_l("This field must not contain NUL characters."))
        return value


class LoginInput(Input):
    email: Annotated[str, StringConstraints(min_length=1, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class UserInput(Input):
    email: Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    name: text(200)
    password: Annotated[str, StringConstraints(min_length=10, max_length=1024)]
    locale: Annotated[str, StringConstraints(pattern=r"^(en|lt|pl|es|hu|it)$")] = "en"
    is_admin: bool = False


class LanguageInput(Input):
    locale: Annotated[str, StringConstraints(pattern=r"^(en|lt|pl|es|hu|it)$")]


def _known_time_zone(value: str) -> str | None:
    if not value:
        return None  # the service's default
    if value not in pytz.common_timezones_set:
        raise ValueError(_l("Choose a time zone from the list."))
    return value


class PreferencesInput(Input):
    locale: Annotated[str, StringConstraints(pattern=r"^(en|lt|pl|es|hu|it)$")]
    time_zone: Annotated[str, StringConstraints(max_length=64), AfterValidator(_known_time_zone)] = ""


class PartnerInput(Input):
    name: text(200)
    short_name: Annotated[text(40), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._&-]*$")]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    organisations: Annotated[list[text(200)], Field(min_length=1, max_length=10)]


class MemberInput(Input):
    user_id: Id


class SectionInput(Input):
    key: Slug
    title: text(200)
    body: Markdown = ""


Sections = Annotated[list[SectionInput], Field(min_length=1, max_length=100)]


class PlanInput(Input):
    partner_id: Id
    title: text(300)
    sections: Sections


class VersionInput(Input):
    sections: Sections
    note: Annotated[str, StringConstraints(max_length=500)] = ""
    base_version: Annotated[int, Field(ge=1, le=2**31)]


class RubricItem(Input):
    key: Slug
    label: text(120)


def _this_century(value: datetime) -> datetime:
    """Years at the calendar's edges (0001, 9999) cannot be moved to another time zone: every
    page showing them would fail. No workshop needs them."""
    if not 2000 <= value.year <= 2099:
        raise PydanticCustomError("real_datetime", "not a date and time between 2000 and 2099")
    return value


class WorkshopInput(Input):
    title: text(200)
    description: Markdown = ""
    # JSON has no datetime type: ISO 8601 strings are accepted here.
    starts_at: Annotated[datetime, Field(strict=False), AfterValidator(_this_century)] | None = None
    rubric: Annotated[list[RubricItem], Field(min_length=1, max_length=30)] | None = None
    partner_ids: Annotated[list[Id], Field(max_length=200)] = []
    facilitator_ids: Annotated[list[Id], Field(max_length=50)] = []


def _real_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2099:
        raise PydanticCustomError("real_date", "not a real date between 2000 and 2099")
    return day


# A calendar day as JSON carries it ("2026-05-31"); 31 February is refused.
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date), Field(json_schema_extra={"format": "date"})]
Link = Annotated[str, StringConstraints(max_length=500), AfterValidator(_optional_web_address)]


# What GET answers besides the tracker: a PUT may send the answer back, and they are ignored.
ReadOnly = Annotated[Any, Field(description="Read only (from GET's answer); ignored.")]


class AdoptionStepInput(Input):
    # A misspelt key would silently drop what it meant to set: refused, naming it.
    model_config = ConfigDict(extra="forbid")

    body: text(300)
    date: Day
    note: Annotated[str, StringConstraints(max_length=1000)] = ""
    link: Link = ""
    updated_at: ReadOnly = None
    updated_by: ReadOnly = None


class AdoptionInput(Input):
    """The whole tracker at once: a step left out (or null) has not happened (yet), so a
    misspelt step ({"approved": ...}) would wipe it: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    drafted: AdoptionStepInput | None = None
    sent: AdoptionStepInput | None = None
    adopted: AdoptionStepInput | None = None
    plan_id: ReadOnly = None
    current: ReadOnly = None


M = TypeVar("M", bound=Input)

# Pydantic's own messages are English: each error type gets ours, translated when the error
# is answered. Validators of ours raise ValueError with a lazy text (value_error).
_WRONG_TYPE = _l("This value has the wrong type.")
_OUT_OF_RANGE = _l("This number is out of range.")
FIELD_MESSAGES = {
    "missing": _l("This field is required."),
    "string_too_short": _l("This field is too short."),
    "string_too_long": _l("This field is too long."),
    "too_short": _l("Too few items."),
    "too_long": _l("Too many items."),
    "string_pattern_mismatch": _l("This value has the wrong format."),
    "web_address": _l("Give a web address starting with http:// or https://."),
    "web_address_misread": _l("Give a plain web address: a real host name, no user name before it, "
                              "a port from 1 to 65535 if any, and no spaces or hidden characters."),
    "literal_error": _l("Choose one of the allowed values."),
    "extra_forbidden": _l("This field is not known here; check its spelling."),
    "datetime_parsing": _l("This is not a valid date and time."),
    "datetime_from_date_parsing": _l("This is not a valid date and time."),
    **dict.fromkeys(("string_type", "int_type", "int_parsing", "bool_type", "list_type", "dict_type",
                     "model_type", "model_attributes_type", "datetime_type", "int_from_float"), _WRONG_TYPE),
    **dict.fromkeys(("greater_than", "greater_than_equal", "less_than", "less_than_equal"), _OUT_OF_RANGE),
    "real_date": _l("Enter a real date between 2000 and 2099, as YYYY-MM-DD."),
    "real_datetime": _l("Enter a date and time between 2000 and 2099."),
}


def _field_message(err: dict) -> str:
    if err["type"] == "value_error":
        return str(err["ctx"]["error"])
    return str(FIELD_MESSAGES.get(err["type"], _l("This value is not valid.")))


def _field_errors(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = ".".join(str(part) for part in err["loc"]) or "body"
        fields.setdefault(name, _field_message(err))
    return fields


def parse(model: type[M], data: Any) -> M:
    """Validate client data into `model`, or raise `Invalid` naming each bad field."""
    if not isinstance(data, dict):
        raise BadRequest(str(_l("Expected a JSON object.")))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(str(_l("Some fields are not valid.")), fields=_field_errors(exc)) from None


# --- rounds and live events -------------------------------------------------

Minutes = Annotated[int, Field(ge=1, le=600)]


class RoomInput(Input):
    name: text(120)
    partner_ids: Annotated[list[Id], Field(min_length=1, max_length=10)]


class AutoInput(Input):
    size: Annotated[int, Field(ge=2, le=4)] = 2


class RoundInput(Input):
    name: Annotated[str, StringConstraints(max_length=120)] = ""
    minutes: Minutes
    rooms: Annotated[list[RoomInput], Field(min_length=1, max_length=100)] | None = None
    auto: AutoInput | None = None
    reuse_round_id: Id | None = None


class RoundRef(Input):
    round_id: Id


class ExtendInput(Input):
    round_id: Id
    minutes: Minutes


class CloseInput(Input):
    round_id: Id
    countdown_s: Annotated[int, Field(ge=0, le=3600)] = 60


class MoveInput(Input):
    round_id: Id
    partner_id: Id
    to_room_id: Id


class WorkshopRef(Input):
    workshop_id: Id


class RoomRef(Input):
    room_id: Id


class ResumeInput(Input):
    workshop_id: Id
    after_seq: Annotated[int, Field(ge=0, le=2**53)]


def _something_visible(value: str) -> str:
    """An announcement everyone sees pop up: one of only spaces and invisible characters
    (U+200B) would be an empty banner."""
    if all(ch.isspace() or _invisible(ch) for ch in value):
        raise ValueError(_l("This field must not be blank."))
    return value


Announcement = Annotated[text(1000), AfterValidator(_no_nul), AfterValidator(_something_visible)]


class BroadcastInput(Input):
    workshop_id: Id
    message: Announcement


class RoomMessageInput(Input):
    room_id: Id
    message: Announcement


class VideoLinkInput(Input):
    """A room's video-call link; null (or empty) goes back to the configured one."""

    video_url: OptionalWebAddress | None


class ResourceInput(Input):
    title: Annotated[text(200), AfterValidator(_no_invisible)]
    url: WebAddress
    kind: Literal["recording", "document", "video"] | None = None


PresentationMinutes = Annotated[int, Field(ge=1, le=180)]


class StartPresentationInput(Input):
    """In a room: `room_id` and `plan_id`. In the plenary: `workshop_id` and `partner_id` (its
    plan; `plan_id` picks one when it has several). A facilitator may give `limit_minutes`."""

    room_id: Id | None = None
    workshop_id: Id | None = None
    # Checked even when absent, for the rule below.
    partner_id: Annotated[Id | None, Field(validate_default=True)] = None
    plan_id: Annotated[Id | None, Field(validate_default=True)] = None
    limit_minutes: PresentationMinutes | None = None

    @field_validator("plan_id", "partner_id")
    @classmethod
    def _required_with_its_place(cls, value: int | None, info: ValidationInfo) -> int | None:
        """A room needs the plan, the plenary the partner: without it the request is malformed
        (a `validation` error naming the field), not a lookup of something that is not there.
        A field validator (not a model one) so that the error names the missing field."""
        place = {"plan_id": "room_id", "partner_id": "workshop_id"}[info.field_name]
        if value is None and info.data.get(place) is not None:
            raise PydanticCustomError("missing", "Field required")
        return value


class PresentationMinutesInput(Input):
    presentation_minutes: PresentationMinutes


class ShowSectionInput(Input):
    presentation_id: Id
    section_key: Slug


class PresentationRef(Input):
    presentation_id: Id


# --- feedback -------------------------------------------------------------------

Kind = Literal["strength", "question", "suggestion", "concern"]
Body = Annotated[str, StringConstraints(max_length=4000), AfterValidator(_no_nul), AfterValidator(_not_blank)]
Rating = Annotated[int, Field(ge=1, le=5)]
Uuid = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]


class FeedbackInput(Input):
    client_id: Uuid
    plan_id: Id
    section_key: Slug
    kind: Kind | None = None  # required on top-level items; a reply has none unless chosen
    body: Body
    room_id: Id | None = None
    workshop_id: Id | None = None  # without room_id: given in the workshop's plenary
    criterion: Slug | None = None
    rating: Rating | None = None
    quote: Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(_no_nul)] | None = None
    parent_id: Id | None = None
    plan_version: Annotated[int, Field(ge=1, le=2**31)] | None = None


class FeedbackEdit(Input):
    feedback_id: Id
    body: Body | None = None
    kind: Kind | None = None
    criterion: Slug | None = None
    rating: Rating | None = None


class FeedbackRef(Input):
    feedback_id: Id


Status = Literal["open", "accepted", "declined", "addressed", "deferred"]


class ResponseInput(Input):
    feedback_id: Id
    status: Status
    response: Annotated[str, StringConstraints(max_length=4000), AfterValidator(_no_nul)] | None = None
    addressed_in_version: Annotated[int, Field(ge=1, le=2**31)] | None = None


class FeedbackFilters(Input):
    """Query filters of a feedback list or export (all optional)."""

    model_config = ConfigDict(strict=False, extra="ignore", frozen=True)

    section: Slug | None = None
    criterion: Slug | None = None
    kind: Kind | None = None
    status: Literal["open", "accepted", "declined", "addressed", "deferred", "withdrawn"] | None = None
    version: Annotated[int, Field(ge=1, le=2**31)] | None = None
    workshop_id: Id | None = None
    room_id: Id | Literal["plenary"] | None = None  # "plenary": given in a workshop's plenary, in no room
    author_partner_id: Id | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    after_id: Annotated[int, Field(ge=0, le=2**53)] = 0


class FeedbackPatch(Input):
    status: Status | None = None
    response: Annotated[str, StringConstraints(max_length=4000), AfterValidator(_no_nul)] | None = None
    addressed_in_version: Annotated[int, Field(ge=1, le=2**31)] | None = None
    body: Body | None = None


class GeneralFeedbackInput(Input):
    client_id: Uuid
    section_key: Slug
    kind: Kind
    body: Body
    criterion: Slug | None = None
