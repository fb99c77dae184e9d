"""Stories, claim spread, coverage counts, chart and report on a small multi-day corpus, end to end.

The corpus is HTML written here, packed into a WARC with warcio and run through the real
pipeline (``nkwatch run``). Expected counts were worked out by hand from the pages below.

- 2024-11-04: AFP story A at outlet-a (original), a verbatim copy at outlet-b, a cut-down and
  re-introduced near-copy at outlet-c; a different AFP story B the same day at outlet-a;
  one off-topic page at outlet-b. -> 5 pages seen, 4 articles, all on topic, 2 unique stories, share 0.8.
- 2024-11-05: an independent story C at outlet-d repeating A's key claim and a Kremlin denial;
  two off-topic pages. -> 3 pages seen, 1 article, on topic, 1 story, share 1/3.
- no date: an on-topic page without any publication date, fetched 2024-11-06 -> counted on its
  fetch day and flagged.

Each page is archived on its own day, as a daily crawl would. The off-topic pages never name
North Korea, so the archive pre-filter drops them: they count in pages_seen through
raw.pages_seen (on their archive day, without an outlet), not as articles.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import query, run_nkwatch

pytestmark = pytest.mark.timeout(600)

DAY1, DAY2, DAY3 = (datetime(2024, 11, day, 18, 0, tzinfo=timezone.utc) for day in (4, 5, 6))

CLAIM = ("Six North Korean officers were killed in a Ukrainian missile strike near Donetsk on Monday, "
         "Ukraine's military intelligence agency said.")
STORY_A = [
    "SEOUL (AFP) — North Korea has sent thousands of troops to Russia to fight in the war against Ukraine, "
    "South Korea's spy agency said on Monday, citing satellite imagery and the movements of Russian navy ships.",
    "The National Intelligence Service said 1,500 special forces soldiers had been moved from the port of "
    "Chongjin to Vladivostok aboard Russian landing ships, and that more would follow in the coming weeks.",
    CLAIM,
    "The soldiers were being issued Russian military uniforms and forged identity documents so they could "
    "pass as residents of Russia's Far East, the agency told lawmakers in a closed briefing in Seoul.",
    "Pyongyang has already supplied Moscow with millions of artillery shells and dozens of ballistic missiles, "
    "according to Seoul and Washington, in return for food, oil and military technology.",
    "The two countries signed a mutual defence treaty when President Vladimir Putin visited Pyongyang in "
    "June, pledging to come to each other's aid if either is attacked.",
    "Analysts said the deployment marked the first time North Korea had sent ground troops to fight in a "
    "foreign war on such a scale since the Vietnam War, when it dispatched pilots to help Hanoi.",
]
STORY_B = [
    "TOKYO (AFP) — Japan's defence ministry said on Monday it had scrambled fighter jets after two Russian "
    "bombers flew near its airspace over the Sea of Japan, hours after a North Korean missile launch.",
    "The Tu-95 bombers flew from the direction of the Korean peninsula and circled north of Hokkaido before "
    "returning to Russia, the ministry said, calling the flights a show of force by Moscow and Pyongyang.",
    "Tokyo has protested through diplomatic channels and asked Moscow to explain the military flights, "
    "defence minister Gen Nakatani told reporters at a briefing in the Japanese capital.",
    "Japanese officials worry that Russia may be sharing missile and submarine technology with North Korea "
    "in exchange for the shells and troops Pyongyang has sent for the war in Ukraine.",
    "The joint air patrols are the latest sign of deepening military cooperation between the two countries, "
    "which signed a defence treaty in June, analysts at the Japan Institute of International Affairs said.",
]
STORY_C = [
    "Ukraine's military intelligence said on Tuesday that North Korean officers were among those killed in a "
    "strike on a command post in the occupied Donetsk region, the first reported North Korean losses.",
    CLAIM.replace("on Monday", "last week"),
    "The Kremlin denied that any North Korean soldiers were in Ukraine, and spokesman Dmitry Peskov dismissed "
    "the report as another piece of fake news spread by Kyiv and its Western backers.",
    "Kyiv says Pyongyang has also sent engineers to help Russian troops launch the KN-23 ballistic missiles it "
    "supplies, which have struck Kharkiv and Zaporizhzhia several times this year.",
    "The allegations could not be independently verified. North Korea's state media has not mentioned the "
    "deployment, and Pyongyang has denied selling arms to Moscow in violation of UN sanctions.",
]
UNDATED = [
    "North Korean soldiers sent to Russia are being trained in the use of drones and artillery at bases in "
    "the Russian Far East before being moved to the front in Ukraine, a Ukrainian military spokesman said.",
    "The troops are expected to be deployed to the Kursk region, where Ukrainian forces have held territory "
    "since August, the spokesman said, adding that Kyiv was preparing for their arrival.",
    "Russia and North Korea have not confirmed the deployment. Military analysts say the troops could help "
    "Moscow free up its own forces for the offensive in eastern Ukraine.",
    "South Korea has said it may consider sending weapons to Ukraine directly if the military cooperation "
    "between Pyongyang and Moscow deepens further.",
]
OFF_TOPIC = {
    "sport": ["The home side came from two goals down to win 3-2 on Saturday, with the winner arriving in the "
              "final minute of stoppage time after a long spell of pressure.",
              "The manager praised his players' spirit and said the result would give the squad confidence "
              "before a difficult run of away fixtures over the coming month.",
              "Attendance was the highest of the season, and the club said more than 40,000 tickets had been "
              "sold for the next home match against the league leaders."],
    "rates": ["The central bank left interest rates unchanged on Tuesday, saying inflation was falling but "
              "remained above its target, and signalled that cuts could come early next year.",
              "Economists had expected the decision. The currency rose slightly after the announcement, and "
              "bond yields fell as traders priced in a first cut in March.",
              "The bank's governor said the labour market was cooling and that wage growth had slowed for a "
              "third consecutive quarter, easing pressure on prices."],
    "weather": ["Heavy rain is expected across the region on Wednesday, with forecasters warning of flooding "
                "in low-lying areas and disruption to morning commutes.",
                "The weather service issued an amber warning for parts of the coast, where up to 80 millimetres "
                "of rain could fall in twelve hours, and advised drivers to avoid flooded roads.",
                "Temperatures will stay mild for the time of year, before a colder spell arrives at the weekend "
                "with frost likely inland."],
}


def _page(title: str, paragraphs: list[str], author: str, published: str | None, site: str) -> bytes:
    meta = (f'<meta property="article:published_time" content="{published}">' if published else "")
    time_tag = f'<time datetime="{published}">{published[:10]}</time>' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:type" content="article">'
        f'<meta property="og:site_name" content="{site}"><meta name="author" content="{author}">{meta}'
        f'</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f'<main><article><h1>{title}</h1><p class="byline">By {author} {time_tag}</p>{body}</article></main>'
        f"<footer>© {site}</footer></body></html>"
    ).encode("utf-8")


def _corpus() -> list[tuple[str, datetime, bytes]]:
    day1, day2 = "2024-11-04T09:00:00+00:00", "2024-11-05T10:00:00+00:00"
    near_copy = ["Seoul's spy agency has told lawmakers that North Korean troops are on their way to Russia."] + STORY_A[1:5]
    return [
        ("https://www.outlet-a.com/world/north-korea-troops-russia", DAY1, _page(
            "North Korea sends troops to Russia, Seoul says", STORY_A, "AFP", day1, "Outlet A")),
        ("https://www.outlet-b.com/news/afp/nk-troops-russia", DAY1, _page(
            "North Korea sends troops to Russia, Seoul says", STORY_A, "AFP", "2024-11-04T11:00:00+00:00", "Outlet B")),
        ("https://www.outlet-c.com/asia/seoul-nk-troops", DAY1, _page(
            "Seoul: North Korean troops on their way to Russia", near_copy, "Staff and AFP",
            "2024-11-04T15:00:00+00:00", "Outlet C")),
        ("https://www.outlet-a.com/world/japan-scrambles-jets-russian-bombers", DAY1, _page(
            "Japan scrambles jets as Russian bombers fly near after North Korean launch", STORY_B, "AFP",
            "2024-11-04T12:00:00+00:00", "Outlet A")),
        ("https://www.outlet-b.com/sport/late-winner", DAY1, _page(
            "Late winner completes comeback", OFF_TOPIC["sport"], "Sam Field", day1, "Outlet B")),
        ("https://www.outlet-d.com/ukraine/north-korean-officers-killed", DAY2, _page(
            "North Korean officers killed near Donetsk, Ukraine says", STORY_C, "Olena Marchenko", day2, "Outlet D")),
        ("https://www.outlet-d.com/business/rates-on-hold", DAY2, _page(
            "Central bank holds rates", OFF_TOPIC["rates"], "Ann Banks", day2, "Outlet D")),
        ("https://www.outlet-c.com/weather/amber-warning", DAY2, _page(
            "Amber rain warning for the coast", OFF_TOPIC["weather"], "Wes Rain", day2, "Outlet C")),
        ("https://www.outlet-e.com/undated-nk-training", DAY3, _page(
            "North Korean troops trained in Russia's Far East", UNDATED, "Iryna Koval", None, "Outlet E")),
    ]


def _write_warc(path: Path, pages: list[tuple[str, datetime, bytes]]) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, fetched, body in pages:
            headers = StatusAndHeaders("200 OK", [("Date", format_datetime(fetched, usegmt=True)),
                                                   ("Content-Type", "text/html; charset=utf-8"),
                                                   ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                               http_headers=headers,
                                               warc_headers_dict={"WARC-Date": fetched.strftime("%Y-%m-%dT%H:%M:%SZ")})
            writer.write_record(record)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One pipeline run over the corpus, then the report; shared by every test of this module."""
    root = tmp_path_factory.mktemp("stories")
    _write_warc(root / "corpus.warc.gz", _corpus())
    (root / "sources.yaml").write_text("sources:\n  - name: corpus\n    kind: warc\n    path: corpus.warc.gz\n")
    warehouse = root / "out" / "nk.duckdb"
    run = run_nkwatch("run", "--sources", str(root / "sources.yaml"), "--warehouse", str(warehouse),
                      dagster_home=root / "dagster")
    assert run.returncode == 0, run.stdout + run.stderr
    report = run_nkwatch("report", "--warehouse", str(warehouse), "--out", str(root / "report.html"),
                         dagster_home=root / "dagster")
    assert report.returncode == 0, report.stdout + report.stderr
    return {"root": root, "warehouse": warehouse, "report": root / "report.html"}


