"""File system and CSV cmdlets: real files at the paths the user names.

Paths are resolved against the session's current location (``Set-Location``), which starts
at the process's working directory. Backslashes are accepted as separators everywhere, so
``.\\report.csv`` and ``reports\\db.csv`` work on every platform; a drive-qualified Windows
path (``C:\\temp\\x.csv``) names a real path only on Windows (see README, "Differences from real EMS").

CSV follows Windows PowerShell 5.1: a ``#TYPE`` line unless -NoTypeInformation, every field
in double quotes (embedded quotes doubled), ``$null`` as an empty unquoted field, columns
taken from the first object.
"""
from __future__ import annotations

import datetime as _dt
import os
from typing import Any, ClassVar, Iterable


from cmdlets._records import Record
from ems.runtime import properties as props
from ems.runtime.cmdlet import ANY, SWITCH, Cmdlet, Example, Parameter, register
from ems.runtime.errors import PSError
from ems.runtime.values import PSObject, type_names

UTILITY = "Microsoft.PowerShell.Utility"
MANAGEMENT = "Microsoft.PowerShell.Management"

ENCODINGS = ("Unknown", "String", "Unicode", "Byte", "BigEndianUnicode", "UTF8", "UTF7", "UTF32",
             "Ascii", "Default", "Oem", "BigEndianUTF32")
_CODECS = {"unicode": "utf-16", "string": "utf-16", "unknown": "utf-16", "bigendianunicode": "utf-16-be",
           "utf8": "utf-8-sig", "utf7": "utf-7", "utf32": "utf-32", "bigendianutf32": "utf-32-be",
           "ascii": "ascii", "default": "utf-8", "oem": "utf-8", "byte": "latin-1"}


def codec(name: str | None, default: str = "utf-8") -> str:
    return _CODECS.get((name or "").lower(), default)


# =========================================================================== paths

def location(session: Any) -> str:
    """The session's current location: a real directory (the process cwd at first)."""
    loc = getattr(session, "location", None)
    return loc or os.getcwd()


def real_path(session: Any, path: str) -> str:
    """A user path (either separator, relative to the current location) as a real path.
    Provider-qualified paths (a piped item's PSPath) lose their ``...FileSystem::`` prefix."""
    text = str(path)
    if "FileSystem::" in text:
        text = text.split("FileSystem::", 1)[1]
    if os.sep == "/":
        text = text.replace("\\", "/")
    text = os.path.expanduser(text) if text.startswith("~") else text
    if not os.path.isabs(text):
        text = os.path.join(location(session), text)
    return os.path.normpath(text)


def path_not_found(path: str) -> PSError:
    return PSError(f"Cannot find path '{path}' because it does not exist.", "PathNotFound",
                   "ObjectNotFound", target=path, exception_type="ItemNotFoundException")


def _paths(cmdlet: Cmdlet) -> list[str]:
    value = cmdlet.param("LiteralPath") if cmdlet.has("LiteralPath") else cmdlet.param("Path")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _expand(session: Any, path: str, literal: bool) -> list[str]:
    """Wildcards in a -Path expand to the matching entries (sorted, like the provider)."""
    import glob
    full = real_path(session, path)
    from ems.lang.operators import has_wildcard
    if literal or not has_wildcard(path):
        return [full]
    return sorted(glob.glob(full))


def _existing(cmdlet: Cmdlet, given: str, exists: Any = os.path.exists) -> list[str]:
    """The entries a -Path/-LiteralPath names; when none exists, the provider's path-not-found
    error is written and the list is empty (the cmdlet goes on with its next path)."""
    found = [p for p in _expand(cmdlet.session, given, cmdlet.has("LiteralPath")) if exists(p)]
    if not found:
        cmdlet.write_error(path_not_found(real_path(cmdlet.session, given)))
    return found


def _write_file(path: str, lines: Iterable[str], encoding: str, append: bool, newline_at_end: bool = True) -> None:
    text = os.linesep.join(lines)
    if newline_at_end and text != "" or newline_at_end and append:
        text += os.linesep
    mode = "a" if append else "w"
    enc = encoding
    if append and enc in ("utf-8-sig", "utf-16") and os.path.exists(path) and os.path.getsize(path):
        enc = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}[enc]
    with open(path, mode, encoding=enc, errors="replace", newline="") as fh:
        fh.write(text)


def _read_lines(path: str, encoding: str | None = None) -> list[str]:
    with open(path, "rb") as fh:
        data = fh.read()
    if encoding is None:
        if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig", errors="replace")
    else:
        text = data.decode(encoding, errors="replace")
    lines = text.splitlines()
    return lines


# =========================================================================== file objects

class FileSystemItem(Record):
    """System.IO.FileInfo / DirectoryInfo as Get-ChildItem and New-Item return them."""

    PS_TYPE_NAMES = ("System.IO.FileInfo", "System.IO.FileSystemInfo")
    FIELDS = ("PSPath", "PSParentPath", "PSChildName", "PSIsContainer", "Mode", "Name", "FullName",
              "Extension", "Length", "DirectoryName", "Exists", "CreationTime", "LastWriteTime",
              "LastAccessTime")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Name


