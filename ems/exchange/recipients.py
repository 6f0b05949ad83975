"""Mailboxes: New/Set/Remove-Mailbox and the numbers behind Get-MailboxStatistics."""
from __future__ import annotations

import re
from typing import Any

from ems.exchange import errors as E
from ems.exchange.model import Mailbox

_ALIAS_BAD = re.compile(r"[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]")
TYPE_DETAILS = {"Room": "RoomMailbox", "Equipment": "EquipmentMailbox", "Shared": "SharedMailbox",
                "Regular": "UserMailbox", "Linked": "LinkedMailbox", "Discovery": "DiscoveryMailbox",
                "Arbitration": "ArbitrationMailbox"}


class RecipientOps:
    """Mixin of Organization: mailboxes."""

    def _check_mailbox_unique(self, name: str | None, alias: str | None, upn: str | None,
                              ignore: Any = None, existing_user: bool = False) -> None:
        for m in self.mailboxes.values():
            if m is ignore:
                continue
            if name and m.name.lower() == name.lower():
                raise E.RecipientTaskException(f"The name \"{name}\" is already being used. Please try another name.")
            if alias and m.alias.lower() == alias.lower():
                raise E.RecipientTaskException(
                    f"The alias \"{alias}\" is being used by another recipient object. Please specify a unique value.")
            if upn and m.user_principal_name.lower() == upn.lower():
                raise E.RecipientTaskException(
                    f"The user principal name \"{upn}\" is already being used by another user. Please specify a "
                    "unique value.")
        if name and ignore is None and name.lower() in self.users and not existing_user:
            raise E.RecipientTaskException(f"The name \"{name}\" is already being used. Please try another name.")
        if name and ignore is None and name.lower() in self.groups:
            raise E.RecipientTaskException(f"The name \"{name}\" is already being used. Please try another name.")

    def pick_database(self) -> Any:
        """The provisioning load balancer: a random database that isn't excluded (New-Mailbox
        without -Database)."""
        candidates = sorted((d for d in self.databases.values() if not d.recovery
                             and not d.is_excluded_from_provisioning and not d.is_suspended_from_provisioning),
                            key=lambda d: d.name.lower())
        if not candidates:
            raise E.RecipientTaskException("No mailbox database is available for provisioning a new mailbox.")
        return self.rng.choice(candidates)

    def new_mailbox(self, name: str, database: Any = None, alias: str | None = None,
                    user_principal_name: str | None = None, display_name: str | None = None,
                    first_name: str | None = None, last_name: str | None = None, initials: str | None = None,
                    organizational_unit: str | None = None, primary_smtp_address: str | None = None,
                    sam_account_name: str | None = None, mailbox_type: str = "Regular",
                    reset_password_on_next_logon: bool = False, item_count: int = 0,
                    existing_user: bool = False) -> Mailbox:
        """New-Mailbox (user and mailbox); ``existing_user`` mailbox-enables a user that is
        already in the directory (the lab's Administrator)."""
        if not name or len(name) > 64:
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 64 and the length of the value "
                f"provided is {len(name)}.")
        if alias is None:
            base = user_principal_name.split("@")[0] if user_principal_name else name
            alias = _ALIAS_BAD.sub("", base)
        if not alias or len(alias) > 64 or _ALIAS_BAD.search(alias):
            raise E.DataValidationException(f"The alias \"{alias}\" isn't valid.")
        sam = sam_account_name or alias[:20]
        if len(sam) > 20:
            raise E.DataValidationException(
                f"The length of the property is too long. The maximum length is 20 and the length of the value "
                f"provided is {len(sam)}.")
        self._check_mailbox_unique(name, alias, user_principal_name, existing_user=existing_user)
        db = database if database is not None else self.pick_database()
        ou = organizational_unit or "Users"
        smtp = primary_smtp_address or f"{alias}@{self.domain}"
        now = self.now()
        box = Mailbox(name, alias, db.name, self.new_guid(), self.new_guid(), now, now,
                      display_name or name, first_name, last_name, initials,
                      user_principal_name or "", sam, smtp, [f"SMTP:{smtp}"], ou,
                      TYPE_DETAILS[mailbox_type], item_count=item_count,
                      total_item_size=item_count * 4096,
                      email_address_policy_enabled=primary_smtp_address is None,
                      reset_password_on_next_logon=reset_password_on_next_logon)
        self.mailboxes[name.lower()] = box
        self.log_event("Recipient", f"Mailbox '{name}' created in database '{db.name}'.", database=db.name)
        return box

    def set_mailbox(self, box: Mailbox, changes: dict[str, Any]) -> None:
        self._check_mailbox_unique(changes.get("name"), changes.get("alias"), None, ignore=box)
        E.check_quota_order({name: changes.get(attr, getattr(box, attr)) for name, attr in (
            ("IssueWarningQuota", "issue_warning_quota"), ("ProhibitSendQuota", "prohibit_send_quota"),
            ("ProhibitSendReceiveQuota", "prohibit_send_receive_quota"))})
        if "email_addresses" in changes and "primary_smtp_address" in changes:
            raise E.RecipientTaskException(
                "The EmailAddresses and PrimarySmtpAddress parameters can't be used together.")
        if "name" in changes and changes["name"] != box.name:
            del self.mailboxes[box.name.lower()]
            box.name = changes["name"]
            self.mailboxes[box.name.lower()] = box
        for key, value in changes.items():
            if key == "name":
                continue
            if key == "primary_smtp_address":
                box.email_addresses = [f"SMTP:{value}"] + [a for a in box.email_addresses
                                                          if not a.startswith("SMTP:")]
                box.email_address_policy_enabled = False
            if key == "email_addresses":
                primary = next((a[5:] for a in value if a.startswith("SMTP:")), box.primary_smtp_address)
                box.primary_smtp_address = primary
            setattr(box, key, value)
        box.changed = self.now()

    def remove_mailbox(self, box: Mailbox, permanent: bool = False) -> None:
        del self.mailboxes[box.name.lower()]
        self.log_event("Recipient", f"Mailbox '{box.name}' removed" + (" permanently." if permanent else "."),
                       database=box.database)

    def storage_limit_status(self, box: Mailbox) -> str:
        db = self.databases.get(box.database.lower())
        if box.use_database_quota_defaults and db is not None:
            issue, send, both = db.issue_warning_quota, db.prohibit_send_quota, db.prohibit_send_receive_quota
        else:
            issue, send, both = box.issue_warning_quota, box.prohibit_send_quota, box.prohibit_send_receive_quota
        size = box.total_item_size
        if both.bytes is not None and size >= both.bytes:
            return "MailboxDisabled"
        if send.bytes is not None and size >= send.bytes:
            return "ProhibitSend"
        if issue.bytes is not None and size >= issue.bytes:
            return "IssueWarning"
        if issue.bytes is None and send.bytes is None and both.bytes is None:
            return "NoChecking"
        return "BelowLimit"
