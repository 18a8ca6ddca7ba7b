"""Bedside infusion and dosing assistant for mesenchymal stem cell (MSC) therapy trials."""

__version__ = "0.1.0"
APP_NAME = "MSC Infusion Assistant"