class DirectoryItem(FileSystemItem):
    PS_TYPE_NAMES = ("System.IO.DirectoryInfo", "System.IO.FileSystemInfo")
    __slots__ = ()


_PROVIDER = "Microsoft.PowerShell.Core\\FileSystem::"


def item_info(path: str) -> FileSystemItem:
    st = os.stat(path)
    is_dir = os.path.isdir(path)
    name = os.path.basename(path.rstrip(os.sep)) or path
    parent = os.path.dirname(path.rstrip(os.sep))
    mode = ("d" if is_dir else "-") + ("a" if not is_dir else "-") + "----"
    cls = DirectoryItem if is_dir else FileSystemItem
    return cls(PSPath=_PROVIDER + path, PSParentPath=_PROVIDER + parent, PSChildName=name,
               PSIsContainer=is_dir, Mode=mode, Name=name, FullName=path,
               Extension=os.path.splitext(name)[1] if not is_dir else "",
               Length=None if is_dir else st.st_size, DirectoryName=parent, Exists=True,
               CreationTime=_dt.datetime.fromtimestamp(st.st_ctime).replace(microsecond=0),
               LastWriteTime=_dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0),
               LastAccessTime=_dt.datetime.fromtimestamp(st.st_atime).replace(microsecond=0))


class PathInfo(Record):
    """System.Management.Automation.PathInfo (Get-Location; default view: Path)."""

    PS_TYPE_NAMES = ("System.Management.Automation.PathInfo",)
    FIELDS = ("Drive", "Provider", "ProviderPath", "Path")
    __slots__ = FIELDS

    def __str__(self) -> str:
        return self.Path


# =========================================================================== content

_PATH_PARAMS = (
    Parameter("Path", str, mandatory=True, array=True, position=0, pipeline_by_property=True, sets=("Path",)),
    Parameter("LiteralPath", str, mandatory=True, array=True, pipeline_by_property=True,
              sets=("LiteralPath",), aliases=("PSPath",)),
)


@register
class GetContent(Cmdlet):
    name = "Get-Content"
    aliases = ("gc", "cat", "type")
    dotnet_class = "Microsoft.PowerShell.Commands.GetContentCommand"
    module = MANAGEMENT
    synopsis = "Gets the content of the item at the specified location."
    description = "The Get-Content cmdlet gets the lines of a text file, one string per line."
    parameters = _PATH_PARAMS + (
        Parameter("ReadCount", int, pipeline_by_property=True),
        Parameter("TotalCount", int, pipeline_by_property=True, aliases=("First", "Head")),
        Parameter("Tail", int, aliases=("Last",)),
        Parameter("Filter", str), Parameter("Include", str, array=True), Parameter("Exclude", str, array=True),
        Parameter("Force", SWITCH),
        Parameter("Delimiter", str), Parameter("Wait", SWITCH), Parameter("Raw", SWITCH),
        Parameter("Encoding", str, type_name="FileSystemCmdletProviderEncoding", values=ENCODINGS),
    )
    default_set = "Path"
    examples = (Example("Get-Content .\\servers.txt | ForEach-Object { Get-ExchangeServer $_ }",
                        "Runs Get-ExchangeServer for each name in a file."),)

    def process(self) -> None:
        for given in _paths(self):
            for path in _existing(self, given):
                if os.path.isdir(path):
                    self.write_error(PSError(f"Unable to get content because it is a directory: '{path}'. "
                                             "Please use 'Get-ChildItem' instead.", "GetContentReaderUnauthorizedAccessError",
                                             "PermissionDenied", target=path,
                                             exception_type="UnauthorizedAccessException"))
                    continue
                self._emit(path)

    def _emit(self, path: str) -> None:
        enc = codec(self.param("Encoding")) if self.has("Encoding") else None
        if self.param("Raw"):
            with open(path, "rb") as fh:
                data = fh.read()
            self.write(data.decode(enc or "utf-8-sig", errors="replace"))
            return
        lines = _read_lines(path, enc)
        total = self.param("TotalCount")
        if total is not None and total >= 0:
            lines = lines[:total]
        tail = self.param("Tail")
        if tail is not None and tail >= 0:
            lines = lines[len(lines) - tail:] if tail else []
        for line in lines:
            self.write(line)


