"""Extraction step: pinned behaviour on real gold pages plus decoding and rejection cases."""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import pytest

from ingest.extract import ExtractOptions, NotAnArticle, decode_html, extract_article
from ingest.extract.authors import clean_authors
from ingest.extract.body import is_boilerplate
from ingest.records import ExtractedArticle

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "extraction_gold"
HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "extraction_heldout"


@cache
def _records() -> dict[str, dict]:
    return {r["id"]: r for r in json.loads((GOLD / "manifest.json").read_text(encoding="utf-8"))}


def _body(page_id: str) -> bytes:
    return gzip.decompress((GOLD / "html" / _records()[page_id]["html_file"]).read_bytes())


@cache
def gold_article(page_id: str) -> ExtractedArticle:
    return extract_article(decode_html(_body(page_id), None), _records()[page_id]["url"])


def _paragraphs(article: ExtractedArticle) -> list[str]:
    return article.text.split("\n\n")


# --- gold pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page_id",
    ["ca-CBCNews", "uk-TheIndependent", "ca-GlobalNews", "kr-MBN", "za-EyethuNews", "ua-Pravda", "tz-HabariLeo"],
)
def test_title_is_the_headline_without_site_decoration(page_id: str) -> None:
    assert gold_article(page_id).title == _records()[page_id]["title"]


def test_title_drops_styling_quotes_another_source_omits() -> None:
    # JSON-LD and <h1> quote the opening phrase; og:title and <title> state it plainly.
    assert gold_article("lb-LBCGroup").title == _records()["lb-LBCGroup"]["title"]
    assert gold_article("ca-FinancialPost").title.startswith("'Ends recession debate'")  # no plain form: kept


def test_title_prefers_h1_over_a_differing_og_title() -> None:
    # og:title is a social teaser with " | CBC News"; <title> minus suffix and <h1> agree.
    article = gold_article("ca-CBCNews")
    assert article.title == "What's next for Gaza, after Yahya Sinwar's appointment as Hamas political head?"


def test_dates_come_from_the_article_not_its_images() -> None:
    # CBC's JSON-LD images carry 2024-08-07; the article object says 2024-08-08T08:00Z.
    article = gold_article("ca-CBCNews")
    assert article.published_at == datetime(2024, 8, 8, 8, 0, tzinfo=timezone.utc)
    assert article.published_date == date(2024, 8, 8)


def test_offset_is_kept() -> None:
    article = gold_article("ca-GlobalNews")
    assert article.published_at is not None
    assert article.published_at.utcoffset() == timedelta(hours=-4)


def test_bare_date_gives_date_only() -> None:
    article = gold_article("il-IsraelNachrichten")
    assert article.published_at is None
    assert article.published_date == date(2021, 2, 21)


@pytest.mark.parametrize(
    ("page_id", "authors"),
    [
        ("ca-GlobalNews", ("Samya Kullab", "Vasilisa Stepanenko")),  # "X and Y" in one string
        ("tz-DailyNewsTZ", ("Sauli Giliard",)),  # the "Sauli.giliard" login is not a second author
        ("ua-Pravda", ("Ярослав Кузишин", "Антон Зелинский", "Карина Гасимова")),
        ("kr-MBN", ("배윤경", "이상현", "한수진", "김혜진")),
        ("uk-DailyMail", ("Dolores Chang",)),
    ],
)
def test_authors(page_id: str, authors: tuple[str, ...]) -> None:
    assert gold_article(page_id).authors == authors


def test_staff_byline_gives_way_to_the_agency() -> None:
    # JSON-LD says "Guardian staff reporter"; article:author says "Associated Press in Valencia".
    assert gold_article("uk-TheGuardian").authors == ("Associated Press",)


def test_site_name_in_a_plain_author_field_is_not_an_author() -> None:
    # Meta author and an untyped JSON-LD author both say "Dizindaba", the site's own name.
    assert gold_article("za-Dizindaba").authors == ()


@pytest.mark.parametrize(("page_id", "author"), [("isl-Morgunbladid", "mbl.is"), ("ind-Bhaskar", "दैनिक भास्कर")])
def test_json_ld_organisation_author_stands_in_for_a_missing_byline(page_id: str, author: str) -> None:
    assert gold_article(page_id).authors == (author,)


def test_bold_byline_above_the_text_beats_a_wordpress_admin_account() -> None:
    # JSON-LD and rel=author name "Ilanga D" at /author/admin/; the text opens with <p><strong>MTHOBISI SITHOLE</strong>.
    article = gold_article("za-Ilanga")
    assert article.authors == ("MTHOBISI SITHOLE",)
    assert "MTHOBISI SITHOLE" not in _paragraphs(article)


def test_closing_desk_credit_is_the_author_not_text() -> None:
    article = gold_article("il-IsraelNachrichten")
    assert article.authors == ("IN-Redaktion",)
    assert "IN-Redaktion" not in _paragraphs(article)


