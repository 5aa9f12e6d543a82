"""`backstride role EMAIL ROLE`: the operator makes an account a clinician (or a person again)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from backstride.cli.common import console, friendly_errors


@friendly_errors
def role(
    email: Annotated[str, typer.Argument(help="The account's email.")],
    role: Annotated[Literal["clinician", "person"], typer.Argument(help="clinician or person.")],
) -> None:
    """Give a service-mode account its role (run it with the service's environment). A
    clinician sees the people who shared with them; nobody can choose the role on the web."""
    from backstride.service.accounts import set_role

    set_role(email, role)
    console.print(f"{email} is now a {role}.", highlight=False, markup=False)
