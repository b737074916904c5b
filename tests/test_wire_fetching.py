"""Reading other sites safely: only public http(s) addresses, within limits, and an
unchanged feed costs one request."""

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportRun, SourceFeed
from articles.wire import fetching, importing, polling
from tests import images as made
from tests.factories import SectionFactory, SourceFactory, feed_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return SourceFactory(name="Gulf Wire", slug="gulf-wire", default_section=SectionFactory())


def test_a_feed_is_imported_from_its_address(feed_server, source):
    url = feed_server.serve("/feed.xml", feed_fixture("rss.xml"))
    out = StringIO()

    call_command("import_feed", url, source=source.slug, stdout=out)

    assert "3 new" in out.getvalue()
    assert Article.objects.filter(source=source).count() == 3


def test_the_enclosure_becomes_the_lead_picture_through_the_pipeline(feed_server, source):
    picture = feed_server.serve("/pics/harbour.jpg", made.cmyk_jpeg(), Content_Type="image/jpeg")
    feed = feed_fixture("rss.xml").replace(
        b'<guid isPermaLink="false">gulfwire-1003</guid>',
        b'<guid isPermaLink="false">gulfwire-1003</guid>'
        + f'<enclosure url="{picture}" type="image/jpeg" length="1000"/>'.encode(),
    )
    url = feed_server.serve("/feed.xml", feed)

    call_command("import_feed", url, source=source.slug, stdout=StringIO())

    port = Article.objects.select_related("picture").get(title="Port of Bandar Abbas reopens")
    # A library picture, credited to the source, cut like any upload.
    assert port.picture.file_state == "ready" and port.picture.file.name.startswith("pictures/")
    assert port.picture.file_renditions["sources"] and port.picture.credit == source.name
    assert Article.objects.get(title="Oil prices steady after OPEC meeting").picture is None


def test_a_picture_that_is_not_a_picture_is_refused_and_the_desk_says_why(feed_server, source):
    picture = feed_server.serve("/pics/x.jpg", b"<html>not a picture</html>")
    feed = feed_fixture("rss.xml").replace(
        b"<title>Port of Bandar Abbas reopens</title>",
        b"<title>Port of Bandar Abbas reopens</title>"
        + f'<enclosure url="{picture}" type="image/jpeg" length="1"/>'.encode(),
    )
    url = feed_server.serve("/feed.xml", feed)

    call_command("import_feed", url, source=source.slug, stdout=StringIO())

    port = Article.objects.get(title="Port of Bandar Abbas reopens")
    assert port.picture is None and port.pending_picture is None
    [note] = port.notes.all()  # the desk shows it with the article's notes
    assert note.occasion == "wire" and "not a picture" in note.text


def test_an_unchanged_feed_costs_one_request_and_imports_nothing(feed_server, source):
    url = feed_server.serve("/feed.xml", feed_fixture("rss.xml"), ETag='"v1"')
    feed = SourceFeed.objects.create(source=source, url=url)

    first = polling.feed_poll(feed=feed)
    second = polling.feed_poll(feed=feed)

    assert first.new == 3 and second.outcome == ImportRun.Outcome.UNCHANGED
    assert feed_server.asked("/feed.xml") == 2
    assert feed_server.requests[-1][1]["If-None-Match"] == '"v1"'
    assert Article.objects.count() == 3


def test_last_modified_is_sent_back_too(feed_server, source):
    modified = "Tue, 10 Jun 2025 08:30:00 GMT"
    url = feed_server.serve("/feed.xml", feed_fixture("atom.xml"), Last_Modified=modified)
    feed = SourceFeed.objects.create(source=source, url=url)

    polling.feed_poll(feed=feed)
    polling.feed_poll(feed=feed)

    assert feed_server.requests[-1][1]["If-Modified-Since"] == modified


def test_a_server_error_is_recorded_on_the_feed(feed_server, source):
    url = feed_server.serve("/feed.xml", b"oops", status=500)
    feed = SourceFeed.objects.create(source=source, url=url)

    run = polling.feed_poll(feed=feed)

    assert run.outcome == ImportRun.Outcome.FAILED and "500" in run.error
    assert feed.runs.get() == run and not Article.objects.exists()


def test_a_feed_larger_than_the_cap_imports_nothing(feed_server, source, settings):
    settings.ARTICLES_WIRE_MAX_BYTES = 1000
    url = feed_server.serve("/feed.xml", feed_fixture("rss.xml"))

    with pytest.raises(CommandError, match="larger than"):
        call_command("import_feed", url, source=source.slug, stdout=StringIO())

    assert not Article.objects.exists()
    assert "larger than" in source.import_runs.get().error


def test_a_gzipped_answer_is_capped_after_decompression(feed_server, settings):
    import gzip

    settings.ARTICLES_WIRE_MAX_BYTES = 100_000
    bomb = gzip.compress(b" " * 10_000_000)
    url = feed_server.serve("/bomb.xml", bomb, Content_Encoding="gzip")

    with pytest.raises(fetching.FetchError, match="larger than"):
        fetching.fetch(url)


