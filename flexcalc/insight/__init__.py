"""Management information and supervision: the month in figures (``figures``), its export (``export``) and
the management supervision of sampled cases (``supervision``). The package reads the ledger only through its
read model (``flexcalc.ledger.read.insight``); its few writes (a supervision's results) go through the
ledger's own ``flexcalc.ledger.oversight``."""