@pytest.mark.parametrize(
    ("page_id", "language"),
    [("ua-Pravda", "ru"), ("kr-MBN", "ko"), ("za-EyethuNews", "zu"), ("il-IsraelNachrichten", "de"),
     ("cn-People", "zh"), ("uk-TheSun", "en")],
)
def test_language(page_id: str, language: str) -> None:
    # EyethuNews declares en-GB but is written in isiZulu.
    assert gold_article(page_id).language == language


@pytest.mark.parametrize(
    "page_id", ["uk-TheGuardian", "ca-TheGlobeAndMail", "ca-FinancialPost", "ind-Bhaskar", "za-TheCitizen", "cn-People"]
)
def test_first_and_last_paragraphs_present(page_id: str) -> None:
    paragraphs = _paragraphs(gold_article(page_id))
    expected = _records()[page_id]["paragraphs"]
    assert expected[0] in paragraphs
    assert expected[-1] in paragraphs


@pytest.mark.parametrize(
    ("page_id", "boilerplate"),
    [
        ("za-TheCitizen", "ALSO READ:"),
        ("za-TheCitizen", "READ NEXT:"),
        ("za-EyethuNews", "FUNDA OLUNYE UDABA LAPHA"),
        ("uk-TechRadar", "Follow TechRadar on Google News"),
        ("il-IsraelNachrichten", "Spende"),
        ("ca-TheProvince", "earn us a commission"),
        ("ca-GlobalNews", "contributed to this report"),
        ("za-DurbanLocal", "Pictured"),
        ("au-WestAustralian", "in your inbox"),
        ("ind-Bhaskar", "कॉपी लिंक"),
        ("ind-Bhaskar", "Samastipur Police Caught 2 Miscreants"),  # a <title> segment as a list item
        ("uk-TheIndependent", "Join thought-provoking conversations"),
        ("za-Isolezwe", "Adaze inkani amaphara"),  # caption in an image widget with an "Image:" credit
        ("za-IsolezweLesiXhosa", "UMalusi Gigaba ozinikele"),  # the description, shown only as a caption
    ],
)
def test_boilerplate_absent(page_id: str, boilerplate: str) -> None:
    assert boilerplate not in gold_article(page_id).text


def test_subheads_dropped_by_trafilatura_are_restored_in_place() -> None:
    paragraphs = _paragraphs(gold_article("isl-Morgunbladid"))
    expected = _records()["isl-Morgunbladid"]["paragraphs"]
    for subhead in ("„Erum hér til að sýna samstöðu“", "Hlupu upp tröppurnar"):
        position = expected.index(subhead)
        assert paragraphs.index(subhead) == paragraphs.index(expected[position + 1]) - 1


def test_headline_and_byline_are_not_body_paragraphs() -> None:
    assert gold_article("au-WestAustralian").title not in _paragraphs(gold_article("au-WestAustralian"))
    assert "Ярослав Кузишин, Антон Зелинский, Карина Гасимова" not in _paragraphs(gold_article("ua-Pravda"))


def test_url_outlet_and_site_name() -> None:
    article = gold_article("uk-TheGuardian")
    assert article.url.startswith("https://www.theguardian.com/world/2024/feb/24/death-toll-in-valencia")
    assert article.outlet == "theguardian.com"
    assert article.site_name == "the Guardian"


def test_paragraphs_are_separated_by_blank_lines() -> None:
    text = gold_article("uk-TheGuardian").text
    assert "\n\n" in text and "\n\n\n" not in text


def test_live_blog_is_extracted_and_marked() -> None:
    article = gold_article("uk-Express")
    assert article.page_kind == "live_blog"
    assert article.authors == ("Jon King",)
    assert article.published_date == date(2024, 7, 18)
    assert _records()["uk-Express"]["paragraphs"][-1] in _paragraphs(article)
    assert gold_article("uk-TheGuardian").page_kind == "article"


def test_live_blogs_can_be_rejected() -> None:
    options = ExtractOptions(reject_live_blogs=True)
    with pytest.raises(NotAnArticle) as caught:
        extract_article(decode_html(_body("uk-Express"), None), _records()["uk-Express"]["url"], options)
    assert caught.value.reason == "live_blog"


# --- bylines and boilerplate on small pages ---------------------------------------------

_PROSE = (
    "Pyongyang shipped more shells to Russia than previously thought, officials said on Tuesday, citing "
    "satellite imagery of rail traffic at the border crossing and the testimony of Ukrainian gunners."
)


def _article_page(first: str, last: str = "") -> str:
    closing = f"<p>{last}</p>" if last else ""
    return (
        "<html><head><title>Shells | Example News</title></head><body><article><h1>Shells</h1>"
        f"<p>{first}</p><p>{_PROSE}</p><p>{_PROSE} They said so twice.</p>{closing}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("first", "authors", "kept"),
    [
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe"), False),
        ("Jane Doe | Reporter", ("Jane Doe",), False),
        ("<strong>JANE DOE</strong>", ("JANE DOE",), False),  # a bold bare name above the text
        ("JANE DOE", (), True),  # not set apart as a byline: a kicker, not a name
        ("By 2030, Russia will have more shells than it can fire", (), True),  # prose that starts with "By"
    ],
)
def test_opening_byline_line(first: str, authors: tuple[str, ...], kept: bool) -> None:
    article = extract_article(_article_page(first), "https://example.com/a")
    assert article.authors == authors
    assert (_paragraphs(article)[0] == " ".join(first.replace("<strong>", "").replace("</strong>", "").split())) == kept


