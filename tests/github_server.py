"""A fake GitHub REST API on 127.0.0.1 for the ``folio github`` tests.

It answers the endpoints the toolkit uses the way https://docs.github.com/en/rest documents
them: JSON bodies with ``message``/``documentation_url``, ``X-RateLimit-*`` headers on every
answer, ``Link`` pagination, 401 for a bad token, 404 for what the token cannot see, 403 for
a read-only token writing, 409 for a stale blob sha, 409/422 for a protected branch, 422 for
invalid topics or a duplicate pull request, and injected 403/429 rate limits with
``Retry-After`` or ``X-RateLimit-Reset``. It holds state (repositories, branches, files,
commits, pull requests) and records every request, so tests assert on what reached "GitHub"
and what it ends up holding. PyGithub is pointed at it with ``base_url``.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

DOCS = "https://docs.github.com/rest"
TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
NOW = "2026-11-20T10:00:00Z"


def blob_sha(data: bytes) -> str:
    """Git's blob id, which is what the contents API calls ``sha``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Request:
    method: str
    path: str  # without the API prefix, e.g. /repos/o/r/contents/README.md
    query: dict[str, str]
    headers: dict[str, str]  # lowercase names
    body: Any
    status: int = 0
    at: float = 0.0  # time.monotonic() when it arrived


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    headers: dict[str, str]
    body: Any  # dict, or a callable(Request) -> dict
    times: int


@dataclass
class Hook:
    method: str
    pattern: re.Pattern[str]
    action: Callable[[FakeGitHub], None]
    times: int


@dataclass
class Commit:
    sha: str
    parent: str | None
    message: str
    files: dict[str, bytes]


@dataclass
class Pull:
    number: int
    head: str
    base: str
    title: str
    body: str
    state: str = "open"


@dataclass
class Repo:
    owner: str
    name: str
    id: int
    description: str | None = None
    homepage: str | None = None
    topics: list[str] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)
    default_branch: str = "main"
    private: bool = False
    fork: bool = False
    archived: bool = False
    stars: int = 0
    license: str | None = None  # SPDX id
    created_at: str = "2021-03-14T09:26:53Z"
    pushed_at: str = "2023-07-02T18:00:00Z"
    branches: dict[str, str] = field(default_factory=dict)  # name -> commit sha
    protected: dict[str, str] = field(default_factory=dict)  # branch -> "ruleset" | "classic"
    pulls: list[Pull] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


LICENSES = {
    "MIT": ("mit", "MIT License"),
    "Apache-2.0": ("apache-2.0", "Apache License 2.0"),
    "GPL-3.0": ("gpl-3.0", "GNU General Public License v3.0"),
}


