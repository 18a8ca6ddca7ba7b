"""PySide6 widgets. Thin: they call services and display what comes back."""