class _ContentWriter(Cmdlet):
    """Set-Content and Add-Content: each value's text on its own line."""

    module = MANAGEMENT
    supports_should_process = True
    parameters = _PATH_PARAMS + (
        Parameter("Value", ANY, mandatory=True, array=True, position=1, pipeline=True,
                  pipeline_by_property=True, type_name="Object[]"),
        Parameter("PassThru", SWITCH), Parameter("Filter", str),
        Parameter("Include", str, array=True), Parameter("Exclude", str, array=True),
        Parameter("Force", SWITCH), Parameter("NoNewline", SWITCH),
        Parameter("Encoding", str, type_name="FileSystemCmdletProviderEncoding", values=ENCODINGS),
    )
    default_set = "Path"
    append: ClassVar[bool] = False
    action: ClassVar[str] = ""

    def begin(self) -> None:
        self._lines: list[str] = []

    def process(self) -> None:
        from ems.lang.conversion import to_display_string
        for v in self.param("Value") or []:
            self._lines.append("" if v is None else to_display_string(v))

    def end(self) -> None:
        enc = codec(self.param("Encoding"), "utf-8")
        for given in _paths(self):
            path = real_path(self.session, given)
            if not os.path.isdir(os.path.dirname(path)):
                self.write_error(PSError(f"Could not find a part of the path '{path}'.",
                                         "GetContentWriterDirectoryNotFoundError", "ObjectNotFound",
                                         target=path, exception_type="DirectoryNotFoundException"))
                continue
            if not self.should_process(f"Path: {path}", self.action):
                continue
            if self.param("NoNewline"):
                _write_file(path, ["".join(self._lines)], enc, self.append, newline_at_end=False)
            else:
                _write_file(path, self._lines, enc, self.append)
            if self.param("PassThru"):
                for line in self._lines:
                    self.write(line)


@register
class SetContent(_ContentWriter):
    name = "Set-Content"
    aliases = ("sc",)
    dotnet_class = "Microsoft.PowerShell.Commands.SetContentCommand"
    synopsis = "Writes new content or replaces existing content in a file."
    action = "Set Content"
    examples = (Example('Set-Content .\\servers.txt -Value EX1,EX2', "Writes two lines."),)


@register
class AddContent(_ContentWriter):
    name = "Add-Content"
    aliases = ("ac",)
    dotnet_class = "Microsoft.PowerShell.Commands.AddContentCommand"
    synopsis = "Appends content, such as words or data, to a file."
    append = True
    action = "Add Content"
    examples = (Example('Add-Content .\\log.txt "$(Get-Date) switchover done"', "Appends a line."),)


# =========================================================================== items

@register
class TestPath(Cmdlet):
    name = "Test-Path"
    dotnet_class = "Microsoft.PowerShell.Commands.TestPathCommand"
    module = MANAGEMENT
    synopsis = "Determines whether all elements of a path exist."
    parameters = (
        Parameter("Path", str, mandatory=True, array=True, position=0, pipeline=True,
                  pipeline_by_property=True, sets=("Path",)),
        Parameter("LiteralPath", str, mandatory=True, array=True, pipeline_by_property=True,
                  sets=("LiteralPath",), aliases=("PSPath",)),
        Parameter("Filter", str), Parameter("Include", str, array=True), Parameter("Exclude", str, array=True),
        Parameter("PathType", str, aliases=("Type",), type_name="TestPathType", values=("Any", "Container", "Leaf")),
        Parameter("IsValid", SWITCH),
        Parameter("OlderThan", _dt.datetime), Parameter("NewerThan", _dt.datetime),
    )
    default_set = "Path"
    examples = (Example('if (Test-Path .\\report.csv) { Remove-Item .\\report.csv }', "Deletes a file if it exists."),)

    def process(self) -> None:
        kind = (self.param("PathType") or "Any").lower()
        for given in _paths(self):
            if given == "" or given is None:
                raise PSError("Cannot bind argument to parameter 'Path' because it is an empty string.",
                              "ParameterArgumentValidationErrorEmptyStringNotAllowed", "InvalidData",
                              exception_type="ParameterBindingValidationException")
            if self.param("IsValid"):
                self.write(True)
                continue
            hits = [p for p in _expand(self.session, given, self.has("LiteralPath")) if os.path.exists(p)]
            if kind == "container":
                hits = [p for p in hits if os.path.isdir(p)]
            elif kind == "leaf":
                hits = [p for p in hits if not os.path.isdir(p)]
            self.write(bool(hits))


