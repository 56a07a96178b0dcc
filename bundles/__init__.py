"""The inspection bundle (inspection-bundle/1): one JSON format for demo data, import and export."""

FORMAT = "inspection-bundle/1"
