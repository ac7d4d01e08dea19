"""A dossier's path told to its applicant: what happened, what happens now, what comes next.

Officials' names stay in the office; the citizen sees which agency does what and when it finished.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, Status, Task, TaskKind, TaskState


@dataclass(frozen=True)
class PlainStep:
    text: str
    state: str  # done, active, pending, skipped: the page's marker
    at: dt.datetime | None = None


def _task_text(task: Task) -> str:
    where = task.agency.name if task.agency is not None else ""
    if task.kind == TaskKind.INTAKE:
        return _("Bộ phận một cửa kiểm tra hồ sơ và chuyển đi xử lý")
    if task.kind == TaskKind.OBLIGATION:
        return _("Thực hiện nghĩa vụ tài chính (thời gian này không tính vào thời hạn): %(name)s") % {"name": task.name}
    if task.kind == TaskKind.RETURNING:
        return _("Trả kết quả")
    return f"{where}: {task.name}" if where else task.name


def plain_steps(dossier: Dossier, tasks: Sequence[Task]) -> list[PlainStep]:
    found = [PlainStep(_("Bạn gửi hồ sơ trực tuyến"), "done", dossier.submitted_at)]
    if dossier.status == Status.REJECTED_AT_INTAKE:
        return [*found, PlainStep(_("Bộ phận một cửa từ chối tiếp nhận hồ sơ"), "done", dossier.closed_at)]
    found.append(
        PlainStep(
            _("Bộ phận một cửa tiếp nhận hồ sơ"), "done" if dossier.received_at else "active", dossier.received_at
        )
    )
    for task in tasks:
        state = {TaskState.DONE: "done", TaskState.ACTIVE: "active", TaskState.SKIPPED: "skipped"}.get(
            TaskState(task.state), "pending"
        )
        found.append(PlainStep(_task_text(task), state, task.finished_at))
    if dossier.status in (Status.WITHDRAWN, Status.STOPPED):
        found.append(PlainStep(str(Status(dossier.status).label), "done", dossier.closed_at))
    return found