@register
class NewItem(Cmdlet):
    name = "New-Item"
    aliases = ("ni",)
    dotnet_class = "Microsoft.PowerShell.Commands.NewItemCommand"
    module = MANAGEMENT
    synopsis = "Creates a new item."
    description = "The New-Item cmdlet creates a file (-ItemType File, the default) or a folder (-ItemType Directory)."
    supports_should_process = True
    parameters = (
        Parameter("Path", str, array=True, position=0, pipeline_by_property=True, sets=("pathSet",),
                  mandatory=("pathSet",)),
        Parameter("Name", str, pipeline_by_property=True, sets=("nameSet",)),
        Parameter("ItemType", str, pipeline_by_property=True, aliases=("Type",)),
        Parameter("Value", ANY, pipeline=True, pipeline_by_property=True),
        Parameter("Force", SWITCH),
    )
    default_set = "pathSet"
    examples = (Example("New-Item -ItemType Directory -Path .\\Reports", "Creates a folder."),)

    def process(self) -> None:
        from ems.lang.conversion import to_display_string
        kind = (self.param("ItemType") or "File").lower()
        bases = self.param("Path") or ["."]
        for base in bases:
            path = real_path(self.session, os.path.join(base, self.param("Name")) if self.param("Name") else base)
            if kind in ("directory", "container", "d"):
                if os.path.isdir(path) and not self.param("Force"):
                    self.write_error(PSError(f"An item with the specified name {path} already exists.",
                                             "DirectoryExist", "ResourceExists", target=path,
                                             exception_type="IOException"))
                    continue
                if not self.should_process(f"Destination: {path}", "Create Directory"):
                    continue
                os.makedirs(path, exist_ok=True)
            elif kind in ("file", "f", "leaf"):
                if os.path.exists(path) and not self.param("Force"):
                    self.write_error(PSError(f"The file '{path}' already exists.", "NewItemIOError",
                                             "WriteError", target=path, exception_type="IOException"))
                    continue
                if not os.path.isdir(os.path.dirname(path)):
                    if not self.param("Force"):
                        self.write_error(PSError(f"Could not find a part of the path '{path}'.",
                                                 "NewItemIOError", "WriteError", target=path,
                                                 exception_type="DirectoryNotFoundException"))
                        continue
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                if not self.should_process(f"Destination: {path}", "Create File"):
                    continue
                value = self.param("Value")
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write("" if value is None else to_display_string(value))
            else:
                raise PSError("The type is not a known type for the file system. Only \"file\" and "
                              "\"directory\" can be created.", "NewItemTypeNotSupported", "InvalidArgument",
                              exception_type="IOException")
            self.write(item_info(path))


@register
class RemoveItem(Cmdlet):
    name = "Remove-Item"
    aliases = ("rm", "del", "erase", "rd", "ri", "rmdir")
    dotnet_class = "Microsoft.PowerShell.Commands.RemoveItemCommand"
    module = MANAGEMENT
    synopsis = "Deletes files and folders."
    supports_should_process = True
    parameters = _PATH_PARAMS + (
        Parameter("Filter", str), Parameter("Include", str, array=True), Parameter("Exclude", str, array=True),
        Parameter("Recurse", SWITCH), Parameter("Force", SWITCH),
    )
    default_set = "Path"
    examples = (Example("Remove-Item .\\Reports -Recurse", "Deletes a folder and everything in it."),)

    def process(self) -> None:
        import shutil
        for given in _paths(self):
            for path in _existing(self, given, os.path.lexists):
                is_dir = os.path.isdir(path) and not os.path.islink(path)
                if is_dir and os.listdir(path) and not self.param("Recurse"):
                    self.write_error(PSError(
                        f"The item at {path} has children and the Recurse parameter was not specified. "
                        "If you continue, all children will be removed with the item. Are you sure you "
                        "want to continue?", "RemoveItemUnauthorizedAccessError", "InvalidOperation",
                        target=path, exception_type="PSInvalidOperationException"))
                    continue
                action = "Remove Directory" if is_dir else "Remove File"
                if not self.should_process(f"Item: {path}", action):
                    continue
                if is_dir:
                    shutil.rmtree(path)
                else:
                    os.remove(path)


@register
class GetChildItem(Cmdlet):
    name = "Get-ChildItem"
    aliases = ("gci", "ls", "dir")
    dotnet_class = "Microsoft.PowerShell.Commands.GetChildItemCommand"
    module = MANAGEMENT
    synopsis = "Gets the files and folders in a file system drive."
    parameters = (
        Parameter("Path", str, array=True, position=0, pipeline=True, pipeline_by_property=True, sets=("Items",)),
        Parameter("LiteralPath", str, mandatory=True, array=True, pipeline_by_property=True,
                  sets=("LiteralItems",), aliases=("PSPath",)),
        Parameter("Filter", str, position=1),
        Parameter("Include", str, array=True), Parameter("Exclude", str, array=True),
        Parameter("Recurse", SWITCH, aliases=("s",)), Parameter("Depth", int),
        Parameter("Force", SWITCH), Parameter("Name", SWITCH),
        Parameter("Directory", SWITCH, aliases=("ad", "d")), Parameter("File", SWITCH, aliases=("af",)),
    )
    default_set = "Items"
    examples = (Example("Get-ChildItem *.csv", "Lists the CSV files in the current folder."),)

    def process(self) -> None:
        from ems.lang.operators import has_wildcard, wildcard_match
        for given in _paths(self) or ["."]:
            leaf_filter = None
            if self.param("Recurse") and has_wildcard(given) and not self.has("LiteralPath"):
                # dir -Recurse *.txt: the wildcard filters names in every folder below
                given, leaf_filter = os.path.dirname(given.replace("\\", "/")) or ".", os.path.basename(
                    given.replace("\\", "/"))
            for entry in _existing(self, given):
                base = entry if os.path.isdir(entry) else os.path.dirname(entry)
                for path in self._walk(entry):
                    name = os.path.basename(path)
                    if leaf_filter and not wildcard_match(leaf_filter, name):
                        continue
                    if self.param("Filter") and not wildcard_match(self.param("Filter"), name):
                        continue
                    if self.param("Include") and not any(wildcard_match(p, name) for p in self.param("Include")):
                        continue
                    if any(wildcard_match(p, name) for p in self.param("Exclude") or []):
                        continue
                    is_dir = os.path.isdir(path)
                    if (self.param("Directory") and not is_dir) or (self.param("File") and is_dir):
                        continue
                    self.write(os.path.relpath(path, base) if self.param("Name") else item_info(path))

    def _walk(self, entry: str) -> list[str]:
        if not os.path.isdir(entry):
            return [entry]
        out = []
        depth = self.param("Depth")
        for root, dirs, files in os.walk(entry):
            level = os.path.relpath(root, entry).count(os.sep) + (0 if root == entry else 1)
            names = sorted(dirs, key=str.lower) + sorted(files, key=str.lower)
            out += [os.path.join(root, n) for n in names]
            if not self.param("Recurse") or (depth is not None and level >= depth):
                break
        return out


