"""The parameter binder through declared test cmdlets (A.3, A.11, A.15 messages)."""
import enum

import pytest

from ems import Shell
from ems.runtime.cmdlet import IDENTITY, REGISTRY, SWITCH, Cmdlet, Parameter
from .rt_helpers import err, out


class Color(enum.Enum):
    Red = 0
    Green = 1


Color.PS_TYPE_NAME = "Test.Color"


class BindProbe(Cmdlet):
    """Echoes what it was bound with, as ``set:name=value;...``."""

    name = "Test-BindProbe"
    dotnet_class = "Test.BindProbe"
    parameters = (
        Parameter("Identity", IDENTITY, position=0, pipeline=True, sets=("Identity",)),
        Parameter("Server", str, mandatory=True, sets=("Server",)),
        Parameter("Filter", str),
        Parameter("Force", SWITCH),
        Parameter("Count", int),
        Parameter("Color", Color),
        Parameter("Names", str, array=True),
        Parameter("Mode", str, values=("Fast", "Slow")),
    )
    default_set = "Identity"

    def process(self):
        parts = [f"{k}={self.bound[k]!r}" for k in sorted(self.bound)]
        self.write(f"{self.parameter_set}:" + ";".join(parts))


class ByProp(Cmdlet):
    name = "Test-ByProp"
    dotnet_class = "Test.ByProp"
    parameters = (
        Parameter("Name", str, mandatory=True, pipeline_by_property=True, aliases=("DisplayName",)),
        Parameter("Size", int, pipeline_by_property=True),
    )

    def process(self):
        self.write(f"{self.param('Name')}:{self.param('Size')}")


class Risky(Cmdlet):
    name = "Remove-TestThing"
    dotnet_class = "Test.RemoveThing"
    supports_should_process = True
    confirm_impact = "High"
    parameters = (Parameter("Identity", str, position=0, mandatory=True, pipeline=True),)

    def process(self):
        if self.should_process(self.param("Identity")):
            self.write("removed " + self.param("Identity"))


class Medium(Cmdlet):
    name = "Set-TestThing"
    dotnet_class = "Test.SetThing"
    supports_should_process = True
    parameters = (Parameter("Identity", str, position=0),)

    def process(self):
        if self.should_process(self.param("Identity"), message=f'Setting thing "{self.param("Identity")}".'):
            self.write("set")


class Failing(Cmdlet):
    name = "Test-Fail"
    dotnet_class = "Test.Fail"
    parameters = (Parameter("Kind", str, position=0),)

    def process(self):
        kind = self.param("Kind")
        if kind == "domain":
            class ManagementObjectNotFoundException(Exception):
                exception_type = "ManagementObjectNotFoundException"
                category = "NotSpecified"
                error_id = "4B953CE"
            raise ManagementObjectNotFoundException(
                "The operation couldn't be performed because object 'x' couldn't be found on 'DC1.contoso.com'.")
        if kind == "bug":
            raise ZeroDivisionError("division by zero")
        if kind == "nonterm":
            self.write_error(ValueError("soft failure"))
            self.write("after")


@pytest.fixture(autouse=True)
def _registered():
    classes = (BindProbe, ByProp, Risky, Medium, Failing)
    for c in classes:
        REGISTRY[c.name.lower()] = c
    yield
    for c in classes:
        REGISTRY.pop(c.name.lower(), None)


def test_named_positional_and_prefix():
    assert out("Test-BindProbe x") == ["Identity:Identity='x'"]
    assert out("Test-BindProbe -Identity x -Filt f") == ["Identity:Filter='f';Identity='x'"]
    assert out("Test-BindProbe x -Count:5 -Force") == ["Identity:Count=5;Force=True;Identity='x'"]
    assert out("Test-BindProbe x -Force:$false") == ["Identity:Force=False;Identity='x'"]
    assert out("Test-BindProbe -Server s1") == ["Server:Server='s1'"]
    assert out("Test-BindProbe x -Names a") == ["Identity:Identity='x';Names=['a']"]
    assert out("Test-BindProbe x -Names a,b") == ["Identity:Identity='x';Names=['a', 'b']"]
    assert out("Test-BindProbe x -Color green") == ["Identity:Color=<Color.Green: 1>;Identity='x'"]
    assert out("Test-BindProbe x -mode fast") == ["Identity:Identity='x';Mode='fast'"]


def test_splatting():
    assert out("$p = @{Identity='x'; Force=$true}; Test-BindProbe @p") == ["Identity:Force=True;Identity='x'"]
    assert out("$a = @('y'); Test-BindProbe @a") == ["Identity:Identity='y'"]


def test_named_parameter_not_found_layout():
    assert err("Test-BindProbe -Foo") == (
        "Test-BindProbe : A parameter cannot be found that matches parameter name 'Foo'.\n"
        "At line:1 char:16\n"
        "+ Test-BindProbe -Foo\n"
        "+                ~~~~\n"
        "    + CategoryInfo          : InvalidArgument: (:) [Test-BindProbe], ParameterBindingException\n"
        "    + FullyQualifiedErrorId : NamedParameterNotFound,Test.BindProbe\n"
        " \n")


