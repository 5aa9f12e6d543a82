"""Following a recovery: plain records, load figures and the weekly decision. Pure: no I/O."""