def _story(warehouse: Path, url: str) -> str:
    return query(warehouse, "SELECT story_id FROM articles WHERE url = ?", [url])[0][0]


def test_copies_and_near_copies_share_a_story(built: dict) -> None:
    w = built["warehouse"]
    original = _story(w, "https://www.outlet-a.com/world/north-korea-troops-russia")
    assert _story(w, "https://www.outlet-b.com/news/afp/nk-troops-russia") == original
    assert _story(w, "https://www.outlet-c.com/asia/seoul-nk-troops") == original
    title, first_outlet, articles, outlets, is_wire, agency = query(
        w, "SELECT title, first_outlet, articles, outlets, is_wire, wire_agency FROM stories WHERE story_id = ?",
        [original])[0]
    assert (title, articles, outlets, is_wire, agency) == (
        "North Korea sends troops to Russia, Seoul says", 3, 3, True, "AFP")
    assert first_outlet == "outlet-a.com"


def test_two_afp_stories_on_the_same_day_stay_apart(built: dict) -> None:
    w = built["warehouse"]
    a = _story(w, "https://www.outlet-a.com/world/north-korea-troops-russia")
    b = _story(w, "https://www.outlet-a.com/world/japan-scrambles-jets-russian-bombers")
    assert a != b
    assert query(w, "SELECT is_wire, articles FROM stories WHERE story_id = ?", [b])[0] == (True, 1)
    assert query(w, "SELECT count(*) FROM stories WHERE is_on_topic")[0][0] == 4  # A, B, C, undated


