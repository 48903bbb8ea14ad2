"""Pages and the stylesheet travel gzipped when the browser accepts it; the API never does."""

import gzip


def test_pages_are_gzipped_for_browsers_that_accept_it(advisor, demo_ids):
    path = f"/clients/{demo_ids['accepted']}"
    plain = advisor.get(path)
    zipped = advisor.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    page = gzip.decompress(zipped.get_data()).decode()
    assert page.startswith("<!doctype html>") and "</html>" in page
    assert len(zipped.get_data()) < len(plain.get_data()) / 4


def test_the_stylesheet_is_gzipped_with_a_weak_etag(anonymous):
    response = anonymous.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["ETag"].startswith('W/"')
    assert b".chart__svg" in gzip.decompress(response.get_data())


def test_the_api_is_never_gzipped(anonymous):
    response = anonymous.get("/api/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
