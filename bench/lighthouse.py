#!/usr/bin/env python3
"""Lighthouse on the built site, served gzipped from 127.0.0.1 as GitHub Pages serves it.

    folio build && python bench/lighthouse.py [--site site] [--runs 3]
    python bench/lighthouse.py --new-user /tmp/jane   # a new user's repository, made here

Bars (issues 4 and 16): accessibility, best practices and SEO 100; mobile performance >= 95,
the median of ``--runs`` runs; on the home page, the gallery, a project page and a notebook
page. ``--new-user DIR`` makes the repository a newcomer makes (as tests/conftest.py's
``new_user_repo``: ``git init``, a README of their own, a GitHub ``origin``, ``folio init
--owner --headline``, then one project written by hand with a cover), builds it with this
checkout's ``folio`` and scores its home page and its project page: nothing of this
repository's mkdocs.yml, docs or theme files is copied in.

Needs Node 20+ with ``lighthouse@12.8.2`` (``npm install lighthouse@12.8.2``; found through
``$LIGHTHOUSE``, ``node_modules/.bin`` here or in the repository, or ``PATH``) and Chromium
(``$CHROME_PATH``, default ``/usr/bin/chromium``). Reports go to ``bench/results/lighthouse``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-encoded when the client accepts it (as GitHub Pages does)."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts and path.suffix in COMPRESS):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(data)


def find_lighthouse() -> list[str]:
    env = os.environ.get("LIGHTHOUSE")
    if env:
        return [env]
    for base in (HERE, ROOT, Path.cwd()):
        candidate = base / "node_modules" / ".bin" / "lighthouse"
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("lighthouse")
    if found:
        return [found]
    sys.exit("lighthouse not found: npm install lighthouse@12.8.2 (or set LIGHTHOUSE)")


NEW_USER_README = """\
# Jane Doe

My data science and ML work. Portfolio site: see the About section.
"""


def make_new_user_repo(root: Path) -> Path:
    """A newcomer's repository in ``root`` (made empty first), built: its site folder."""
    sys.path.insert(0, str(ROOT / "tests"))  # the project the theme's tests write
    from site_data import NEW_USER_PROJECT, chart_png

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Jane Doe",
        "GIT_AUTHOR_EMAIL": "jane@example.org",
        "GIT_COMMITTER_NAME": "Jane Doe",
        "GIT_COMMITTER_EMAIL": "jane@example.org",
        "NO_MKDOCS_2_WARNING": "1",
    }
    folio = str(Path(sys.executable).with_name("folio"))

    def sh(*cmd: str) -> None:
        subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True, timeout=600)

    sh("git", "init", "-q", "-b", "main")
    sh("git", "remote", "add", "origin", "https://github.com/jane-doe/portfolio.git")
    (root / "README.md").write_text(NEW_USER_README, encoding="utf-8")
    sh("git", "add", "-A")
    sh("git", "commit", "-qm", "my README")
    headline = "Data scientist moving into ML engineering: forecasting and NLP"
    sh(folio, "init", "--owner", "Jane Doe", "--headline", headline)
    project = root / "projects" / "bakery-forecast"
    (project / "images").mkdir(parents=True)
    (project / "README.md").write_text(NEW_USER_PROJECT, encoding="utf-8")
    (project / "forecast.py").write_text("print('forecast')\n", encoding="utf-8")
    (project / "images" / "forecast.png").write_bytes(chart_png())
    sh("git", "add", "-A")
    sh("git", "commit", "-qm", "folio init, a project")
    sh(folio, "build", "--no-check")
    return root / "site"


def pick_pages(site: Path) -> dict[str, str]:
    pages = {"home": "", "gallery": "projects/"}
    projects = sorted(p for p in (site / "projects").iterdir() if (p / "index.html").is_file())
    if projects:
        pages["project"] = f"projects/{projects[0].name}/"
    for html in sorted(site.glob("projects/*/**/index.html")):
        if 'alt="Output of cell' in html.read_text(encoding="utf-8"):
            pages["notebook"] = html.parent.relative_to(site).as_posix() + "/"
            break
    return pages


def run(lighthouse: list[str], url: str, out: Path, chrome: str) -> dict[str, float]:
    env = {**os.environ, "CHROME_PATH": chrome}
    cmd = [
        *lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        "--max-wait-for-load=30000",
    ]
    subprocess.run(cmd, env=env, check=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    return {k: round(100 * (report["categories"][k]["score"] or 0)) for k in CATEGORIES}


def failing_audits(path: Path) -> list[str]:
    report = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cat in ("accessibility", "best-practices", "seo"):
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") not in (None, 1):
                out.append(f"{cat}: {audit['id']}: {audit['title']}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "site")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "lighthouse")
    ap.add_argument("--new-user", type=Path, metavar="DIR", help="make a new user's repo here")
    args = ap.parse_args()
    if args.new_user is not None:
        site = make_new_user_repo(args.new_user.resolve())
        pages = {"home": "", "project": "projects/bakery-forecast/"}
    else:
        site = args.site.resolve()
        pages = pick_pages(site)
    if not (site / "index.html").is_file():
        sys.exit(f"{site}: no built site; run folio build first")
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    lighthouse = find_lighthouse()
    args.out.mkdir(parents=True, exist_ok=True)
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}/"
    ok = True
    try:
        for name, rel in pages.items():
            scores = []
            for i in range(args.runs):
                path = args.out / f"{name}-{i + 1}.json"
                scores.append(run(lighthouse, base + rel, path, chrome))
            median = {k: statistics.median(s[k] for s in scores) for k in CATEGORIES}
            bars = (
                median["performance"] >= 95
                and median["accessibility"] == 100
                and median["best-practices"] == 100
                and median["seo"] == 100
            )
            ok &= bars
            print(
                f"{name:9s} /{rel:55s} "
                + "  ".join(f"{k} {median[k]:g}" for k in CATEGORIES)
                + ("" if bars else "   MISSED")
            )
            for problem in failing_audits(args.out / f"{name}-1.json"):
                print(f"          {problem}")
    finally:
        httpd.shutdown()
    print("all bars met" if ok else "SOME BARS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
