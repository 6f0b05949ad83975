"""Get-Member's data: the members of an object as MemberDefinition objects.

The formatter's MemberDefinition view prints them as one auto-sized table per type under
``   TypeName: <name>``. Members are sorted by member-type name, then name, as 5.1 does
(AliasProperty, Event, Method, NoteProperty, ParameterizedProperty, Property, ...).

Definitions follow PowerShell's adapters: a note property of a PSCustomObject reads
``string Name=DB1``; a property of an Exchange object ``System.String Name {get;set;}``;
.NET methods use the short type names PowerShell prints (``bool Equals(System.Object obj)``).
The method lists of String, Object[], Hashtable and Int32 are PowerShell 5.1's; other
types show the four System.Object methods.
"""
from __future__ import annotations

import datetime as _dt
import decimal
import enum
import uuid
from typing import Any, ClassVar

import attrs

from ems.format.props import format_properties
from ems.format.text import to_string
from ems.runtime.values import Hashtable, PSObject, type_names


@attrs.define
class MemberDefinition:
    PS_TYPE_NAMES: ClassVar = ("Microsoft.PowerShell.Commands.MemberDefinition",)
    TypeName: str
    Name: str
    MemberType: str
    Definition: str

    def __str__(self) -> str:
        return self.Definition


_OBJECT_METHODS = (
    ("Equals", "bool Equals(System.Object obj)"),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("ToString", "string ToString()"),
)

_ICONVERTIBLE = tuple(
    (f"To{t}", f"{short} IConvertible.To{t}(System.IFormatProvider provider)")
    for t, short in (("Boolean", "bool"), ("Byte", "byte"), ("Char", "char"),
                     ("DateTime", "datetime"), ("Decimal", "decimal"), ("Double", "double"),
                     ("Int16", "int16"), ("Int32", "int"), ("Int64", "long"), ("SByte", "sbyte"),
                     ("Single", "float"), ("UInt16", "uint16"), ("UInt32", "uint32"),
                     ("UInt64", "uint64")))

