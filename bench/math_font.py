"""Cut the math font into subsets by Unicode range (run by `make mathjs`).

Noto Sans Math (SIL OFL 1.1, pinned by mathjs/package-lock.json) is 233 kB whole, and a
page with math fetched all of it while it first rendered: Lighthouse's mobile run put
the article with math at 96 for performance, every other page at 100. fontTools'
subsetter cuts it into the subsets of SUBSETS, each keeping the MATH table with the
glyph variants and assemblies that stretch the delimiters of its characters; the
@font-face rules of static/css/math.css give each its ``unicode-range``, so that a page
fetches only the subsets its formulas use (every page with math needs "core", 89 kB;
some "bold" too, 18 kB). They are written to mathjs/fonts/, which settings.STATICFILES_DIRS
serves under static/fonts/.
"""

import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    ROOT
    / "mathjs"
    / "node_modules"
    / "@fontsource"
    / "noto-sans-math"
    / "files"
    / "noto-sans-math-math-400-normal.woff2"
)
TARGET = ROOT / "mathjs" / "fonts"
# Latin, Greek and combining marks; punctuation, letterlike symbols, arrows, operators
# and technical symbols (brackets, floors); the mathematical symbols of U+27C0-27FF
# (angle brackets, long arrows); and the italic letters, in which Chromium shows every
# one-letter variable (MathML's automatic italic). Then the bold letters, digits and
# Greek (vectors and matrices), the other styled letters (script, fraktur, blackboard,
# sans-serif, monospace), and the rest of what the font has.
SUBSETS = {
    "core": "U+0000-03FF,U+2000-23FF,U+27C0-27FF,U+1D434-1D467,U+1D6E2-1D71B",
    "bold": "U+1D400-1D433,U+1D468-1D49B,U+1D6A8-1D6E1,U+1D71C-1D755,U+1D7CE-1D7D7",
    "letters": "U+1D49C-1D6A7,U+1D756-1D7CD,U+1D7D8-1D7FF",
    "symbols": "U+2400-27BF,U+2800-2BFF,U+3000-FFFF,U+1EE00-1EEFF",
}


def subset_path(name: str) -> Path:
    return TARGET / f"noto-sans-math-{name}.woff2"


def main():
    if not SOURCE.is_file():
        sys.exit(f"math font: {SOURCE} is missing (npm ci --prefix mathjs installs it)")
    TARGET.mkdir(exist_ok=True)
    for name, ranges in SUBSETS.items():
        subset.main(
            [
                str(SOURCE),
                f"--unicodes={ranges}",
                "--layout-features=*",
                "--flavor=woff2",
                f"--output-file={subset_path(name)}",
            ]
        )


if __name__ == "__main__":
    main()
