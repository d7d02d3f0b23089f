"""`flask forms`: import and export XLSForm workbooks, publish definitions."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from server.extensions import db
from server.forms.models import FormVersion
from server.forms.services import DefinitionError, publish_definition
from server.forms.xlsform import XLSFormError, export_xlsform, format_row_problem, import_xlsform

forms_cli = AppGroup("forms", help="Import, export and publish forms.")


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    raise SystemExit(1)


def _read_xlsform(path: Path) -> dict:
    if path.suffix.lower() != ".xlsx":
        _fail([f"{path.name}: cần một tệp XLSForm .xlsx (lưu từ Excel hoặc LibreOffice) / "
               "needs an XLSForm .xlsx workbook (save it as .xlsx from Excel or LibreOffice)."])
    try:
        definition, warnings = import_xlsform(path, fallback_name=path.stem)
    except XLSFormError as error:
        for warning in error.warnings:
            click.echo("cảnh báo / warning: " + format_row_problem(warning), err=True)
        _fail([f"{format_row_problem(p, 'vi')} | {p['message']['en']}" for p in error.problems])
    for warning in warnings:
        click.echo("cảnh báo / warning: " + format_row_problem(warning), err=True)
    return definition


@forms_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path):
    """Convert an XLSForm .xlsx and print our definition (JSON)."""
    click.echo(json.dumps(_read_xlsform(file), ensure_ascii=False, indent=2))


@forms_cli.command("export")
@click.argument("version_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(version_id: int, file: Path):
    """Write form version VERSION_ID as an XLSForm workbook."""
    version = db.session.get(FormVersion, version_id)
    if version is None:
        _fail([f"Không có phiên bản biểu mẫu {version_id}. / No form version {version_id}."])
    export_xlsform(version.definition, version=version.version).save(file)
    click.echo(f"Đã ghi / written: {file}")


@forms_cli.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def publish_command(file: Path):
    """Publish a definition (.json) or an XLSForm (.xlsx) as a new version."""
    if file.suffix.lower() == ".xlsx":
        definition = _read_xlsform(file)
    else:
        try:
            definition = json.loads(file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            _fail([f"Tệp không phải JSON hợp lệ / not valid JSON: {error}"])
    try:
        version = publish_definition(definition)
    except DefinitionError as error:
        db.session.rollback()
        _fail([f"{line} | {problem['message']['en']}"
               for line, problem in zip(error.lines("vi"), error.errors, strict=True)])
    db.session.commit()
    click.echo(f"Đã xuất bản / published: {version.form.name} phiên bản / version {version.version} "
               f"(id {version.id})")