def test_closing_desk_credit_on_a_page_without_names() -> None:
    article = extract_article(_article_page(_PROSE + " More.", "Web Desk"), "https://example.com/a")
    assert article.authors == ("Web Desk",)
    assert "Web Desk" not in article.text


def test_job_title_after_a_name_is_dropped() -> None:
    assert clean_authors(["김민수 기자", "王伟 记者"], ()) == ["김민수", "王伟"]


@pytest.mark.parametrize(
    "line",
    [
        "Читайте также: Лавров допустил визит в Пхеньян до конца года",
        "Lesen Sie auch: Kim empfängt Schoigu in Pjöngjang",
        "<저작권자 ⓒ 한빛일보, 무단 전재 및 재배포 금지>",
        "Copyright 2024 Example News. All rights reserved.",
    ],
)
def test_read_also_and_copyright_lines_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


# --- held-out pages (hand-written, see tests/fixtures/extraction_heldout/README.md) -----------


@pytest.mark.parametrize("record", json.loads((HELDOUT / "manifest.json").read_text(encoding="utf-8")), ids=lambda r: r["id"])
def test_heldout_page(record: dict) -> None:
    body = gzip.decompress((HELDOUT / "html" / record["html_file"]).read_bytes())
    article = extract_article(decode_html(body, None), record["url"])
    assert (article.title, list(article.authors)) == (record["title"], record["authors"])
    assert article.published_at.replace(microsecond=0) == datetime.fromisoformat(record["publishing_date"])
    assert _paragraphs(article) == record["paragraphs"]


# --- charset ----------------------------------------------------------------------------

_RUSSIAN = "Северная Корея и Россия подписали договор о военном сотрудничестве. " * 5
_KOREAN = "북한과 러시아가 군사 협력 조약에 서명했다고 밝혔다. " * 5


def _page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_decode_windows_1251_from_meta() -> None:
    body = _page(_RUSSIAN, '<meta charset="windows-1251">').encode("cp1251")
    assert _RUSSIAN in decode_html(body, None)


def test_decode_windows_1251_from_header() -> None:
    body = _page(_RUSSIAN).encode("cp1251")
    assert _RUSSIAN in decode_html(body, "text/html; charset=windows-1251")


def test_decode_euc_kr_from_http_equiv() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
    assert _KOREAN in decode_html(_page(_KOREAN, head).encode("euc-kr"), None)


def test_decode_shift_jis_from_header() -> None:
    text = "北朝鮮とロシアは軍事協力協定に署名した。" * 5
    assert text in decode_html(_page(text).encode("shift_jis"), "text/html; charset=Shift_JIS")


def test_decode_undeclared_legacy_charset() -> None:
    assert _RUSSIAN in decode_html(_page(_RUSSIAN).encode("cp1251"), None)


def test_valid_utf8_beats_a_stale_meta_charset() -> None:
    # cn-People declares GB2312 but its bytes are UTF-8.
    text = decode_html(_body("cn-People"), None)
    assert "促进航天技术更好惠及人民" in text


# --- not articles -----------------------------------------------------------------------


def test_empty_page() -> None:
    with pytest.raises(NotAnArticle) as caught:
        extract_article("<html><head><title>Nothing</title></head><body></body></html>", "https://example.com/a")
    assert caught.value.reason == "empty_body"


def test_index_page() -> None:
    links = "".join(
        f'<li><a href="/news/{i}">Russia and North Korea deepen military ties in story number {i}</a></li>'
        for i in range(40)
    )
    html = (
        '<html><head><title>World news | Example</title><meta property="og:type" content="website"></head>'
        f"<body><main><h1>World</h1><ul>{links}</ul><p>The latest stories from our correspondents.</p></main></body></html>"
    )
    with pytest.raises(NotAnArticle) as caught:
        extract_article(html, "https://example.com/world/")
    assert caught.value.reason == "index_page"


@pytest.mark.parametrize(
    "body", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"]
)
def test_non_html_bytes(body: bytes) -> None:
    with pytest.raises(NotAnArticle) as caught:
        extract_article(decode_html(body, "application/octet-stream"), "https://example.com/file")
    assert caught.value.reason == "not_html"


def test_paywall_stub() -> None:
    html = (
        '<html><head><title>Scoop</title><script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Scoop", "isAccessibleForFree": "False"}</script></head>'
        "<body><article><h1>Scoop</h1><p>Pyongyang has shipped more shells to Russia than previously "
        "thought, officials say, citing new satellite imagery of rail traffic.</p>"
        "<p>Subscribe to continue reading this article.</p></article></body></html>"
    )
    with pytest.raises(NotAnArticle) as caught:
        extract_article(html, "https://example.com/scoop")
    assert caught.value.reason == "paywall_stub"
