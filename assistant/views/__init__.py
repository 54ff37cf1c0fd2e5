"""The Streamlit app's views (the shell is app_streamlit.py); nothing in the core imports them."""
