"""The ``ems`` command line (DESIGN.md "Command line").

    ems                                interactive shell (stdin not a terminal: script from stdin)
    ems SCRIPT.ps1 [ARGS...]           run a script (also: ems -File SCRIPT.ps1 [ARGS...])
    ems -Command TEXT | -c TEXT        run text ("-" reads it from stdin)
    ems --scenario NAME ...            benet-lab (default), two-datacenter, empty
    ems --state FILE ...               load the organisation from FILE if it exists, save it on exit
    ems --list-scenarios | --version | --help

Exit status: 0; 1 after an uncaught terminating error or a parse error; ``exit N`` gives N.
Imports stay lazy: ``ems -c Get-Date`` must start fast.
"""
from __future__ import annotations

import os
import sys

USAGE = """\
usage: ems [options] [SCRIPT.ps1 [ARGS...]]
       ems [options] -Command TEXT
       ems [options] -File SCRIPT.ps1 [ARGS...]

An Exchange 2010 SP3 Management Shell (Windows PowerShell 5.1) with a simulated organisation.

options:
  -c, -Command TEXT     run TEXT and exit ("-" reads the text from stdin)
  -File SCRIPT.ps1      run a script file with the remaining arguments
  --scenario NAME       start from a built-in lab: benet-lab (default), two-datacenter, empty
  --state FILE          load the organisation from FILE (if it exists) and save it back on exit
  --list-scenarios      list the built-in labs
  --replay RUNBOOK.ps1  replay a runbook step by step with a report; with it:
    --before TEXT       run TEXT first (a simulated disaster; repeatable)
    --step              pause before each statement (Enter runs it, s skips it, q stops)
    --report FILE       also write the report to FILE.md or FILE.html (repeatable)
    --expect-loss N     the verdict accepts up to N lost log files (default 0)
  --no-color            no colours in the output
  --no-toolbar          no bottom toolbar in the interactive shell
  --version             print the version
  -h, --help            print this help
"""


class Options:
    def __init__(self) -> None:
        self.command: str | None = None
        self.file: str | None = None
        self.script_args: list[str] = []
        self.scenario = "benet-lab"
        self.state: str | None = None
        self.list_scenarios = False
        self.version = False
        self.help = False
        self.no_color = False
        self.no_toolbar = False
        self.replay: str | None = None
        self.before: list[str] = []
        self.step = False
        self.reports: list[str] = []
        self.expect_loss = 0


class UsageError(Exception):
    pass


def _value(argv: list[str], i: int, opt: str) -> str:
    if i + 1 >= len(argv):
        raise UsageError(f"missing value for {opt}")
    return argv[i + 1]


def parse_args(argv: list[str]) -> Options:
    o = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        low = a.lower()
        if low in ("-c", "-command", "--command"):
            rest = argv[i + 1:]
            if not rest:
                raise UsageError(f"missing value for {a}")
            o.command = " ".join(rest)
            return o
        if low in ("-file", "--file", "-f"):
            o.file = _value(argv, i, a)
            o.script_args = argv[i + 2:]
            return o
        if low == "--scenario" or low.startswith("--scenario="):
            o.scenario = a.split("=", 1)[1] if "=" in a else _value(argv, i, a)
            i += 1 if "=" in a else 2
            continue
        if low == "--state" or low.startswith("--state="):
            o.state = a.split("=", 1)[1] if "=" in a else _value(argv, i, a)
            i += 1 if "=" in a else 2
            continue
        if low == "--replay":
            o.replay = _value(argv, i, a)
            i += 2
            continue
        if low in ("--before", "--report", "--expect-loss"):
            value = _value(argv, i, a)
            if low == "--before":
                o.before.append(value)
            elif low == "--report":
                o.reports.append(value)
            elif not value.isdigit():
                raise UsageError(f"--expect-loss needs a number of log files, not '{value}'")
            else:
                o.expect_loss = int(value)
            i += 2
            continue
        if low == "--step":
            o.step = True
            i += 1
            continue
        if low == "--list-scenarios":
            o.list_scenarios = True
        elif low in ("--version", "-version"):
            o.version = True
        elif low in ("-h", "--help", "-help", "-?", "/?"):
            o.help = True
        elif low == "--no-color":
            o.no_color = True
        elif low == "--no-toolbar":
            o.no_toolbar = True
        elif low in ("-noprofile", "-nologo", "-noninteractive", "-noexit"):
            pass  # powershell.exe switches people paste along; harmless here
        elif a.startswith("-") and a != "-":
            raise UsageError(f"unknown option {a}")
        else:
            o.file = a
            o.script_args = argv[i + 1:]
            return o
        i += 1
    return o


