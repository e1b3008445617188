# Imports nothing but sys at the top: Ctrl-C is only caught once main() runs,
# so everything else is imported inside it.
import sys


def _stand_ins() -> None:
    """Streams the shell closed (`filmguide list >&-`) are None in Python: give each a stand-in.

    stdin reads nothing and stderr writes nowhere (/dev/null); stdout becomes a
    pipe nobody reads, so output ends as into any closed pipe: quietly, exit
    141. Holding fds 0-2 also keeps a file opened later (the index) from
    landing on them.
    """
    import os

    for fd, stream, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", None), (2, "stderr", os.O_WRONLY)):
        if getattr(sys, stream) is not None:
            continue
        if mode is None:
            r, new = os.pipe()
            os.close(r)
        else:
            new = os.open(os.devnull, mode)
        if new != fd:
            os.dup2(new, fd)
            os.close(new)
        setattr(sys, stream, open(fd, "r" if fd == 0 else "w", closefd=False))  # noqa: SIM115


def _interrupted() -> None:
    try:
        sys.stderr.write("filmguide: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        return


def _unraisable(hook: "sys.UnraisableHookArgs") -> None:
    """Ctrl-C that lands in a weakref callback or a ``__del__`` cannot be raised there: Python would
    print "Exception ignored" and carry on as if no one had pressed it. End as any Ctrl-C ends."""
    if isinstance(hook.exc_value, KeyboardInterrupt):
        import os

        _interrupted()
        os._exit(130)  # files are written atomically, so nothing is left half-written
    sys.__unraisablehook__(hook)


def main() -> None:
    """The console script. Ctrl-C while Python is still importing filmguide ends quietly too."""
    sys.unraisablehook = _unraisable
    import gc

    # Importing typer, rich and filmguide allocates some 100,000 objects that live until exit, and
    # Python's collector walks the young ones every 700 allocations: a tenth as often costs a short
    # command about 2% fewer instructions (benchmarks/instructions.py), and frees the same cycles.
    gc.set_threshold(10_000, 20, 20)
    try:
        _stand_ins()
        from .cli import main as _main

        code = _main()
    except (KeyboardInterrupt, RuntimeError) as e:
        # Python 3.11 wraps a KeyboardInterrupt raised in a class's __set_name__ in a RuntimeError.
        if not isinstance(e, KeyboardInterrupt) and not isinstance(e.__cause__, KeyboardInterrupt):
            raise
        _interrupted()
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
