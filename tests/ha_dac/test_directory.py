"""Active Directory per site: with the WAN down each datacenter's domain controllers keep their
own copy of DAG1 (StartedMailboxServers, StoppedMailboxServers, witness settings) until the
link returns and replication merges them (newest write of each attribute wins)."""
from __future__ import annotations

from ems.exchange.organization import Organization

from .conftest import dag, lab, names, ok, one

CUT = "Disconnect-SimSiteLink -Site Portland,Redmond\n"


def test_a_write_in_redmond_stays_in_redmond_until_the_wan_returns():
    sh = lab()
    ok(sh, CUT + "Connect-ExchangeServer EX3")
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX1 -ConfigurationOnly -Confirm:$false")
    assert names(dag(sh, False).StoppedMailboxServers) == ["EX1"]
    ok(sh, "Connect-ExchangeServer EX1")
    portland = dag(sh, False)
    assert names(portland.StoppedMailboxServers) == [] and len(portland.StartedMailboxServers) == 4
    assert sh.org.directory_diverged(sh.org.dags["dag1"])
    ok(sh, "Connect-SimSiteLink -Site Portland,Redmond")
    assert names(dag(sh, False).StoppedMailboxServers) == ["EX1"]
    assert not sh.org.directory_diverged(sh.org.dags["dag1"])
    assert "DAG1" in ok(sh, "Get-SimEvent -Event ADReplication").output[-1].Detail


def test_each_side_stops_the_other_the_later_write_of_an_attribute_wins():
    sh = lab()
    ok(sh, CUT + "Connect-ExchangeServer EX1")
    ok(sh, r"Set-DatabaseAvailabilityGroup DAG1 -AlternateWitnessDirectory C:\FromPortland")
    ok(sh, r"Set-DatabaseAvailabilityGroup DAG1 -WitnessDirectory C:\DAG1P")
    ok(sh, "Connect-ExchangeServer EX3")
    assert one(sh, "Get-DatabaseAvailabilityGroup DAG1").AlternateWitnessDirectory == r"C:\DAG1"
    ok(sh, r"Set-DatabaseAvailabilityGroup DAG1 -AlternateWitnessDirectory C:\FromRedmond")
    ok(sh, "Connect-SimSiteLink -Site Portland,Redmond")
    for server in ("EX1", "EX3"):
        d = one(sh, f"Connect-ExchangeServer {server} | Out-Null; Get-DatabaseAvailabilityGroup DAG1")
        assert d.AlternateWitnessDirectory == r"C:\FromRedmond"  # Redmond wrote it last
        assert d.WitnessDirectory == r"C:\DAG1P"  # only Portland wrote this one


def test_stop_in_each_datacenter_as_the_runbook_says():
    """S-1/S-2: with the WAN down the stopped list has to be written once per datacenter."""
    sh = lab()
    ok(sh, CUT)
    for server in ("EX3", "EX1"):
        ok(sh, f"Connect-ExchangeServer {server}")
        ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Portland -ConfigurationOnly -Confirm:$false")
        assert names(dag(sh, False).StoppedMailboxServers) == ["EX1", "EX2"]
    ok(sh, "Connect-SimSiteLink -Site Portland,Redmond")
    assert names(dag(sh, False).StartedMailboxServers) == ["EX3", "EX4"]


def test_saved_state_keeps_each_sites_copy():
    sh = lab()
    ok(sh, "Stop-SimSite Portland\n" + CUT + "Connect-ExchangeServer EX3")
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -ActiveDirectorySite Portland -ConfigurationOnly -Confirm:$false")
    org = Organization.from_dict(sh.org.to_dict())
    portland = org.dag_directory(org.dags["dag1"], "Portland")
    redmond = org.dag_directory(org.dags["dag1"], "Redmond")
    assert portland.stopped_servers == () and sorted(redmond.stopped_servers) == ["EX1", "EX2"]
    assert org.to_dict() == sh.org.to_dict()


def test_a_down_domain_controller_misses_writes_and_catches_up_when_it_boots():
    sh = lab()
    ok(sh, "Stop-SimServer DC1 -Crash; Connect-ExchangeServer EX3")
    ok(sh, "Stop-DatabaseAvailabilityGroup DAG1 -MailboxServer EX2 -ConfigurationOnly -Confirm:$false")
    # EX1 reads the DC in Redmond while its own site's DC is down
    ok(sh, "Connect-ExchangeServer EX1")
    assert names(dag(sh, False).StoppedMailboxServers) == ["EX2"]
    assert sh.org.directory_diverged(sh.org.dags["dag1"])  # DC1 itself missed the write
    ok(sh, "Start-SimServer DC1")
    assert not sh.org.directory_diverged(sh.org.dags["dag1"])


def test_no_domain_controller_in_reach_fails_writes():
    sh = lab()
    ok(sh, "Stop-SimServer DC2 -Crash\n" + CUT + "Connect-ExchangeServer EX3")
    r = sh.run(r"Set-DatabaseAvailabilityGroup DAG1 -AlternateWitnessDirectory C:\X")
    assert r.errors[0].message == ("Active Directory server DC2.contoso.com is not available. Error message: Active "
                                   "directory response: The LDAP server is unavailable.")
    assert r.errors[0].exception_type == "ADTransientException"
    assert one(sh, "Get-DatabaseAvailabilityGroup DAG1").AlternateWitnessDirectory == r"C:\DAG1"


def test_not_found_errors_name_the_connected_sites_domain_controller():
    sh = lab()
    assert "couldn't be found on 'DC1.contoso.com'" in sh.run("Get-DatabaseAvailabilityGroup nope").errors[0].message
    ok(sh, "Connect-ExchangeServer -ServerFqdn EX4.contoso.com")
    assert "couldn't be found on 'DC2.contoso.com'" in sh.run("Get-DatabaseAvailabilityGroup nope").errors[0].message
