"""Watch-file importers: bytes in, plain activity records out. No database, no printing.

``sources.expand`` turns paths (files, folders, zip archives) into named byte sources, checking
sizes and zip bombs before anything is read or extracted; ``parse`` turns one file's bytes into
``Activity`` records, or raises ``FileProblem`` with a reason a person can act on.
"""

from backstride.ingest.parse import FileProblem, parse, supported

__all__ = ["FileProblem", "parse", "supported"]
