"""Publishing the archive: Datasette and file exports."""
