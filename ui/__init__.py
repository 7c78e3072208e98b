"""The Streamlit glue between the pages and the logic, split by job.

- `store`: the DuckDB connection, cached queries and writes;
- `sidebar`: the shared filters, drawn in the sidebar and bound to the URL;
- `widgets`: output (a chart, the table behind it with its download, notes);
- `explore`: choices and clicks shared by the exploring pages;
- `frame`: what frames every page (navigation, banner, footer).

Only this package, `pages/` and `dashboard.py` import streamlit.
"""
