"""Service mode's pages: sign up, sign in, sign out, the account (password, sharing with a
clinician, the audit log, deleting it all), and a clinician's list of the people who share
with them. Every form carries the anti-forgery token (``backstride.web.auth``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from backstride.service import accounts, sharing
from backstride.service.accounts import AccountError, Caller
from backstride.web.auth import (
    authenticate,
    clear_session,
    client_address,
    session_cookie,
    set_session,
)
from backstride.web.errors import one_line
from backstride.web.pages.render import page
from backstride.web.pages.routes import Form, go

router = APIRouter(include_in_schema=False)
Who = Annotated[Caller, Depends(authenticate)]


def _signed_in(request: Request, response: Response, email: str, password: str) -> Response:
    old = request.cookies.get(session_cookie(request))
    signed = accounts.sign_in(email, password, address=client_address(request), kind="session")
    if old:  # signing in again ends the session that was there (no fixation)
        accounts.sign_out(old)
    from backstride.settings import settings

    set_session(request, response, signed.token, int(settings().session_hours * 3600))
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return page(request, "signin.html", active="signin", error=None, email="", signup=False)


def _account_form(request: Request, form: dict[str, Any], *, signup: bool) -> Response:
    """Sign in (or sign up, then sign in) from the form; the form again with the message when
    refused."""
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    try:
        if signup:
            accounts.register(email, password)
        return _signed_in(request, go("/"), email, password)
    except AccountError as exc:
        return page(
            request,
            "signin.html",
            status=exc.status,
            active="signin",
            error=one_line(str(exc)),
            email=email[:320],
            signup=signup,
        )


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, form: Form) -> Response:
    """Check the password, start a session, go to the start page."""
    return _account_form(request, form, signup=False)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> HTMLResponse:
    """The sign-up form."""
    return page(request, "signin.html", active="signin", error=None, email="", signup=True)


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, form: Form) -> Response:
    """A new account, signed in at once."""
    return _account_form(request, form, signup=True)


@router.post("/signout")
def signout(request: Request) -> Response:
    """End the session and forget its cookie."""
    token = request.cookies.get(session_cookie(request))
    if token:
        accounts.sign_out(token)
    response = go("/signin")
    clear_session(request, response)
    return response


def _account_page(request: Request, who: Caller, status: int = 200, **extra: Any) -> HTMLResponse:
    context: dict[str, Any] = {
        "active": "account",
        "who": who,
        "sharing": sharing.sharing(who.person_key)["clinicians"],
        "log": sharing.audit_log(who.person_key),
        "error": None,
        "message": None,
        "code": None,
    }
    context.update(extra)
    return page(request, "account.html", status=status, **context)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, who: Who) -> HTMLResponse:
    """The account: password, sharing, the audit log, deleting everything."""
    return _account_page(request, who)


@router.post("/account/password", response_class=HTMLResponse)
def account_password(request: Request, who: Who, form: Form) -> Response:
    """Change the password (the current one is asked)."""
    try:
        accounts.change_password(
            who, str(form.get("current_password", "")), str(form.get("new_password", ""))
        )
    except AccountError as exc:
        return _account_page(request, who, status=exc.status, error=one_line(str(exc)))
    return _account_page(request, who, message="Password changed; other sessions ended.")


@router.post("/account/invite", response_class=HTMLResponse)
def account_invite(request: Request, who: Who) -> Response:
    """A new invite code to give a clinician."""
    invite = sharing.create_invite(who.person_key)
    return _account_page(request, who, code=invite)


@router.post("/account/revoke", response_class=HTMLResponse)
def account_revoke(request: Request, who: Who, form: Form) -> Response:
    """Stop sharing with a clinician."""
    try:
        sharing.revoke(who.person_key, int(str(form.get("clinician", "0"))))
    except (AccountError, ValueError):
        return _account_page(request, who, status=404, error="you do not share with them")
    return go("/account")


@router.post("/account/delete", response_class=HTMLResponse)
def account_delete(request: Request, who: Who, form: Form) -> Response:
    """Delete the account and everything of its person (the password is asked)."""
    try:
        accounts.delete_account(who, str(form.get("password", "")))
    except AccountError as exc:
        return _account_page(request, who, status=exc.status, error=one_line(str(exc)))
    response = go("/signin")
    clear_session(request, response)
    return response


@router.get("/clinician", response_class=HTMLResponse)
def clinician_page(request: Request, who: Who) -> HTMLResponse:
    """A clinician's list of the people who share with them."""
    return page(
        request,
        "clinician.html",
        active="clinician",
        people=sharing.people(who)["people"],
        error=None,
    )


@router.post("/clinician/accept", response_class=HTMLResponse)
def clinician_accept(request: Request, who: Who, form: Form) -> Response:
    """Use a person's invite code."""
    try:
        sharing.accept_invite(who, str(form.get("code", "")))
    except AccountError as exc:
        return page(
            request,
            "clinician.html",
            status=exc.status,
            active="clinician",
            people=sharing.people(who)["people"],
            error=one_line(str(exc)),
        )
    return go("/clinician")


def _person_page(
    request: Request, who: Caller, person: str, status: int = 200, error: str | None = None
) -> Response:
    """One person's page for their clinician: the summary, the notes and the phase history,
    with the forms to add a note and to move the plan's phase."""
    from backstride.web.pages.render import error_page

    try:
        detail = sharing.person_detail(who, person)
    except AccountError as exc:
        return error_page(request, exc.status, one_line(str(exc)))
    return page(
        request, "clinician_person.html", status=status, active="clinician", p=detail, error=error
    )


@router.get("/clinician/people/{person}", response_class=HTMLResponse)
def clinician_person(request: Request, person: str, who: Who) -> Response:
    """A person who shares with this clinician: summary, notes, phases, and the forms."""
    return _person_page(request, who, person)


@router.post("/clinician/people/{person}/notes", response_class=HTMLResponse)
def clinician_note(request: Request, person: str, who: Who, form: Form) -> Response:
    """Add a note to the person's record (they see it in their account)."""
    try:
        sharing.add_note(who, person, str(form.get("text", ""))[:5000])
    except AccountError as exc:
        return _person_page(request, who, person, status=exc.status, error=one_line(str(exc)))
    return go(f"/clinician/people/{person}")


@router.post("/clinician/people/{person}/phase", response_class=HTMLResponse)
def clinician_phase(request: Request, person: str, who: Who, form: Form) -> Response:
    """Move the person's plan to a phase (``phase`` or ``phase:step``), with the reason."""
    phase, colon, step = str(form.get("phase", "")).partition(":")
    try:
        # ASCII digits only: '²' is a digit to str.isdigit, and int() refuses it (a 500, found
        # by tests/service/test_fuzz_clinician.py)
        if colon and not (step.isascii() and step.isdigit()):
            raise AccountError(422, "invalid_phase", "choose a phase of the plan from the list")
        sharing.adjust_phase(
            who,
            person,
            phase[:64],
            int(step) if colon else None,
            str(form.get("reason", ""))[:1000],
        )
    except AccountError as exc:
        return _person_page(request, who, person, status=exc.status, error=one_line(str(exc)))
    return go(f"/clinician/people/{person}")
