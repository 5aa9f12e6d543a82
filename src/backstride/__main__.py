"""`python -m backstride`."""

from backstride.cli.app import main

main()
