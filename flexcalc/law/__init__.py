"""The law as data: dated parameters (``parameters/<area>/<name>.yaml``, loaded by ``params``), the
law's dates, income kinds and provision texts (``data/*.yaml``, loaded by ``lawdata``) and the
provision values the trace cites (``provisions``)."""
