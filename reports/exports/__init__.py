"""Downloads of an inspection: the XLSX data workbook, the CSV of answers, the PDF report and
the CSV of the report's figures.

Each is built in memory (or streamed) per request: nothing is written to the server's disk.
"""

from inspection.models import Inspection


def download_filename(inspection: Inspection, extension: str) -> str:
    """'blackburn-with-darwen-2023-03-27.xlsx': the PDU (or 'north-west-region') and the
    fieldwork start."""
    return f"{inspection.slug}-{inspection.fieldwork_start.isoformat()}.{extension}"
