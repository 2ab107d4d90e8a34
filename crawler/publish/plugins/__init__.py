"""The archive's Datasette plugins, registered through the `datasette` entry
point group (pyproject.toml), so any Datasette in the environment loads them:
`crawler serve` and a plain `datasette archive.db` alike."""
