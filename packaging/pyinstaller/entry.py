"""Entry point of the frozen build: the same ``houshi-desk`` command as the console script."""
import multiprocessing
import sys

from houshi_desk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the SANE worker and sync sender run as child processes
    sys.exit(main())
