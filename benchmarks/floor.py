"""The floor: the smallest Typer app that prints one Rich panel, with filmguide's typer and rich.

No filmguide command can start faster than this; benchmarks/run.py reports each
command's time as a multiple of it. Rich is forced on, as `--color always` does.
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(name: str = "world") -> None:
    from rich.console import Console
    from rich.panel import Panel

    Console(force_terminal=True, color_system="auto").print(Panel(f"Hello, {name}", title="floor"))


if __name__ == "__main__":
    app()
