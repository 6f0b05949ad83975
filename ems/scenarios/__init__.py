"""Built-in labs, written as .ps1 files that use the Sim cmdlets (and, where convenient, the
real cmdlets). ``ems --list-scenarios`` lists ``SCENARIOS``; the shell runs ``<name>.ps1``
against a fresh ``Organization`` to build the lab the first time the organisation is used."""

SCENARIOS = {
    "benet-lab": "The classic two-node DAG lab before the DAG exists: benet.com, DC (future witness), "
                 "MAILSERVER01 and MAILSERVER02 (Exchange 2010 SP3).",
    "two-datacenter": "A DAC-mode DAG (DAG1: EX1-EX4) stretched over Portland and Redmond, witness FS1, "
                      "alternate witness FS2, databases DB1-DB4 with four copies each, user1-user8.",
    "empty": "contoso.com with one site and one domain controller (DC1); build your own lab.",
}
