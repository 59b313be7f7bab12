"""Telegram bot for Kyrgyz labour migrants and the ombudsman institutions that serve them."""

__version__ = "0.1.0"