_STRING_METHODS = (
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("CompareTo", "int CompareTo(System.Object value), int CompareTo(string strB), "
                  "int IComparable.CompareTo(System.Object obj), int IComparable[string].CompareTo(string other)"),
    ("Contains", "bool Contains(string value)"),
    ("CopyTo", "void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)"),
    ("EndsWith", "bool EndsWith(string value), bool EndsWith(string value, System.StringComparison "
                 "comparisonType), bool EndsWith(string value, bool ignoreCase, cultureinfo culture)"),
    ("Equals", "bool Equals(System.Object obj), bool Equals(string value), bool Equals(string value, "
               "System.StringComparison comparisonType), bool IEquatable[string].Equals(string other)"),
    ("GetEnumerator", "System.CharEnumerator GetEnumerator(), System.Collections.IEnumerator "
                      "IEnumerable.GetEnumerator(), System.Collections.Generic.IEnumerator[char] "
                      "IEnumerable[char].GetEnumerator()"),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("GetTypeCode", "System.TypeCode GetTypeCode(), System.TypeCode IConvertible.GetTypeCode()"),
    ("IndexOf", "int IndexOf(char value), int IndexOf(char value, int startIndex), int IndexOf(string "
                "value), int IndexOf(string value, int startIndex), int IndexOf(string value, int "
                "startIndex, int count)"),
    ("IndexOfAny", "int IndexOfAny(char[] anyOf), int IndexOfAny(char[] anyOf, int startIndex), "
                   "int IndexOfAny(char[] anyOf, int startIndex, int count)"),
    ("Insert", "string Insert(int startIndex, string value)"),
    ("IsNormalized", "bool IsNormalized(), bool IsNormalized(System.Text.NormalizationForm normalizationForm)"),
    ("LastIndexOf", "int LastIndexOf(char value), int LastIndexOf(char value, int startIndex), "
                    "int LastIndexOf(string value), int LastIndexOf(string value, int startIndex)"),
    ("LastIndexOfAny", "int LastIndexOfAny(char[] anyOf), int LastIndexOfAny(char[] anyOf, int "
                       "startIndex), int LastIndexOfAny(char[] anyOf, int startIndex, int count)"),
    ("Normalize", "string Normalize(), string Normalize(System.Text.NormalizationForm normalizationForm)"),
    ("PadLeft", "string PadLeft(int totalWidth), string PadLeft(int totalWidth, char paddingChar)"),
    ("PadRight", "string PadRight(int totalWidth), string PadRight(int totalWidth, char paddingChar)"),
    ("Remove", "string Remove(int startIndex, int count), string Remove(int startIndex)"),
    ("Replace", "string Replace(char oldChar, char newChar), string Replace(string oldValue, string newValue)"),
    ("Split", "string[] Split(Params char[] separator), string[] Split(char[] separator, int count), "
              "string[] Split(char[] separator, System.StringSplitOptions options), string[] "
              "Split(string[] separator, System.StringSplitOptions options)"),
    ("StartsWith", "bool StartsWith(string value), bool StartsWith(string value, System.StringComparison "
                   "comparisonType), bool StartsWith(string value, bool ignoreCase, cultureinfo culture)"),
    ("Substring", "string Substring(int startIndex), string Substring(int startIndex, int length)"),
) + _ICONVERTIBLE + (
    ("ToCharArray", "char[] ToCharArray(), char[] ToCharArray(int startIndex, int length)"),
    ("ToLower", "string ToLower(), string ToLower(cultureinfo culture)"),
    ("ToLowerInvariant", "string ToLowerInvariant()"),
    ("ToString", "string ToString(), string ToString(System.IFormatProvider provider), "
                 "string IConvertible.ToString(System.IFormatProvider provider)"),
    ("ToType", "System.Object IConvertible.ToType(type conversionType, System.IFormatProvider provider)"),
    ("ToUpper", "string ToUpper(), string ToUpper(cultureinfo culture)"),
    ("ToUpperInvariant", "string ToUpperInvariant()"),
    ("Trim", "string Trim(Params char[] trimChars), string Trim()"),
    ("TrimEnd", "string TrimEnd(Params char[] trimChars)"),
    ("TrimStart", "string TrimStart(Params char[] trimChars)"),
)

_INT_METHODS = (
    ("CompareTo", "int CompareTo(System.Object value), int CompareTo(int value), "
                  "int IComparable.CompareTo(System.Object obj), int IComparable[int].CompareTo(int other)"),
    ("Equals", "bool Equals(System.Object obj), bool Equals(int obj), bool IEquatable[int].Equals(int other)"),
    ("GetHashCode", "int GetHashCode()"),
    ("GetType", "type GetType()"),
    ("GetTypeCode", "System.TypeCode GetTypeCode(), System.TypeCode IConvertible.GetTypeCode()"),
) + _ICONVERTIBLE + (
    ("ToString", "string ToString(), string ToString(string format), string ToString(System.IFormatProvider "
                 "provider), string ToString(string format, System.IFormatProvider provider), string "
                 "IFormattable.ToString(string format, System.IFormatProvider formatProvider), string "
                 "IConvertible.ToString(System.IFormatProvider provider)"),
    ("ToType", "System.Object IConvertible.ToType(type conversionType, System.IFormatProvider provider)"),
)

