"""Files uploaded in the admin to import sources: pure, no database.

An upload is one ``.zip`` of ``.md`` files, or ``.md`` files packed into a zip here,
so that a pending import keeps a single blob. Unpacking never writes to disk and
never trusts a member's name or its declared size.
"""

import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from learn.sources import Failure, Source, skip_reason

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 10_000
# The parser refuses files over 1 MiB; read one byte more to know a member is too big.
MAX_MEMBER_BYTES = 1_048_576
MAX_TOTAL_BYTES = 200 * 1024 * 1024


class UploadError(ValueError):
    """An upload that cannot be imported at all (not a zip, too big)."""


def pack(files: list[tuple[str, bytes]]) -> bytes:
    """One uploaded ``.zip`` as it is, or ``.md`` files zipped under their base names."""
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        return files[0][1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            if not name.lower().endswith(".md"):
                raise UploadError(f"{name}: upload .md files, or one .zip of them")
            archive.writestr(PurePosixPath(name).name, data)
    return buffer.getvalue()


def unpack(data: bytes) -> tuple[Iterator[Source], list[Failure]]:
    """The ``.md`` members of a zip as sources, and every member skipped with why.

    Members are read one at a time as the sources are iterated, so that an import holds
    a chunk of them, not the whole upload; ``skipped`` is complete once they all have
    been. A zip that unpacks to too much in all raises UploadError while it is read.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"the upload is {len(data)} bytes, over {MAX_UPLOAD_BYTES}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError("not a zip file") from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_MEMBERS:
        archive.close()
        raise UploadError(f"the zip holds {len(members)} files, over {MAX_MEMBERS}")
    skipped = []
    return _read(archive, members, skipped), skipped


def _read(archive, members, skipped) -> Iterator[Source]:
    total = 0
    with archive:
        for info in members:
            reason = _skip_reason(info)
            if reason is None:
                try:
                    with archive.open(info) as member:
                        content = member.read(MAX_MEMBER_BYTES + 1)
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
                    content, reason = b"", f"skipped: cannot be read ({error})"
                if len(content) > MAX_MEMBER_BYTES:
                    reason = f"skipped: larger than {MAX_MEMBER_BYTES} bytes"
            if reason is not None:
                skipped.append(Failure(info.filename, reason))
                continue
            total += len(content)
            if total > MAX_TOTAL_BYTES:
                raise UploadError(f"the zip unpacks to more than {MAX_TOTAL_BYTES} bytes")
            yield Source(info.filename, content)


def _skip_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    path = PurePosixPath(name)
    if "\\" in name or path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return "skipped: unsafe path"
    if path.parts[0] == "__MACOSX" or path.name.startswith("._"):
        return "skipped: macOS metadata"
    if path.suffix.lower() != ".md":
        return "skipped: not a .md file"
    if reason := skip_reason(name):
        return reason
    if info.flag_bits & 0x1:
        return "skipped: encrypted"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"skipped: larger than {MAX_MEMBER_BYTES} bytes"
    return None
