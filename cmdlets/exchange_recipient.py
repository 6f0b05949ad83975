"""Mailboxes: New/Get/Set/Remove-Mailbox and Get-MailboxStatistics."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.exchange_common import (RECIPIENT, ExchangeCmdlet, dc_param, identity_param, sentence, switch)
from ems.exchange.enums import ConvertibleMailboxSubType, RecipientTypeDetails
from ems.exchange.values import ByteQuantifiedSize, SmtpAddress
from ems.exchange.typenames import T_MAILBOX, T_MAILBOX_STATISTICS
from ems.runtime.cmdlet import ANY, IDENTITY, Example, Parameter, register

MAILBOX_ID = "MailboxIdParameter"
ALL_SETS = ("User", "Room", "Equipment", "Shared", "Arbitration", "Discovery", "Linked")
KINDS = ("Room", "Equipment", "Shared", "Arbitration", "Discovery")


@register
class NewMailbox(ExchangeCmdlet):
    name = "New-Mailbox"
    dotnet_class = RECIPIENT + "NewMailbox"
    output_type = T_MAILBOX
    synopsis = "Use the New-Mailbox cmdlet to create mailboxes and user accounts at the same time."
    supports_should_process = True
    parameters = (
        Parameter("Name", str, mandatory=True, position=0, pipeline=True),
        switch("Arbitration", sets=("Arbitration",), mandatory=("Arbitration",)),
        switch("Discovery", sets=("Discovery",), mandatory=("Discovery",)),
        switch("Equipment", sets=("Equipment",), mandatory=("Equipment",)),
        Parameter("LinkedDomainController", str, mandatory=("Linked",), sets=("Linked",)),
        Parameter("LinkedMasterAccount", IDENTITY, mandatory=("Linked",), sets=("Linked",),
                  type_name="UserIdParameter"),
        switch("Room", sets=("Room",), mandatory=("Room",)),
        switch("Shared", sets=("Shared",), mandatory=("Shared",)),
        Parameter("Password", ANY, mandatory=("User",), sets=ALL_SETS, type_name="SecureString"),
        Parameter("UserPrincipalName", str, mandatory=("User",), sets=ALL_SETS),
        Parameter("Alias", str),
        switch("Archive", help="Also create an archive mailbox."),
        Parameter("ArchiveDatabase", IDENTITY, sets=ALL_SETS, type_name="DatabaseIdParameter"),
        Parameter("Database", IDENTITY, sets=ALL_SETS, type_name="DatabaseIdParameter"),
        Parameter("DisplayName", str),
        Parameter("FirstName", str),
        switch("Force"),
        Parameter("Initials", str),
        Parameter("LastName", str),
        Parameter("OrganizationalUnit", IDENTITY, type_name="OrganizationalUnitIdParameter"),
        Parameter("PrimarySmtpAddress", SmtpAddress),
        Parameter("ResetPasswordOnNextLogon", bool),
        Parameter("SamAccountName", str, sets=ALL_SETS),
        dc_param(),
    )
    default_set = "User"
    examples = (Example("New-Mailbox -Name user1 -UserPrincipalName user1@contoso.com -Database DB1 -Password $pw",
                        "Creates the user user1 and its mailbox in DB1."),)

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        db = self.resolve("database", "Database") if self.has("Database") else None
        kind = next((k for k in KINDS if self.param(k)), "Linked" if self.has("LinkedMasterAccount") else "Regular")
        archive = None
        if self.has("ArchiveDatabase"):
            archive = self.resolve("database", "ArchiveDatabase").name
        name = self.param("Name")
        ou = self.param("OrganizationalUnit")
        if not self.should_process(name, message=sentence("Creating", "mailbox", name)):
            return
        box = org.new_mailbox(
            name, db, alias=self.param("Alias"), user_principal_name=self.param("UserPrincipalName"),
            display_name=self.param("DisplayName"), first_name=self.param("FirstName"),
            last_name=self.param("LastName"), initials=self.param("Initials"),
            organizational_unit=str(ou).rsplit("/", 1)[-1] if ou is not None else None,
            primary_smtp_address=self.param("PrimarySmtpAddress"), sam_account_name=self.param("SamAccountName"),
            mailbox_type=kind, reset_password_on_next_logon=bool(self.param("ResetPasswordOnNextLogon")))
        if archive or self.param("Archive"):
            org.set_mailbox(box, {"archive_database": archive or box.database})
        self.write(S.mailbox(org, box))


@register
class GetMailbox(ExchangeCmdlet):
    name = "Get-Mailbox"
    dotnet_class = RECIPIENT + "GetMailbox"
    output_type = T_MAILBOX
    synopsis = ("Use the Get-Mailbox cmdlet to view mailbox objects and attributes, populate property pages, or "
                "supply mailbox information to other tasks.")
    parameters = (
        identity_param(MAILBOX_ID, mandatory=False, sets=("Identity",)),
        Parameter("Anr", str, sets=("AnrSet",)),
        switch("Arbitration", sets=("AnrSet", "DatabaseSet", "Identity", "ServerSet")),
        switch("Archive"),
        Parameter("Database", IDENTITY, pipeline=True, sets=("DatabaseSet",), type_name="DatabaseIdParameter"),
        Parameter("Filter", str),
        switch("IgnoreDefaultScope"),
        Parameter("OrganizationalUnit", IDENTITY, type_name="OrganizationalUnitIdParameter"),
        Parameter("RecipientTypeDetails", RecipientTypeDetails, array=True),
        Parameter("ResultSize", str, type_name="Unlimited"),
        Parameter("Server", IDENTITY, pipeline=True, sets=("ServerSet",), type_name="ServerIdParameter"),
        Parameter("SortBy", str),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example("Get-Mailbox -ResultSize unlimited", "Lists every mailbox in the organization."),
                Example("Get-Mailbox -Database DB1", "Lists the mailboxes in DB1."))

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        from ems.exchange.enums import text
        boxes = self.select("mailbox")
        arbitration = bool(self.param("Arbitration"))
        boxes = [m for m in boxes if (m.recipient_type_details == "ArbitrationMailbox") == arbitration]
        if self.param("Archive"):
            boxes = [m for m in boxes if m.archive_database]
        if self.has("Database"):
            db = self.resolve("database", "Database")
            boxes = [m for m in boxes if m.database.lower() == db.name.lower()]
        if self.has("Server"):
            server = self.resolve("server", "Server")
            names = {d.name.lower() for d in org.databases_on(server)
                     if d.active_server.lower() == server.name.lower()}
            boxes = [m for m in boxes if m.database.lower() in names]
        if self.has("Anr"):
            anr = self.param("Anr").lower()
            boxes = [m for m in boxes if any(str(v or "").lower().startswith(anr) for v in (
                m.name, m.alias, m.display_name, m.first_name, m.last_name, m.primary_smtp_address))]
        if self.has("OrganizationalUnit"):
            ou = str(self.param("OrganizationalUnit")).rsplit("/", 1)[-1].lower()
            boxes = [m for m in boxes if m.organizational_unit.lower() == ou]
        if self.has("RecipientTypeDetails"):
            wanted = {text(t) for t in self.param("RecipientTypeDetails")}
            boxes = [m for m in boxes if m.recipient_type_details in wanted]
        if self.has("Filter"):
            boxes = [m for m in boxes if _opath_match(S.mailbox(org, m), self.param("Filter"))]
        if self.has("SortBy"):
            key = self.param("SortBy")
            boxes = sorted(boxes, key=lambda m: str(getattr(S.mailbox(org, m), key, "") or "").lower())
        limit = self._result_size()
        if limit is not None and len(boxes) > limit:
            boxes = boxes[:limit]
            if self.has("ResultSize"):
                self.warning("There are more results available than are currently displayed. To view them, increase "
                             "the value for the ResultSize parameter.")
            else:
                self.warning(f"By default, only the first {limit} items are returned. Use the ResultSize parameter "
                             "to specify the number of items returned. To return all items, specify \"-ResultSize "
                             "Unlimited\". Be aware that, depending on the actual number of items, returning all items "
                             "can take a long time and consume a large amount of memory. Also, we don't recommend "
                             "storing the results in a variable. Instead, pipe the results to another task or script "
                             "to perform batch changes.")
        for m in boxes:
            self.write(S.mailbox(org, m))

    def _result_size(self) -> int | None:
        value = self.param("ResultSize")
        if value is None:
            return 1000
        if str(value).lower() == "unlimited":
            return None
        return int(value)


def _opath_match(obj: Any, filter_text: str) -> bool:
    """A small OPATH subset: ``Property -eq|-ne|-like 'value'`` joined by ``-and``."""
    import fnmatch
    import re
    for clause in re.split(r"\s+-and\s+", filter_text.strip().strip("{}").strip(), flags=re.I):
        m = re.match(r"^\s*(\w+)\s+-(eq|ne|like)\s+['\"]?(.*?)['\"]?\s*$", clause, re.I)
        if not m:
            return True
        prop, op, value = m.group(1), m.group(2).lower(), m.group(3)
        actual = str(getattr(obj, prop, "") or "").lower()
        want = value.lower()
        ok = (fnmatch.fnmatchcase(actual, want) if op == "like" else
              (actual == want) if op == "eq" else actual != want)
        if not ok:
            return False
    return True


@register
class SetMailbox(ExchangeCmdlet):
    name = "Set-Mailbox"
    dotnet_class = RECIPIENT + "SetMailbox"
    synopsis = "Use the Set-Mailbox cmdlet to modify the settings of existing mailboxes."
    supports_should_process = True
    parameters = (
        identity_param(MAILBOX_ID, by_property=True),
        Parameter("Alias", str),
        Parameter("ArchiveDatabase", IDENTITY, type_name="DatabaseIdParameter"),
        Parameter("CustomAttribute1", str),
        Parameter("Database", IDENTITY, type_name="DatabaseIdParameter"),
        Parameter("DeliverToMailboxAndForward", bool),
        Parameter("DisplayName", str),
        Parameter("EmailAddresses", str, array=True, type_name="ProxyAddressCollection"),
        Parameter("EmailAddressPolicyEnabled", bool),
        Parameter("ForwardingAddress", IDENTITY, type_name="RecipientIdParameter"),
        Parameter("ForwardingSmtpAddress", str, type_name="ProxyAddress"),
        Parameter("GrantSendOnBehalfTo", str, array=True, type_name="MultiValuedProperty"),
        Parameter("HiddenFromAddressListsEnabled", bool),
        Parameter("IssueWarningQuota", ByteQuantifiedSize),
        Parameter("LitigationHoldEnabled", bool),
        Parameter("MaxReceiveSize", ByteQuantifiedSize),
        Parameter("MaxSendSize", ByteQuantifiedSize),
        Parameter("Name", str),
        Parameter("PrimarySmtpAddress", SmtpAddress),
        Parameter("ProhibitSendQuota", ByteQuantifiedSize),
        Parameter("ProhibitSendReceiveQuota", ByteQuantifiedSize),
        Parameter("RecoverableItemsQuota", ByteQuantifiedSize),
        Parameter("RecoverableItemsWarningQuota", ByteQuantifiedSize),
        Parameter("RetainDeletedItemsFor", _dt.timedelta, type_name="EnhancedTimeSpan"),
        Parameter("SingleItemRecoveryEnabled", bool),
        Parameter("Type", ConvertibleMailboxSubType),
        Parameter("UseDatabaseQuotaDefaults", bool),
        Parameter("UseDatabaseRetentionDefaults", bool),
        dc_param(),
    )
    settable = {
        "Alias": "alias", "CustomAttribute1": "custom_attribute1",
        "DeliverToMailboxAndForward": "deliver_to_mailbox_and_forward", "DisplayName": "display_name",
        "EmailAddresses": "email_addresses", "EmailAddressPolicyEnabled": "email_address_policy_enabled",
        "ForwardingAddress": "forwarding_address", "ForwardingSmtpAddress": "forwarding_smtp_address",
        "GrantSendOnBehalfTo": "grant_send_on_behalf_to",
        "HiddenFromAddressListsEnabled": "hidden_from_address_lists_enabled",
        "IssueWarningQuota": "issue_warning_quota", "LitigationHoldEnabled": "litigation_hold_enabled",
        "MaxReceiveSize": "max_receive_size", "MaxSendSize": "max_send_size", "Name": "name",
        "PrimarySmtpAddress": "primary_smtp_address", "ProhibitSendQuota": "prohibit_send_quota",
        "ProhibitSendReceiveQuota": "prohibit_send_receive_quota",
        "RecoverableItemsQuota": "recoverable_items_quota",
        "RecoverableItemsWarningQuota": "recoverable_items_warning_quota",
        "RetainDeletedItemsFor": "retain_deleted_items_for",
        "SingleItemRecoveryEnabled": "single_item_recovery_enabled",
        "UseDatabaseQuotaDefaults": "use_database_quota_defaults",
        "UseDatabaseRetentionDefaults": "use_database_retention_defaults",
    }
    converters = {"ForwardingAddress": str,
                  "EmailAddresses": lambda v: [a if ":" in a else f"smtp:{a}" for a in v]}
    examples = (Example("Set-Mailbox -Identity user1 -UseDatabaseQuotaDefaults $false -ProhibitSendQuota 250MB "
                        "-ProhibitSendReceiveQuota 280MB -IssueWarningQuota 200MB", "Gives user1 its own quotas."),)

    def run(self, org: Any) -> None:
        from ems.exchange.recipients import TYPE_DETAILS
        box = self.resolve("mailbox")
        changes = self.changes()
        if self.has("Database"):
            changes["database"] = self.resolve("database", "Database").name
        if self.has("ArchiveDatabase"):
            changes["archive_database"] = self.resolve("database", "ArchiveDatabase").name
        if self.has("Type"):
            changes["recipient_type_details"] = TYPE_DETAILS[self.param("Type").name]
        ident = f"{org.domain}/{box.organizational_unit}/{box.name}"
        if self.should_process(ident, message=sentence("Setting", "mailbox", ident)):
            org.set_mailbox(box, changes)


@register
class RemoveMailbox(ExchangeCmdlet):
    name = "Remove-Mailbox"
    dotnet_class = RECIPIENT + "RemoveMailbox"
    synopsis = "Use the Remove-Mailbox cmdlet to delete mailboxes and the associated user accounts."
    supports_should_process = True
    confirm_impact = "High"
    parameters = (
        identity_param(MAILBOX_ID, sets=("Identity",)),
        Parameter("Database", IDENTITY, mandatory=("StoreMailboxIdentity",), sets=("StoreMailboxIdentity",),
                  type_name="DatabaseIdParameter"),
        Parameter("StoreMailboxIdentity", IDENTITY, mandatory=("StoreMailboxIdentity",),
                  sets=("StoreMailboxIdentity",), type_name="StoreMailboxIdParameter"),
        switch("Arbitration", sets=("StoreMailboxIdentity", "Identity")),
        switch("IgnoreDefaultScope", sets=("StoreMailboxIdentity", "Identity")),
        switch("IgnoreLegalHold", sets=("StoreMailboxIdentity", "Identity")),
        Parameter("Permanent", bool, sets=("Identity",)),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example('Remove-Mailbox -Identity "John Rodman"', "Removes John Rodman's mailbox and user account."),)

    def run(self, org: Any) -> None:
        from ems.exchange import errors as E
        if self.parameter_set == "StoreMailboxIdentity":
            db = self.resolve("database", "Database")
            wanted = str(self.param("StoreMailboxIdentity")).lower()
            box = next((m for m in org.mailboxes.values() if m.database.lower() == db.name.lower()
                        and str(m.exchange_guid).lower() == wanted), None)
            if box is None:
                raise E.not_found(self.param("StoreMailboxIdentity"), org.domain_controller)
        else:
            box = self.resolve("mailbox")
        ident = f"{org.domain}/{box.organizational_unit}/{box.name}"
        message = (f'Removing the Mailbox "{ident}" will remove the Active Directory user object and mark the '
                   "mailbox in the database for removal.")
        if self.should_process(ident, message=message):
            org.remove_mailbox(box, bool(self.param("Permanent")))


@register
class GetMailboxStatistics(ExchangeCmdlet):
    name = "Get-MailboxStatistics"
    dotnet_class = "Microsoft.Exchange.Management.MapiTasks.GetMailboxStatistics"
    output_type = T_MAILBOX_STATISTICS
    synopsis = ("Use the Get-MailboxStatistics cmdlet to return information about a mailbox, such as the size of the "
                "mailbox, the number of messages it contains, and the last time it was accessed.")
    parameters = (
        identity_param("GeneralMailboxOrMailUserIdParameter", mandatory=("Identity",), sets=("Identity",)),
        Parameter("Database", IDENTITY, mandatory=("Database",), pipeline=True, sets=("Database",),
                  type_name="DatabaseIdParameter"),
        Parameter("Server", IDENTITY, mandatory=("Server",), pipeline=True, sets=("Server",),
                  type_name="ServerIdParameter"),
        switch("Archive", sets=("Identity",)),
        switch("IncludeMoveHistory"),
        switch("IncludeMoveReport"),
        dc_param(),
    )
    default_set = "Identity"
    examples = (Example("Get-MailboxStatistics -Identity AylaKol", "Statistics of Ayla Kol's mailbox."),
                Example('Get-MailboxStatistics -Database "Mailbox Database"', "Statistics of every mailbox in a database."))

    def run(self, org: Any) -> None:
        from ems.exchange import snapshots as S
        if self.parameter_set == "Database":
            dbs = [self.resolve("database", "Database")]
        elif self.parameter_set == "Server":
            server = self.resolve("server", "Server")
            dbs = [d for d in org.databases_on(server) if d.active_server.lower() == server.name.lower()]
        else:
            box = self.resolve("mailbox")
            self._check_mounted(org, org.databases[box.database.lower()])
            self.write(S.mailbox_statistics(org, box))
            return
        for db in sorted(dbs, key=lambda d: d.name.lower()):
            self._check_mounted(org, db)
            for box in sorted(org.mailboxes.values(), key=lambda m: m.name.lower()):
                if box.database.lower() == db.name.lower():
                    self.write(S.mailbox_statistics(org, box))

    def _check_mounted(self, org: Any, db: Any) -> None:
        from ems.exchange import errors as E
        if not db.mounted:
            raise E.mdb_offline(db.name)
