"""XLSForm import and export (the spreadsheet format ODK and KoboToolbox users write).

import_xlsform(path_or_file) -> (definition, warnings), raising XLSFormError whose
`problems` name the sheet and row of everything that cannot be converted;
export_xlsform(definition) -> an openpyxl Workbook.
"""

from server.forms.xlsform_common import XLSFormError, format_row_problem
from server.forms.xlsform_export import export_xlsform
from server.forms.xlsform_import import import_xlsform

__all__ = ["XLSFormError", "export_xlsform", "format_row_problem", "import_xlsform"]
