"""The ledger's read model: query functions that return typed rows (frozen dataclasses), for the
packages that read the ledger without owning it (finance, letters). They never see an ORM table; a
change of the ledger's schema is a change here only."""
