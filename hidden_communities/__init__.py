"""Hidden Communities dashboard: the logic below the Streamlit pages.

Nothing in this package imports streamlit, so all of it is tested with plain pytest.
"""
