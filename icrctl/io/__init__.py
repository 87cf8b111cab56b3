"""Reading and writing files: import, export and calendar (ICS) files."""