def script_arguments(args: list[str]) -> list:
    """Command-line arguments for a script: ``-Name value`` tokens become parameter names."""
    from ems.runtime.binder import NO_VALUE, Arg
    out = []
    for a in args:
        if len(a) > 1 and a[0] == "-" and (a[1].isalpha() or a[1] == "_"):
            name, colon, value = a[1:].partition(":")
            if colon:
                out.append(Arg(_cli_value(value), None, name=name, colon=True, is_param=True, text=a))
            else:
                out.append(Arg(NO_VALUE, None, name=name, is_param=True, text=a))
        else:
            out.append(Arg(a, None))
    return out


def _cli_value(text: str) -> object:
    low = text.lower()
    if low == "$true":
        return True
    if low == "$false":
        return False
    return text


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        opts = parse_args(argv)
        if opts.replay is None and (opts.before or opts.step or opts.reports or opts.expect_loss):
            raise UsageError("--before, --step, --report and --expect-loss go with --replay RUNBOOK.ps1")
    except UsageError as e:
        sys.stderr.write(f"ems: {e}\n{USAGE}")
        return 2
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    if opts.version:
        from ems import __version__
        sys.stdout.write(f"ems {__version__}\n")
        return 0
    if opts.list_scenarios:
        from ems.shell import list_scenarios
        for name in list_scenarios():
            sys.stdout.write(name + "\n")
        return 0
    if opts.replay:
        from ems.replay import main as replay_main
        return replay_main(opts)
    from ems.shell import Shell, StateError, list_scenarios
    known = list_scenarios()
    if known and opts.scenario not in known:
        sys.stderr.write(f"ems: unknown scenario '{opts.scenario}' (available: {', '.join(known)})\n")
        return 2
    from ems.runtime.host import ConsoleHost
    color = not opts.no_color and _stdout_is_tty() and not os.environ.get("NO_COLOR")
    stdin_tty = _stdin_is_tty()
    interactive_session = opts.command is None and opts.file is None and stdin_tty
    host = ConsoleHost(interactive=stdin_tty and _stdout_is_tty())
    try:
        shell = Shell(scenario=opts.scenario, state=opts.state, width=_console_width(), host=host,
                      color=color)
        if opts.state and os.path.exists(opts.state):
            shell.org  # load now: a corrupt or foreign file is reported before anything runs
    except StateError as e:
        sys.stderr.write(f"ems: {e}\n")
        return 2
    try:
        if interactive_session:
            import ems.repl
            code = ems.repl.main(shell, opts) or 0
        elif opts.file is not None:
            code = _run_file(shell, opts.file, opts.script_args)
        else:
            text = opts.command
            if text is None or text.strip() == "-":
                text = sys.stdin.read()
            code = shell.run(text).exit_code or 0
    except KeyboardInterrupt:
        code = 130
    except SystemExit as e:  # the output pipe closed (ems ... | head)
        code = e.code if isinstance(e.code, int) else 0
    if opts.state:
        try:
            shell.save_state(opts.state)
        except (OSError, StateError) as e:
            sys.stderr.write(f"ems: cannot save state to '{opts.state}': {e}\n")
            return code or 1
    return code


def _run_file(shell, path: str, args: list[str]) -> int:
    if not os.path.isfile(path):
        msg = (f"The argument '{path}' to the -File parameter does not exist. Provide the path to an "
               "existing '.ps1' file as an argument to the -File parameter.\n")
        sys.stderr.write(msg)
        return 1
    return shell.run_file(path, script_arguments(args)).exit_code or 0


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _console_width() -> int:
    """The console width tables are laid out for: ``$env:EMS_WIDTH``, else the terminal's
    width when output goes to one, else 120 (the EMS console's buffer width)."""
    env = os.environ.get("EMS_WIDTH")
    if env and env.isdigit():
        return int(env)
    try:
        if sys.stdout.isatty():
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
            if columns > 1:
                return columns
    except (AttributeError, ValueError, OSError):
        pass
    return 120


if __name__ == "__main__":
    raise SystemExit(main())
