"""Build the compiled glyph loop of the pdfium engine (parser/readers/pdfium_chars.c).

``make`` runs this at install (``python -m parser.readers.pdfium_build``); without it the
engine reads glyphs through ctypes, the same characters several times slower. The library
is compiled to a temporary file beside its target and renamed into place, so a failed or
interrupted build never leaves a half-written library; it carries the hash of the source it
was built from, and the reader refuses one built from another source (a stale build).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("pdfium_chars.c")
TARGET = Path(__file__).with_name("_pdfium_chars.so.0")
"""Named .so.0, not .so: a plain shared object, not a Python extension, so module walkers
(pkgutil) do not try to import it."""


def source_hash(source: Path = SOURCE) -> str:
    """What the library must report from ``pdfium_chars_source()`` to be loaded."""
    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def compiler() -> str | None:
    """The C compiler: $CC, else cc, gcc or clang on the PATH."""
    for name in ([os.environ["CC"]] if os.environ.get("CC") else []) + ["cc", "gcc", "clang"]:
        found = shutil.which(name.split()[0])
        if found:
            return found
    return None


def build(target: Path = TARGET, source: Path = SOURCE) -> Path:
    """Compile ``source`` into ``target`` (atomically); raise RuntimeError with the reason."""
    cc = compiler()
    if cc is None:
        raise RuntimeError("no C compiler (cc, gcc or clang; scripts/install_system_deps.sh installs gcc)")
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        # -ffp-contract=off: no fused multiply-add, so the coordinates are the very doubles
        # Python's arithmetic gives on the ctypes path.
        cmd = [cc, "-O2", "-shared", "-fPIC", "-std=c99", "-ffp-contract=off", "-Wall", "-Werror",
               f'-DPDFIUM_CHARS_SOURCE="{source_hash(source)}"', "-o", tmp, str(source)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(cc).name} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:500]}")
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def built_from(target: Path = TARGET) -> str | None:
    """The source hash a built library reports, or None where there is none that loads."""
    import ctypes

    if not target.exists():
        return None
    try:
        lib = ctypes.CDLL(str(target))
        lib.pdfium_chars_source.restype = ctypes.c_char_p
        return (lib.pdfium_chars_source() or b"").decode("ascii", "replace")
    except (OSError, AttributeError):
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parser.readers.pdfium_build", description=__doc__.splitlines()[0])
    ap.add_argument("--optional", action="store_true",
                    help="without a C compiler, say so and succeed (the engine then reads glyphs through ctypes)")
    ap.add_argument("--if-needed", action="store_true",
                    help="build only when there is no library built from the present source")
    args = ap.parse_args(argv)
    if args.if_needed and built_from() == source_hash():
        return 0
    if args.optional and compiler() is None:
        print("pdfium_build: no C compiler; the pdfium engine will read glyphs through ctypes (slower)",
              file=sys.stderr)
        return 0
    try:
        path = build()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"pdfium_build: {exc}", file=sys.stderr)
        return 1
    print(f"pdfium_build: built {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
