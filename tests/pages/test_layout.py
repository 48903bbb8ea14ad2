"""The layout other parts plug into: an alert banner and extra navigation links."""

from app.pages.layout import add_alert_provider, add_nav_item


def test_alert_provider_and_nav_item_appear_on_every_page(app, advisor):
    add_alert_provider(app, lambda: [{"message": "Drift detected", "url": "/x"}])
    add_alert_provider(app, lambda: 1 / 0)  # a broken provider must not break pages
    add_nav_item(app, "Home again", "pages.home")
    page = advisor.get("/model").get_data(as_text=True)
    assert '<div class="banner banner--warning" role="alert">' in page
    assert 'Drift detected <a href="/x">See details</a>' in page
    assert '<li><a href="/">Home again</a></li>' in page


def test_no_alerts_for_signed_out_visitors(app, anonymous):
    add_alert_provider(app, lambda: [{"message": "Drift detected"}])
    assert "Drift detected" not in anonymous.get("/auth/sign-in").get_data(as_text=True)
