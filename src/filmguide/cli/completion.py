"""The shell completion scripts for bash, zsh and fish, and what each is answered.

filmguide offers candidates that need not start with the word typed: a film's
id for any word of its title or spoiler-free aliases (``sixth`` offers
``the-sixth-sense-1999``), case and accents folded. Typer keeps only the
candidates that start with the word, and its scripts hand them to the shells'
own matching, which drops the others: zsh's ``_arguments`` keeps only those
that start with the word, and its bash script read the reply unquoted, so a
name with a space became two words. Here ``Candidate`` passes Typer's check,
and the scripts hand the candidates over as they are (zsh: ``compadd -U``,
which replaces the word typed, and a menu when they share no start), running
the program once per TAB.

fish matches the word typed against each candidate and its description
itself, and when some candidates start with the word it shows only those; a
description adds the folded form when nothing else would let fish match.

The answers are lines of ``value<TAB>description``, plain text, never shell
code or markup.
"""

from __future__ import annotations

import re

from typer import _completion_classes as classes
from typer import _completion_shared as shared
from typer._click.shell_completion import CompletionItem

# The templates are filled with Python's % operator: a literal % is written %%.
BASH = r"""%(complete_func)s() {
    local IFS=$'\n' line
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line ]] && COMPREPLY+=("$line")
    done < <(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" %(autocomplete_var)s=complete_bash "$1")
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""

ZSH = r"""#compdef %(prog_name)s

%(complete_func)s() {
  local -a values shown
  local reply line value
  reply="$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s)"
  for line in "${(@f)reply}"; do
    [[ -n $line ]] || continue
    value="${line%%%%$'\t'*}"
    values+=("$value")
    if [[ $line == *$'\t'* ]]; then
      shown+=("$value  -- ${line#*$'\t'}")
    else
      shown+=("$value")
    fi
  done
  if (( ${#values} == 0 )); then
    _files
    return
  fi
  # -U: the candidates are offered as they are and replace the word typed (a film is found by
  # any word of its title, not only by the start of its id).
  compadd -U -l -d shown -a values
  # Several candidates that do not all start with the word typed have no common start to put in
  # its place: go through them in a menu rather than erase the word.
  if (( ${#values} > 1 )) && [[ -n ${values:#${PREFIX}*} ]]; then
    compstate[insert]=menu
  fi
}

compdef %(complete_func)s %(prog_name)s
"""

FISH = r"""function %(complete_func)s
    set -lx _TYPER_COMPLETE_ARGS (commandline -cp)
    set -l reply (env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args %(prog_name)s |
        string match -v -- '')
    if set -q reply[1]
        printf '%%s\n' $reply
    else
        __fish_complete_path (commandline -ct)
    end
end

complete --command %(prog_name)s --no-files --arguments '(%(complete_func)s)'
"""


class Candidate(str):
    """A value to offer that need not start with the word typed.

    Typer (0.28) keeps only the values of an ``autocompletion`` callback that
    ``startswith`` the word; a ``Candidate`` always says it does. Everything
    else about it is the string.
    """

    __slots__ = ()

    def startswith(self, *_: object) -> bool:
        return True


_SPACE = re.compile(r"\s+")
_BASH_PLAIN = re.compile(r"[^\w,./:@%+=-]")


def _flat(text: str) -> str:
    """One line, no tab: a value or description as one field of an answer line."""
    return _SPACE.sub(" ", text).strip()


def _line(item: CompletionItem) -> str:
    return f"{_flat(str(item.value))}\t{_flat(item.help)}" if item.help else _flat(str(item.value))


class BashComplete(classes.BashComplete):
    source_template = BASH

    def format_completion(self, item: CompletionItem) -> str:
        # The reply is put on the line as it is: a space or quote is escaped, as the shell would.
        return _BASH_PLAIN.sub(lambda m: "\\" + m[0], _flat(str(item.value)))


class ZshComplete(classes.ZshComplete):
    source_template = ZSH

    def format_completion(self, item: CompletionItem) -> str:
        return _line(item)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        return "\n".join(self.format_completion(item) for item in self.get_completions(args, incomplete))


class FishComplete(classes.FishComplete):
    source_template = FISH

    def format_completion(self, item: CompletionItem) -> str:
        return _line(item)

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        items = super().get_completions(args, incomplete)
        return [_fish_findable(item, incomplete) for item in items]


def _fish_findable(item: CompletionItem, incomplete: str) -> CompletionItem:
    """fish keeps a candidate only if the word typed is in its value or description: when it is not
    (the word matched a folded form, ``amelie`` for ``Amélie``), the description adds the folded form."""
    from ..text import fold

    shown = f"{item.value}\t{item.help or ''}"
    if not incomplete or incomplete.casefold() in shown.casefold():
        return item
    folded = fold(item.help or str(item.value))
    return CompletionItem(item.value, help=f"{item.help} · {folded}" if item.help else folded)


def use_our_scripts() -> None:
    """Make Typer's completion (``--show-completion``, ``--install-completion`` and the
    ``_FILMGUIDE_COMPLETE`` protocol) use these classes and scripts. Typer registers its shell
    classes each time it builds the command, from these module names."""
    classes.BashComplete = BashComplete  # type: ignore[misc]
    classes.ZshComplete = ZshComplete  # type: ignore[misc]
    classes.FishComplete = FishComplete  # type: ignore[misc]
    shared._completion_scripts.update({"bash": BASH, "zsh": ZSH, "fish": FISH})


__all__ = ["BASH", "FISH", "ZSH", "Candidate", "use_our_scripts"]
