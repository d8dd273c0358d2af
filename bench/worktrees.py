"""Earlier revisions of the code, checked out beside this one, for before-and-after runs."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_worktree(revision: str, *scripts: Path) -> Path:
    """A git worktree of `revision`, with these files of the code as it is now copied in
    at the same places (the benchmark's own script, so both runs measure the same way)."""
    folder = Path(tempfile.mkdtemp()) / revision[:8]
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for script in scripts:
        shutil.copy(script, folder / script.resolve().relative_to(ROOT))
    return folder


def remove_worktree(folder: Path) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=True)
