"""Writers: the record out as JSON, CSV and the other forms. They never re-parse."""
