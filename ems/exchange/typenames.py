""".NET type names of the objects Exchange cmdlets emit (``PS_TYPE_NAMES[0]`` of the snapshot
classes): one place for the strings, read by the snapshots, the cmdlets' ``output_type`` (Get-Help
OUTPUTS, REPL completion after a pipe) and identity binding. Cheap to import: cmdlet modules load
it at declaration time. The formatter's views key on the same names (ems/format/exchange_views.py).
"""

T_DAG = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroup"
T_DAG_NETWORK = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroupNetwork"
T_MAILBOX_DATABASE = "Microsoft.Exchange.Data.Directory.SystemConfiguration.MailboxDatabase"
T_PUBLIC_FOLDER_DB = "Microsoft.Exchange.Data.Directory.SystemConfiguration.PublicFolderDatabase"
T_DATABASE = "Microsoft.Exchange.Data.Directory.SystemConfiguration.Database"
T_COPY_STATUS = "Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseCopyStatusEntry"
T_MOVE_RESULT = "Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseMoveResult"
T_REPLICATION_CHECK = "Microsoft.Exchange.Management.SystemConfigurationTasks.ReplicationCheckOutputObject"
T_EXCHANGE_SERVER = "Microsoft.Exchange.Data.Directory.Management.ExchangeServer"
T_MAILBOX_SERVER = "Microsoft.Exchange.Data.Directory.Management.MailboxServer"
T_CLIENT_ACCESS = "Microsoft.Exchange.Data.Directory.Management.ClientAccessServer"
T_CLIENT_ACCESS_ARRAY = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ClientAccessArray"
T_MAILBOX = "Microsoft.Exchange.Data.Directory.Management.Mailbox"
T_MAILBOX_STATISTICS = "Microsoft.Exchange.Data.Mapi.MailboxStatistics"
T_TRANSPORT_CONFIG = "Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportConfigContainer"
T_AD_PRINCIPAL = "Microsoft.ActiveDirectory.Management.ADPrincipal"
