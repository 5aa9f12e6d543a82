"""The database: the only package that talks to it.

``Store`` opens it (SQLite in the data folder, or ``BACKSTRIDE_DATABASE_URL``) and brings the
schema up to date; ``records`` reads and writes a person's records in plain types;
``exchange`` turns everything into one versioned JSON document and back.
"""

from backstride.store.db import SCHEMA_VERSION, ConflictError, Store, StoreError, database_url

__all__ = ["SCHEMA_VERSION", "ConflictError", "Store", "StoreError", "database_url"]
