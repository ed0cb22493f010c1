"""The only module that talks to GitHub (and the only one importing PyGithub).

Commands get plain dataclasses back and never see a PyGithub object, so the rest of the
toolkit neither imports PyGithub nor depends on its types. Every GitHub failure leaves here as
a :class:`GithubError`: one line, exit code 2, with the token scrubbed from its text.

Retries are PyGithub's :class:`~github.GithubRetry` (403 rate limits, 5xx) bounded on three
axes PyGithub leaves open by default: the number of attempts, the longest single wait
(``Retry-After`` or a rate-limit reset further away is an error, not a sleep) and the total
time of one command (a deadline shared by every request of a client).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import re
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import (
    BadAttributeException,
    BadCredentialsException,
    RateLimitExceededExceedsMaxWait,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.Repository import Repository
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from repofolio.errors import FolioError
from repofolio.remotes import FULL_NAME, parse_remote

DEFAULT_API_URL = "https://api.github.com"
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
# The contents API refuses a commit to a protected branch with 409 (rulesets: "Repository rule
# violations found") or 422/403 (classic protection: "Protected branch update failed").
PROTECTED = re.compile(
    r"protected branch|rule violation|through a pull request|required status check|"
    r"review(s)? (is|are) required|changes must be made",
    re.IGNORECASE,
)


class GithubError(FolioError):
    """A GitHub failure the user can act on: one line, exit code 2, never the token."""


@dataclass(frozen=True)
class Settings:
    """Where and how to reach GitHub; ``token`` is kept out of ``repr``."""

    api_url: str = DEFAULT_API_URL
    token: str | None = field(default=None, repr=False)
    timeout: int = 15
    retries: int = 4
    max_wait: float = 60.0  # longest single wait (Retry-After, rate-limit reset), seconds
    budget: float = 180.0  # longest total time spent waiting and retrying, seconds

    def scrub(self, text: str) -> str:
        return scrub(text, self.token)


def scrub(text: str, token: str | None) -> str:
    """Remove the token (and its base64 form, as in Basic auth) from any text."""
    if not token:
        return text
    for secret in (token, base64.b64encode(token.encode()).decode()):
        text = text.replace(secret, "***")
    return text


def token_from_env(env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    for name in TOKEN_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def api_url_from(option: str | None, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    url = (option or env.get("GITHUB_API_URL", "") or DEFAULT_API_URL).strip().rstrip("/")
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:  # an unclosed IPv6 bracket
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        raise GithubError(f"invalid GitHub API URL '{url}': expected http(s)://host[/path]")
    return url


def repo_from(
    option: str | None,
    root: Path,
    env: Mapping[str, str] | None = None,
    repo_url: str | None = None,
) -> str:
    """The portfolio repository: ``--repo``, else ``GITHUB_REPOSITORY``, else git's origin,
    else ``[tool.folio] repo-url``."""
    env = os.environ if env is None else env
    for value, source in ((option, "--repo"), (env.get("GITHUB_REPOSITORY"), "GITHUB_REPOSITORY")):
        if value:
            value = value.strip()
            if not FULL_NAME.match(value):
                raise GithubError(f"{source}: '{value}' is not OWNER/NAME")
            return value
    try:
        remote = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        remote = ""
    found = parse_remote(remote) if remote else None
    if found is None and repo_url:
        found = parse_remote(repo_url)
    if found is None:
        raise GithubError(
            "which repository? pass --repo OWNER/NAME, set GITHUB_REPOSITORY, "
            "add a git remote named origin, or set [tool.folio] repo-url"
        )
    return found


class BoundedRetry(GithubRetry):
    """GithubRetry that never waits longer than ``max_wait`` at once or past ``deadline``.

    PyGithub's default retries 10 times and sleeps until a rate-limit reset however far away
    (https://github.com/PyGithub/PyGithub/blob/main/github/GithubRetry.py); urllib3 also sleeps
    any ``Retry-After`` unbounded. Giving up on a 403/429 raises
    ``RateLimitExceededExceedsMaxWait``; on a 5xx it hands the last response back to PyGithub
    (``raise_on_status=False``), which raises the matching GithubException.
    """

    def __init__(
        self, max_wait: float = 60.0, deadline: float | None = None, **kwargs: Any
    ) -> None:
        self.max_wait = max_wait
        self.deadline = deadline
        kwargs.setdefault("max_rate_limit_wait", max_wait)
        kwargs.setdefault("secondary_rate_wait", min(60.0, max_wait))
        # 429 is GitHub's other rate-limit status; GithubRetry adds 403 to this list itself.
        kwargs.setdefault("status_forcelist", [429, *range(500, 600)])
        # PATCH (repository settings, refs) is idempotent here; urllib3 leaves it out.
        kwargs.setdefault(
            "allowed_methods", Retry.DEFAULT_ALLOWED_METHODS | {"GET", "POST", "PATCH"}
        )
        kwargs.setdefault("raise_on_status", False)
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> BoundedRetry:
        kw.update(max_wait=self.max_wait, deadline=self.deadline)
        return super().new(**kw)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)  # type: ignore[arg-type]
        wait = retry.get_backoff_time()
        if response is not None:
            after = self._retry_after(response)
            if after is not None:
                wait = after
            elif response.status == 429:
                wait = max(wait, self._reset_wait(response))
                retry.get_backoff_time = lambda: wait  # type: ignore[method-assign]
        late = self.deadline is not None and time.monotonic() + wait > self.deadline
        if wait > self.max_wait or late:
            if response is not None and response.status in (403, 429):
                headers = dict(response.headers)
                raise RateLimitExceededExceedsMaxWait(response.status, None, headers, wait=wait)
            raise MaxRetryError(_pool, url or "", error)  # type: ignore[arg-type]
        return retry

    def _retry_after(self, response: BaseHTTPResponse) -> float | None:
        value = response.headers.get("Retry-After")
        if not value:
            return None
        try:
            return self.parse_retry_after(value)
        except Exception:  # an unparsable header: fall back to the backoff
            return None

    def _reset_wait(self, response: BaseHTTPResponse) -> float:
        # https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api:
        # remaining 0 -> wait for the reset; otherwise a secondary limit -> at least a minute.
        reset = response.headers.get("X-RateLimit-Reset", "")
        if response.headers.get("X-RateLimit-Remaining") == "0" and reset.isdigit():
            return max(0.0, int(reset) - time.time()) + 1
        return float(self.secondary_rate_wait)


# -- plain data handed to the commands -------------------------------------------------------


@dataclass(frozen=True)
class RepoSettings:
    full_name: str
    owner: str
    name: str
    description: str
    homepage: str
    topics: tuple[str, ...]
    default_branch: str
    html_url: str


@dataclass(frozen=True)
class RepoFacts:
    """What ``folio github import`` reads from a repository."""

    full_name: str
    owner: str
    name: str
    description: str
    topics: tuple[str, ...]
    languages: tuple[tuple[str, int], ...]  # (language, bytes), most bytes first
    homepage: str
    html_url: str
    clone_url: str
    default_branch: str
    created: dt.datetime | None
    pushed: dt.datetime | None
    license: str | None  # SPDX id
    stars: int
    archived: bool
    fork: bool
    readme: str | None  # text of the README, None when there is none


@dataclass(frozen=True)
class RepoSummary:
    full_name: str
    name: str
    description: str
    html_url: str
    stars: int
    fork: bool
    private: bool


@dataclass(frozen=True)
class RemoteFile:
    path: str
    text: str
    sha: str  # blob sha, the compare-and-swap token of the contents API


@dataclass(frozen=True)
class WriteResult:
    """``committed`` (with ``commit``), ``conflict`` (stale sha) or ``protected`` (refused)."""

    outcome: str
    commit: str = ""
    message: str = ""


@dataclass(frozen=True)
class PullResult:
    number: int
    url: str
    created: bool


class GithubClient:
    """A PyGithub session with bounded retries and errors turned into one-line GithubErrors."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.host = urlsplit(settings.api_url).hostname or settings.api_url
        retry = BoundedRetry(
            total=settings.retries,
            backoff_factor=0.5,
            backoff_max=min(8.0, settings.max_wait),
            max_wait=settings.max_wait,
            deadline=time.monotonic() + settings.budget,
        )
        auth = Auth.Token(settings.token) if settings.token else None
        self._gh = Github(
            auth=auth,
            base_url=settings.api_url,
            timeout=settings.timeout,
            retry=retry,
            per_page=100,
            lazy=True,  # objects are fetched when read: no GET before a PATCH or a PUT
            # A few sequential requests per command; rate limits are handled by the retry.
            seconds_between_requests=None,
            seconds_between_writes=None,
        )

    def close(self) -> None:
        self._gh.close()

    def __enter__(self) -> GithubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def errors(self, what: str) -> Iterator[None]:
        """Turn anything PyGithub, requests or urllib3 raise into a one-line GithubError."""
        try:
            yield
        except GithubError:
            raise
        except GithubException as exc:
            raise GithubError(self.settings.scrub(describe(exc, what, self.settings))) from None
        except requests.exceptions.Timeout:
            raise GithubError(
                self.settings.scrub(
                    f"cannot reach GitHub at {self.settings.api_url}: no answer within "
                    f"{self.settings.timeout} s ({what})"
                )
            ) from None
        except (requests.exceptions.ConnectionError, MaxRetryError, OSError) as exc:
            reason = _connection_reason(exc)
            raise GithubError(
                self.settings.scrub(
                    f"cannot reach GitHub at {self.settings.api_url}: {reason} ({what})"
                )
            ) from None
        except requests.exceptions.RequestException as exc:
            raise GithubError(
                self.settings.scrub(f"request to GitHub failed ({what}): {type(exc).__name__}")
            ) from None
        except (
            AttributeError,
            AssertionError,
            KeyError,
            TypeError,
            ValueError,
            BadAttributeException,
        ):
            # PyGithub asserts on, or trips over, answers that are not GitHub's (a wrong
            # --api-url serving HTML, a proxy's error page): name the URL, not the traceback.
            raise GithubError(
                self.settings.scrub(
                    f"unexpected answer from {self.settings.api_url} while {what}: is it a "
                    "GitHub API root (https://api.github.com, https://HOST/api/v3)?"
                )
            ) from None

    def _repo(self, full_name: str) -> Repository:
        """The repository, fetched now (GET /repos/OWNER/NAME), so a 404 names it first."""
        return self._gh.get_repo(full_name).complete()

    # -- settings ------------------------------------------------------------------------------

    def repo_settings(self, full_name: str) -> RepoSettings:
        with self.errors(f"reading {full_name}"):
            repo = self._repo(full_name)
            return RepoSettings(
                full_name=repo.full_name,
                owner=repo.owner.login,
                name=repo.name,
                description=repo.description or "",
                homepage=repo.homepage or "",
                topics=tuple(repo.topics if repo.topics is not None else repo.get_topics()),
                default_branch=repo.default_branch,
                html_url=repo.html_url,
            )

    def update_settings(
        self,
        full_name: str,
        *,
        description: str | None = None,
        homepage: str | None = None,
        topics: tuple[str, ...] | None = None,
    ) -> None:
        """PATCH only the fields given; PUT the topics only when given."""
        with self.errors(f"updating {full_name}"):
            repo = self._gh.get_repo(full_name)
            changes: dict[str, Any] = {}
            if description is not None:
                changes["description"] = description
            if homepage is not None:
                changes["homepage"] = homepage
            if changes:
                # edit() needs the name (it is part of PATCH /repos); it is the current one.
                repo.edit(name=full_name.split("/", 1)[1], **changes)
            if topics is not None:
                repo.replace_topics(list(topics))

    # -- import --------------------------------------------------------------------------------

    def repo_facts(self, full_name: str) -> RepoFacts:
        with self.errors(f"reading {full_name}"):
            repo = self._repo(full_name)
            # PyGithub adds a "url" key to the {language: bytes} answer; keep the counts only.
            counts = {k: v for k, v in repo.get_languages().items() if isinstance(v, int)}
            languages = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            try:
                readme: str | None = repo.get_readme().decoded_content.decode("utf-8", "replace")
            except UnknownObjectException:
                readme = None
            spdx = repo.license.spdx_id if repo.license is not None else None
            return RepoFacts(
                full_name=repo.full_name,
                owner=repo.owner.login,
                name=repo.name,
                description=(repo.description or "").strip(),
                topics=tuple(repo.topics or ()),
                languages=tuple(languages),
                homepage=(repo.homepage or "").strip(),
                html_url=repo.html_url,
                clone_url=repo.clone_url,
                default_branch=repo.default_branch,
                created=repo.created_at,
                pushed=repo.pushed_at,
                license=None if spdx in (None, "", "NOASSERTION") else spdx,
                stars=repo.stargazers_count,
                archived=repo.archived,
                fork=repo.fork,
                readme=readme,
            )

    def list_owned(self, owner: str | None) -> list[RepoSummary]:
        """Public repositories of ``owner`` (default: the token's user), forks included."""
        what = f"listing {owner or 'your'} repositories"
        with self.errors(what):
            if owner is None:
                if not self.settings.token:
                    raise GithubError("--all-mine without OWNER needs a token: set GITHUB_TOKEN")
                repos = self._gh.get_user().get_repos(visibility="public", affiliation="owner")
            else:
                repos = self._gh.get_user(owner).get_repos(type="owner")
            return [
                RepoSummary(
                    full_name=r.full_name,
                    name=r.name,
                    description=r.description or "",
                    html_url=r.html_url,
                    stars=r.stargazers_count,
                    fork=r.fork,
                    private=r.private,
                )
                for r in repos
            ]

    # -- README publishing ---------------------------------------------------------------------

    def default_branch(self, full_name: str) -> str:
        with self.errors(f"reading {full_name}"):
            return self._repo(full_name).default_branch

    def read_file(self, full_name: str, path: str, ref: str) -> RemoteFile | None:
        with self.errors(f"reading {path} of {full_name}@{ref}"):
            repo = self._gh.get_repo(full_name)
            try:
                found = repo.get_contents(path, ref=ref)
            except UnknownObjectException:
                return None
            if isinstance(found, list):
                raise GithubError(f"{full_name}: {path} is a folder, expected a file")
            return RemoteFile(path, found.decoded_content.decode("utf-8"), found.sha)

    def write_file(
        self, full_name: str, path: str, text: str, *, sha: str, branch: str, message: str
    ) -> WriteResult:
        """Compare-and-swap: the contents API refuses (409) when ``sha`` is not current."""
        with self.errors(f"committing {path} to {full_name}@{branch}"):
            repo = self._gh.get_repo(full_name)
            try:
                result = repo.update_file(path, message, text, sha, branch=branch)
            except GithubException as exc:
                if isinstance(exc, (BadCredentialsException, RateLimitExceededException)):
                    raise
                detail = _message(exc)
                if exc.status in (403, 409, 422) and PROTECTED.search(detail):
                    return WriteResult("protected", message=detail)
                if exc.status == 409 or (exc.status == 422 and "sha" in detail.lower()):
                    return WriteResult("conflict", message=detail)
                raise
            commit = result["commit"]
            return WriteResult("committed", commit=getattr(commit, "sha", "") or "")

    def propose_file(
        self,
        full_name: str,
        path: str,
        text: str,
        *,
        base: str,
        head: str,
        message: str,
        title: str,
        body: str,
    ) -> PullResult:
        """Put ``text`` on branch ``head`` (reset to ``base``) and open or update its pull request.

        ``head`` belongs to the toolkit: it is reset to ``base`` each time, so the pull request
        always shows exactly one regeneration on top of the current base.
        """
        with self.errors(f"opening a pull request on {full_name}"):
            repo = self._gh.get_repo(full_name)
            base_sha = repo.get_branch(base).commit.sha
            try:
                repo.create_git_ref(f"refs/heads/{head}", base_sha)
            except GithubException as exc:
                if exc.status != 422:
                    raise
                ref = repo.get_git_ref(f"heads/{head}")
                if ref.object.sha != base_sha:  # completes the ref (its canonical URL) first
                    ref.edit(base_sha, force=True)
            current = repo.get_contents(path, ref=head)
            assert not isinstance(current, list)
            if current.decoded_content.decode("utf-8") != text:
                repo.update_file(path, message, text, current.sha, branch=head)
            owner = full_name.split("/", 1)[0]
            for pull in repo.get_pulls(state="open", head=f"{owner}:{head}", base=base):
                if pull.body != body or pull.title != title:
                    pull.edit(title=title, body=body)
                return PullResult(pull.number, pull.html_url, created=False)
            pull = repo.create_pull(base=base, head=head, title=title, body=body)
            return PullResult(pull.number, pull.html_url, created=True)


def _message(exc: GithubException) -> str:
    data = exc.data
    text = ""
    if isinstance(data, dict):
        text = str(data.get("message") or "")
        errors = data.get("errors")
        if isinstance(errors, list):
            extra = [str(e.get("message", e) if isinstance(e, dict) else e) for e in errors]
            text = "; ".join([t for t in [text, *extra] if t])
    elif isinstance(data, str):
        text = data
    return " ".join((text or exc.message or "").split())


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _is_rate_limited(exc: GithubException) -> bool:
    if isinstance(exc, RateLimitExceededException):
        return True
    if exc.status == 429:
        return True
    return exc.status == 403 and (
        _header(exc.headers, "X-RateLimit-Remaining") == "0"
        or bool(_header(exc.headers, "Retry-After"))
    )


def describe(exc: GithubException, what: str, settings: Settings) -> str:
    """One line for a GithubException: what failed, why, what to do (token-free)."""
    status = exc.status
    detail = _message(exc)
    if status == 401 or isinstance(exc, BadCredentialsException):
        if not settings.token:
            return f"GitHub needs authentication (401) for {what}: set GITHUB_TOKEN or GH_TOKEN"
        return (
            f"GitHub refused the token (401 {detail or 'Bad credentials'}) while {what}: "
            "check GITHUB_TOKEN or GH_TOKEN"
        )
    if _is_rate_limited(exc):
        return f"GitHub rate limit reached ({status}) while {what}: {_rate_hint(exc, settings)}"
    if status == 403:
        return (
            f"GitHub refused access (403{': ' + detail if detail else ''}) while {what}: "
            "the token lacks the permission (repository administration or contents: write)"
        )
    if status == 404:
        return (
            f"not found (404) while {what}: check the name, and that the token can see "
            "the repository"
        )
    if status >= 500:
        return f"GitHub failed ({status}{': ' + detail if detail else ''}) while {what}; try later"
    return f"GitHub answered {status}{': ' + detail if detail else ''} while {what}"


def _rate_hint(exc: GithubException, settings: Settings) -> str:
    after = _header(exc.headers, "Retry-After")
    reset = _header(exc.headers, "X-RateLimit-Reset")
    primary = _header(exc.headers, "X-RateLimit-Remaining") == "0"
    wait = exc.wait if isinstance(exc, RateLimitExceededExceedsMaxWait) else None
    if after.isdigit() and int(after) > settings.max_wait:
        return (
            f"it asks to wait {after} s, more than the {settings.max_wait:g} s this command "
            "waits; try again later"
        )
    if primary and reset.isdigit():
        when = dt.datetime.fromtimestamp(int(reset), dt.timezone.utc).strftime("%H:%M:%S UTC")
        return f"the limit resets at {when}; try again then"
    if wait is not None and wait > settings.max_wait:
        return f"it needs a wait of {wait:.0f} s; try again later"
    return (
        f"still limited after {settings.retries} retries or {settings.budget:g} s; try again later"
    )


def _connection_reason(exc: BaseException) -> str:
    text = repr(exc).lower()
    if "refused" in text:
        return "connection refused"
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or "failed to resolve" in text
        or "getaddrinfo" in text
    ):
        return "unknown host"
    if "timed out" in text or "timeout" in text:
        return "timed out"
    if "ssl" in text or "certificate" in text:
        return "TLS error"
    return "network error"
