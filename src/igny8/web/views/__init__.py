"""HTML views, one module per area. Each is thin: resolve the workspace, call the same services and
selectors as the REST API, render."""
