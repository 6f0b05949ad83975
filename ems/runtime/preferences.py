"""Preference enums and the defaults of Windows PowerShell 5.1 (A.3, A.5, A.10)."""
from __future__ import annotations

import enum


class ActionPreference(enum.Enum):
    """System.Management.Automation.ActionPreference (5.1 has no ``Break``)."""

    SilentlyContinue = 0
    Stop = 1
    Continue = 2
    Inquire = 3
    Ignore = 4
    Suspend = 5


# 'None' is a ConfirmImpact name; only the functional API can spell it.
ConfirmImpact = enum.Enum("ConfirmImpact", [("None", 0), ("Low", 1), ("Medium", 2), ("High", 3)])

ActionPreference.PS_TYPE_NAME = "System.Management.Automation.ActionPreference"
ConfirmImpact.PS_TYPE_NAME = "System.Management.Automation.ConfirmImpact"


def action_preference(value, default: ActionPreference = ActionPreference.Continue) -> ActionPreference:
    """Any stored preference value (enum, name, number) as an ActionPreference."""
    if isinstance(value, ActionPreference):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return ActionPreference(value)
        except ValueError:
            return default
    if isinstance(value, str):
        for m in ActionPreference:
            if m.name.lower() == value.strip().lower():
                return m
    return default


def confirm_impact(value, default: ConfirmImpact = ConfirmImpact.High) -> ConfirmImpact:
    if isinstance(value, ConfirmImpact):
        return value
    text = str(getattr(value, "name", value)).strip().lower()
    for m in ConfirmImpact:
        if m.name.lower() == text:
            return m
    return default


DEFAULT_PREFERENCES = {
    "ErrorActionPreference": ActionPreference.Continue,
    "WarningPreference": ActionPreference.Continue,
    "VerbosePreference": ActionPreference.SilentlyContinue,
    "DebugPreference": ActionPreference.SilentlyContinue,
    "InformationPreference": ActionPreference.SilentlyContinue,
    "ProgressPreference": ActionPreference.Continue,
    "ConfirmPreference": ConfirmImpact.High,
    "WhatIfPreference": False,
    "ErrorView": "NormalView",
    "FormatEnumerationLimit": 4,
    "MaximumErrorCount": 256,
    "MaximumHistoryCount": 4096,
}
