"""Municipal finance of fleksløntilskud: the state refund ladder, the special flex contribution
(særligt fleksbidrag), the obligatory pension contribution (OP), the municipality's ATP for
fleksjob and their refunds, booking on the municipal chart of accounts, the month's finance report
and the reconciliation against the state's refund statement.

Every figure is read from dated parameter files (``flexcalc/parameters``, see ``rates``); every
decision is recorded in docs/decisions.md, "Finance".
"""
