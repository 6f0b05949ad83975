"""The HTML report: self-contained, escaped, every step and both pictures; and in a real
browser (headless Chromium, Debian's ``chromium`` package) it loads without console errors."""
import html.parser
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from ems.replay_html import render_html

from .replay_helpers import replay

RUNBOOK = """\
# check the DAG
Get-DatabaseAvailabilityGroup DAG1 -Status | Format-List Name, OperationalServers
# move DB1 to Redmond
Move-ActiveMailboxDatabase DB1 -ActivateOnServer EX3 -Confirm:$false | Out-Null
Write-Warning "DB1 runs in Redmond now"
"<b>not bold</b> & friends"
Get-Mailbox -Bogus
if ($true) { throw "stop <here>" }
"never runs"
"""


@pytest.fixture(scope="module")
def result():
    return replay(RUNBOOK, before=["Dismount-Database DB4 -Confirm:$false"])


@pytest.fixture(scope="module")
def page(result):
    return render_html(result)


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(text):
    c = _Collector()
    c.feed(text)
    return c


def test_page_is_self_contained(page):
    c = _parse(page)
    for tag, attrs in c.tags:
        for name in ("src", "href", "action", "poster", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
        assert tag not in ("script", "link", "iframe", "img", "object", "embed")
    assert "url(" not in page and "@import" not in page


def test_every_step_is_on_the_page_with_its_status(result, page):
    c = _parse(page)
    articles = [a for t, a in c.tags if t == "article"]
    assert [(a["data-step"], a["data-status"]) for a in articles] == \
        [("B1", "ok"), ("1", "ok"), ("2", "ok"), ("3", "ok"), ("4", "ok"), ("5", "failed"), ("6", "failed"),
         ("7", "not run")]
    chips = [a["href"] for t, a in c.tags if t == "a" and a.get("href", "").startswith("#step-")]
    assert chips == ["#step-B1"] + [f"#step-{i}" for i in range(1, 8)]


def test_text_is_escaped(page):
    assert "&quot;&lt;b&gt;not bold&lt;/b&gt; &amp; friends&quot;" in page   # the command
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; friends" in page
    assert "<b>not bold" not in page
    assert "stop &lt;here&gt;" in page


def test_pictures_show_where_each_copy_is_active(page):
    c = _parse(page)
    svgs = [a for t, a in c.tags if t == "svg"]
    assert len(svgs) == 3            # before the disaster, when the runbook starts, after it
    initial, rest = page.split('id="picture-start"')
    start, final = rest.split('id="picture-final"')
    active = re.compile(r'class="copy active" data-db="(\w+)" data-server="(\w+)" data-status="(\w+)"')
    assert ("DB4", "EX2", "Mounted") in active.findall(initial)
    active = re.compile(r'class="copy active" data-db="(\w+)" data-server="(\w+)" data-status="(\w+)"')
    assert sorted(active.findall(start)) == [("DB1", "EX1", "Mounted"), ("DB2", "EX2", "Mounted"),
                                             ("DB3", "EX1", "Mounted"), ("DB4", "EX2", "Dismounted")]
    assert ("DB1", "EX3", "Mounted") in active.findall(final)
    for name in ("Portland", "Redmond", "Olympia"):
        assert f'data-site="{name}"' in page
    assert 'data-name="FS1"' in page and "witness in use" in page and "alternate witness" in page


def test_a_page_for_a_runbook_that_does_not_parse():
    r = replay('$x = (\n')
    page = render_html(r)
    assert "could not be parsed" in page and "<svg" not in page


def test_without_a_disaster_there_are_two_pictures():
    page = render_html(replay('"x"\n'))
    assert page.count("<svg") == 2 and 'id="picture-initial"' not in page


# --- in a browser --------------------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser")
NO_CHROMIUM = ("the HTML report's browser test (tests/replay/test_html.py) needs headless Chromium, and neither "
               "'chromium' nor 'chromium-browser' is on PATH: install Debian's chromium package "
               "(apt-get install -y chromium; .ci/run does so when apt-get is available). "
               "Set EMS_REQUIRE_CHROMIUM=1 to make its absence a failure.")


def _chromium():
    return next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)


@pytest.fixture(scope="module")
def chromium():
    """The browser, or a skip that says exactly what is missing (a failure when
    EMS_REQUIRE_CHROMIUM=1, so a CI that installs it can't silently skip the test)."""
    browser = _chromium()
    if browser is None:
        if os.environ.get("EMS_REQUIRE_CHROMIUM") == "1":
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return browser


def load_in_chromium(browser, path):
    """(DOM after load, console messages) of ``path`` in headless Chromium, offline."""
    with tempfile.TemporaryDirectory() as profile:
        p = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0", "--dump-dom", f"file://{path}"],
            capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip(), f"Chromium failed ({p.returncode}): {p.stderr[-2000:]}"
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    return p.stdout, console


def test_the_console_check_catches_errors(chromium, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>')
    _, console = load_in_chromium(chromium, str(bad))
    assert any("undefinedFunction" in line for line in console)


def test_report_loads_in_chromium_without_console_errors_and_shows_every_step(chromium, result, page, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    dom, console = load_in_chromium(chromium, str(path))
    assert console == []
    c = _parse(dom)
    ids = [a.get("id") for t, a in c.tags if t == "article"]
    assert ids == [f"step-{s.id}" for s in result.all_steps]
    assert sum(1 for t, _ in c.tags if t == "svg") == 3
    text = "".join(c.text)
    for step in result.all_steps:
        assert step.source in text
    assert "verdict does not hold" in text


def test_the_page_has_the_same_content_as_the_markdown_report(result, page):
    """--report FILE.md and FILE.html write the same report: every step's title, command,
    comment, output, warnings, errors and change rows, the DAG lines of both pictures, every
    verdict check, note and the result line are in both (the page adds pictures and chips)."""
    from ems.replay_report import change_cells, dag_lines, render_markdown, step_title, verdict_summary
    from ems.replay_state import grouped

    md = render_markdown(result)
    text = "".join(_parse(page).text)
    facts = [verdict_summary(result)]
    for step in result.all_steps:
        facts += [step_title(step), step.source, *step.comment.split("\n"), *step.output.split("\n"),
                  *(f"WARNING: {w}" for w in step.warnings), *step.errors.split("\n")]
        for cells in (change_cells(c) for c in grouped(step.changes)):
            facts += [cell for cell in cells if cell]
    for state in (result.start, result.final):
        facts += dag_lines(state)
    for check in result.verdict.checks:
        facts += [check.name, check.detail]
    facts += list(result.verdict.notes)
    facts = [f for f in facts if f.strip()]
    assert len(facts) > 40
    missing_md = [f for f in facts if f not in md and f.replace("|", "\\|") not in md]
    missing_html = [f for f in facts if f not in text]
    assert missing_md == [] and missing_html == []
