"""URL identity: one article, one id, whatever the spelling."""

from ingest.urls import canonicalize_url, outlet_of, url_id


def test_canonical_form_drops_noise() -> None:
    assert (
        canonicalize_url("HTTPS://WWW.Example.COM:443/a/b?utm_source=x&b=2&fbclid=1&a=1#frag")
        == "https://www.example.com/a/b?a=1&b=2"
    )
    assert canonicalize_url("http://example.com:8080") == "http://example.com:8080/"
    assert canonicalize_url("http://[::1]:80/x") == "http://[::1]/x"


def test_url_id_is_equal_for_equivalent_spellings() -> None:
    assert url_id("https://example.com/a?gclid=z") == url_id("https://EXAMPLE.com/a#top")
    assert url_id("https://example.com/a") != url_id("https://example.com/b")


def test_outlet_is_the_registered_domain() -> None:
    assert outlet_of("https://www.themoscowtimes.com/2024/10/10/x") == "themoscowtimes.com"
    assert outlet_of("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert outlet_of("http://127.0.0.1:8000/x") == "127.0.0.1"