def test_claim_cluster_spans_outlets(built: dict) -> None:
    w = built["warehouse"]
    rows = query(w, """
        SELECT k.claim_cluster_id, k.outlets, k.articles, k.stories, k.first_seen_date
        FROM claim_clusters AS k
        WHERE k.representative_sentence LIKE 'Six North Korean officers%'""")
    assert len(rows) == 1, rows
    cluster_id, outlets, articles, stories, first_seen = rows[0]
    assert (articles, stories, str(first_seen)) == (4, 2, "2024-11-04")  # A, its two copies, and C
    assert outlets == query(w, "SELECT count(DISTINCT outlet) FROM claims WHERE claim_cluster_id = ?", [cluster_id])[0][0]
    # Every claim belongs to exactly one cluster and the marts agree on the counts.
    assert query(w, "SELECT count(*) FROM claims WHERE claim_cluster_id IS NULL")[0][0] == 0
    assert query(w, "SELECT sum(claims) FROM claim_clusters")[0][0] == query(w, "SELECT count(*) FROM claims")[0][0]


def test_daily_coverage_counts_and_shares_by_hand(built: dict) -> None:
    w = built["warehouse"]
    rows = {str(r[0]): r[1:] for r in query(w, """
        SELECT date, pages_seen, articles, on_topic_articles, unique_stories, on_topic_share,
               articles_dated_by_fetch, is_spike
        FROM daily_coverage ORDER BY date""")}
    assert rows["2024-11-04"] == (5, 4, 4, 2, 0.8, 0, False)
    assert rows["2024-11-05"] == (3, 1, 1, 1, 0.3333, 0, False)
    assert rows["2024-11-06"] == (1, 1, 1, 1, 1.0, 1, False)
    denials = query(w, """SELECT count(*) FROM claims JOIN articles USING (article_id)
                          WHERE polarity = 'deny' AND is_on_topic AND coverage_date = '2024-11-05'""")[0][0]
    assert denials >= 1
    assert query(w, "SELECT denials FROM daily_coverage WHERE date = '2024-11-05'")[0][0] == denials
    assert query(w, "SELECT coverage_date_is_fallback FROM articles WHERE url LIKE '%undated%'")[0][0] is True


