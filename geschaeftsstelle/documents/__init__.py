"""PDF documents made with ReportLab (no Qt): the command line, the tests and the window make the same files."""
