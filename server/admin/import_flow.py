"""The console's import flow, shared by Units and People: upload a CSV/XLSX file, keep it
server-side (upload_staging), show the dry run, apply it. Each page supplies only its own
kind, templates and planner."""

from flask import Response, abort, redirect, render_template, request, url_for

from server.admin.i18n import tr
from server.tabular import TableProblem, read_table
from server.upload_staging import StagedUpload, load, stage


def receive_upload(kind: str, actor_id: int, form_template: str):
    """The posted file staged and the browser sent to its dry run; or the upload form again
    (400) saying what is wrong with the file."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        error = tr("Hãy chọn một tệp CSV hoặc XLSX.", "Choose a CSV or XLSX file.")
        return render_template(form_template, error=error), 400
    try:
        table = read_table(upload.filename, upload.read())
    except TableProblem as problem:
        return render_template(form_template, error=tr(problem.message_vi, problem.message_en)), 400
    token = stage(kind, actor_id, upload.filename, table)
    return redirect(url_for(".import_plan", token=token))


def staged_or_404(kind: str, token: str, actor_id: int) -> StagedUpload:
    staged = load(kind, token, actor_id)
    if staged is None:
        abort(404)
    return staged


def template_download(text: str, filename: str) -> Response:
    """A sample file to fill in (with a byte-order mark so spreadsheets read UTF-8)."""
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})