def test_coverage_by_outlet(built: dict) -> None:
    w = built["warehouse"]
    rows = {(str(r[0]), r[1]): r[2:] for r in query(w, """
        SELECT date, outlet, pages_seen, on_topic_articles, unique_stories, on_topic_share
        FROM daily_coverage_by_outlet""")}
    assert rows[("2024-11-04", "outlet-a.com")] == (2, 2, 2, 1.0)  # two different AFP stories
    assert rows[("2024-11-04", "outlet-b.com")] == (1, 1, 1, 1.0)  # the copy; its pre-filtered sport page has no outlet
    total = query(w, "SELECT sum(pages_seen) FROM daily_coverage_by_outlet WHERE date = '2024-11-04'")[0][0]
    assert total == 4  # one fewer than daily_coverage: the pre-filtered record


def test_chart_and_report_files(built: dict) -> None:
    chart = built["warehouse"].with_name("nk_coverage.png")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 20_000
    page = built["report"].read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "Six North Korean officers" in page  # the most widely carried claim
    assert "Dmitry Peskov" in page or "Kremlin" in page  # the denial
    assert "<script" not in page and "http" not in page.split("<body>", 1)[1].split("data:image")[0]


def test_report_opens_in_headless_chromium_without_console_errors(built: dict, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; make test installs it when it can)")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", "--dump-dom", built["report"].as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Most widely carried claims" in result.stdout and "<img" in result.stdout
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