def test_ambiguous_parameter_drops_common_parameters():
    # -F matches Filter and Force (own) -> ambiguous; -E matches only ErrorAction/ErrorVariable (common)
    e = err("Test-BindProbe x -F a")
    assert ("Parameter cannot be processed because the parameter name 'F' is ambiguous. "
            "Possible matches include: -Filter -Force.") in e
    assert "AmbiguousParameter,Test.BindProbe" in e
    assert out("Test-BindProbe x -Cou 2") == ["Identity:Count=2;Identity='x'"]
    # -Co: Count and Color are both own parameters
    assert "Possible matches include: -Count -Color." in err("Test-BindProbe x -Co 1")


def test_binding_errors():
    e = err("Test-BindProbe x y")
    assert "A positional parameter cannot be found that accepts argument 'y'." in e
    assert "+                  ~" in e
    e = err("Test-BindProbe x -Count")
    assert "Missing an argument for parameter 'Count'. Specify a parameter of type 'System.Int32' and try again." in e
    e = err("Test-BindProbe x -Count abc")
    assert ("Cannot bind parameter 'Count'. Cannot convert value \"abc\" to type \"System.Int32\". "
            "Error: \"Input string was not in a correct format.\"") in e
    assert "CannotConvertArgumentNoMessage,Test.BindProbe" in e
    e = err("Test-BindProbe x -Color blue")
    assert "Unable to match the identifier name blue to a valid enumerator name." in e
    assert "Red, Green" in e
    e = err("Test-BindProbe x -Mode medium")
    assert "The argument \"medium\" does not belong to the set \"Fast,Slow\" specified by the ValidateSet attribute." in e
    e = err("Test-BindProbe x -Filter a,b")
    assert ("Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Filter'. "
            "Specified method is not supported.") in e
    assert "CannotConvertArgument,Test.BindProbe" in e
    e = err("Test-BindProbe x -Count 1 -Count 2")
    assert "Cannot bind parameter because parameter 'Count' is specified more than once." in e
    e = err("Test-BindProbe x -Server s")
    assert "A positional parameter cannot be found that accepts argument 'x'." in e
    e = err("Test-BindProbe -Identity x -Server s")
    assert "Parameter set cannot be resolved using the specified named parameters." in e
    e = err("Test-ByProp -Name ''")
    assert "Cannot bind argument to parameter 'Name' because it is an empty string." in e
    e = err("Test-BindProbe x -Force:'yes'")
    assert ("Cannot process argument transformation on parameter 'Force'. Cannot convert value \"System.String\" "
            "to type \"System.Management.Automation.SwitchParameter\". Boolean parameters accept only Boolean "
            "values and numbers, such as $True, $False, 1 or 0.") in e
    e = err("Test-ByProp")
    assert "Cannot process command because of one or more missing mandatory parameters: Name." in e


def test_pipeline_binding():
    assert out("'a','b' | Test-BindProbe") == ["Identity:Identity='a'", "Identity:Identity='b'"]
    assert out("[pscustomobject]@{Name='n1'; Size=3} | Test-ByProp") == ["n1:3"]
    assert out("[pscustomobject]@{DisplayName='n2'} | Test-ByProp") == ["n2:None"]
    e = err("5 | Test-ByProp")
    assert "The input object cannot be bound to any parameters for the command" in e
    assert "InputObjectNotBound,Test.ByProp" in e


def test_common_parameters_error_action_and_variables():
    assert out("Test-Fail nonterm -ErrorAction SilentlyContinue") == ["after"]
    assert out("Test-Fail nonterm -ea 0; 'x'") == ["after", "x"]
    assert out("Test-Fail nonterm -ErrorAction SilentlyContinue -ErrorVariable ev; $ev.Count") == ["after", 1]
    assert out("$ev = @(); Test-Fail nonterm -EA SilentlyContinue -ErrorVariable +ev; "
               "Test-Fail nonterm -EA SilentlyContinue -ErrorVariable +ev; $ev.Count") == ["after", "after", 2]
    assert out("Test-Fail nonterm -ErrorAction Ignore; $?") == ["after", False]
    assert out("Test-BindProbe x -OutVariable o | Out-Null; $o.Count") == [1]
    assert out("try { Test-Fail nonterm -ErrorAction Stop; 'not here' } catch { 'caught: ' + $_.Exception.Message }") == [
        "caught: soft failure"]
    e = err("Test-Fail nonterm -ErrorAction Bogus")
    assert "Cannot bind parameter 'ErrorAction'." in e


def test_dollar_question_and_error_list():
    sh = Shell(scenario="empty")
    assert out("Test-Fail nonterm -EA SilentlyContinue; $?", sh) == ["after", False]
    assert out("'ok'; $?", sh) == ["ok", True]
    assert out("$Error.Clear(); Test-Fail nonterm -EA SilentlyContinue | Out-Null; $Error.Count; "
               "$Error[0].Exception.Message", sh) == [1, "soft failure"]