@register
class GetItem(Cmdlet):
    name = "Get-Item"
    aliases = ("gi",)
    dotnet_class = "Microsoft.PowerShell.Commands.GetItemCommand"
    module = MANAGEMENT
    synopsis = "Gets files and folders."
    description = "Gets the file or folder at each path; wildcards match several."
    parameters = (
        Parameter("Path", str, mandatory=True, array=True, position=0, pipeline=True,
                  pipeline_by_property=True, sets=("Path",)),
        Parameter("LiteralPath", str, mandatory=True, array=True, pipeline_by_property=True,
                  sets=("LiteralPath",), aliases=("PSPath",)),
        Parameter("Filter", str), Parameter("Include", str, array=True),
        Parameter("Exclude", str, array=True), Parameter("Force", SWITCH),
    )
    default_set = "Path"
    examples = (Example("Get-Item .\\report.csv", "The file's FileInfo (Length, LastWriteTime...)."),)

    def process(self) -> None:
        from ems.lang.operators import wildcard_match
        for given in _paths(self):
            for entry in _existing(self, given):
                leaf = os.path.basename(entry)
                if any(not wildcard_match(p, leaf) for p in
                       ([self.param("Filter")] if self.param("Filter") else []) + (self.param("Include") or [])):
                    continue
                if any(wildcard_match(p, leaf) for p in self.param("Exclude") or []):
                    continue
                self.write(item_info(entry))


# =========================================================================== location

def _path_info(path: str) -> PathInfo:
    drive = os.path.splitdrive(path)[0].rstrip(":") if os.name == "nt" else "/"
    return PathInfo(Drive=drive, Provider="Microsoft.PowerShell.Core\\FileSystem", ProviderPath=path, Path=path)


@register
class GetLocation(Cmdlet):
    name = "Get-Location"
    aliases = ("gl", "pwd")
    dotnet_class = "Microsoft.PowerShell.Commands.GetLocationCommand"
    module = MANAGEMENT
    synopsis = "Gets information about the current working location."
    parameters = (
        Parameter("PSProvider", str, array=True, sets=("Location",)),
        Parameter("PSDrive", str, array=True, sets=("Location",)),
        Parameter("Stack", SWITCH, sets=("Stack",)),
        Parameter("StackName", str, array=True, sets=("Stack",)),
    )
    default_set = "Location"
    examples = (Example("Get-Location", "Shows the current folder."),)

    def process(self) -> None:
        self.write(_path_info(location(self.session)))


@register
class SetLocation(Cmdlet):
    name = "Set-Location"
    aliases = ("cd", "chdir", "sl")
    dotnet_class = "Microsoft.PowerShell.Commands.SetLocationCommand"
    module = MANAGEMENT
    synopsis = "Sets the current working location to a specified location."
    parameters = (
        Parameter("Path", str, position=0, pipeline=True, pipeline_by_property=True, sets=("Path",)),
        Parameter("LiteralPath", str, mandatory=True, pipeline_by_property=True, sets=("LiteralPath",),
                  aliases=("PSPath",)),
        Parameter("PassThru", SWITCH),
        Parameter("StackName", str, pipeline_by_property=True, sets=("Stack",)),
    )
    default_set = "Path"
    examples = (Example("Set-Location .\\Reports", "Makes Reports the current folder."),)

    def process(self) -> None:
        given = self.param("LiteralPath") if self.has("LiteralPath") else self.param("Path")
        target = real_path(self.session, given if given else "~")
        if not os.path.isdir(target):
            self.write_error(path_not_found(target))
            return
        self.session.location = target
        if self.param("PassThru"):
            self.write(_path_info(target))


def _separator(path: str) -> str:
    return "/" if "/" in path and "\\" not in path else "\\"


def _split(path: str) -> tuple[str, str, str]:
    """(qualifier, parent, leaf) of a path written with either separator."""
    qualifier = ""
    rest = path
    if len(path) >= 2 and path[1] == ":" and path[0].isalpha():
        qualifier, rest = path[:2], path[2:]
    trimmed = rest.rstrip("\\/") or rest[:1]
    cut = max(trimmed.rfind("\\"), trimmed.rfind("/"))
    if cut < 0:
        return qualifier, "", trimmed
    parent = trimmed[:cut] or trimmed[:1]
    return qualifier, parent, trimmed[cut + 1:]