_ARRAY_METHODS = (
    ("Address", "System.Object&, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089 Address(int )"),
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("CompareTo", "int IStructuralComparable.CompareTo(System.Object other, System.Collections.IComparer comparer)"),
    ("CopyTo", "void CopyTo(array array, int index), void CopyTo(array array, long index), void "
               "ICollection.CopyTo(array array, int index)"),
    ("Equals", "bool Equals(System.Object obj), bool IStructuralEquatable.Equals(System.Object other, "
               "System.Collections.IEqualityComparer comparer)"),
    ("Get", "System.Object Get(int )"),
    ("GetEnumerator", "System.Collections.IEnumerator GetEnumerator(), System.Collections.IEnumerator "
                      "IEnumerable.GetEnumerator()"),
    ("GetHashCode", "int GetHashCode(), int IStructuralEquatable.GetHashCode(System.Collections.IEqualityComparer comparer)"),
    ("GetLength", "int GetLength(int dimension)"),
    ("GetLongLength", "long GetLongLength(int dimension)"),
    ("GetLowerBound", "int GetLowerBound(int dimension)"),
    ("GetType", "type GetType()"),
    ("GetUpperBound", "int GetUpperBound(int dimension)"),
    ("GetValue", "System.Object GetValue(Params int[] indices), System.Object GetValue(int index)"),
    ("Initialize", "void Initialize()"),
    ("Set", "void Set(int , System.Object )"),
    ("SetValue", "void SetValue(System.Object value, int index), void SetValue(System.Object value, Params int[] indices)"),
    ("ToString", "string ToString()"),
)
_ARRAY_EXTRA = (
    ("Count", "AliasProperty", "Count = Length"),
    ("Item", "ParameterizedProperty", "System.Object IList.Item(int index) {get;set;}"),
    ("IsFixedSize", "Property", "bool IsFixedSize {get;}"),
    ("IsReadOnly", "Property", "bool IsReadOnly {get;}"),
    ("IsSynchronized", "Property", "bool IsSynchronized {get;}"),
    ("Length", "Property", "int Length {get;}"),
    ("LongLength", "Property", "long LongLength {get;}"),
    ("Rank", "Property", "int Rank {get;}"),
    ("SyncRoot", "Property", "System.Object SyncRoot {get;}"),
)

_HASHTABLE_METHODS = (
    ("Add", "void Add(System.Object key, System.Object value), void IDictionary.Add(System.Object key, System.Object value)"),
    ("Clear", "void Clear(), void IDictionary.Clear()"),
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("Contains", "bool Contains(System.Object key), bool IDictionary.Contains(System.Object key)"),
    ("ContainsKey", "bool ContainsKey(System.Object key)"),
    ("ContainsValue", "bool ContainsValue(System.Object value)"),
    ("CopyTo", "void CopyTo(array array, int arrayIndex), void ICollection.CopyTo(array array, int index)"),
    ("Equals", "bool Equals(System.Object obj)"),
    ("GetEnumerator", "System.Collections.IDictionaryEnumerator GetEnumerator(), System.Collections."
                      "IDictionaryEnumerator IDictionary.GetEnumerator(), System.Collections.IEnumerator "
                      "IEnumerable.GetEnumerator()"),
    ("GetHashCode", "int GetHashCode()"),
    ("GetObjectData", "void GetObjectData(System.Runtime.Serialization.SerializationInfo info, "
                      "System.Runtime.Serialization.StreamingContext context), void ISerializable."
                      "GetObjectData(System.Runtime.Serialization.SerializationInfo info, "
                      "System.Runtime.Serialization.StreamingContext context)"),
    ("GetType", "type GetType()"),
    ("OnDeserialization", "void OnDeserialization(System.Object sender), void IDeserializationCallback."
                          "OnDeserialization(System.Object sender)"),
    ("Remove", "void Remove(System.Object key), void IDictionary.Remove(System.Object key)"),
    ("ToString", "string ToString()"),
)
_HASHTABLE_EXTRA = (
    ("Item", "ParameterizedProperty", "System.Object Item(System.Object key) {get;set;}"),
    ("Count", "Property", "int Count {get;}"),
    ("IsFixedSize", "Property", "bool IsFixedSize {get;}"),
    ("IsReadOnly", "Property", "bool IsReadOnly {get;}"),
    ("IsSynchronized", "Property", "bool IsSynchronized {get;}"),
    ("Keys", "Property", "System.Collections.ICollection Keys {get;}"),
    ("SyncRoot", "Property", "System.Object SyncRoot {get;}"),
    ("Values", "Property", "System.Collections.ICollection Values {get;}"),
)

_SHORT_NAMES = {
    str: "string", bool: "bool", int: "int", float: "double", decimal.Decimal: "decimal",
    _dt.datetime: "datetime", _dt.timedelta: "timespan", uuid.UUID: "guid",
    list: "Object[]", tuple: "Object[]", Hashtable: "hashtable",
}


