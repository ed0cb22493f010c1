"""What `folio init` writes to requirements-folio.txt, from how this folio was installed (PEP
610's direct_url.json, in the shapes pip writes), on real git repositories for local folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import commit, git
from repofolio.installed import requirement_from, toolkit_requirement

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("direct", "spec", "why"),
    [
        (None, "repofolio>=1.2.0", "installed from a package index"),
        (
            {
                "url": "https://github.com/maya/repofolio.git",
                "vcs_info": {"vcs": "git", "commit_id": SHA},
            },
            f"repofolio @ git+https://github.com/maya/repofolio.git@{SHA}",
            "installed from that git URL, at commit 0123456789ab",
        ),
        (  # a token in the URL is never written into a committed file
            {
                "url": "https://x-access-token:ghs_secret@github.com/maya/repofolio",
                "vcs_info": {"vcs": "git", "commit_id": SHA, "requested_revision": "main"},
                "subdirectory": "tools",
            },
            f"repofolio @ git+https://github.com/maya/repofolio@{SHA}#subdirectory=tools",
            "from that git URL",
        ),
        (  # ssh: a runner has no key; the https URL of the same repository
            {
                "url": "ssh://git@github.com/maya/repofolio.git",
                "vcs_info": {"vcs": "git", "commit_id": SHA},
            },
            f"repofolio @ git+https://github.com/maya/repofolio.git@{SHA}",
            "from that git URL",
        ),
        (  # a git URL on this machine: nothing a runner reaches
            {"url": "file:///srv/git/repofolio", "vcs_info": {"vcs": "git", "commit_id": SHA}},
            "repofolio>=1.2.0",
            "installed from /srv/git/repofolio, which a CI runner cannot reach",
        ),
        (
            {
                "url": "https://example.org/dist/repofolio-1.2.0-py3-none-any.whl",
                "archive_info": {},
            },
            "repofolio @ https://example.org/dist/repofolio-1.2.0-py3-none-any.whl",
            "installed from that archive URL",
        ),
        (
            {"url": "file:///tmp/dist/repofolio-1.2.0-py3-none-any.whl", "archive_info": {}},
            "repofolio>=1.2.0",
            "resolves once 1.2.0 is on PyPI",
        ),
    ],
    ids=["index", "git-https", "git-token-subdir", "git-ssh", "git-local", "archive", "wheel-file"],
)
def test_requirement_from_direct_url(direct: dict[str, object] | None, spec: str, why: str) -> None:
    found = requirement_from(direct, "1.2.0")
    assert found.spec == spec
    assert why in found.why
    assert "ghs_secret" not in found.spec + found.why


def _checkout(tmp_path: Path, origin: str | None) -> tuple[Path, str]:
    folder = tmp_path / "repofolio"
    (folder / "tools").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    if origin:
        git(folder, "remote", "add", "origin", origin)
    (folder / "pyproject.toml").write_text('[project]\nname = "repofolio"\n', "utf-8")
    commit(folder, "the toolkit")
    return folder, git(folder, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("editable", [True, False])
def test_a_local_checkout_with_a_github_origin_gives_its_commit(
    tmp_path: Path, editable: bool
) -> None:
    folder, head = _checkout(tmp_path, "git@github.com:maya/repofolio.git")
    direct = {"url": folder.as_uri(), "dir_info": {"editable": editable}}
    found = requirement_from(direct, "1.2.0")
    assert found.spec == f"repofolio @ git+https://github.com/maya/repofolio.git@{head}"
    assert f"installed {'editable ' if editable else ''}from the local folder {folder}" in found.why
    assert f"({head[:12]}), which resolves once that commit is pushed" in found.why
    assert "uncommitted" not in found.why
    (folder / "pyproject.toml").write_text('[project]\nname = "changed"\n', "utf-8")
    assert (
        "uncommitted changes, which are not in that commit" in requirement_from(direct, "1.2.0").why
    )


def test_a_package_in_a_subfolder_of_the_checkout(tmp_path: Path) -> None:
    folder, head = _checkout(tmp_path, "https://github.com/maya/mono.git")
    direct = {"url": (folder / "tools").as_uri(), "dir_info": {}}
    spec = requirement_from(direct, "1.2.0").spec
    assert spec == f"repofolio @ git+https://github.com/maya/mono.git@{head}#subdirectory=tools"


@pytest.mark.parametrize("origin", [None, "/srv/git/repofolio"], ids=["no-origin", "local-origin"])
def test_a_local_checkout_without_a_reachable_origin_gives_the_release(
    tmp_path: Path, origin: str | None
) -> None:
    folder, _ = _checkout(tmp_path, origin)
    found = requirement_from({"url": folder.as_uri(), "dir_info": {"editable": True}}, "1.2.0")
    assert found.spec == "repofolio>=1.2.0"
    assert "no GitHub origin" in found.why and "once 1.2.0 is on PyPI" in found.why


def test_the_running_folio_is_described() -> None:
    """This test environment's own install (pip install -e .: a local folder)."""
    found = toolkit_requirement()
    assert found.spec.startswith("repofolio")
    assert "installed" in found.why