@register
class JoinPath(Cmdlet):
    name = "Join-Path"
    dotnet_class = "Microsoft.PowerShell.Commands.JoinPathCommand"
    module = MANAGEMENT
    synopsis = "Combines a path and a child path into a single path."
    parameters = (
        Parameter("Path", str, mandatory=True, array=True, position=0, pipeline=True,
                  pipeline_by_property=True, aliases=("PSPath",)),
        Parameter("ChildPath", str, mandatory=True, position=1, pipeline_by_property=True),
        Parameter("Resolve", SWITCH),
        Parameter("Credential", ANY, pipeline_by_property=True, type_name="PSCredential"),
    )
    examples = (Example('Join-Path $env:TEMP "report.csv"', "Builds a file name in the temp folder."),)

    def process(self) -> None:
        child = self.param("ChildPath") or ""
        for parent in self.param("Path"):
            sep = _separator(parent + child)
            joined = parent.rstrip("\\/") + sep + child.lstrip("\\/") if parent else child
            if self.param("Resolve"):
                full = real_path(self.session, joined)
                if not os.path.exists(full):
                    self.write_error(path_not_found(full))
                    continue
                joined = full
            self.write(joined)


@register
class SplitPath(Cmdlet):
    name = "Split-Path"
    dotnet_class = "Microsoft.PowerShell.Commands.SplitPathCommand"
    module = MANAGEMENT
    synopsis = "Returns the specified part of a path."
    parameters = (
        Parameter("Path", str, mandatory=True, array=True, position=0, pipeline=True,
                  pipeline_by_property=True, sets=("ParentSet", "LeafSet", "QualifierSet", "NoQualifierSet",
                                                   "IsAbsoluteSet")),
        Parameter("LiteralPath", str, mandatory=True, array=True, pipeline_by_property=True,
                  sets=("LiteralPathSet",), aliases=("PSPath",)),
        Parameter("Parent", SWITCH, sets=("ParentSet",)),
        Parameter("Leaf", SWITCH, mandatory=True, sets=("LeafSet",)),
        Parameter("Qualifier", SWITCH, mandatory=True, sets=("QualifierSet",)),
        Parameter("NoQualifier", SWITCH, mandatory=True, sets=("NoQualifierSet",)),
        Parameter("IsAbsolute", SWITCH, mandatory=True, sets=("IsAbsoluteSet",)),
        Parameter("Resolve", SWITCH),
    )
    default_set = "ParentSet"
    examples = (Example("Split-Path C:\\Reports\\db.csv -Leaf", "Gives db.csv."),)

    def process(self) -> None:
        for path in _paths(self):
            qualifier, parent, leaf = _split(path)
            if self.parameter_set == "LeafSet":
                self.write(leaf)
            elif self.parameter_set == "QualifierSet":
                if not qualifier:
                    self.write_error(PSError(f"Cannot parse path because path '{path}' does not have a qualifier "
                                             "specified.", "ParsePathFailed", "InvalidArgument", target=path,
                                             exception_type="PSArgumentException"))
                    continue
                self.write(qualifier)
            elif self.parameter_set == "NoQualifierSet":
                self.write(path[len(qualifier):])
            elif self.parameter_set == "IsAbsoluteSet":
                self.write(bool(qualifier and path[2:3] in ("\\", "/")) or path.startswith(("\\", "/")))
            else:
                self.write(qualifier + parent)


# =========================================================================== CSV

def _csv_field(value: Any) -> str | None:
    from ems.lang.conversion import to_display_string
    if value is None:
        return None
    return to_display_string(value)


def _quote(text: str | None) -> str:
    if text is None:
        return ""
    return '"' + text.replace('"', '""') + '"'


def csv_lines(objects: Iterable[Any], delimiter: str, type_info: bool,
              columns: list[str] | None = None, header: bool = True) -> tuple[list[str], list[str]]:
    """The CSV text of objects, as 5.1's Export-Csv/ConvertTo-Csv writes it.
    Returns (lines, columns); ``columns`` fixes the header (for -Append)."""
    lines: list[str] = []
    for obj in objects:
        if columns is None:
            columns = [name for name, _ in props.member_list(obj)]
            if type_info:
                names = [n for n in type_names(obj) if n != "System.Object"] or ["System.Object"]
                lines.append(f"#TYPE {names[0]}")
            if header:
                lines.append(delimiter.join(_quote(c) for c in columns))
        values = [_csv_field(props.member_value(obj, c, None)) for c in columns]
        lines.append(delimiter.join(_quote(v) for v in values))
    return lines, columns or []


