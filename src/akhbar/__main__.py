"""Allow `python -m akhbar`."""

from akhbar.cli import main

main()