def test_error_action_preference_stop_ends_script():
    r = Shell(scenario="empty").run("$ErrorActionPreference = 'Stop'; Test-Fail nonterm; 'not reached'")
    assert r.output == []
    assert "soft failure" in r.error_text
    assert r.exit_code == 1


def test_statement_terminating_error_continues_script():
    r = Shell(scenario="empty").run("Test-BindProbe -Nope; 'next'")
    assert r.output == ["next"]
    assert "NamedParameterNotFound" in r.error_text


def test_domain_error_remote_layout_is_non_terminating():
    r = Shell(scenario="empty").run("Test-Fail domain; 'next'")
    assert r.output == ["next"]
    assert r.error_text == (
        "The operation couldn't be performed because object 'x' couldn't be found on 'DC1.contoso.com'.\n"
        "    + CategoryInfo          : NotSpecified: (:) [Test-Fail], ManagementObjectNotFoundException\n"
        "    + FullyQualifiedErrorId : 4B953CE,Test.Fail\n"
        "    + PSComputerName        : localhost.contoso.com\n"
        " \n")
    r = Shell(scenario="empty").run("try { Test-Fail domain -ErrorAction Stop } catch { $_.CategoryInfo.Reason }")
    assert r.output == ["ManagementObjectNotFoundException"]


def test_internal_bug_is_an_error_record_without_traceback(monkeypatch):
    monkeypatch.delenv("EMS_DEBUG", raising=False)
    r = Shell(scenario="empty").run("Test-Fail bug")
    assert "ZeroDivisionError: division by zero" in r.error_text
    assert "Traceback" not in r.error_text
    assert "InternalError" in r.error_text
    assert "Traceback" in Shell(scenario="empty").run("Test-Fail bug -Verbose").error_text
    monkeypatch.setenv("EMS_DEBUG", "1")
    r = Shell(scenario="empty").run("Test-Fail bug")
    assert "Traceback" in r.error_text


def test_whatif_and_confirm():
    assert Shell(scenario="empty").run("Remove-TestThing a -WhatIf").text == (
        'What if: Performing the operation "Remove-TestThing" on target "a".\n')
    assert Shell(scenario="empty").run("Set-TestThing a -WhatIf").text == 'What if: Setting thing "a".\n'
    assert out("Remove-TestThing a -Confirm:$false") == ["removed a"]
    assert out("Set-TestThing a") == ["set"]
    assert out("$WhatIfPreference = $true; Set-TestThing a; $WhatIfPreference = $false") == []
    r = Shell(scenario="empty").run("Remove-TestThing a")
    assert r.output == []
    assert r.error_text.startswith(
        "Remove-TestThing : Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.\n")
    assert "InvalidOperation: (:) [Remove-TestThing], PSInvalidOperationException" in r.error_text


class ScriptedHost:
    """A console host whose user types the given answers."""

    interactive = True

    def __init__(self, answers):
        self.answers = list(answers)
        self.prompts = []
        self.written = []

    def write(self, text):
        self.written.append(text)

    def write_error(self, text):
        self.written.append(text)

    def read_line(self, prompt=""):
        self.prompts.append(prompt)
        self.written.append(prompt)
        return self.answers.pop(0) if self.answers else None


def test_confirm_prompt_layout_and_answers():
    host = ScriptedHost(["?", "n"])
    r = Shell(scenario="empty", host=host).run("Remove-TestThing a")
    assert r.output == []
    assert r.text.startswith(
        "\nConfirm\nAre you sure you want to perform this action?\n"
        'Performing the operation "Remove-TestThing" on target "a".\n')
    assert host.prompts[0] == '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): '
    assert "Y - Continue with only the next step of the operation." in r.text
    host = ScriptedHost([""])
    assert Shell(scenario="empty", host=host).run("Remove-TestThing a").output == ["removed a"]
    host = ScriptedHost(["a"])
    assert Shell(scenario="empty", host=host).run("'a','b' | Remove-TestThing").output == ["removed a", "removed b"]
    assert len(host.prompts) == 1
    host = ScriptedHost(["y"])
    assert Shell(scenario="empty", host=host).run("Set-TestThing a -Confirm").output == ["set"]


def test_confirm_suspend_is_answered_like_no():
    # 5.1 opens a nested prompt; ems has none, so S skips this operation (README, "Differences from real EMS").
    host = ScriptedHost(["s", "y"])
    r = Shell(scenario="empty", host=host).run("'a','b' | Remove-TestThing")
    assert r.output == ["removed b"]
    assert len(host.prompts) == 2 and not r.errors


def test_mandatory_prompt_in_console():
    host = ScriptedHost(["typed"])
    r = Shell(scenario="empty", host=host).run("Test-ByProp")
    assert r.output == ["typed:None"]
    assert "Supply values for the following parameters:" in r.text
    assert host.prompts == ["Name: "]


def test_mandatory_prompt_for_an_advanced_function():
    host = ScriptedHost(["Bob"])
    r = Shell(scenario="empty", host=host).run(
        "function Hi { param([Parameter(Mandatory=$true)][string]$Name) \"hi $Name\" }; Hi")
    assert r.output == ["hi Bob"]
    assert host.prompts == ["Name: "]
