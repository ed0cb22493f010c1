"""The floor for `folio check`: read each README, parse its front matter with the C YAML
loader, and scan its headings. Nothing less can validate a write-up."""

from __future__ import annotations

import os
import sys

import yaml


def main(root: str) -> int:
    projects = os.path.join(root, "projects")
    headings = 0
    for name in sorted(os.listdir(projects)):
        try:
            with open(os.path.join(projects, name, "README.md"), encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            continue
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end != -1:
                yaml.load(text[4:end], Loader=yaml.CSafeLoader)
                text = text[end + 5 :]
        headings += sum(1 for line in text.splitlines() if line.startswith("#"))
    print(headings)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
