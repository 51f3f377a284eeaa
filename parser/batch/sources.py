"""What a batch reads: files, folders and zip archives, each input named by a stable key.

A key is the path as the user gave it (normalised, ``/`` separators), or
``archive.zip!member/path`` for a zip member. Keys name rows in the manifest and in
every aggregate, so they must not depend on the order the file system lists things.

Zip member names are decoded the way archivers in China write them: a name without
the UTF-8 flag (bit 0x800) was stored in the archiver's code page, which ``zipfile``
has already decoded as cp437; we take those bytes back and try UTF-8 (some tools omit
the flag), then GBK. Members whose names would land outside the output folder if
extracted (absolute, drive letters, ``..``) are refused with an error row: nothing is
extracted, but a key that climbs out of its archive is a sign of a hostile archive.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from parser.errors import CorruptFile, MissingFile, TooLarge, UnsafePath
from parser.limits import Limits

DEFAULT_INCLUDE: tuple[str, ...] = (
    "*.txt", "*.docx", "*.doc", "*.wps", "*.rtf", "*.pdf", "*.html", "*.htm", "*.xlsx", "*.xls",
)
"""Formats the readers handle; used when no ``--include`` is given."""

UTF8_FLAG = 0x800


@dataclass(frozen=True, slots=True)
class Item:
    """One input to parse. ``member`` is set for zip members; ``path`` is the file or archive."""

    key: str
    path: str
    member: str | None = None
    stamp: str = ""
    """Cheap change signal: size+mtime of a file, size+CRC of a member."""
    size: int = 0


@dataclass(frozen=True, slots=True)
class SourceError:
    """An input refused before parsing (unsafe member, unreadable archive)."""

    key: str
    stage: str
    code: str
    reason: str


def _posix(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def matches(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Globs with a ``/`` match the relative path; others the base name. Case-insensitive."""
    rel_l = rel.lower()
    base = rel_l.rsplit("/", 1)[-1]

    def hit(patterns: Iterable[str]) -> bool:
        for pat in patterns:
            p = pat.lower()
            target = rel_l if "/" in p else base
            if fnmatch.fnmatchcase(target, p) or ("/" in p and fnmatch.fnmatchcase(rel_l, "*/" + p)):
                return True
        return False

    return hit(include or DEFAULT_INCLUDE) and not hit(exclude)


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: see the module docstring for the order of guesses."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def unsafe_reason(name: str) -> str | None:
    """Why a member name would escape the folder it is extracted into, or None."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "absolute member path"
    if ".." in norm.split("/"):
        return "member path climbs out with '..'"
    return None


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}"


def _zip_items(path: str, key: str, include: Sequence[str], exclude: Sequence[str],
               limits: Limits) -> tuple[list[Item], list[SourceError]]:
    items: list[Item] = []
    errors: list[SourceError] = []
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:  # "zip file version 8.4"
        return [], [SourceError(key, "read", CorruptFile.code, f"unreadable zip archive: {exc}"[:300])]
    if len(infos) > limits.max_members:
        return [], [SourceError(key, "read", TooLarge.code,
                                f"{len(infos)} members is over the limit of {limits.max_members}")]
    seen: set[str] = set()
    for info in infos:
        if info.is_dir():
            continue
        name = decode_member_name(info)
        member_key = f"{key}!{name}"
        reason = unsafe_reason(name)
        if reason:
            errors.append(SourceError(member_key, UnsafePath.stage, UnsafePath.code, reason))
            continue
        if not matches(_posix(name), include, exclude) or member_key in seen:
            continue
        seen.add(member_key)
        items.append(Item(member_key, path, info.filename, f"{info.file_size}:{info.CRC:08x}", info.file_size))
    return items, errors


def _walk(root: str, skip: str | None) -> Iterator[str]:
    """Every regular file under ``root``, sorted, skipping hidden entries and the output folder."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and (skip is None or os.path.abspath(os.path.join(dirpath, d)) != skip))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield os.path.join(dirpath, name)


def collect(sources: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
            limits: Limits | None = None, output_dir: str | None = None) -> tuple[list[Item], list[SourceError]]:
    """Expand the command line into items (sorted by key) and refused inputs."""
    limits = limits or Limits()
    skip = os.path.abspath(output_dir) if output_dir else None
    items: dict[str, Item] = {}
    errors: list[SourceError] = []

    def add_file(path: str, rel: str, explicit: bool) -> None:
        key = _posix(path)
        if path.lower().endswith(".zip"):
            if not explicit and not matches(rel, ("*.zip",), exclude):
                return
            found, bad = _zip_items(path, key, include, exclude, limits)
            items.update((i.key, i) for i in found)
            errors.extend(bad)
            return
        if not explicit and not matches(rel, include, exclude):
            return
        try:
            st = os.stat(path)
        except OSError as exc:
            errors.append(SourceError(key, "read", MissingFile.code, f"cannot stat: {exc.strerror}"))
            return
        items[key] = Item(key, path, None, _stamp(st), st.st_size)

    for src in sources:
        try:
            mode = os.stat(src).st_mode
        except OSError:
            errors.append(SourceError(_posix(src), "read", MissingFile.code, "no such file or folder"))
            continue
        if stat.S_ISDIR(mode):
            for path in _walk(src, skip):
                add_file(path, _posix(os.path.relpath(path, src)), explicit=False)
        else:
            add_file(src, os.path.basename(src), explicit=True)
    return sorted(items.values(), key=lambda i: i.key), sorted(errors, key=lambda e: e.key)


def read_member(path: str, member: str, limits: Limits, cache: dict[str, zipfile.ZipFile] | None = None) -> bytes:
    """The member's bytes, refusing members over the size or inflate-ratio limits.

    The declared size can lie, so at most ``max_bytes + 1`` bytes are inflated.
    ``cache`` keeps the last archive open: a chunk of members of one archive then
    reads its central directory once.
    """
    zf = cache.get(path) if cache is not None else None
    if zf is None:
        if cache:
            for old in cache.values():
                old.close()
            cache.clear()
        zf = zipfile.ZipFile(path)
        if cache is not None:
            cache[path] = zf
    info = zf.getinfo(member)
    if info.file_size > limits.max_bytes:
        raise TooLarge(f"{info.file_size} bytes is over the limit of {limits.max_bytes}")
    if info.compress_size and info.file_size / info.compress_size > limits.max_zip_ratio:
        raise TooLarge(f"inflate ratio {info.file_size / info.compress_size:.0f} is over {limits.max_zip_ratio:g}")
    with zf.open(info) as fh:
        data = fh.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"member inflates past the limit of {limits.max_bytes} bytes")
    return data
