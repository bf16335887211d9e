"""Use cases shared by the CLI and the web app; each opens what it needs from the settings."""