def parse_csv_line(line: str, delimiter: str) -> list[str]:
    """One CSV record: quoted fields with doubled quotes, unquoted fields as they are."""
    fields: list[str] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            i += 1
            buf = []
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(line[i])
                i += 1
            # anything after the closing quote up to the delimiter belongs to the field
            j = line.find(delimiter, i)
            if j < 0:
                buf.append(line[i:])
                fields.append("".join(buf))
                return fields
            buf.append(line[i:j])
            fields.append("".join(buf))
            i = j + len(delimiter)
        else:
            j = line.find(delimiter, i)
            if j < 0:
                fields.append(line[i:])
                return fields
            fields.append(line[i:j])
            i = j + len(delimiter)


def _join_records(lines: list[str]) -> list[str]:
    """Quoted fields may span lines: glue physical lines into records."""
    out: list[str] = []
    pending: str | None = None
    for line in lines:
        text = line if pending is None else pending + "\n" + line
        if text.count('"') % 2:
            pending = text
            continue
        pending = None
        out.append(text)
    if pending is not None:
        out.append(pending)
    return out


def csv_objects(lines: list[str], delimiter: str, header: list[str] | None) -> list[PSObject]:
    """Import-Csv/ConvertFrom-Csv: rows as custom objects (values are strings)."""
    type_name = None
    records = _join_records(lines)
    if records and records[0].startswith("#TYPE"):
        type_name = records[0][5:].strip()
        records = records[1:]
    records = [r for r in records if r.strip() != ""]
    if header is None:
        if not records:
            return []
        header = parse_csv_line(records[0], delimiter)
        records = records[1:]
    header = [h if h else f"H{i + 1}" for i, h in enumerate(header)]
    names = ["CSV:" + type_name] if type_name else []
    out = []
    for record in records:
        fields = parse_csv_line(record, delimiter)
        obj = PSObject((), tuple(names) + ("System.Management.Automation.PSCustomObject",))
        for i, col in enumerate(header):
            obj.set(col, fields[i] if i < len(fields) else None)
        out.append(obj)
    return out


def _delimiter(cmdlet: Cmdlet) -> str:
    if cmdlet.param("UseCulture"):
        return ","
    d = cmdlet.param("Delimiter")
    return "," if d is None else str(d)[:1] or ","


@register
class ExportCsv(Cmdlet):
    name = "Export-Csv"
    aliases = ("epcsv",)
    dotnet_class = "Microsoft.PowerShell.Commands.ExportCsvCommand"
    module = UTILITY
    synopsis = "Converts objects into a series of comma-separated value (CSV) strings and saves the strings in a CSV file."
    description = ("The Export-Csv cmdlet writes the objects' properties to a CSV file: a #TYPE line "
                   "(unless -NoTypeInformation), a header of the first object's property names and "
                   "one line per object.")
    supports_should_process = True
    parameters = (
        Parameter("InputObject", ANY, mandatory=True, pipeline=True, pipeline_by_property=True, type_name="PSObject"),
        Parameter("Path", str, position=0),
        Parameter("LiteralPath", str, aliases=("PSPath",)),
        Parameter("Force", SWITCH), Parameter("NoClobber", SWITCH, aliases=("NoOverwrite",)),
        Parameter("Encoding", str, values=("Unicode", "UTF7", "UTF8", "ASCII", "UTF32", "BigEndianUnicode",
                                           "Default", "OEM")),
        Parameter("Append", SWITCH),
        Parameter("Delimiter", str, position=1, sets=("Delimiter",), type_name="Char"),
        Parameter("UseCulture", SWITCH, sets=("UseCulture",)),
        Parameter("NoTypeInformation", SWITCH, aliases=("NTI",)),
    )
    default_set = "Delimiter"
    examples = (
        Example("Get-MailboxDatabaseCopyStatus * | Export-Csv .\\copies.csv -NoTypeInformation",
                "Saves the copy status as CSV."),
    )

    def begin(self) -> None:
        given = self.param("LiteralPath") or self.param("Path")
        if not given:
            raise PSError("Cannot perform operation because the path resolved to more than one file. "
                          "This command cannot operate on multiple files.", "CannotSpecifyPathAndLiteralPath",
                          "InvalidData", exception_type="PSArgumentException")
        self._path = real_path(self.session, given)
        self._objects: list[Any] = []

    def process(self) -> None:
        if self.has("InputObject"):
            self._objects.append(self.param("InputObject"))

    def end(self) -> None:
        path = self._path
        if self.param("NoClobber") and os.path.exists(path) and not self.param("Append"):
            raise PSError(f"The file '{path}' already exists.", "NoClobber", "ResourceExists",
                          target=path, exception_type="IOException")
        if not os.path.isdir(os.path.dirname(path)):
            raise PSError(f"Could not find a part of the path '{path}'.", "FileOpenFailure", "OpenError",
                          exception_type="DirectoryNotFoundException")
        if not self.should_process(path, "Export-Csv"):
            return
        delimiter = _delimiter(self)
        columns = None
        append = bool(self.param("Append")) and os.path.exists(path) and os.path.getsize(path) > 0
        if append:
            existing = [ln for ln in _read_lines(path) if not ln.startswith("#TYPE")]
            columns = parse_csv_line(existing[0], delimiter) if existing else None
            if columns and self._objects and not self.param("Force"):
                first = self._objects[0]
                for col in columns:
                    if props.member_value(first, col) is props.MISSING:
                        raise PSError(
                            f"Cannot append CSV content to the following file: {path}. The appended object "
                            f"does not have a property that corresponds to the following column: {col}. To "
                            "continue with mismatched properties, add the -Force parameter, and then retry "
                            "the command.", "CannotAppendCsvWithMismatchedPropertyNames", "InvalidData",
                            target=col, exception_type="InvalidOperationException")
        lines, _ = csv_lines(self._objects, delimiter, not self.param("NoTypeInformation") and not append,
                             columns, header=not append)
        encoding = codec(self.param("Encoding"), "utf-8")
        _write_file(path, lines, encoding, append)


