"""Service mode's API: accounts and tokens (shared/contract/api.md, "Service mode"), sharing with
a clinician, the person's audit log, and the clinician's routes. Mounted only in service mode."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from backstride.service import accounts, sharing
from backstride.service.accounts import Caller
from backstride.web.api.strict import StrictJSONRoute
from backstride.web.auth import authenticate, bearer, client_address
from backstride.web.deps import RowId
from backstride.web.errors import ERRORS

router = APIRouter(route_class=StrictJSONRoute)
Who = Annotated[Caller, Depends(authenticate)]
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"description": "not signed in"},
    429: {"description": "too many failed sign-ins"},
}
CLINICIAN_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_ERRORS,
    403: {"description": "for clinician accounts only"},
}


class RegisterIn(BaseModel):
    """A new account."""

    email: str = Field(max_length=320)
    password: str = Field(max_length=accounts.MAX_PASSWORD)


class TokenOut(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: str
    expires_at: str


class PasswordIn(BaseModel):
    """A password change: the current password and the new one."""

    current_password: str = Field(max_length=accounts.MAX_PASSWORD)
    new_password: str = Field(max_length=accounts.MAX_PASSWORD)


class ConfirmIn(BaseModel):
    """The password again, to confirm deleting the account."""

    password: str = Field(max_length=accounts.MAX_PASSWORD)


class CodeIn(BaseModel):
    """A person's invite code."""

    code: str = Field(max_length=64)


class NoteIn(BaseModel):
    """A clinician's note."""

    text: str = Field(max_length=5000)


class PhaseIn(BaseModel):
    """A phase of the person's plan (and walk-run step), with the reason."""

    phase: str = Field(max_length=64)
    step: int | None = Field(None, ge=0, le=100)
    reason: str = Field(max_length=1000)


class AcceptedOut(BaseModel):
    """The person who shares with the clinician from now on."""

    person: str


class PersonSummaryOut(BaseModel):
    """What a clinician sees of a person in the list."""

    person: str
    last_triage: str | None
    last_assessment_at: str | None
    current_phase: str | None
    step: int | None
    pain_trend: Literal["better", "worse", "steady", "unknown"]
    pain_recent: list[int]
    flags: list[Literal["new_warning_sign", "step_back"]]


class PeopleOut(BaseModel):
    """The people who share with the clinician."""

    people: list[PersonSummaryOut]


class NoteOut(BaseModel):
    """A clinician's note on the person's record."""

    at: str
    clinician_id: int
    text: str


class PhaseMoveOut(BaseModel):
    """A move of the plan's phase: a weekly decision, or a clinician's."""

    at: str
    decision: str
    phase: str
    step: int | None


class RungOut(BaseModel):
    """A phase (and walk-run step) a clinician can move the plan to."""

    phase: str
    step: int | None
    label: str


class PersonDetailOut(PersonSummaryOut):
    """One person for their clinician: the summary, notes, phase history and the plan's
    ladder."""

    notes: list[NoteOut]
    phases: list[PhaseMoveOut]
    ladder: list[RungOut]


class NoteAddedOut(BaseModel):
    """The note as saved."""

    at: str
    text: str


class PhaseSetOut(BaseModel):
    """The phase the plan is at now, and the reason recorded."""

    phase: str
    step: int | None
    reason: str


class FhirJSON(JSONResponse):
    """A FHIR resource as JSON, with FHIR's own media type."""

    media_type = "application/fhir+json"


FHIR_BUNDLE_SCHEMA = {
    "type": "object",
    "required": ["resourceType", "type", "entry"],
    "properties": {
        "resourceType": {"const": "Bundle"},
        "type": {"type": "string"},
        "entry": {"type": "array", "items": {"type": "object", "required": ["resource"]}},
    },
}


# --- accounts -----------------------------------------------------------------------------------


@router.post(
    "/auth/register", tags=["accounts"], status_code=201, responses=AUTH_ERRORS, summary="Sign up"
)
def register(body: RegisterIn) -> JSONResponse:
    """A new account: an email and a password of at least 8 characters that is not one of the
    common ones."""
    account_id = accounts.register(body.email, body.password)
    return JSONResponse({"id": account_id, "email": body.email.strip().lower()}, status_code=201)


