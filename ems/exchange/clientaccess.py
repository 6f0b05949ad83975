"""Client Access arrays and the organisation's transport configuration."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from ems.exchange import errors as E
from ems.exchange.model import ClientAccessArray


class ClientAccessOps:
    """Mixin of Organization: New/Set/Remove-ClientAccessArray, Set-TransportConfig."""

    def _check_array(self, name: str | None, fqdn: str | None, site: Any, ignore: Any = None) -> None:
        if name is not None and (not name or len(name) > 64):
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 64 and the length of the value "
                f"provided is {len(name or '')}.")
        for arr in self.cas_arrays.values():
            if arr is ignore:
                continue
            if name and arr.name.lower() == name.lower():
                raise E.ADObjectAlreadyExistsException(f"A Client Access array named '{name}' already exists.")
            if fqdn and arr.fqdn.lower() == fqdn.lower():
                raise E.ADObjectAlreadyExistsException(
                    f"A Client Access array with the FQDN '{fqdn}' already exists.")
            if site is not None and arr.site.lower() == site.name.lower():
                raise E.InvalidOperationException(
                    f"The Active Directory site '{site.name}' already has a Client Access array ('{arr.name}'). "
                    "A site can have only one Client Access array.")

    def new_cas_array(self, fqdn: str, site: Any, name: str | None = None) -> ClientAccessArray:
        name = name or fqdn.split(".")[0]
        self._check_array(name, fqdn, site)
        now = self.now()
        arr = ClientAccessArray(name, fqdn, site.name, self.new_guid(), now, now)
        self.cas_arrays[name.lower()] = arr
        return arr

    def set_cas_array(self, arr: ClientAccessArray, changes: dict[str, Any]) -> None:
        site = changes.get("site")
        self._check_array(changes.get("name"), changes.get("fqdn"), site, ignore=arr)
        if "name" in changes:
            del self.cas_arrays[arr.name.lower()]
            arr.name = changes["name"]
            self.cas_arrays[arr.name.lower()] = arr
        if "fqdn" in changes:
            arr.fqdn = changes["fqdn"]
        if site is not None:
            arr.site = site.name
        arr.changed = self.now()

    def remove_cas_array(self, arr: ClientAccessArray) -> None:
        del self.cas_arrays[arr.name.lower()]

    def cas_array_members(self, arr: ClientAccessArray) -> list[str]:
        return [s.name for s in self.servers.values()
                if s.has_role("ClientAccess") and s.site.lower() == arr.site.lower()]

    def set_transport_config(self, changes: dict[str, Any]) -> None:
        tc = self.transport_config
        if "max_dumpster_size_per_database" in changes:
            v = changes["max_dumpster_size_per_database"]
            if v.bytes is None or not 0 <= v.bytes <= 2147483647 * 1024:
                raise E.DataValidationException(
                    "The value of property 'MaxDumpsterSizePerDatabase' must be between 0 KB and 2147483647 KB.")
        if "max_dumpster_time" in changes:
            v = changes["max_dumpster_time"]
            if not _dt.timedelta(0) <= v <= _dt.timedelta(days=24855, hours=3, minutes=14, seconds=7):
                raise E.DataValidationException(
                    "The value of property 'MaxDumpsterTime' must be between 00:00:00 and 24855.03:14:07.")
        if "shadow_heartbeat_retry_count" in changes and not 1 <= changes["shadow_heartbeat_retry_count"] <= 15:
            raise E.DataValidationException("The value of property 'ShadowHeartbeatRetryCount' must be between 1 and 15.")
        for key, value in changes.items():
            setattr(tc, key, value)
        tc.changed = self.now()
