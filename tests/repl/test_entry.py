"""When the interactive shell starts, and when it must not (scripts, -c, piped stdin)."""
import subprocess
import sys


def run_ems(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "ems", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def test_piped_stdin_runs_without_the_interactive_shell():
    result = run_ems("--scenario", "empty", stdin="'piped' + 'text'\n")
    assert result.stdout == "pipedtext\n"
    assert "Welcome" not in result.stdout


def test_command_line_never_imports_prompt_toolkit():
    code = ("import sys; from ems.cli import main; main(['-c', 'Get-Date | Out-Null']); "
            "print(sorted(m for m in sys.modules if m.startswith(('prompt_toolkit', 'ems.repl'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]"
