"""The browser's widgets, one per module: paged tables (Line API), the document view, search bar."""
