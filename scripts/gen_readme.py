"""Generate each module's README.rst from its readme/ fragments.

The fragments (DESCRIPTION.md, CONFIGURE.md, USAGE.md, ...) are what people
edit; README.rst is generated, the way OCA's oca-gen-addon-readme does it, and
is never edited by hand. Usage: python3 scripts/gen_readme.py [--check]
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]


def md_to_rst(text):
    """The small Markdown subset our fragments use, as reStructuredText:
    headings, inline code, links, fenced code blocks and pipe tables."""
    lines = []
    source = text.strip().splitlines()
    index = 0
    while index < len(source):
        line = source[index]
        index += 1
        fence = re.match(r"^```(\w*)\s*$", line)
        if fence:
            language = fence.group(1)
            lines += [f".. code-block:: {language}" if language else "::", ""]
            while index < len(source) and not source[index].startswith("```"):
                lines.append(f"    {source[index]}".rstrip())
                index += 1
            index += 1  # the closing fence
            continue
        if (
            line.startswith("|")
            and index < len(source)
            and set(source[index].replace("|", "").strip()) <= set("-: ")
        ):
            rows = [line]
            index += 1  # the separator
            while index < len(source) and source[index].startswith("|"):
                rows.append(source[index])
                index += 1
            lines += table_to_rst(rows)
            continue
        heading = re.match(r"^(#+)\s+(.*)$", line)
        if heading:
            title = heading.group(2).strip()
            char = "~" if len(heading.group(1)) > 1 else "-"
            lines += [title, char * len(title)]
            continue
        lines.append(inline(line))
    return "\n".join(lines)


def inline(line):
    line = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", line)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", line)


def table_to_rst(rows):
    """A Markdown pipe table (header first) as a list-table."""
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        for position, cell in enumerate(cells):
            bullet = "   * - " if position == 0 else "     - "
            out.append(f"{bullet}{inline(cell)}".rstrip())
    return [*out, ""]


def render(module_dir):
    manifest = ast.literal_eval((module_dir / "__manifest__.py").read_text())
    name = manifest["name"]
    out = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        "..",
        "   !! This file is generated from the readme/ fragments by",
        "   !! scripts/gen_readme.py: edit the fragments, not this file.",
        "",
        f"*{manifest.get('summary', '').strip()}*",
        "",
        (
            f"| Version: {manifest['version']} | License: {manifest['license']}"
            f" | Maturity: {manifest.get('development_status', 'Alpha')}"
        ),
        "",
    ]
    readme = module_dir / "readme"
    for fragment, title in SECTIONS:
        path = readme / f"{fragment}.md"
        if not path.exists():
            continue
        if title:
            out += [title, "=" * len(title), ""]
        out += [md_to_rst(path.read_text()), ""]
    out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    out += ["Credits", "=======", "", "Authors", "-------", ""]
    out += [f"* {author.strip()}" for author in manifest["author"].split(",")]
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.exists():
        out += [
            "",
            "Contributors",
            "------------",
            "",
            md_to_rst(contributors.read_text()),
        ]
    out += ["", "Maintainers", "-----------", ""]
    out += [f"* {maintainer}" for maintainer in manifest.get("maintainers", [])]
    return "\n".join(out).rstrip() + "\n"


def main():
    check = "--check" in sys.argv
    stale = []
    for manifest in sorted(ROOT.glob("*/__manifest__.py")) + sorted(
        ROOT.glob("addons/*/__manifest__.py")
    ):
        module_dir = manifest.parent
        if not (module_dir / "readme").is_dir():
            continue
        target = module_dir / "README.rst"
        content = render(module_dir)
        if target.exists() and target.read_text() == content:
            continue
        if check:
            stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(content)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("README.rst out of date (run python3 scripts/gen_readme.py):", *stale)
        sys.exit(1)


if __name__ == "__main__":
    main()
