"""Every Danish sentence the product says, built from facts (amounts, months, provisions).

The rules compute facts and never build sentences; this package turns those facts into Danish text
for the CLI, the API's ``*_da`` fields, the explainer pages and the letters. One module per
subject: ``month`` (the month's steps and labels), ``month_change``, ``scenarios``, ``normal_wage``.
"""
