"""The one error story (app/errors.py): a 500 is a page in the site layout, or the JSON shape."""

from tests.helpers import assert_error

NO_MODEL = {"MODEL_URI": "/nonexistent/model"}


def _failing_app(make_app):
    from flask_login import login_user

    from app.extensions import db
    from app.models import User

    app = make_app(**NO_MODEL)

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/api/boom")
    def api_boom():
        raise RuntimeError("a bug")

    @app.get("/sign-in-for-test")
    def sign_in_for_test():
        user = User(username="tester", password_hash="x")
        db.session.add(user)
        db.session.commit()
        login_user(user)
        return "ok"

    return app


def test_a_500_on_a_page_has_the_site_layout_and_the_request_id(make_app):
    client = _failing_app(make_app).test_client()
    client.get("/sign-in-for-test")
    response = client.get("/boom", headers={"X-Request-ID": "req-123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert '<a class="skip-link" href="#main">' in page  # the site layout
    assert "<main" in page and "<nav" in page
    assert "quote request id req-123" in page
    assert "RuntimeError" not in page and "a bug" not in page  # no internals shown


def test_a_500_under_api_is_the_json_error_shape(make_app):
    client = _failing_app(make_app).test_client()
    error = assert_error(
        client.get("/api/boom", headers={"X-Request-ID": "r-9"}), 500, "internal_error"
    )
    assert error["details"] == {"request_id": "r-9"}
    assert "a bug" not in error["message"]