class FakeGitHub:
    """State plus a ThreadingHTTPServer; use as a context manager or call start()/stop()."""

    def __init__(
        self, *, prefix: str = "/api/v3", web: str = "https://github.com", max_per_page: int = 100
    ) -> None:
        self.prefix = prefix
        self.web = web
        self.max_per_page = max_per_page
        self.tokens: dict[str, tuple[str, bool]] = {}  # token -> (login, can_write)
        self.users: dict[str, int] = {}
        self.repos: dict[str, Repo] = {}
        self.commits: dict[str, Commit] = {}
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.hooks: list[Hook] = []
        self.rate_remaining = 4999
        self.lock = threading.RLock()
        self._ids = itertools.count(1000)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        self._httpd = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        assert self._httpd is not None, "start() the server first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The API root to give PyGithub as ``base_url`` (``--api-url``)."""
        return self.origin + self.prefix

    # -- arranging state -------------------------------------------------------------------

    def add_user(self, login: str, token: str | None = None, *, can_write: bool = True) -> None:
        with self.lock:
            self.users.setdefault(login, next(self._ids))
            if token is not None:
                self.tokens[token] = (login, can_write)

    def add_repo(self, full_name: str, files: dict[str, str] | None = None, **fields: Any) -> Repo:
        owner, name = full_name.split("/")
        with self.lock:
            self.add_user(owner)
            repo = Repo(owner, name, next(self._ids), **fields)
            self.repos[full_name.lower()] = repo
            sha = self._commit(
                None, "Initial commit", {p: t.encode() for p, t in (files or {}).items()}
            )
            repo.branches[repo.default_branch] = sha
            return repo

    def repo(self, full_name: str) -> Repo:
        return self.repos[full_name.lower()]

    def file(self, full_name: str, path: str, branch: str | None = None) -> str | None:
        with self.lock:
            repo = self.repo(full_name)
            head = repo.branches[branch or repo.default_branch]
            data = self.commits[head].files.get(path)
            return None if data is None else data.decode()

    def file_sha(self, full_name: str, path: str, branch: str | None = None) -> str:
        text = self.file(full_name, path, branch)
        assert text is not None
        return blob_sha(text.encode())

    def commit_file(
        self,
        full_name: str,
        path: str,
        text: str,
        branch: str | None = None,
        message: str = "hand edit",
    ) -> str:
        """A commit made by someone else (a hand edit on github.com)."""
        with self.lock:
            repo = self.repo(full_name)
            branch = branch or repo.default_branch
            head = repo.branches[branch]
            files = dict(self.commits[head].files)
            files[path] = text.encode()
            repo.branches[branch] = self._commit(head, message, files)
            return repo.branches[branch]

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: Any = None,
    ) -> None:
        """Answer the next ``times`` requests matching ``path`` (a regex) with ``status``."""
        with self.lock:
            self.faults.append(
                Fault(
                    method.upper(),
                    re.compile(path),
                    status,
                    headers or {},
                    body or {"message": "Server Error"},
                    times,
                )
            )

    def secondary_rate_limit(
        self, method: str, path: str, *, status: int = 429, retry_after: int = 1, times: int = 1
    ) -> None:
        self.fail(
            method,
            path,
            status,
            times=times,
            headers={"Retry-After": str(retry_after)},
            body={
                "message": "You have exceeded a secondary rate limit. Please wait a "
                "few minutes before you try again.",
                "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
            },
        )

    def primary_rate_limit(
        self, method: str, path: str, *, reset_in: int = 3000, times: int = 1
    ) -> None:
        reset = str(int(time.time()) + reset_in)
        self.fail(
            method,
            path,
            403,
            times=times,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            body={
                "message": "API rate limit exceeded for user ID 1. If you reach out "
                "to GitHub Support for help, please include the request ID.",
                "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
            },
        )

    def after(
        self, method: str, path: str, action: Callable[[FakeGitHub], None], *, times: int = 1
    ) -> None:
        """Run ``action`` right after answering a matching request (a race with a human)."""
        with self.lock:
            self.hooks.append(Hook(method.upper(), re.compile(path), action, times))

    def calls(self, method: str | None = None, path: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path is None or re.search(path, r.path))
            ]

    # -- internals -------------------------------------------------------------------------

    def _commit(self, parent: str | None, message: str, files: dict[str, bytes]) -> str:
        seed = f"{parent}:{message}:{len(self.commits)}:{sorted(files.items())!r}"
        sha = hashlib.sha1(seed.encode()).hexdigest()
        self.commits[sha] = Commit(sha, parent, message, files)
        return sha

    def _is_ancestor(self, old: str, new: str) -> bool:
        cur: str | None = new
        while cur is not None:
            if cur == old:
                return True
            cur = self.commits[cur].parent
        return False

    def api(self, path: str) -> str:
        return f"{self.url}{path}"

    def user_json(self, login: str) -> dict[str, Any]:
        return {
            "login": login,
            "id": self.users.get(login, 1),
            "node_id": f"U_{login}",
            "type": "User",
            "site_admin": False,
            "url": self.api(f"/users/{login}"),
            "html_url": f"{self.web}/{login}",
            "repos_url": self.api(f"/users/{login}/repos"),
        }

    def repo_json(self, repo: Repo) -> dict[str, Any]:
        full = repo.full_name
        license_json = None
        if repo.license:
            key, name = LICENSES.get(repo.license, (repo.license.lower(), repo.license))
            license_json = {
                "key": key,
                "name": name,
                "spdx_id": repo.license,
                "url": self.api(f"/licenses/{key}"),
                "node_id": f"L_{key}",
            }
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": full,
            "owner": self.user_json(repo.owner),
            "private": repo.private,
            "visibility": "private" if repo.private else "public",
            "html_url": f"{self.web}/{full}",
            "description": repo.description,
            "fork": repo.fork,
            "url": self.api(f"/repos/{full}"),
            "clone_url": f"{self.web}/{full}.git",
            "git_url": f"git://github.com/{full}.git",
            "ssh_url": f"git@github.com:{full}.git",
            "homepage": repo.homepage,
            "language": next(iter(repo.languages), None),
            "stargazers_count": repo.stars,
            "watchers_count": repo.stars,
            "forks_count": 0,
            "open_issues_count": 0,
            "size": 108,
            "default_branch": repo.default_branch,
            "topics": list(repo.topics),
            "has_issues": True,
            "has_projects": True,
            "has_wiki": True,
            "has_pages": False,
            "archived": repo.archived,
            "disabled": False,
            "license": license_json,
            "pushed_at": repo.pushed_at,
            "created_at": repo.created_at,
            "updated_at": NOW,
            "permissions": {
                "admin": True,
                "maintain": True,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }

    def content_json(self, repo: Repo, path: str, data: bytes, ref: str) -> dict[str, Any]:
        full, sha = repo.full_name, blob_sha(data)
        encoded = base64.b64encode(data).decode()
        # GitHub wraps the base64 at 60 characters.
        wrapped = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
        url = self.api(f"/repos/{full}/contents/{quote(path)}?ref={quote(ref)}")
        return {
            "type": "file",
            "encoding": "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": wrapped,
            "sha": sha,
            "url": url,
            "git_url": self.api(f"/repos/{full}/git/blobs/{sha}"),
            "html_url": f"{self.web}/{full}/blob/{ref}/{path}",
            "download_url": f"https://raw.githubusercontent.com/{full}/{ref}/{path}",
            "_links": {
                "self": url,
                "git": self.api(f"/repos/{full}/git/blobs/{sha}"),
                "html": f"{self.web}/{full}/blob/{ref}/{path}",
            },
        }

    def commit_json(self, repo: Repo, sha: str) -> dict[str, Any]:
        commit = self.commits[sha]
        full = repo.full_name
        person = {"name": "Test Owner", "email": "owner@example.org", "date": NOW}
        return {
            "sha": sha,
            "node_id": f"C_{sha[:8]}",
            "url": self.api(f"/repos/{full}/git/commits/{sha}"),
            "html_url": f"{self.web}/{full}/commit/{sha}",
            "author": person,
            "committer": person,
            "message": commit.message,
            "tree": {
                "sha": hashlib.sha1(sha.encode()).hexdigest(),
                "url": self.api(f"/repos/{full}/git/trees/{sha}"),
            },
            "parents": []
            if commit.parent is None
            else [
                {
                    "sha": commit.parent,
                    "url": self.api(f"/repos/{full}/git/commits/{commit.parent}"),
                    "html_url": f"{self.web}/{full}/commit/{commit.parent}",
                }
            ],
        }

    def ref_json(self, repo: Repo, branch: str) -> dict[str, Any]:
        full, sha = repo.full_name, repo.branches[branch]
        return {
            "ref": f"refs/heads/{branch}",
            "node_id": f"REF_{branch}",
            "url": self.api(f"/repos/{full}/git/refs/heads/{quote(branch)}"),
            "object": {
                "type": "commit",
                "sha": sha,
                "url": self.api(f"/repos/{full}/git/commits/{sha}"),
            },
        }

    def branch_json(self, repo: Repo, branch: str) -> dict[str, Any]:
        full, sha = repo.full_name, repo.branches[branch]
        return {
            "name": branch,
            "commit": {
                "sha": sha,
                "node_id": f"C_{sha[:8]}",
                "url": self.api(f"/repos/{full}/commits/{sha}"),
                "commit": self.commit_json(repo, sha),
            },
            "protected": branch in repo.protected,
            "_links": {
                "self": self.api(f"/repos/{full}/branches/{quote(branch)}"),
                "html": f"{self.web}/{full}/tree/{branch}",
            },
        }

    def pull_json(self, repo: Repo, pull: Pull) -> dict[str, Any]:
        full = repo.full_name

        def side(branch: str) -> dict[str, Any]:
            return {
                "label": f"{repo.owner}:{branch}",
                "ref": branch,
                "sha": repo.branches.get(branch, ""),
                "user": self.user_json(repo.owner),
                "repo": self.repo_json(repo),
            }

        return {
            "id": 5000 + pull.number,
            "node_id": f"PR_{pull.number}",
            "number": pull.number,
            "state": pull.state,
            "title": pull.title,
            "body": pull.body,
            "locked": False,
            "url": self.api(f"/repos/{full}/pulls/{pull.number}"),
            "html_url": f"{self.web}/{full}/pull/{pull.number}",
            "user": self.user_json(repo.owner),
            "head": side(pull.head),
            "base": side(pull.base),
            "draft": False,
            "merged": False,
            "created_at": NOW,
            "updated_at": NOW,
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up mid-answer (a rate-limit wait it will not make) resets the
        # connection; that is the client's right, not a server failure worth a traceback.
        pass


Answer = tuple[int, Any, dict[str, str]]


def _error(status: int, message: str, **extra: Any) -> Answer:
    return (
        status,
        {"message": message, "documentation_url": DOCS, "status": str(status), **extra},
        {},
    )


def _handler(gh: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as api.github.com

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
            pass  # keep pytest output clean

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._serve("PUT")

        def do_PATCH(self) -> None:  # noqa: N802
            self._serve("PATCH")

        def do_DELETE(self) -> None:  # noqa: N802
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            path = unquote(parts.path)
            req = Request(
                method,
                path[len(gh.prefix) :] if path.startswith(gh.prefix) else path,
                dict(parse_qsl(parts.query)),
                {k.lower(): v for k, v in self.headers.items()},
                body,
                at=time.monotonic(),
            )
            with gh.lock:
                gh.requests.append(req)
                if not path.startswith(gh.prefix):
                    status, data, headers = _error(404, "Not Found")
                else:
                    status, data, headers = self._answer(req)
                req.status = status
                for hook in gh.hooks:
                    if hook.times > 0 and hook.method == method and hook.pattern.search(req.path):
                        hook.times -= 1
                        hook.action(gh)
                gh.rate_remaining = max(0, gh.rate_remaining - 1)
                remaining = gh.rate_remaining
            payload = b"" if status == 204 else json.dumps(data).encode()
            self.send_response(status)
            base_headers = {
                "Content-Type": "application/json; charset=utf-8",
                "Content-Length": str(len(payload)),
                "X-GitHub-Api-Version-Selected": "2022-11-28",
                "X-RateLimit-Limit": "5000",
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(int(time.time()) + 3600),
                "X-RateLimit-Used": str(5000 - remaining),
                "X-RateLimit-Resource": "core",
                "X-GitHub-Request-Id": f"FAKE:{len(gh.requests)}",
            }
            base_headers.update(headers)
            for name, value in base_headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        # -- routing ---------------------------------------------------------------------

        def _answer(self, req: Request) -> Answer:
            for fault in gh.faults:
                if (
                    fault.times > 0
                    and fault.method == req.method
                    and fault.pattern.search(req.path)
                ):
                    fault.times -= 1
                    data = fault.body(req) if callable(fault.body) else fault.body
                    return fault.status, data, dict(fault.headers)
            login, can_write = None, False
            auth = req.headers.get("authorization")
            if auth:
                scheme, _, token = auth.partition(" ")
                if scheme.lower() not in ("token", "bearer") or token not in gh.tokens:
                    return _error(401, "Bad credentials")
                login, can_write = gh.tokens[token]
            for method, pattern, route in ROUTES:
                if method != req.method:
                    continue
                match = re.fullmatch(pattern, req.path)
                if match:
                    return route(req, login, can_write, *match.groups())
            return _error(404, "Not Found")

    # -- endpoints ----------------------------------------------------------------------------

    def visible(full: str, login: str | None) -> Repo | None:
        repo = gh.repos.get(full.lower())
        if repo is None or (repo.private and login != repo.owner):
            return None
        return repo

    def writable(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Repo | Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        if login is None:
            return _error(401, "Requires authentication")
        if login != repo.owner or not can_write:
            return _error(403, "Resource not accessible by personal access token")
        return repo

    def paginate(req: Request, items: list[Any]) -> Answer:
        per_page = min(int(req.query.get("per_page", 30)), 100, gh.max_per_page)
        page = max(1, int(req.query.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(n: int, rel: str) -> str:
            query = {**req.query, "page": str(n), "per_page": str(per_page)}
            return f'<{gh.api(req.path)}?{urlencode(query)}>; rel="{rel}"'

        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})

    def get_user(req: Request, login: str | None, can_write: bool) -> Answer:
        if login is None:
            return _error(401, "Requires authentication")
        return 200, gh.user_json(login), {}

    def get_named_user(req: Request, login: str | None, can_write: bool, name: str) -> Answer:
        if name not in gh.users:
            return _error(404, "Not Found")
        return 200, gh.user_json(name), {}

    def list_user_repos(req: Request, login: str | None, can_write: bool, name: str) -> Answer:
        if name not in gh.users:
            return _error(404, "Not Found")
        repos = sorted(
            (r for r in gh.repos.values() if r.owner == name and not r.private),
            key=lambda r: r.full_name.lower(),
        )
        return paginate(req, [gh.repo_json(r) for r in repos])

    def list_my_repos(req: Request, login: str | None, can_write: bool) -> Answer:
        if login is None:
            return _error(401, "Requires authentication")
        visibility = req.query.get("visibility", "all")
        repos = sorted(
            (
                r
                for r in gh.repos.values()
                if r.owner == login
                and (visibility == "all" or (visibility == "public") != r.private)
            ),
            key=lambda r: r.full_name.lower(),
        )
        return paginate(req, [gh.repo_json(r) for r in repos])

    def get_repo(req: Request, login: str | None, can_write: bool, owner: str, name: str) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        return 200, gh.repo_json(repo), {}

    def patch_repo(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        body = req.body if isinstance(req.body, dict) else {}
        if "name" in body and body["name"] != repo.name:
            return _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "Repository",
                        "field": "name",
                        "code": "custom",
                        "message": "renaming is not supported by this fake",
                    }
                ],
            )
        for key in ("description", "homepage"):
            if key in body:
                setattr(repo, key, body[key])
        return 200, gh.repo_json(repo), {}

    def get_topics(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        return 200, {"names": list(repo.topics)}, {}

    def put_topics(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        names = (req.body or {}).get("names") if isinstance(req.body, dict) else None
        if not isinstance(names, list):
            return _error(422, 'Invalid request.\n\n"names" wasn\'t supplied.')
        bad = [n for n in names if not isinstance(n, str) or not TOPIC.match(n)]
        if bad or len(names) > 20:
            return _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "Repository",
                        "field": "topics",
                        "code": "invalid",
                        "message": "Topics must start with a lowercase letter or number, "
                        "consist of 50 characters or less, and can include hyphens; at most "
                        f"20 ({bad})",
                    }
                ],
            )
        repo.topics = list(dict.fromkeys(names))
        return 200, {"names": list(repo.topics)}, {}

    def get_languages(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        return 200, dict(repo.languages), {}

    def get_readme(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        ref = req.query.get("ref", repo.default_branch)
        files = gh.commits[repo.branches[ref]].files
        for path in sorted(files):
            if "/" not in path and re.match(r"(?i)^readme(\.\w+)?$", path):
                return 200, gh.content_json(repo, path, files[path], ref), {}
        return _error(404, "Not Found")

    def get_contents(
        req: Request, login: str | None, can_write: bool, owner: str, name: str, path: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        ref = req.query.get("ref", repo.default_branch)
        if ref not in repo.branches:
            return _error(404, f"No commit found for the ref {ref}")
        data = gh.commits[repo.branches[ref]].files.get(path)
        if data is None:
            return _error(404, "Not Found")
        return 200, gh.content_json(repo, path, data, ref), {}

    def put_contents(
        req: Request, login: str | None, can_write: bool, owner: str, name: str, path: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        body = req.body if isinstance(req.body, dict) else {}
        for key in ("message", "content"):
            if not isinstance(body.get(key), str):
                return _error(422, f'Invalid request.\n\n"{key}" wasn\'t supplied.')
        try:
            data = base64.b64decode(body["content"], validate=True)
        except ValueError:
            return _error(422, "content is not valid Base64")
        branch = body.get("branch") or repo.default_branch
        if branch not in repo.branches:
            return _error(404, f"Branch {branch} not found")
        head = repo.branches[branch]
        files = dict(gh.commits[head].files)
        existing = files.get(path)
        if existing is not None:
            if "sha" not in body:
                return _error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
            if body["sha"] != blob_sha(existing):
                return _error(409, f"{path} does not match {body['sha']}")
        style = repo.protected.get(branch)
        if style == "ruleset":
            return _error(
                409,
                "Repository rule violations found\n\nChanges must be made "
                "through a pull request.\n\n",
            )
        if style == "classic":
            return _error(422, f"Protected branch update failed for refs/heads/{branch}.")
        files[path] = data
        sha = gh._commit(head, body["message"], files)
        repo.branches[branch] = sha
        content = gh.content_json(repo, path, data, branch)
        return (
            (200 if existing is not None else 201),
            {"content": content, "commit": gh.commit_json(repo, sha)},
            {},
        )

    def get_branch(
        req: Request, login: str | None, can_write: bool, owner: str, name: str, branch: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None or branch not in repo.branches:
            return _error(404, "Branch not found")
        return 200, gh.branch_json(repo, branch), {}

    def get_ref(
        req: Request, login: str | None, can_write: bool, owner: str, name: str, branch: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None or branch not in repo.branches:
            return _error(404, "Not Found")
        return 200, gh.ref_json(repo, branch), {}

    def create_ref(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        body = req.body if isinstance(req.body, dict) else {}
        ref, sha = str(body.get("ref", "")), str(body.get("sha", ""))
        if not ref.startswith("refs/heads/"):
            return _error(422, "Reference name must start with 'refs/'")
        if sha not in gh.commits:
            return _error(422, "Object does not exist")
        branch = ref[len("refs/heads/") :]
        if branch in repo.branches:
            return _error(422, "Reference already exists")
        repo.branches[branch] = sha
        return 201, gh.ref_json(repo, branch), {}

    def update_ref(
        req: Request, login: str | None, can_write: bool, owner: str, name: str, branch: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        body = req.body if isinstance(req.body, dict) else {}
        sha = str(body.get("sha", ""))
        if branch not in repo.branches:
            return _error(422, "Reference does not exist")
        if sha not in gh.commits:
            return _error(422, "Object does not exist")
        if branch in repo.protected:
            return _error(422, f"Protected branch update failed for refs/heads/{branch}.")
        if not body.get("force") and not gh._is_ancestor(repo.branches[branch], sha):
            return _error(422, "Update is not a fast forward")
        repo.branches[branch] = sha
        return 200, gh.ref_json(repo, branch), {}

    def list_pulls(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = visible(f"{owner}/{name}", login)
        if repo is None:
            return _error(404, "Not Found")
        state = req.query.get("state", "open")
        head = req.query.get("head")
        base = req.query.get("base")
        pulls = [
            p
            for p in repo.pulls
            if (state == "all" or p.state == state)
            and (head is None or f"{repo.owner}:{p.head}" == head)
            and (base is None or p.base == base)
        ]
        return paginate(req, [gh.pull_json(repo, p) for p in reversed(pulls)])

    def create_pull(
        req: Request, login: str | None, can_write: bool, owner: str, name: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        body = req.body if isinstance(req.body, dict) else {}
        head, base = str(body.get("head", "")), str(body.get("base", ""))
        head = head.split(":", 1)[-1]
        if head not in repo.branches or base not in repo.branches:
            return _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "PullRequest",
                        "field": "head" if head not in repo.branches else "base",
                        "code": "invalid",
                    }
                ],
            )
        if any(p.head == head and p.base == base and p.state == "open" for p in repo.pulls):
            return _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"A pull request already exists for {repo.owner}:{head}.",
                    }
                ],
            )
        if repo.branches[head] == repo.branches[base]:
            return _error(
                422,
                "Validation Failed",
                errors=[
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"No commits between {base} and {head}",
                    }
                ],
            )
        pull = Pull(
            len(repo.pulls) + 1, head, base, str(body.get("title", "")), str(body.get("body", ""))
        )
        repo.pulls.append(pull)
        return 201, gh.pull_json(repo, pull), {}

    def patch_pull(
        req: Request, login: str | None, can_write: bool, owner: str, name: str, number: str
    ) -> Answer:
        repo = writable(req, login, can_write, owner, name)
        if not isinstance(repo, Repo):
            return repo
        pull = next((p for p in repo.pulls if p.number == int(number)), None)
        if pull is None:
            return _error(404, "Not Found")
        body = req.body if isinstance(req.body, dict) else {}
        pull.title = str(body.get("title", pull.title))
        pull.body = str(body.get("body", pull.body))
        return 200, gh.pull_json(repo, pull), {}

    repo_path = r"/repos/([^/]+)/([^/]+)"
    ROUTES: list[tuple[str, str, Callable[..., Answer]]] = [
        ("GET", r"/user", get_user),
        ("GET", r"/user/repos", list_my_repos),
        ("GET", r"/users/([^/]+)", get_named_user),
        ("GET", r"/users/([^/]+)/repos", list_user_repos),
        ("GET", repo_path, get_repo),
        ("PATCH", repo_path, patch_repo),
        ("GET", repo_path + r"/topics", get_topics),
        ("PUT", repo_path + r"/topics", put_topics),
        ("GET", repo_path + r"/languages", get_languages),
        ("GET", repo_path + r"/readme", get_readme),
        ("GET", repo_path + r"/contents/(.+)", get_contents),
        ("PUT", repo_path + r"/contents/(.+)", put_contents),
        ("GET", repo_path + r"/branches/(.+)", get_branch),
        ("GET", repo_path + r"/git/ref/heads/(.+)", get_ref),
        ("GET", repo_path + r"/git/refs/heads/(.+)", get_ref),
        ("POST", repo_path + r"/git/refs", create_ref),
        ("PATCH", repo_path + r"/git/refs/heads/(.+)", update_ref),
        ("GET", repo_path + r"/pulls", list_pulls),
        ("POST", repo_path + r"/pulls", create_pull),
        ("PATCH", repo_path + r"/pulls/(\d+)", patch_pull),
    ]
    return Handler
