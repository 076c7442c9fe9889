"""All models, imported here so that metadata and migrations see every table."""
from collab.models.adoption import ADOPTION_STAGES, AdoptionStep
from collab.models.feedback import WHOLE_PLAN, FeedbackChange, FeedbackItem, FeedbackStatus
from collab.models.partners import Partner, partner_members
from collab.models.plans import Plan, PlanSection, PlanVersion
from collab.models.rounds import LIVE, Connection, Pairing, Presentation, Room, RoomPartner, Round, RoundStatus, Worker
from collab.models.users import AuthSession, LoginFailure, User
from collab.models.workshops import (ResourceKind, Workshop, WorkshopEvent, WorkshopResource, WorkshopStatus, workshop_facilitators,
                                     workshop_partners)

__all__ = [
    "ADOPTION_STAGES", "AdoptionStep", "LIVE", "WHOLE_PLAN", "AuthSession", "Connection", "FeedbackChange", "FeedbackItem", "FeedbackStatus", "LoginFailure", "Partner", "Plan", "PlanSection", "PlanVersion",
    "Pairing", "Presentation", "ResourceKind", "Room", "RoomPartner", "Round", "RoundStatus", "User", "Worker", "Workshop", "WorkshopEvent", "WorkshopResource", "WorkshopStatus",
    "partner_members", "workshop_facilitators", "workshop_partners",
]
