"""Advisor sign-in: sessions, redirects and CSRF."""

import pytest

from tests.helpers import ADVISOR, PASSWORD

PROTECTED = [
    "/",
    "/clients/find?client_id=1",
    "/clients/100001",
    "/clients/100001/what-if",
    "/clients/100001/what-would-change",
    "/applications/new",
    "/model",
]


@pytest.mark.parametrize("path", PROTECTED)
def test_pages_need_sign_in(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in?next=")


def test_sign_in_page_is_public_and_labelled(anonymous):
    page = anonymous.get("/auth/sign-in").get_data(as_text=True)
    assert '<label for="username">Username</label>' in page
    assert '<label for="password">Password</label>' in page
    assert "<title>Sign in · Prêt à dépenser</title>" in page


def test_wrong_password_is_refused_with_error_beside_field(anonymous):
    response = anonymous.post("/auth/sign-in", data={"username": ADVISOR, "password": "nope"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert 'role="alert"' in page
    assert '<p class="field__error" id="password-error">' in page
    assert 'aria-invalid="true"' in page
    assert anonymous.get("/").status_code == 302


def test_empty_form_names_both_fields(anonymous):
    response = anonymous.post("/auth/sign-in", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Username: Enter your username." in page
    assert "Password: Enter your password." in page


def test_sign_in_goes_to_next_page_but_never_off_site(anonymous):
    good = {"username": ADVISOR, "password": PASSWORD}
    response = anonymous.post("/auth/sign-in?next=/model", data=good)
    assert response.headers["Location"] == "/model"
    anonymous.post("/auth/sign-out")
    response = anonymous.post("/auth/sign-in?next=//evil.example/x", data=good)
    assert response.headers["Location"] == "/"


def test_sign_out_needs_post_and_ends_session(advisor):
    assert advisor.get("/auth/sign-out").status_code == 405
    assert advisor.get("/").status_code == 200
    response = advisor.post("/auth/sign-out")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/sign-in"
    assert advisor.get("/").status_code == 302


def test_csrf_token_required_on_forms(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/auth/sign-in", data={"username": ADVISOR, "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<title>The form expired · Prêt à dépenser</title>" in page
    assert "Go back, reload the page and send the form again." in page
    page = client.get("/auth/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = {"username": ADVISOR, "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/sign-in", data=data).status_code == 302
    # Sign-out is a form too: without its token it is refused and the session survives.
    assert client.post("/auth/sign-out").status_code == 400
    assert client.get("/").status_code == 200
