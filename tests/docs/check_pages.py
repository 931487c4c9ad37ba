#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that README.md and docs/*.md still describe the tree (ctest docs-pages):

- every relative link [text](path#anchor) names an existing file, and the anchor a heading there;
- every repository path written in backquotes (`port/lwip/errors.cpp`, `scripts/firmware`) exists,
  so a moved file shows up here rather than in a reader's search;
- every page in docs/ is linked from README.md, and README.md has at most 250 lines.

Usage: check_pages.py ROOT. Prints one line per problem, exits 1 when there is one.
"""
import os
import re
import sys

TOP = ("core", "port", "examples", "tests", "scripts", "cmake", "toolchains", "docs", "board", "driver", "lwip")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
FENCE = re.compile(r"^\s*(```|~~~)")


def slug(heading):
    """GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def prose(path):
    """(line number, text) of the lines outside fenced blocks."""
    inside = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if FENCE.match(line):
                inside = not inside
                continue
            if not inside:
                yield n, line


def anchors(path):
    return {slug(line.lstrip("#")) for _, line in prose(path) if line.startswith("#")}


def main():
    root = sys.argv[1]
    pages = [os.path.join(root, "README.md")]
    docs = os.path.join(root, "docs")
    if os.path.isdir(docs):
        pages += sorted(os.path.join(docs, p) for p in os.listdir(docs) if p.endswith(".md"))
    problems = []
    for page in pages:
        rel = os.path.relpath(page, root)
        for n, line in prose(page):
            for target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target):
                    continue  # http:, https:, mailto:
                path, _, anchor = target.partition("#")
                full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
                if not os.path.exists(full):
                    problems.append(f"{rel}:{n}: link to a missing file: {target}")
                elif anchor and full.endswith(".md") and anchor not in anchors(full):
                    problems.append(f"{rel}:{n}: link to a missing heading: {target}")
            for token in CODE.findall(line):
                token = token.rstrip(".,:;")
                if "/" not in token or token.split("/")[0] not in TOP or re.search(r"[*<>{}$|]|\.\.\.", token):
                    continue
                if not os.path.exists(os.path.join(root, token)):
                    problems.append(f"{rel}:{n}: no such path in the tree: {token}")
    with open(pages[0], encoding="utf-8") as f:
        front = f.read()
    for page in pages[1:]:
        name = "docs/" + os.path.basename(page)
        if f"({name}" not in front:
            problems.append(f"README.md: does not link {name}")
    lines = front.count("\n")
    if lines > 250:
        problems.append(f"README.md: {lines} lines, more than the front page's 250")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
