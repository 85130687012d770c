"""Entry point of both frozen executables (houshi-desk windowed, houshi-desk-cli console): the same
``houshi-desk`` command as the console script. ``_print-worker`` is the child process that sends one
PDF to a Qt printer, so a frozen build prints exactly as the source build does (never in the window's
own process, where a slow driver would freeze it)."""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the SANE worker and sync sender run as child processes
    if len(sys.argv) > 1 and sys.argv[1] == "_print-worker":
        from houshi_desk.gui.print_worker import main as print_worker

        sys.exit(print_worker(sys.argv[2:]))
    from houshi_desk.cli import main

    sys.exit(main())
