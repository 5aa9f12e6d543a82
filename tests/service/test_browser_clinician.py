"""A clinician in a real browser (Debian's chromium, through Playwright), service mode: adds a
person with their invite code, opens the person's page from the list, adds a note and moves the
plan's phase with a reason, all through the page's forms (labels, anti-forgery field). The
person then sees both in their audit log, and their plan is in the new phase. axe-core finds
no serious problem on the person's page, and no page asks anything of another site."""

from __future__ import annotations

from typing import Any

from tests.service.conftest import Account, make_clinician
from tests.service.test_web_jobs import follow_a_plan
from tests.web.conftest import LiveServer
from tests.web.test_browser import PHONE, Tab, browser

__all__ = ["browser"]  # the fixture used here


def test_a_clinician_adds_a_note_and_moves_the_phase_from_the_page(
    browser: Any, service_server: LiveServer
) -> None:
    person = Account(service_server.url, "runner@example.org")
    follow_a_plan(person)
    assert person.http.get("/api/v1/plan").json()["status"]["phase"] == "calm"
    code = person.http.post("/api/v1/sharing/invites").json()["code"]
    clinician = Account(service_server.url, "physio@example.org")
    clinician.close()
    make_clinician("physio@example.org")

    tab = Tab(browser, service_server, PHONE)
    page = tab.go("/signin")
    page.get_by_label("Email").fill("physio@example.org")
    page.get_by_label("Password").fill(clinician.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)

    page = tab.go("/clinician")
    page.get_by_label("A code a person gave you").fill(code)
    page.get_by_role("button", name="Add").click()
    link = page.get_by_role("link", name=person.key[:8])
    link.wait_for()
    link.click()
    page.wait_for_url(f"**/clinician/people/{person.key}")
    assert page.get_by_role("heading", name="Notes").is_visible()
    assert tab.axe() == []

    page.get_by_label("A note for this person's record").fill("Hip hinge looks better; keep going.")
    page.get_by_role("button", name="Add the note").click()
    page.get_by_text("Hip hinge looks better; keep going.").wait_for()

    page.get_by_label("Move the plan to").select_option("restore")
    page.get_by_label("Why").fill("no pain on the morning walks for two weeks")
    page.get_by_role("button", name="Change the phase").click()
    page.get_by_text("restore, clinician").wait_for()
    assert tab.axe() == []
    tab.close()  # no page error, no third-party request

    assert person.http.get("/api/v1/plan").json()["status"]["phase"] == "restore"
    log = person.http.get("/api/v1/audit").json()
    actions = [e["action"] for e in log["entries"]]
    assert "add_note" in actions and "adjust_phase" in actions
    assert any("two weeks" in e["detail"] for e in log["entries"])
    assert [n["text"] for n in log["notes"]] == ["Hip hinge looks better; keep going."]
    person.close()