def test_redirects_are_followed_a_few_times_only(feed_server, settings):
    settings.ARTICLES_WIRE_MAX_REDIRECTS = 2
    feed_server.serve("/feed.xml", feed_fixture("rss.xml"))
    feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", "/feed.xml")
    feed_server.redirect("/loop", "/loop")

    assert fetching.fetch(feed_server.url("/a")).url.endswith("/feed.xml")
    with pytest.raises(fetching.FetchError, match="redirected more than 2 times"):
        fetching.fetch(feed_server.url("/loop"))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed.xml",
        "http://localhost/feed.xml",
        "http://10.0.0.7/feed.xml",
        "http://192.168.1.1/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed.xml",
        "http://[::ffff:127.0.0.1]/feed.xml",
        "http://[2002:7f00:1::]/feed.xml",  # 6to4 carrying 127.0.0.1
        "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/feed.xml",  # Teredo carrying 10.0.0.1
        "http://0.0.0.0/feed.xml",
        "http://224.0.0.1/feed.xml",
    ],
)
def test_private_and_local_addresses_are_refused(url, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("a refused address must never be connected to")

    monkeypatch.setattr(socket, "create_connection", no_connection)

    with pytest.raises(fetching.FetchError, match="private or local network address"):
        fetching.fetch(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://x/", "//x/feed"]
)
def test_only_http_and_https_are_read(url):
    with pytest.raises(fetching.FetchError, match="Only http and https"):
        fetching.fetch(url)


def test_a_redirect_to_this_machine_is_refused_without_the_setting(
    feed_server, source, settings, monkeypatch
):
    """A public-looking feed that redirects to 127.0.0.1 reads nothing from there."""
    internal = feed_server.serve("/internal/secrets.xml", feed_fixture("rss.xml"))
    feed_server.redirect("/feed.xml", internal)
    port = feed_server.httpd.server_address[1]
    real_getaddrinfo = socket.getaddrinfo

    def public_dns(host, *args, **kwargs):
        # feeds.example.com "resolves" to a public address that reaches the test server.
        if host == "feeds.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return real_getaddrinfo(host, *args, **kwargs)

    real_connect = socket.create_connection

    def connect(address, *args, **kwargs):
        if address[0] == "93.184.215.14":
            address = ("127.0.0.1", address[1])
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", public_dns)
    monkeypatch.setattr(socket, "create_connection", connect)
    settings.ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES = False

    with pytest.raises(CommandError, match="127.0.0.1 is a private or local network address"):
        call_command(
            "import_feed",
            f"http://feeds.example.com:{port}/feed.xml",
            source=source.slug,
            stdout=StringIO(),
        )

    assert feed_server.asked("/feed.xml") == 1
    assert feed_server.asked("/internal/secrets.xml") == 0
    assert not Article.objects.exists()
    assert "private or local" in source.import_runs.get().error


def test_the_local_server_itself_is_refused_without_the_setting(feed_server, source, settings):
    url = feed_server.serve("/feed.xml", feed_fixture("rss.xml"))
    settings.ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES = False
    feed = SourceFeed.objects.create(source=source, url=url)

    run = polling.feed_poll(feed=feed)

    assert run.outcome == ImportRun.Outcome.FAILED and "private or local" in run.error
    assert feed_server.asked("/feed.xml") == 0


def test_a_host_that_does_not_exist_is_a_clear_error():
    with pytest.raises(fetching.FetchError, match="could not be found"):
        fetching.fetch("http://no-such-host.invalid/feed.xml")


@pytest.mark.parametrize("url", ["http://[::1", "http://example.com:99999/feed", "http://"])
def test_a_malformed_address_is_a_clear_error(url, source):
    with pytest.raises(CommandError, match="not valid|Only http and https"):
        call_command("import_feed", url, source=source.slug, stdout=StringIO())


def test_a_picture_on_a_private_address_is_refused(source, settings):
    settings.ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES = False
    feed = feed_fixture("rss.xml").replace(
        b"<title>Port of Bandar Abbas reopens</title>",
        b"<title>Port of Bandar Abbas reopens</title>"
        b'<enclosure url="http://169.254.169.254/latest/meta-data/x.jpg" type="image/jpeg"/>',
    )

    importing.feed_import(source=source, content=feed, location="feed.xml")

    port = Article.objects.get(title="Port of Bandar Abbas reopens")
    assert port.picture is None
    assert "private or local" in port.notes.get(occasion="wire").text


def test_a_server_trickling_bytes_is_given_up_at_the_deadline(settings):
    import threading
    import time

    settings.ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES = True
    settings.ARTICLES_WIRE_TIMEOUT_SECONDS = 0.5
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle():
        conn, _address = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
        while not stop.is_set():  # a byte every 0.2 s: never idle long enough to time out
            try:
                conn.sendall(b"<")
            except OSError:
                break
            time.sleep(0.2)
        conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(fetching.FetchError, match="took too long"):
            fetching.fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/feed")
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 5  # the deadline is three timeouts: 1.5 s