@register
class ConvertToCsv(Cmdlet):
    name = "ConvertTo-Csv"
    dotnet_class = "Microsoft.PowerShell.Commands.ConvertToCsvCommand"
    module = UTILITY
    synopsis = "Converts objects into a series of comma-separated value (CSV) variable-length strings."
    parameters = (
        Parameter("InputObject", ANY, mandatory=True, position=0, pipeline=True, type_name="PSObject"),
        Parameter("Delimiter", str, position=1, sets=("Delimiter",), type_name="Char"),
        Parameter("UseCulture", SWITCH, sets=("UseCulture",)),
        Parameter("NoTypeInformation", SWITCH, aliases=("NTI",)),
    )
    default_set = "Delimiter"
    examples = (Example("Get-Mailbox | Select Name,Database | ConvertTo-Csv -NoTypeInformation", "CSV text."),)

    def begin(self) -> None:
        self._columns: list[str] | None = None

    def process(self) -> None:
        if not self.has("InputObject"):
            return
        lines, columns = csv_lines([self.param("InputObject")], _delimiter(self),
                                   not self.param("NoTypeInformation"), self._columns,
                                   header=self._columns is None)
        self._columns = columns
        for line in lines:
            self.write(line)


class _CsvReader(Cmdlet):
    module = UTILITY

    def _header(self) -> list[str] | None:
        header = self.param("Header")
        if header is None:
            return None
        return [str(h) for h in (header if isinstance(header, list) else [header])]


@register
class ImportCsv(_CsvReader):
    name = "Import-Csv"
    aliases = ("ipcsv",)
    dotnet_class = "Microsoft.PowerShell.Commands.ImportCsvCommand"
    synopsis = "Creates table-like custom objects from the items in a CSV file."
    parameters = (
        Parameter("Path", str, array=True, position=0, pipeline=True, pipeline_by_property=True,
                  sets=("Delimiter", "UseCulture")),
        Parameter("LiteralPath", str, array=True, pipeline_by_property=True, aliases=("PSPath",)),
        Parameter("Delimiter", str, position=1, sets=("Delimiter",), type_name="Char"),
        Parameter("UseCulture", SWITCH, mandatory=True, sets=("UseCulture",)),
        Parameter("Header", str, array=True),
        Parameter("Encoding", str, values=("Unicode", "UTF7", "UTF8", "ASCII", "UTF32", "BigEndianUnicode",
                                           "Default", "OEM")),
    )
    default_set = "Delimiter"
    examples = (Example("Import-Csv .\\servers.csv | ForEach-Object { Get-ExchangeServer $_.Name }",
                        "Reads a list of servers from a CSV file."),)

    def process(self) -> None:
        for given in _paths(self):
            path = real_path(self.session, given)
            if not os.path.isfile(path):
                self.write_error(path_not_found(path))
                continue
            enc = codec(self.param("Encoding")) if self.has("Encoding") else None
            for obj in csv_objects(_read_lines(path, enc), _delimiter(self), self._header()):
                self.write(obj)


@register
class ConvertFromCsv(_CsvReader):
    name = "ConvertFrom-Csv"
    dotnet_class = "Microsoft.PowerShell.Commands.ConvertFromCsvCommand"
    synopsis = "Converts object properties in comma-separated value (CSV) format into CSV versions of the original objects."
    parameters = (
        Parameter("InputObject", str, mandatory=True, array=True, position=0, pipeline=True,
                  pipeline_by_property=True),
        Parameter("Delimiter", str, position=1, sets=("Delimiter",), type_name="Char"),
        Parameter("UseCulture", SWITCH, mandatory=True, sets=("UseCulture",)),
        Parameter("Header", str, array=True),
    )
    default_set = "Delimiter"
    examples = (Example('"Name,Site","EX1,Portland" | ConvertFrom-Csv', "Makes an object from CSV text."),)

    def begin(self) -> None:
        self._lines: list[str] = []

    def process(self) -> None:
        for item in self.param("InputObject") or []:
            self._lines += str(item).splitlines() or [""]

    def end(self) -> None:
        for obj in csv_objects(self._lines, _delimiter(self), self._header()):
            self.write(obj)
