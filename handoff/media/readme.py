"""README.TXT on every disc: what the disc is and how to open it — ids, sizes and hashes, no personal data.

UTF-8 with BOM and CRLF: Windows Notepad (old and new) shows the Japanese text correctly with a BOM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handoff.media.layout import Part


def readme_text(
    job_id: str,
    medium_id: str,
    index: int,
    count: int,
    zip_sha256: str,
    zip_size: int,
    parts: Sequence[Part],
    created: dt.datetime | None = None,
) -> bytes:
    first = parts[0].name
    lines = [
        "handoff 受渡し媒体 / handoff handover medium",
        "",
        f"ジョブID / Job ID        : {job_id}",
        f"媒体ID / Medium ID       : {medium_id}  ({index} / {count})",
    ]
    if created is not None:
        lines.append(f"作成日時 / Created       : {created.isoformat(timespec='seconds')}")
    lines += [
        f"ZIP のサイズ / ZIP size  : {zip_size} bytes",
        f"ZIP の SHA-256           : {zip_sha256}",
        "",
        "収録ファイル / Files:",
    ]
    for i, part in enumerate(parts, 1):
        mark = " ← この媒体 / this disc" if i == index else ""
        lines.append(f"  {part.name}  {part.length} bytes  SHA-256 {part.sha256}{mark}")
    lines += ["", "開き方 / How to open:"]
    if count == 1:
        lines += [
            f"1. {first} を作業用PCにコピーします。",
            "2. 7-Zip（https://www.7-zip.org/）で開き、パスワード通知書に記載の文字を区切りなしで入力します。",
            "   Windows のエクスプローラーでは AES-256 暗号化 ZIP は開けません。",
            f"3. 確認: certutil -hashfile {first} SHA256 の結果が上の SHA-256 と一致すること。",
        ]
    else:
        lines += [
            f"1. {count} 枚すべての媒体のファイルを同じフォルダにコピーします。",
            f"2. 7-Zip で {first} を開き、パスワード通知書に記載の文字を区切りなしで入力します。",
            "   （分割された1つの ZIP です。全部の媒体がそろわないと開けません。）",
            "3. 確認: 各ファイルの certutil -hashfile <ファイル名> SHA256 が上の一覧と一致すること。",
        ]
    lines += [
        "4. 業務終了後は媒体とパスワード通知書を返却し、"
        "複製したデータを消去して消去証明書を提出してください。",
        "",
        "Open with 7-Zip and type the password from the paper notice without separators.",
        "Return this disc and the notice after the job; erase all copies and submit a deletion certificate.",
    ]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