@router.post(
    "/auth/token",
    tags=["accounts"],
    response_model=TokenOut,
    responses=AUTH_ERRORS,
    summary="Sign in for a bearer token",
)
def token(
    request: Request,
    username: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> dict[str, Any]:
    """Form fields ``username`` (the email) and ``password``; 400 for wrong ones, 429 after too
    many failures for the account or the address."""
    signed = accounts.sign_in(username, password, address=client_address(request), kind="bearer")
    return {
        "access_token": signed.token,
        "token_type": "bearer",
        "expires_at": signed.expires_at.isoformat(),
    }


@router.post(
    "/auth/signout", tags=["accounts"], status_code=204, responses=AUTH_ERRORS, summary="Sign out"
)
def signout(request: Request, who: Who) -> Response:
    """End the token (or session) this request was made with."""
    token = bearer(request)
    if token is not None:
        accounts.sign_out(token)
    else:
        from backstride.web.auth import session_cookie

        accounts.sign_out(request.cookies.get(session_cookie(request), ""))
    return Response(status_code=204)


@router.get("/account", tags=["accounts"], responses=AUTH_ERRORS, summary="Who is signed in")
def account(who: Who) -> dict[str, Any]:
    """The signed-in account: email, role and the person id clinicians see."""
    return {"id": who.account_id, "email": who.email, "role": who.role, "person": who.person_key}


@router.post("/auth/password", tags=["accounts"], responses=AUTH_ERRORS, summary="New password")
def change_password(body: PasswordIn, who: Who) -> dict[str, Any]:
    """Change the password (the current one is asked); every other session ends."""
    accounts.change_password(who, body.current_password, body.new_password)
    return {"changed": True}


@router.post(
    "/account/delete", tags=["accounts"], responses=AUTH_ERRORS, summary="Delete the account"
)
def delete_account(body: ConfirmIn, who: Who) -> dict[str, Any]:
    """Delete the account and every record of its person, given the password."""
    accounts.delete_account(who, body.password)
    return {"deleted": True}


# --- sharing: the person's side ----------------------------------------------------------------


@router.post(
    "/sharing/invites",
    tags=["sharing"],
    status_code=201,
    responses=AUTH_ERRORS,
    summary="A code to give a clinician",
)
def create_invite(who: Who) -> JSONResponse:
    """A single-use invite code, valid for ``BACKSTRIDE_INVITE_MINUTES``."""
    return JSONResponse(sharing.create_invite(who.person_key), status_code=201)


@router.get("/sharing", tags=["sharing"], responses=AUTH_ERRORS, summary="Who I share with")
def get_sharing(who: Who) -> dict[str, Any]:
    """The clinicians the person shares with."""
    return sharing.sharing(who.person_key)


@router.delete(
    "/sharing/{clinician_id}", tags=["sharing"], responses=AUTH_ERRORS, summary="Stop sharing"
)
def revoke(clinician_id: RowId, who: Who) -> dict[str, Any]:
    """Stop sharing with this clinician now."""
    sharing.revoke(who.person_key, clinician_id)
    return {"revoked": True}


@router.get("/audit", tags=["sharing"], responses=AUTH_ERRORS, summary="What clinicians did")
def audit(who: Who) -> dict[str, Any]:
    """Every read and change a clinician made of the person's records, and their notes."""
    return sharing.audit_log(who.person_key)


# --- the clinician's side ----------------------------------------------------------------------


@router.post(
    "/clinician/invites",
    tags=["clinician"],
    response_model=AcceptedOut,
    responses=CLINICIAN_ERRORS,
    summary="Use a code",
)
def accept_invite(body: CodeIn, who: Who) -> dict[str, Any]:
    """Use a person's invite code: they share with you from now on."""
    return sharing.accept_invite(who, body.code)


@router.get(
    "/clinician/people",
    tags=["clinician"],
    response_model=PeopleOut,
    responses=CLINICIAN_ERRORS,
    summary="People sharing",
)
def people(who: Who) -> dict[str, Any]:
    """The people who share with you: last triage, current phase, pain trend, flags."""
    return sharing.people(who)


@router.get(
    "/clinician/people/{person}",
    tags=["clinician"],
    response_model=PersonDetailOut,
    responses=CLINICIAN_ERRORS,
    summary="One person",
)
def person(person: str, who: Who) -> dict[str, Any]:
    """One person's summary, notes and phase history."""
    return sharing.person_detail(who, person)


@router.post(
    "/clinician/people/{person}/notes",
    tags=["clinician"],
    status_code=201,
    responses={201: {"model": NoteAddedOut}, **CLINICIAN_ERRORS},
    summary="Add a note",
)
def note(person: str, body: NoteIn, who: Who) -> JSONResponse:
    """A note on the person (they see it)."""
    return JSONResponse(sharing.add_note(who, person, body.text), status_code=201)


@router.post(
    "/clinician/people/{person}/phase",
    tags=["clinician"],
    response_model=PhaseSetOut,
    responses=CLINICIAN_ERRORS,
    summary="Adjust the plan's phase",
)
def phase(person: str, body: PhaseIn, who: Who) -> dict[str, Any]:
    """Move the person's plan to a phase of its ladder, with a reason."""
    return sharing.adjust_phase(who, person, body.phase, body.step, body.reason)


@router.get(
    "/clinician/people/{person}/fhir",
    tags=["clinician"],
    # the plain class: the errors stay documented as application/json (the 200 is below)
    response_class=Response,
    responses={
        200: {"content": {FhirJSON.media_type: {"schema": FHIR_BUNDLE_SCHEMA}}},
        **CLINICIAN_ERRORS,
    },
    summary="The person's FHIR bundle",
)
def fhir(person: str, who: Who) -> FhirJSON:
    """The person's records as a FHIR R4 (R4B) Bundle."""
    return FhirJSON(sharing.fhir_bundle(who, person))
