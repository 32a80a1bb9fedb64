"""Geschäftsstelle: office software for a welfare association's regional group."""

__version__ = "0.1.0"
APP_NAME = "Geschäftsstelle"
APP_ID = "geschaeftsstelle"