def short_type_name(value: Any) -> str:
    """GetDisplayTypeNameOfValue: ``string``, ``int``, ``Object[]``; namespaces dropped."""
    if value is None:
        return "object"
    if isinstance(value, PSObject):
        return value.type_names[0]
    for cls, name in _SHORT_NAMES.items():
        if type(value) is cls:
            if cls is int and not -2**31 <= value < 2**31:
                return "long"
            return name
    return _dotnet_name(value).rsplit(".", 1)[-1]


def _dotnet_name(value: Any) -> str:
    from ems.lang.conversion import dotnet_type_name
    return dotnet_type_name(value)


_ANNOTATIONS = {"str": "System.String", "int": "System.Int32", "bool": "System.Boolean",
                "float": "System.Double", "datetime": "System.DateTime",
                "timedelta": "System.TimeSpan"}


def _field_type(cls: type, name: str, value: Any) -> str:
    """The .NET type of an Exchange property: from its value, else from the annotation."""
    if value is not None:
        if isinstance(value, (list, tuple)) and not hasattr(type(value), "PS_TYPE_NAMES"):
            return "System.Object[]"
        return _dotnet_name(value)
    field = attrs.fields_dict(cls).get(name)
    ann = str(getattr(field, "type", "") or "")
    for part in ann.replace("|", " ").replace("Optional[", " ").split():
        part = part.strip("[]").rsplit(".", 1)[-1]
        if part in _ANNOTATIONS:
            return _ANNOTATIONS[part]
    return "System.Object"


def member_table(obj: Any) -> tuple[str, list[MemberDefinition]]:
    """(type name, sorted members) of one object."""
    tname = type_names(obj)[0]
    rows: list[tuple[str, str, str]] = []
    if isinstance(obj, PSObject):
        rows += [(n, "Method", d) for n, d in _OBJECT_METHODS]
        for name, value in obj.properties():
            shown = "null" if value is None else to_string(value)
            rows.append((name, "NoteProperty", f"{short_type_name(value)} {name}={shown}"))
    elif isinstance(obj, str):
        rows += [(n, "Method", d) for n, d in _STRING_METHODS]
        rows += [("Chars", "ParameterizedProperty", "char Chars(int index) {get;}"),
                 ("Length", "Property", "int Length {get;}")]
    elif isinstance(obj, (list, tuple)):
        rows += [(n, "Method", d) for n, d in _ARRAY_METHODS] + list(_ARRAY_EXTRA)
    elif isinstance(obj, dict):
        rows += [(n, "Method", d) for n, d in _HASHTABLE_METHODS] + list(_HASHTABLE_EXTRA)
    elif type(obj) is int:
        rows += [(n, "Method", d) for n, d in _INT_METHODS]
    elif attrs.has(type(obj)) and not isinstance(obj, enum.Enum):
        cls = type(obj)
        rows += [(n, "Method", d) for n, d in _OBJECT_METHODS]
        for name, value in format_properties(obj):
            rows.append((name, "Property", f"{_field_type(cls, name, value)} {name} {{get;set;}}"))
    else:
        rows += [(n, "Method", d) for n, d in _OBJECT_METHODS]
        for name, value in format_properties(obj):
            rows.append((name, "Property", f"{short_type_name(value)} {name} {{get;}}"))
    rows.sort(key=lambda r: (r[1], r[0].lower()))
    return tname, [MemberDefinition(tname, n, t, d) for n, t, d in rows]


_MEMBER_TYPE_GROUPS = {
    "properties": {"AliasProperty", "CodeProperty", "Property", "NoteProperty", "ScriptProperty"},
    "methods": {"Method", "CodeMethod", "ScriptMethod", "ParameterizedProperty"},
    "all": None,
}


def member_type_filter(values: list[str] | None) -> set[str] | None:
    """The MemberType names a -MemberType argument admits (None: all)."""
    if not values:
        return None
    admitted: set[str] = set()
    for v in values:
        for part in str(v).split(","):
            key = part.strip()
            group = _MEMBER_TYPE_GROUPS.get(key.lower(), {key})
            if group is None:
                return None
            admitted |= {g.lower() for g in group}
    return admitted
