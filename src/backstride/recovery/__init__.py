"""Following a person's recovery: the library functions the CLI (and later the web app) call.

Each function opens a unit of work on the store, reads or writes the person's records, and calls
the pure parts (engine, plan, track) in between. Nothing here prints.
"""
